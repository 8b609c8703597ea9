//! The `no-exit` rule: a loop that never reaches a close is named as one trapped group, with
//! the edge that enters it.

use std::path::PathBuf;

use crate::support::check;

/// `no-exit` names the whole trapped group and labels the edge that enters it, never the
/// healthy re-mirror loop beside it.
#[test]
fn no_exit_names_the_trapped_group_and_the_edge_into_it() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/no-exit-group")]);
    let no_exit: Vec<_> = diagnostics.iter().filter(|d| d.code == "no-exit").collect();
    assert_eq!(no_exit.len(), 1, "{report}");
    assert!(
        no_exit[0].message.starts_with("the loop of `check_router`, `remirror` and `recheck` never reaches a close"),
        "{report}"
    );
    assert!(no_exit[0].message.contains("enters it from `restate`"), "{report}");
    assert!(!no_exit[0].message.contains("clarify"), "{report}");
    assert!(no_exit[0].secondary.iter().any(|label| label.message == "enters the loop"), "{report}");
}
