//! Hostile and pathological input: a clear diagnostic or a correct result, never a panic,
//! a hang or a stack overflow.

use std::fmt::Write;
use std::path::PathBuf;

use crate::support::check;

/// A script whose nodes form one long chain: recursion per node would overflow the 2 MiB
/// stack of a test thread long before the end.
#[test]
fn a_long_chain_does_not_overflow_the_stack() {
    const LENGTH: usize = 30_000;
    let mut text = String::from("script chain {\n  trigger t { customer \"x\" -> hear }\n");
    text.push_str("  acknowledge hear { say \"sorry\" -> restate }\n  mirror restate { ask \"right?\" -> q0 }\n");
    for i in 0..LENGTH {
        let _ = writeln!(text, "  root-cause q{i} {{ ask \"q{i}?\" -> q{} }}", i + 1);
    }
    let _ = writeln!(text, "  root-cause q{LENGTH} {{ ask \"last\" -> loop_a }}");
    // A trap at the far end, so no-exit has to walk the whole chain and its components.
    text.push_str("  root-cause loop_a { ask \"a\" -> loop_b }\n  root-cause loop_b { ask \"b\" -> loop_a }\n");
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.defuse");
    std::fs::write(&path, text).unwrap();

    let (diagnostics, report) = check(&[PathBuf::from(&path)]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"no-exit"), "{codes:?}");
    assert!(codes.contains(&"unreachable"), "`done` is never reached: {codes:?}");
    assert!(report.contains("… ("), "long paths are shortened in messages");
}
