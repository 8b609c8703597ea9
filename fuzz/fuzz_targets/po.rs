//! The PO reader and writer on arbitrary bytes: no panic, and what is read writes back whole.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    defuse::fuzz_harness::exercise_po(data);
});
