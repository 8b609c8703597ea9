//! Reading files (spec section 4, "Reading and writing files"): the project root,
//! non-regular files, size limits, and walks that see what git sees.
//!
//! Runs that could hang on a regression go through [`run_timed`], which kills the binary after
//! ten seconds and fails the test instead of hanging the suite.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Defuse, Run};

const LIBRARY: &str = "library lib { close c { say \"bye\" } }\n";
const SCRIPT: &str = "script s {\n  trigger t { customer \"Hi\" -> hear }\n  acknowledge hear { say \"I hear you.\" -> bye }\n  close bye { say \"Thanks.\" }\n}\n";

/// Runs the binary in `dir` with `stdin`, killing it after ten seconds (then the test fails).
fn run_timed(dir: &Path, args: &[&str], stdin: Stdio) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the defuse binary runs");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("the child can be waited for").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().expect("the child can be killed");
            let _ = child.wait();
            panic!("`defuse {}` still ran after 10 s: it hangs", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("the output is collected");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\nstderr: {}", run.stdout, run.stderr))
}

// 1. The project root.

#[cfg(unix)]
#[test]
fn a_symlinked_config_does_not_move_the_root_and_outside_text_is_never_printed() {
    // `fake_root` stands in for `/`: an empty file to link the config to, and a secret.
    let fake_root = tempfile::tempdir().unwrap();
    fs::write(fake_root.path().join("empty"), "").unwrap();
    let secret = fake_root.path().join("environ");
    fs::write(&secret, "SECRET_TOKEN=hunter2 this is not a defuse file {{{\n").unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(fake_root.path().join("empty"), repo.path().join("defuse.toml")).unwrap();
    fs::write(repo.path().join("a.defuse"), format!("use \"{}\"\n{SCRIPT}", secret.display())).unwrap();

    let run = run_timed(repo.path(), &["check", "--format", "json"], Stdio::null());
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"), "{run:?}");
    assert_eq!(run.status, 1, "{run:?}");
    let report = json(&run);
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["use-outside-root"], "{run:?}");
    // The human report shows the `use` line, never the outside file.
    let run = run_timed(repo.path(), &["check"], Stdio::null());
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_use_through_a_symlinked_directory_that_leaves_the_root_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("lib.defuse"), "SECRET_TOKEN=hunter2 {{{\n").unwrap();
    let repo = tempfile::tempdir().unwrap();
    fs::write(repo.path().join("defuse.toml"), "").unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("shared")).unwrap();
    fs::write(repo.path().join("a.defuse"), format!("use \"shared/lib.defuse\"\n{SCRIPT}")).unwrap();
    let run = run_timed(repo.path(), &["check", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 1, "{run:?}");
    assert!(run.stdout.contains("use-outside-root"), "{run:?}");
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"), "{run:?}");
}

// 2. Only regular files, never a hang, never unbounded memory.

