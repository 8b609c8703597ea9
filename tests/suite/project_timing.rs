//! The project's `[timing]` (spec section 3, "Spoken time") applies to every command that
//! shows seconds, as it does to `check` and `paths`: `defuse test`'s `expect under` and
//! `defuse diff`'s `slower`. Each test runs once without a config (the defaults) and once
//! with a `defuse.toml` whose `agent_wpm` is 60 instead of 150.

use crate::support::{project, Defuse};

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
