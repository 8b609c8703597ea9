//! One error path for every command (issue 29): a command's error is printed in one place, in
//! the format the run speaks, with a named exit status.

use crate::support::{project, Defuse};

/// `test --format github` speaks GitHub's format from its first byte: a bad `defuse.toml`
/// is a workflow command on the config file, not a human report.
#[test]
fn test_with_a_bad_config_speaks_github() {
    let dir = project(&[("defuse.toml", "[rules]\nno-such-rule = \"error\"\n"), ("a.dtest", "")]);
    let run = Defuse::new(["test", "--format", "github"]).dir(dir.path()).status(2);
    assert!(run.stderr.starts_with("::error file="), "{}", run.stderr);
    assert!(run.stderr.contains("defuse.toml::unknown rule `no-such-rule`"), "{}", run.stderr);
    assert!(run.stderr.lines().all(|line| line.starts_with("::error")), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    // The human format still shows the report with its TOML excerpt.
    let human = Defuse::new(["test"]).dir(dir.path()).status(2);
    assert!(human.stderr.contains("unknown rule `no-such-rule`"), "{}", human.stderr);
    assert!(human.stderr.contains("2 │ no-such-rule = \"error\""), "{}", human.stderr);
    assert!(!human.stderr.contains("::error"), "{}", human.stderr);
}
