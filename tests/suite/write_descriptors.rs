//! `-o /dev/stdout` and its kin (issue 26): a path that names one of the process's own open
//! descriptors is written like `-o -`, to the descriptor, in order with what the shell wrote
//! around it; never replaced by a renamed temporary file.

use std::process::Command;

use crate::support::{project, SMALL_SCRIPT};

/// Runs `shell` with `$DEFUSE` set, in a project holding `s.defuse`; returns the project.
fn sh(shell: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = project(&[("s.defuse", SMALL_SCRIPT)]);
    let output = Command::new("sh")
        .args(["-c", shell])
        .env("DEFUSE", env!("CARGO_BIN_EXE_defuse"))
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .expect("sh runs");
    (dir, output)
}

fn json() -> String {
    let dir = project(&[("s.defuse", SMALL_SCRIPT)]);
    let output = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(["build", "s.defuse", "--emit", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn dev_stdout_redirected_to_a_file_keeps_what_the_shell_wrote() {
    for redirect in [">", ">>"] {
        let (dir, output) =
            sh(&format!("{{ echo A; \"$DEFUSE\" build s.defuse --emit json -o /dev/stdout; echo B; }} {redirect} log"));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let log = std::fs::read_to_string(dir.path().join("log")).unwrap();
        assert_eq!(log, format!("A\n{}B\n", json()), "with {redirect}");
    }
}

#[test]
fn dev_stdout_into_a_pipe_is_written() {
    let (_dir, output) = sh("\"$DEFUSE\" build s.defuse --emit json -o /dev/stdout | cat");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), json());
}

#[test]
fn dev_stderr_and_numbered_descriptors_are_written_too() {
    let (dir, output) =
        sh("{ echo A >&2; \"$DEFUSE\" build s.defuse --emit json -o /dev/stderr; echo B >&2; } 2> err; \
         { echo C; \"$DEFUSE\" build s.defuse --emit json -o /dev/fd/3; echo D; } 3> three >&3; \
         { echo E; \"$DEFUSE\" build s.defuse --emit json -o /proc/self/fd/4; echo F; } 4> four >&4");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    // Standard error also carries the "wrote …" line.
    let err = read("err");
    assert!(err.starts_with(&format!("A\n{}", json())) && err.ends_with("B\n"), "{err}");
    assert_eq!(read("three"), format!("C\n{}D\n", json()));
    assert_eq!(read("four"), format!("E\n{}F\n", json()));
}

#[test]
fn a_descriptor_that_is_not_open_is_refused() {
    let (dir, output) = sh("\"$DEFUSE\" build s.defuse --emit json -o /dev/fd/9");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot write `/dev/fd/9`: descriptor 9 is not open"), "{stderr}");
    assert!(!dir.path().join("9").exists());
}

#[test]
fn a_closed_pipe_on_dev_stdout_ends_quietly() {
    let (_dir, output) = sh("\"$DEFUSE\" build s.defuse --emit json -o /dev/stdout | head -c 1 >/dev/null; echo ok");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "ok\n");
}
