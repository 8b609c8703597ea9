//! Parse, names, every rule, every report format, every emitter, `paths` and the formatter
//! round trip, on arbitrary input. See docs/reliability.md for how to run it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        defuse::fuzz_harness::exercise(text);
    }
});
