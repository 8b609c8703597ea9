//! Spoken time (spec section 3): the project's `[timing]` sets the budget and the seconds of
//! `check`, the flow JSON, `defuse test`'s `expect under` and `defuse diff`'s `slower`; a bad
//! one exits 2; a long over-budget path is shown elided with its real end. The tests of
//! `expect under` and `slower` run once without a config (the defaults) and once with a
//! `defuse.toml` whose `agent_wpm` is 60 instead of 150.

use crate::support::{check, project, Defuse};

/// 14 agent words, no waits: 5.6 s at the default 150 words a minute, 14.0 s at 60.
const SCRIPT: &str = r#"script s {
  trigger t { customer "Hello?" -> a }
  acknowledge a { say "one two three four five six seven eight nine ten" -> m }
  mirror m { ask "is that right?" -> c }
  close c { say "bye" follow_up "1d" "check" }
}
"#;

const SLOW_READER: &str = "[timing]\nagent_wpm = 60\n";

const TEST: &str = "use \"s.defuse\"\ntest \"short call\" {\n  expect under \"10s\"\n}\n";

#[test]
fn expect_under_uses_the_projects_words_per_minute() {
    let defaults = project(&[("s.defuse", SCRIPT), ("s.dtest", TEST)]);
    let run = Defuse::new(["test", "."]).dir(defaults.path()).status(0);
    assert!(run.stdout.contains("1 passed"), "{}", run.stdout);

    let slow = project(&[("s.defuse", SCRIPT), ("s.dtest", TEST), ("defuse.toml", SLOW_READER)]);
    let run = Defuse::new(["test", "."]).dir(slow.path()).status(1);
    assert!(run.stdout.contains("the walk takes 14.0 s, over \"10s\" (10.0 s)"), "{}", run.stdout);

    // `--config` names the config instead of the nearest one.
    std::fs::write(defaults.path().join("slow.toml"), SLOW_READER).unwrap();
    let run = Defuse::new(["test", "s.dtest", "--config", "slow.toml"]).dir(defaults.path()).status(1);
    assert!(run.stdout.contains("the walk takes 14.0 s"), "{}", run.stdout);
}

#[test]
fn slower_uses_the_projects_words_per_minute() {
    // Five more words: 5.6 s → 7.6 s by default, 14.0 s → 19.0 s at 60 words a minute.
    let longer = SCRIPT.replace("nine ten", "nine ten eleven twelve thirteen fourteen fifteen");
    let files = [("old/s.defuse", SCRIPT), ("new/s.defuse", longer.as_str())];
    let slower = |dir: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["diff", "old", "new", "--format", "json"];
        args.extend_from_slice(extra);
        let run = Defuse::new(args).dir(dir).status(0);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let changes = json["scripts"][0]["changes"].as_array().unwrap().clone();
        let change = changes.into_iter().find(|c| c["kind"] == "slower").expect("a slower change");
        (change["old"].as_str().unwrap().to_owned(), change["new"].as_str().unwrap().to_owned())
    };

    let defaults = project(&files);
    assert_eq!(slower(defaults.path(), &[]), ("5.6s".to_owned(), "7.6s".to_owned()));

    let mut with_config = files.to_vec();
    with_config.push(("new/defuse.toml", SLOW_READER));
    let found = project(&with_config);
    assert_eq!(slower(found.path(), &[]), ("14.0s".to_owned(), "19.0s".to_owned()), "the config found for NEW");

    std::fs::write(defaults.path().join("slow.toml"), SLOW_READER).unwrap();
    let named = slower(defaults.path(), &["--config", "slow.toml"]);
    assert_eq!(named, ("14.0s".to_owned(), "19.0s".to_owned()), "--config");
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
