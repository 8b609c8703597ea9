//! Suppression comments (spec section 2, "Suppression comments"): `# defuse: allow CODE "reason"`
//! silences exactly what it names where it stands; a comment that is wrong, unused or unquoted
//! is one report that says how to fix it, and is never called useless when the check it names
//! did not run.

use std::path::PathBuf;

use defuse::diagnostic::Diagnostic;

use crate::support::{check, project, Defuse};

fn codes_at(diagnostics: &[Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

#[test]
fn a_suppression_silences_exactly_what_it_names_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("s.defuse");
    std::fs::write(
        &script,
        r#"script s {
  trigger t { customer "Hi" -> hear }
  acknowledge hear { say "Please calm down, it is our policy." -> restate } # defuse: allow phrase "recording"
  mirror restate { ask "Calm down?" reply "yes" -> offer otherwise -> offer }
  options offer { option "A" -> done option "B" -> done hold "x" } # defuse: allow hold "told first"
  close done { say "Thanks." follow_up "48h" "check" }
}
"#,
    )
    .unwrap();
    let (diagnostics, report) = check(&[script]);
    // Both phrases in `hear` are silenced; the one in `restate` is not.
    assert_eq!(codes_at(&diagnostics, "phrase"), 1, "{report}");
    assert!(report.contains("`restate` says"), "{report}");
    assert_eq!(codes_at(&diagnostics, "hold"), 0, "{report}");
    assert_eq!(codes_at(&diagnostics, "suppression"), 0, "{report}");
}

#[test]
fn suppressions_are_reported_in_json_with_their_code() {
    let run = Defuse::new(["check", "--format", "json", "tests/fixtures/rules/suppression.defuse"]).run();
    assert_eq!(run.status, 0, "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    // Seven problems in five comments: a comment is reported once (contract section 2), also
    // when both its codes silence nothing.
    assert_eq!(codes, ["suppression"; 5], "{}", run.stdout);
}

#[test]
fn suppression_can_be_configured_and_explained() {
    let run = Defuse::new(["explain", "suppression"]).run();
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("# defuse: allow"), "{}", run.stdout);
    for code in ["over-budget", "long-turn"] {
        let run = Defuse::new(["explain", code]).run();
        assert_eq!(run.status, 0, "{code}");
    }
    let rules = Defuse::new(["rules"]).run();
    for code in ["over-budget", "long-turn", "suppression"] {
        assert!(rules.stdout.contains(code), "{code} not listed:\n{}", rules.stdout);
    }
}

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

/// Once per comment (spec section 2), also when what is wrong is found at two times: a code
/// that is unknown (found reading the comment) and one that silences nothing (found after the
/// checks), or two codes that silence nothing.
#[test]
fn a_comment_with_several_problems_is_one_report() {
    let text = "script s {
  trigger t { customer \"hi\" -> a }
  acknowledge a { say \"sorry\" -> m } # defuse: allow phrase hold \"x\"
  mirror m { say \"x\" -> c } # defuse: allow phrase frob \"y\"
  close c { say \"bye\" outcome ended }
}
";
    let (diagnostics, report) = check_text("s.defuse", text);
    for line in [3, 4] {
        let found = at_line(&diagnostics, "suppression", text, line);
        assert_eq!(found.len(), 1, "line {line}:\n{report}");
        assert_eq!(found[0].secondary.len(), 1, "the other problem is a label of the one report:\n{report}");
    }
    assert!(report.contains("unknown code `frob`"), "{report}");
}

/// `not-exported` is a code a `[rules]` table accepts, so a comment may name it too (spec
/// section 2): it silences the export's warning where it stands, and `check`, which never
/// runs the exports, does not call it useless.
#[test]
fn a_comment_silences_an_export_warning_where_it_stands() {
    let script = |comment: &str| {
        format!(
            "script s {{
  trigger t {{ customer \"hi\" -> a }}
  acknowledge a {{ say \"sorry\" note \"check the CRM\" -> c }}{comment}
  close c {{ say \"bye\" outcome ended }}
}}
"
        )
    };
    let build = ["build", "s.defuse", "--emit", "twilio-studio", "-o", "flow.json"];
    let plain = project(&[("s.defuse", script(""))]);
    let run = Defuse::new(build).dir(plain.path()).status(0);
    assert!(run.stderr.contains("`note` line left out"), "the warning this test silences: {}", run.stderr);

    let allowed = project(&[("s.defuse", script(" # defuse: allow not-exported \"the IVR reads no notes\""))]);
    let run = Defuse::new(build).dir(allowed.path()).status(0);
    assert!(!run.stderr.contains("`note` line left out"), "{}", run.stderr);
    // Where it stands only: the trigger's `customer` line is another node's.
    assert!(run.stderr.contains("`customer` line left out"), "{}", run.stderr);
    let run = Defuse::new(["check", "s.defuse", "--format", "json"]).dir(allowed.path()).status(0);
    assert!(!run.stdout.contains("\"suppression\""), "{}", run.stdout);
}
