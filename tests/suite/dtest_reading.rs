//! What `defuse test` reads: the script a `.dtest` uses is read like any `use` (inside the
//! project root, lexically and after symlinks, a regular file), and a `.dtest` that links out
//! of the root is not read.

use std::path::Path;
use std::process::Command;

use crate::support::{project, Defuse, SMALL_SCRIPT};

/// `defuse test ARGS` in `dir` with a secret in the environment, as a CI job has one.
fn test_with_secret(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .arg("test")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI_SECRET", "s3cr3t-token-value")
        .output()
        .expect("the defuse binary runs");
    let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), all)
}

/// A git repository holding `files`, committed, as a pull request would bring them.
fn committed(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = project(files);
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "tests"]);
    dir
}

#[test]
fn a_dtest_cannot_use_a_file_outside_the_project_root() {
    let up = "../".repeat(30);
    let environ = format!("use \"{up}proc/self/environ\"\ntest \"x\" {{\n  pick \"Refund\"\n}}\n");
    let dir = committed(&[
        ("defuse.toml", ""),
        ("tests/environ.dtest", &environ),
        ("tests/passwd.dtest", "use \"/etc/passwd\"\ntest \"y\" {\n  pick \"Refund\"\n}\n"),
    ]);
    for format in ["human", "github", "json", "junit"] {
        let (status, out) = test_with_secret(dir.path(), &["--format", format]);
        assert_eq!(status, 1, "{out}");
        assert!(!out.contains("s3cr3t"), "--format {format} shows the environment:\n{out}");
        assert!(!out.contains("root:x:0"), "--format {format} shows /etc/passwd:\n{out}");
        assert!(out.contains("is outside the project root"), "--format {format}:\n{out}");
    }
}

#[test]
fn without_a_config_the_root_is_the_tested_directory() {
    let dir = committed(&[("t.dtest", "use \"/proc/self/environ\"\ntest \"x\" {\n  pick \"Refund\"\n}\n")]);
    let (status, out) = test_with_secret(dir.path(), &["t.dtest"]);
    assert_eq!(status, 1, "{out}");
    assert!(!out.contains("s3cr3t"), "{out}");
    assert!(out.contains("cannot test `/proc/self/environ`: it is outside the project root"), "{out}");
}

#[cfg(unix)]
#[test]
fn a_script_that_links_out_of_the_root_is_not_read() {
    let dir = committed(&[("defuse.toml", ""), ("t.dtest", "use \"s.defuse\"\ntest \"x\" {\n  pick \"Refund\"\n}\n")]);
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("s.defuse")).unwrap();
    let (status, out) = test_with_secret(dir.path(), &[]);
    assert_eq!(status, 1, "{out}");
    assert!(!out.contains("s3cr3t"), "{out}");
    assert!(out.contains("cannot test `s.defuse`: it is outside the project root"), "{out}");
    // `check` reports the broken test file the same way, without the text.
    let run = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(["check", "t.dtest"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("CI_SECRET", "s3cr3t-token-value")
        .output()
        .unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(!all.contains("s3cr3t"), "{all}");
}

#[cfg(unix)]
#[test]
fn a_dtest_that_links_out_of_the_root_is_not_read() {
    let dir = committed(&[("defuse.toml", ""), ("s.defuse", SMALL_SCRIPT)]);
    std::fs::create_dir(dir.path().join("tests")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("tests/t.dtest")).unwrap();
    let (status, out) = test_with_secret(dir.path(), &["tests/t.dtest"]);
    assert_eq!(status, 2, "{out}");
    assert!(!out.contains("s3cr3t"), "{out}");
    assert!(out.contains("outside the project root"), "{out}");
}

#[test]
fn a_script_inside_the_root_still_runs() {
    let dir = project(&[
        ("defuse.toml", ""),
        ("scripts/s.defuse", SMALL_SCRIPT),
        (
            "tests/t.dtest",
            "use \"../scripts/s.defuse\"\ntest \"x\" {\n  answer \"yes\"\n  pick \"Refund\"\n  expect close done\n}\n",
        ),
    ]);
    let run = Defuse::new(["test"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("ok     x"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_script_is_refused_not_waited_for() {
    let dir = project(&[("t.dtest", "use \"s.defuse\"\ntest \"x\" {\n  pick \"Refund\"\n}\n")]);
    let status = Command::new("mkfifo").arg(dir.path().join("s.defuse")).status().unwrap();
    assert!(status.success());
    let run = Defuse::new(["test", "t.dtest"]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("cannot test `s.defuse`: it is not a regular file"), "{}", run.stdout);
}
