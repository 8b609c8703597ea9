//! `defuse init`: a clean project that checks and tests, written all or nothing.

use std::fs;

use crate::support::Defuse;

#[test]
fn init_creates_a_clean_project_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let run = Defuse::new(["init"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("created defuse.toml"), "{}", run.stdout);
    for name in ["defuse.toml", "scripts/example.defuse", "scripts/example.dtest", ".github/workflows/defuse.yml"] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    let workflow = fs::read_to_string(dir.path().join(".github/workflows/defuse.yml")).unwrap();
    assert!(workflow.contains("uses: defuse-lang/defuse@v"), "the workflow uses the action (action.yml): {workflow}");
    assert!(workflow.contains("run: defuse test"), "the workflow runs the transcript tests: {workflow}");
    assert!(workflow.contains("defuse diff \"$BASE:scripts\" scripts --format markdown"), "{workflow}");
    let run = Defuse::new(["test", "--format", "json"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("\"passed\": 1"), "the example test passes: {}", run.stdout);
    Defuse::new(["check"]).dir(dir.path()).status(0);
    Defuse::new(["check", "--deny", "warnings"]).dir(dir.path()).status(0);
    Defuse::new(["fmt", "--check"]).dir(dir.path()).status(0);

    fs::write(dir.path().join("defuse.toml"), "# mine\n").unwrap();
    fs::remove_file(dir.path().join("scripts/example.defuse")).unwrap();
    let run = Defuse::new(["init"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("not overwriting defuse.toml"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("defuse.toml")).unwrap(), "# mine\n");
    assert!(!dir.path().join("scripts/example.defuse").exists(), "nothing is written when anything exists");
}

#[test]
fn the_init_config_lists_every_option_and_loads() {
    let text = defuse::cli::init_template("defuse.toml");
    let uncommented: String = text
        .lines()
        .map(|l| l.strip_prefix("# ").filter(|r| r.contains(" = ")).unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    defuse::config::Config::parse(&uncommented, "defuse.toml").expect("every commented option is valid");
    for key in ["[rules]", "max_steps", "extra", "allow"] {
        assert!(text.contains(key), "{key}");
    }
}
