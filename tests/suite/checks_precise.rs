//! Checks v2 (issue 22), precise diagnostics: library problems also labelled at the script's
//! edge into the library, and "did you mean" for the common slips.

use std::path::PathBuf;

use crate::support::check;

/// A library problem found while checking a script carries a label in that script, at the
/// edge that goes into the library, and the human report shows it as part of the one report.
#[test]
fn a_library_problem_is_also_labelled_at_the_scripts_edge_into_the_library() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/library-graph")]);
    let placeholder = diagnostics.iter().find(|d| d.code == "unknown-placeholder").expect(&report);
    assert!(placeholder.primary.file != placeholder.secondary[0].file, "{report}");
    assert_eq!(placeholder.secondary.len(), 1, "{report}");
    assert!(placeholder.secondary[0].message.contains("script `without_name` goes into library `closings`"));
    assert!(!report.contains("Error: "), "a related label is no second error block:\n{report}");
}
