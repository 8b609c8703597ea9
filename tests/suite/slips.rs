//! Messages for a writer's common slips (issue 27, spec section 2 "Suppression comments" and
//! "Messages for common slips"): each gets one report whose help fixes it, and a suppression
//! is never called useless when the check it names did not run. The fixtures' snapshots show
//! the whole messages; these tests pin what each must say.

use std::path::PathBuf;

use defuse::diagnostic::Diagnostic;

use crate::support::{check, project};

/// The diagnostics of `code` whose main label is on `line` (1-based) of `text`.
fn at_line<'a>(diagnostics: &'a [Diagnostic], code: &str, text: &str, line: usize) -> Vec<&'a Diagnostic> {
    let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
    diagnostics.iter().filter(|d| d.code == code && line_of(d.primary.span.start()) == line).collect()
}

fn check_text(name: &str, text: &str) -> (Vec<Diagnostic>, String) {
    let dir = project(&[(name, text)]);
    check(&[dir.path().join(name)])
}

fn help_of(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().filter_map(|d| d.help.clone()).collect::<Vec<_>>().join("\n")
}

#[test]
fn a_suppression_whose_check_was_skipped_by_a_cascade_is_not_called_useless() {
    let path = PathBuf::from("tests/fixtures/rules/unknown-target.needed-suppression.defuse");
    let (diagnostics, report) = check(std::slice::from_ref(&path));
    let suppressions: Vec<&str> =
        diagnostics.iter().filter(|d| d.code == "suppression").map(|d| d.message.as_str()).collect();
    assert_eq!(suppressions, ["unknown code `phrse` in a suppression"], "{report}");

    // Once the typo is fixed, both suppressions silence what they were written for.
    let fixed = std::fs::read_to_string(&path).unwrap().replace("-> offr", "-> offer");
    let (diagnostics, report) = check_text("billing.defuse", &fixed);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["suppression"], "only the `phrse` typo is left:\n{report}");
}

#[test]
fn a_library_suppression_is_kept_while_a_script_that_reaches_it_is_broken_or_unchecked() {
    let library = "library closings {\n  # defuse: allow hold \"the refund screen is slow\"\n  \
                   close wait { say \"One moment.\" hold \"checking\" }\n}\n";
    let script = |target: &str| {
        format!(
            "use \"closings.defuse\"\nscript s {{\n  trigger t {{ customer \"hi\" -> hear }}\n  \
             acknowledge hear {{ say \"Sorry.\" -> {target} }}\n}}\n"
        )
    };
    let suppression_reports = |files: &[(&str, String)], checked: &str| {
        let dir = project(files);
        let (diagnostics, report) = check(&[dir.path().join(checked)]);
        (diagnostics.iter().filter(|d| d.code == "suppression").count(), report)
    };
    let broken = [("closings.defuse", library.to_owned()), ("s.defuse", script("closings.wiat"))];
    let (count, report) = suppression_reports(&broken, "s.defuse");
    assert_eq!(count, 0, "the script into the library is broken:\n{report}");
    let (count, report) = suppression_reports(&broken, "closings.defuse");
    assert_eq!(count, 0, "a library checked on its own runs no graph rule:\n{report}");
    let working = [("closings.defuse", library.to_owned()), ("s.defuse", script("closings.wait"))];
    let (count, report) = suppression_reports(&working, "s.defuse");
    assert_eq!(count, 0, "the hold is silenced:\n{report}");
    let stale = library.replace(" hold \\\"checking\\\"", "").replace(" hold \"checking\"", "");
    let stale = [("closings.defuse", stale), ("s.defuse", script("closings.wait"))];
    let (count, report) = suppression_reports(&stale, "s.defuse");
    assert_eq!(count, 1, "with the hold gone and the checks run, the suppression is stale:\n{report}");
}

#[test]
fn a_suppression_of_a_rule_set_to_allow_is_still_used() {
    // Suppressions apply before levels: `hold = "allow"` does not make the comment stale.
    let dir = project(&[
        ("defuse.toml", "[rules]\nhold = \"allow\"\n".to_owned()),
        (
            "s.defuse",
            std::fs::read_to_string("tests/fixtures/rules/unknown-target.needed-suppression.defuse")
                .unwrap()
                .replace("-> offr", "-> offer"),
        ),
    ]);
    let (diagnostics, report) = check(&[dir.path().to_path_buf()]);
    assert_eq!(diagnostics.iter().filter(|d| d.code == "suppression").count(), 1, "only `phrse`:\n{report}");
}

#[test]
fn an_unquoted_reason_is_one_report_that_says_to_quote_it() {
    let path = PathBuf::from("tests/fixtures/rules/suppression.unquoted-reason.defuse");
    let text = std::fs::read_to_string(&path).unwrap();
    let (diagnostics, report) = check(&[path]);
    let plain = at_line(&diagnostics, "suppression", &text, 8);
    assert_eq!(plain.len(), 1, "{report}");
    assert!(plain[0].message.contains("double quotes"), "{report}");
    assert!(help_of(&diagnostics).contains("# defuse: allow hold \"because the screen is slow\""), "{report}");
    let curly = at_line(&diagnostics, "suppression", &text, 10);
    assert_eq!(curly.len(), 1, "{report}");
    assert!(curly[0].help.as_deref().unwrap_or("").contains("straight double quotes"), "{report}");
    // A typo in the code is a problem of its own, in the same one report (once per comment).
    let typo = at_line(&diagnostics, "suppression", &text, 12);
    assert_eq!(typo.len(), 1, "{report}");
    assert!(typo[0].secondary.iter().any(|label| label.message.contains("`hlod`")), "{report}");
    assert!(help_of(&diagnostics).contains("did you mean `hold`?"), "{report}");
    // The unquoted reason still silences what it names.
    assert!(at_line(&diagnostics, "hold", &text, 9).is_empty() && at_line(&diagnostics, "hold", &text, 11).is_empty());
}

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
    assert!(help.contains("`follow_up` takes two strings: when, and what to do"), "{report}");
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

#[test]
fn a_stage_as_a_target_names_the_nodes_of_that_stage() {
    let (help, report) = syntax_help("stage-as-target");
    assert!(help.contains("a target names a node") && help.contains("`offer`"), "{report}");
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
    // Exactly "did you mean `x`?": the language server turns that into a quick fix.
    assert_eq!(help("amount"), "did you mean `{bill_amount}`?", "{report}");
    assert_eq!(help("name"), "did you mean `{agent_name}`?", "the unused one:\n{report}");
    assert!(report.contains("declared, and not used anywhere yet"), "{report}");
    assert!(!help("zzz").contains("did you mean"), "{report}");
}
