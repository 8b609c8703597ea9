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

/// `-> close` is one error (the reserved word), not also `unknown-target`.
#[test]
fn a_reserved_word_as_a_target_is_one_error() {
    let dir = crate::support::project(&[(
        "s.defuse",
        "script s {\n  trigger t { customer \"Hi\" -> hear }\n  acknowledge hear { say \"Sorry.\" -> close }\n  acknowledge near { say \"Sorry.\" -> closer }\n  close done { say \"Thanks.\" follow_up \"1d\" \"x\" }\n}\n",
    )]);
    let (diagnostics, report) = check(&[dir.path().join("s.defuse")]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    // `closer` is no reserved word: it stays an unknown target.
    assert_eq!(codes, ["syntax", "unknown-target"], "{report}");
    assert!(report.contains("`close` is a reserved word") && report.contains("goes to `closer`"), "{report}");
}

/// "Did you mean" catches a forgotten or wrong library prefix, a needless one, and a
/// shortened var name.
#[test]
fn did_you_mean_catches_the_common_slips() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/library-suggestions")]);
    let helps: Vec<&str> = diagnostics.iter().filter_map(|d| d.help.as_deref()).collect();
    assert_eq!(
        helps,
        [
            "did you mean `{case_number}`?",
            "did you mean `escalations.supervisor_warm`?",
            "did you mean `escalations.supervisor_cold`?",
            "did you mean `closings.thanks`?",
            "did you mean `offer`?",
            "did you mean `escalations.supervisor_warm`?",
        ],
        "{report}"
    );
}

/// A `use` path that misses by one directory suggests the file where it is, relative to the
/// using file, whether the path is missing or escapes the root; the right path is clean.
#[test]
fn a_use_path_one_directory_off_suggests_the_right_one() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/use-nearby")]);
    let found: Vec<(&str, &str)> =
        diagnostics.iter().map(|d| (d.code.as_str(), d.help.as_deref().unwrap_or_default())).collect();
    let hint = |path: &str| format!("did you mean `use \"{path}\"`? (the path is relative to this file)");
    assert_eq!(
        found,
        [
            ("use-not-found", hint("lib/closings.defuse").as_str()),
            ("use-not-found", hint("../lib/closings.defuse").as_str()),
            ("use-outside-root", hint("lib/closings.defuse").as_str()),
        ],
        "{report}"
    );
}

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

/// A line that repeats a discouraged phrase gets one warning per phrase, at its first use,
/// saying how often the line has it: the fix is the same, and a hostile megabyte line of
/// phrases must not turn into half a million reports held in memory.
#[test]
fn a_phrase_repeated_in_one_line_is_one_warning_that_counts_it() {
    let dir = crate::support::project(&[(
        "s.defuse",
        "script s {\n  trigger t { customer \"Hi\" -> hear }\n  acknowledge hear { say \"Relax. relax, please RELAX and calm down.\" -> done }\n  close done { say \"Relax, we are done.\" follow_up \"1d\" \"x\" }\n}\n",
    )]);
    let (diagnostics, report) = check(&[dir.path().join("s.defuse")]);
    let phrases: Vec<(&str, usize)> = diagnostics
        .iter()
        .filter(|d| d.code == "phrase")
        .map(|d| (d.message.as_str(), d.primary.span.start()))
        .collect();
    let text = std::fs::read_to_string(dir.path().join("s.defuse")).unwrap();
    assert_eq!(
        phrases,
        [
            ("`hear` says \"Relax\" 3 times, a discouraged phrase", text.find("Relax.").unwrap()),
            ("`hear` says \"calm down\", a discouraged phrase", text.find("calm down").unwrap()),
            ("`done` says \"Relax\", a discouraged phrase", text.find("Relax, we").unwrap()),
        ],
        "{report}"
    );
}
