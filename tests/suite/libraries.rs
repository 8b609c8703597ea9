//! A script and the libraries it uses: a library problem is also labelled (and annotated in
//! GitHub's format) at the script's edge into the library, and the graph rules treat library
//! nodes as the contract says.

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

fn count(diagnostics: &[defuse::diagnostic::Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

/// `unreachable` never fires on library nodes; `no-close` counts a close in a used library;
/// `no-trigger` never counts a library's trigger; `no-close` names closes the project has.
#[test]
fn library_nodes_in_the_graph_rules_follow_the_contract() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/library-rules")]);
    let unreachable: Vec<&str> =
        diagnostics.iter().filter(|d| d.code == "unreachable").map(|d| d.message.as_str()).collect();
    assert_eq!(
        unreachable,
        ["node `orphan` cannot be reached from any trigger of script `reaches_library`"],
        "{report}"
    );
    let no_close: Vec<_> = diagnostics.iter().filter(|d| d.code == "no-close").collect();
    assert_eq!(no_close.len(), 1, "{report}");
    assert!(no_close[0].message.contains("`no_close_anywhere`"), "{report}");
    assert!(no_close[0].help.as_deref().unwrap().contains("`closings.thanks`"), "{report}");
    let no_trigger: Vec<_> = diagnostics.iter().filter(|d| d.code == "no-trigger").collect();
    assert_eq!(no_trigger.len(), 1, "{report}");
    assert!(no_trigger[0].message.contains("`library_trigger`"), "{report}");
    assert_eq!(count(&diagnostics, "enters-trigger"), 1, "{report}");
}

/// In GitHub annotations, a library problem found through a script is annotated once more, in
/// the script at its edge into the library; other reports are unchanged.
#[test]
fn github_annotates_a_library_problem_in_the_script_too() {
    let run =
        crate::support::Defuse::new(["check", "--format", "github", "tests/fixtures/projects/library-rules"]).run();
    assert_eq!(run.status, 1, "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let notes: Vec<&&str> =
        lines.iter().filter(|line| line.contains("title=no-exit") && line.contains("notes.sorry")).collect();
    assert_eq!(notes.len(), 2, "{}", run.stdout);
    assert!(
        notes[0].starts_with("::error file=tests/fixtures/projects/library-rules/lib/notes.defuse,"),
        "{}",
        run.stdout
    );
    assert!(
        notes[1]
            .starts_with("::error file=tests/fixtures/projects/library-rules/no_close_anywhere.defuse,line=4,col=49,"),
        "{}",
        run.stdout
    );
    // The edge into the library is also the edge into the loop: its label says so.
    assert!(notes[1].contains("title=no-exit::enters the loop: the loop of `notes.sorry`"), "{}", run.stdout);
    // A problem in the script itself is annotated once.
    assert_eq!(lines.iter().filter(|line| line.contains("title=unreachable")).count(), 1, "{}", run.stdout);
}
