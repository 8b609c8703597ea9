//! Messages for a writer's common slips (spec section 2, "Messages for common slips"): each
//! gets one report whose help fixes it ("did you mean", a reserved word as a target, a `use`
//! path one directory off, pasted quotes, a missing arrow). The fixtures' snapshots show the
//! whole messages; these tests pin what each must say. Slips in suppression comments are in
//! `suppressions.rs`.

use std::path::PathBuf;

use crate::support::check;

/// The help of the one `syntax` diagnostic of a fixture.
fn syntax_help(fixture: &str) -> (String, String) {
    let (diagnostics, report) = check(&[PathBuf::from(format!("tests/fixtures/syntax/{fixture}.defuse"))]);
    assert_eq!(diagnostics.len(), 1, "{report}");
    (diagnostics[0].help.clone().unwrap_or_default(), report)
}

#[test]
fn pasted_quotes_are_shown_as_they_are_and_get_straight_quotes() {
    let (help, report) = syntax_help("curly-quotes");
    assert!(help.contains("straight double quotes") && help.contains("\"no\""), "{report}");
    let (help, report) = syntax_help("single-quotes");
    assert!(help.contains("straight double quotes"), "{report}");
    assert!(report.contains("found `'`") && !report.contains("\\'"), "{report}");
}

#[test]
fn a_missing_arrow_is_named() {
    let (help, report) = syntax_help("missing-arrow");
    assert_eq!(help, "did you forget `->` before `offer`?", "{report}");
}

#[test]
fn a_follow_up_with_one_string_says_it_takes_two() {
    let (help, report) = syntax_help("follow-up-one-string");
    // The contract's words (section 2, "Messages for common slips").
    assert!(help.contains("takes two strings: when and what"), "{report}");
}

#[test]
fn an_unclosed_brace_is_labelled_where_it_opens() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/syntax/missing-last-brace.defuse")]);
    let labels: Vec<(usize, &str)> =
        diagnostics[0].secondary.iter().map(|l| (l.span.start(), l.message.as_str())).collect();
    let text = std::fs::read_to_string("tests/fixtures/syntax/missing-last-brace.defuse").unwrap();
    assert_eq!(labels.len(), 1, "{report}");
    assert_eq!(labels[0].0, text.find('{').unwrap(), "the script's `{{`:\n{report}");
    assert!(diagnostics[0].help.as_deref().unwrap_or("").contains("script `s`"), "{report}");

    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/syntax/missing-closing-brace.defuse")]);
    let text = std::fs::read_to_string("tests/fixtures/syntax/missing-closing-brace.defuse").unwrap();
    let node_brace = text.find("acknowledge a {").unwrap() + "acknowledge a ".len();
    assert!(diagnostics[0].secondary.iter().any(|l| l.span.start() == node_brace), "{report}");
}

/// A node's name right after a line, where a statement belongs: the `->` before it is missing
/// (the contract's slip, here after `say` rather than `reply`).
#[test]
fn a_node_name_after_a_line_asks_for_the_arrow() {
    let (help, report) = syntax_help("missing-arrow-after-a-line");
    assert_eq!(help, "did you forget `->` before `done`?", "{report}");
}

/// `root-cause` is the one stage keyword with a dash: `-> root-cause` read as `-> root` and
/// then `-cause`, with no help.
#[test]
fn root_cause_as_a_target_names_the_root_cause_nodes() {
    let (help, report) = syntax_help("root-cause-as-target");
    assert!(help.contains("a target names a node; the `root-cause` nodes here are `check`"), "{report}");
    assert!(report.contains("`root-cause` is a reserved word for a stage"), "{report}");
}

/// A `meta {` left open is labelled where it opens, like a node's or a script's.
#[test]
fn a_meta_block_left_open_is_labelled_where_it_opens() {
    let path = PathBuf::from("tests/fixtures/syntax/meta-left-open.defuse");
    let text = std::fs::read_to_string(&path).unwrap();
    let (diagnostics, report) = check(&[path]);
    let brace = text.find("meta {").unwrap() + "meta ".len();
    assert!(diagnostics[0].secondary.iter().any(|label| label.span.start() == brace), "{report}");
    assert!(diagnostics[0].help.is_some(), "{report}");
}

#[test]
fn a_stage_as_a_target_names_the_nodes_of_that_stage() {
    let (help, report) = syntax_help("stage-as-target");
    // The contract's words (section 2), for one node of the stage as for several.
    assert!(help.contains("a target names a node; the `options` nodes here are `offer`"), "{report}");
    assert!(!help.contains("options_step"), "{report}");
}

#[test]
fn a_placeholder_that_is_part_of_a_var_suggests_the_var() {
    let (diagnostics, report) =
        check(&[PathBuf::from("tests/fixtures/rules/unknown-placeholder.part-of-a-var.defuse")]);
    let help = |name: &str| {
        diagnostics
            .iter()
            .find(|d| d.code == "unknown-placeholder" && d.message.contains(&format!("`{{{name}}}`")))
            .and_then(|d| d.help.clone())
            .unwrap_or_default()
    };
    // "did you mean `x`?", with the replacement as the diagnostic's fix (`fixes.rs` applies it).
    assert_eq!(help("amount"), "did you mean `{bill_amount}`?", "{report}");
    assert_eq!(help("name"), "did you mean `{agent_name}`?", "the unused one:\n{report}");
    assert!(report.contains("declared, and not used anywhere yet"), "{report}");
    assert!(!help("zzz").contains("did you mean"), "{report}");
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
