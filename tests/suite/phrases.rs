//! Discouraged phrases (the `phrase` rule): matched across any run of whitespace, and counted
//! once per line however often the line repeats them.

use std::path::PathBuf;

use crate::support::check;

fn codes_at(diagnostics: &[defuse::diagnostic::Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code == code).count()
}

#[test]
fn phrases_match_across_any_run_of_whitespace() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/phrase-whitespace")]);
    assert_eq!(codes_at(&diagnostics, "phrase"), 5, "{report}");
    for phrase in ["calm down", "company policy", "nothing I can do", "our policy", "You need to"] {
        assert!(report.contains(&format!("says \"{phrase}\"")), "{phrase} missing:\n{report}");
    }
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
