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

/// Every message of a `test --format github` run is a workflow command, a path without tests
/// included.
#[test]
fn test_without_tests_speaks_github() {
    let dir = project(&[("empty/readme.txt", "nothing here")]);
    let run = Defuse::new(["test", "--format", "github", "empty"]).dir(dir.path()).status(2);
    assert_eq!(run.stderr, "::error::no .dtest file in `empty`\n::error::no transcript test to run\n");
    let human = Defuse::new(["test", "empty"]).dir(dir.path()).status(2);
    assert_eq!(human.stderr, "error: no .dtest file in `empty`\nerror: no transcript test to run\n");
}

/// Commands return their error; only `cli/error.rs` writes `error:` lines, and exit statuses
/// are named (`Status`), so a new command cannot print or exit its own way.
#[test]
fn only_the_error_module_prints_errors_and_statuses_are_named() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    assert!(files.len() > 10, "{files:?}");
    for path in files.iter().filter(|path| path.extension().is_some_and(|e| e == "rs")) {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).unwrap();
        // The one place that writes errors and turns statuses into numbers.
        if name == "error.rs" {
            continue;
        }
        assert!(!text.contains("\"error:"), "{name} writes an `error:` line of its own");
        for bare in ["-> u8", "ExitCode::from(0", "ExitCode::from(1", "ExitCode::from(2", "Ok(0)", "Ok(1)", "Ok(2)"] {
            assert!(!text.contains(bare), "{name} has a bare exit status: `{bare}`");
        }
    }
}