#[cfg(unix)]
#[test]
fn a_fifo_reached_by_a_use_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("lib.defuse"));
    fs::write(dir.path().join("a.defuse"), format!("use \"lib.defuse\"\n{SCRIPT}")).unwrap();
    let run = run_timed(dir.path(), &["check", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("lib.defuse") && run.stderr.contains("not a regular file"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_config_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.toml"));
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let run = run_timed(dir.path(), &["check", "--config", "pipe.toml", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("not a regular file"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_found_as_defuse_toml_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("defuse.toml"));
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let run = run_timed(dir.path(), &["check"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("not a regular file"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_device_given_as_config_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let run = run_timed(dir.path(), &["check", "--config", "/dev/zero", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("not a regular file"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_reached_by_a_walk_is_reported_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    mkfifo(&dir.path().join("pipe.defuse"));
    let run = run_timed(dir.path(), &["check", "."], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("pipe.defuse") && run.stderr.contains("not a regular file"), "{run:?}");
}

#[test]
fn files_over_the_size_limit_are_refused_from_their_metadata() {
    let dir = tempfile::tempdir().unwrap();
    // Sparse files: the size is in the metadata, the disk holds nothing.
    let big = fs::File::create(dir.path().join("big.defuse")).unwrap();
    big.set_len(defuse::files::read::MAX_SCRIPT_BYTES + 1).unwrap();
    let run = run_timed(dir.path(), &["check", "big.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("big.defuse") && run.stderr.contains("larger than"), "{run:?}");

    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let config = fs::File::create(dir.path().join("big.toml")).unwrap();
    config.set_len(defuse::files::read::MAX_CONFIG_BYTES + 1).unwrap();
    let run = run_timed(dir.path(), &["check", "--config", "big.toml", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("larger than"), "{run:?}");
}

#[test]
fn play_refuses_an_endless_input_line() {
    let dir = tempfile::tempdir().unwrap();
    let script = "script s {\n  trigger t { customer \"Hi\" -> hear }\n  acknowledge hear { say \"I hear you.\" -> pick }\n  options pick { option \"a\" -> bye option \"b\" -> bye }\n  close bye { say \"Thanks.\" }\n}\n";
    fs::write(dir.path().join("a.defuse"), script).unwrap();
    // A line over the limit (yet within a pipe buffer), then a valid choice that must not be taken.
    let run = Defuse::new(["play", "a.defuse"]).dir(dir.path()).stdin(&format!("{}\n1\n", "1".repeat(8 << 10))).run();
    assert_eq!(run.status, 1, "{run:?}");
    assert!(run.stdout.contains("longer than"), "{}", run.stdout);
    #[cfg(unix)]
    {
        let zero = fs::File::open("/dev/zero").unwrap();
        let run = run_timed(dir.path(), &["play", "a.defuse"], Stdio::from(zero));
        assert_eq!(run.status, 1, "{run:?}");
        assert!(run.stdout.contains("longer than"), "{}", run.stdout);
    }
}

// 3. Walks see what git sees.

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git").args(args).current_dir(dir).stdout(Stdio::null()).status().expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn walks_check_hidden_files_and_apply_only_the_repositorys_ignore_rules() {
    let outer = tempfile::tempdir().unwrap();
    // A `.gitignore` above the repository's top must not hide its scripts.
    fs::write(outer.path().join(".gitignore"), "*.defuse\n").unwrap();
    let repo = outer.path().join("repo");
    fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    fs::create_dir(repo.join(".scripts")).unwrap();
    fs::write(repo.join(".scripts/hidden_dir.defuse"), "library a { close c { say \"bye\" } }\n").unwrap();
    fs::write(repo.join(".x.defuse"), "library b { close c { say \"bye\" } }\n").unwrap();
    fs::write(repo.join("in_dot_ignore.defuse"), "library c { close c { say \"bye\" } }\n").unwrap();
    fs::write(repo.join(".ignore"), "in_dot_ignore.defuse\n").unwrap();
    // What git itself ignores stays ignored.
    fs::write(repo.join(".gitignore"), "ignored.defuse\n").unwrap();
    fs::write(repo.join("ignored.defuse"), "not a script {{{\n").unwrap();
    fs::write(repo.join(".git/info/exclude"), "excluded.defuse\n").unwrap();
    fs::write(repo.join("excluded.defuse"), "not a script {{{\n").unwrap();
    // `.git` itself is never walked.
    fs::write(repo.join(".git/inside.defuse"), "not a script {{{\n").unwrap();

    let run = run_timed(&repo, &["check", "--format", "json"], Stdio::null());
    assert_eq!(run.status, 0, "{run:?}");
    assert_eq!(json(&run)["files"], 3, "{run:?}");
}

#[test]
fn a_path_without_scripts_is_reported_and_a_run_without_files_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("empty")).unwrap();
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let run = run_timed(dir.path(), &["check", "empty", "a.defuse"], Stdio::null());
    assert_eq!(run.status, 0, "{run:?}");
    assert!(run.stderr.contains("`empty`") && run.stderr.contains("no `*.defuse` file"), "{run:?}");
    let run = run_timed(dir.path(), &["check", "empty"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("`empty`") && run.stderr.contains("no `*.defuse` file"), "{run:?}");
}

// 5. `check -`.

#[test]
fn check_stdin_is_placed_at_its_name_for_reports_use_and_config() {
    let outer = tempfile::tempdir().unwrap();
    let project = outer.path().join("proj");
    fs::create_dir_all(project.join("sub")).unwrap();
    // The config sits above the file's directory, so it is found only from the name's place,
    // and it makes `proj` the root, which the `use "../lib.defuse"` needs.
    fs::write(project.join("defuse.toml"), "").unwrap();
    fs::write(project.join("lib.defuse"), LIBRARY).unwrap();
    // The file on disk does not parse: a report of it would show standard input was ignored.
    fs::write(project.join("sub/a.defuse"), "not a script {{{\n").unwrap();
    let stdin = format!("use \"../lib.defuse\"\n{SCRIPT}");
    let args = ["check", "-", "--stdin-filename", "proj/sub/a.defuse", "--format", "json"];
    let run = Defuse::new(args).dir(outer.path()).stdin(&stdin).status(0);
    // Two files: standard input and the library it uses.
    assert_eq!(json(&run)["files"], 2, "{run:?}");

    // A broken text is reported under its name.
    let run = Defuse::new(args).dir(outer.path()).stdin("script s { trigger t { -> nowhere } }\n").status(1);
    let report = json(&run);
    let files: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap()).collect();
    assert!(!files.is_empty() && files.iter().all(|f| *f == "proj/sub/a.defuse"), "{run:?}");

    // Without a name: `<stdin>` in the current directory, whose root it stays inside.
    let run = Defuse::new(["check", "-", "--format", "json"]).dir(&project).stdin(&stdin).status(1);
    assert!(run.stdout.contains("use-outside-root") && run.stdout.contains("<stdin>"), "{run:?}");
}

#[test]
fn check_stdin_refuses_mixed_paths_and_a_stray_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.defuse"), LIBRARY).unwrap();
    let run = Defuse::new(["check", "-", "a.defuse"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("standard input"), "{run:?}");
    let run = Defuse::new(["check", "a.defuse", "--stdin-filename", "x.defuse"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("--stdin-filename"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn a_checked_file_linked_outside_the_root_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("environ"), "SECRET_TOKEN=hunter2 {{{\n").unwrap();
    let repo = tempfile::tempdir().unwrap();
    fs::write(repo.path().join("defuse.toml"), "").unwrap();
    fs::create_dir(repo.path().join("scripts")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("environ"), repo.path().join("scripts/main.defuse")).unwrap();
    let run = run_timed(repo.path(), &["check", "scripts/main.defuse"], Stdio::null());
    assert_eq!(run.status, 2, "{run:?}");
    assert!(run.stderr.contains("outside the project root"), "{run:?}");
    assert!(!run.stdout.contains("hunter2") && !run.stderr.contains("hunter2"), "{run:?}");
    // A link that stays inside the root is checked as usual.
    fs::write(repo.path().join("real.defuse"), LIBRARY).unwrap();
    std::os::unix::fs::symlink("../real.defuse", repo.path().join("scripts/linked.defuse")).unwrap();
    let run = run_timed(repo.path(), &["check", "scripts/linked.defuse"], Stdio::null());
    assert_eq!(run.status, 0, "{run:?}");
}
