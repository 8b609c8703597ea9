//! Checks v2 (issue 22): spoken time, whitespace in phrases, suppression comments.

use std::path::PathBuf;

use crate::support::{check, Defuse};

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
    // Seven problems in six comments: a comment is reported once (contract section 2).
    assert_eq!(codes, ["suppression"; 6], "{}", run.stdout);
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

#[test]
fn the_timing_config_sets_the_budget_and_a_bad_one_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/rules/long-turn.defuse", dir.path().join("s.defuse")).unwrap();
    std::fs::write(dir.path().join("defuse.toml"), "[timing]\nmax_turn = \"40s\"\n[rules]\nlong-turn = \"error\"\n")
        .unwrap();
    let run = Defuse::new(["check", "."]).dir(dir.path()).run();
    assert_eq!(run.status, 0, "max_turn 40s covers the 30.4 s turn: {run:?}");
    std::fs::write(dir.path().join("defuse.toml"), "[timing]\nmax_turn = \"20s\"\n[rules]\nlong-turn = \"error\"\n")
        .unwrap();
    let run = Defuse::new(["check", "."]).dir(dir.path()).run();
    assert_eq!(run.status, 1, "{run:?}");
    std::fs::write(dir.path().join("defuse.toml"), "[timing]\nmax_turn = \"half a minute\"\n").unwrap();
    let run = Defuse::new(["check", "."]).dir(dir.path()).run();
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("max_turn"), "{}", run.stderr);
}

#[test]
fn flow_json_has_seconds_from_the_timing_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("tests/fixtures/rules/over-budget.defuse", dir.path().join("s.defuse")).unwrap();
    std::fs::write(dir.path().join("defuse.toml"), "[timing]\nagent_wpm = 60\nanswer_time = \"0s\"\n").unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "json"]).dir(dir.path()).run();
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{run:?}"));
    // `quick` → `hear` (4 words) → `restate` (8 words) → `done` (3 words): 15 words at 60 wpm.
    assert_eq!(json["stats"]["fastest_seconds"], 15.0, "{}", run.stdout);
    let hear = json["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "hear").unwrap();
    assert_eq!(hear["seconds"], 4.0);
}

#[test]
fn over_budget_shows_a_long_path_elided_with_its_real_end() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("script s {\n  meta { budget \"1s\" }\n  trigger t { customer \"Hi\" -> m0 }\n  trigger u { customer \"Hi\" -> m0 }\n");
    for i in 0..20 {
        text.push_str(&format!("  mirror m{i} {{ say \"Step {i}.\" -> m{} }}\n", i + 1));
    }
    text.push_str("  mirror m20 { say \"Last.\" -> done }\n  close done { say \"Thanks.\" outcome ended }\n}\n");
    let script = dir.path().join("s.defuse");
    std::fs::write(&script, text).unwrap();
    let (diagnostics, report) = check(&[script]);
    let messages: Vec<&str> =
        diagnostics.iter().filter(|d| d.code == "over-budget").map(|d| d.message.as_str()).collect();
    // 23 nodes: t, m0..m20, done. 20 lines of 2 words (0.8 s each), "Last." and "Thanks." (0.4 s each).
    assert_eq!(messages.len(), 2, "{report}");
    assert!(
        messages[0]
            .ends_with("`t` → `m0` → `m1` → `m2` → `m3` → … (13 more) … → `m17` → `m18` → `m19` → `m20` → `done`"),
        "{report}"
    );
    assert!(messages[0].contains("takes 16.8 s"), "{report}");
}
