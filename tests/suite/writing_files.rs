//! Writing files (contract §4 "Reading and writing files", the Writes
//! bullet): what `build -o/--out-dir`, `fmt` and `init` do to FIFOs, sockets, symlinks, hard
//! links, read-only files, their own inputs, modes and owners, and how a failure is reported.
//!
//! Every test builds its own files in a temporary directory. The suite also runs as root (CI),
//! so nothing here relies on a permission being denied.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::support::{project, Defuse};

/// A script that checks clean, in canonical layout.
fn script() -> &'static str {
    defuse::cli::init_template("scripts/example.defuse")
}

/// The same script with its layout broken, so `fmt` has something to rewrite.
fn unformatted() -> String {
    script().replace("\n  ", "\n      ")
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
    assert!(status.success());
}

/// Runs `defuse ARGS` in `dir` under `umask MASK` (the shell sets it; the child inherits it).
fn run_with_umask(dir: &Path, mask: &str, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {mask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_defuse"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs")
}

// ---- targets that are not regular files ----------------------------------------------------

#[test]
fn build_refuses_a_fifo_target_and_leaves_it_a_fifo() {
    let dir = project(&[("s.defuse", script())]);
    let fifo = dir.path().join("out.json");
    mkfifo(&fifo);
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "out.json"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`out.json`") && run.stderr.contains("not a regular file"), "{}", run.stderr);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still a FIFO");
}

#[test]
fn build_refuses_a_socket_and_a_directory_target() {
    let dir = project(&[("s.defuse", script())]);
    let socket = dir.path().join("out.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "out.sock"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    assert!(fs::symlink_metadata(&socket).unwrap().file_type().is_socket());

    fs::create_dir(dir.path().join("out.dot")).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "out.dot"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`out.dot`") && run.stderr.contains("directory"), "{}", run.stderr);
    assert!(dir.path().join("out.dot").is_dir());
}

#[test]
fn build_refuses_a_symlink_to_a_fifo() {
    let dir = project(&[("s.defuse", script())]);
    mkfifo(&dir.path().join("fifo"));
    std::os::unix::fs::symlink("fifo", dir.path().join("out.json")).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "out.json"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    assert!(fs::symlink_metadata(dir.path().join("out.json")).unwrap().file_type().is_symlink());
    assert!(fs::symlink_metadata(dir.path().join("fifo")).unwrap().file_type().is_fifo());
}

#[test]
fn build_dash_o_dash_writes_standard_output() {
    let dir = project(&[("s.defuse", script())]);
    let expected = Defuse::new(["build", "s.defuse", "--emit", "json"]).dir(dir.path()).status(0).stdout;
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "-"]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, expected);
    assert!(!dir.path().join("-").exists(), "no file named `-` is created");
    // `./-` is the way to name a file called `-`.
    Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "./-"]).dir(dir.path()).status(0);
    assert_eq!(fs::read_to_string(dir.path().join("-")).unwrap(), expected);
}

// ---- symlinks are written through --------------------------------------------------------------

#[test]
fn build_writes_through_a_symlink_and_keeps_the_link() {
    let dir = project(&[("s.defuse", script()), ("real/flow.json", "old")]);
    let link = dir.path().join("flow.json");
    std::os::unix::fs::symlink("real/flow.json", &link).unwrap();
    Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "flow.json"]).dir(dir.path()).status(0);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    let written = fs::read_to_string(dir.path().join("real/flow.json")).unwrap();
    assert!(written.contains("damaged_order"), "{written}");
    assert_eq!(fs::read_dir(dir.path().join("real")).unwrap().count(), 1, "no temporary file is left");
}

#[test]
fn build_through_a_dangling_symlink_creates_its_target() {
    let dir = project(&[("s.defuse", script()), ("real/keep", "")]);
    let link = dir.path().join("flow.dot");
    std::os::unix::fs::symlink("real/flow.dot", &link).unwrap();
    Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "flow.dot"]).dir(dir.path()).status(0);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(dir.path().join("real/flow.dot")).unwrap().starts_with("digraph"));
}

#[test]
fn fmt_formats_the_file_a_symlink_points_to() {
    let dir = project(&[("real/s.defuse", unformatted())]);
    let link = dir.path().join("s.defuse");
    std::os::unix::fs::symlink("real/s.defuse", &link).unwrap();
    Defuse::new(["fmt", "s.defuse"]).dir(dir.path()).status(0);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_eq!(fs::read_to_string(dir.path().join("real/s.defuse")).unwrap(), script());
}

#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let dir = project(&[("s.defuse", script())]);
    std::os::unix::fs::symlink("b", dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("a", dir.path().join("b")).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "a"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`a`") && run.stderr.contains("symbolic links"), "{}", run.stderr);
}

// ---- hard links and read-only files --------------------------------------------------------------

#[test]
fn fmt_keeps_hard_links() {
    let dir = project(&[("a.defuse", unformatted())]);
    let (a, b) = (dir.path().join("a.defuse"), dir.path().join("other/b.defuse"));
    fs::create_dir(dir.path().join("other")).unwrap();
    fs::hard_link(&a, &b).unwrap();
    set_mode(&a, 0o640);
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    assert_eq!(fs::read_to_string(&a).unwrap(), script());
    assert_eq!(fs::read_to_string(&b).unwrap(), script(), "the other link sees the new text");
    let (ma, mb) = (fs::metadata(&a).unwrap(), fs::metadata(&b).unwrap());
    assert_eq!((ma.ino(), ma.nlink()), (mb.ino(), 2), "still one file with two links");
    assert_eq!(mode(&a), 0o640);
}

#[test]
fn build_keeps_hard_links_of_its_output() {
    let dir =
        project(&[("s.defuse", script()), ("flow.json", &"a much longer old text than the new one ".repeat(200))]);
    fs::hard_link(dir.path().join("flow.json"), dir.path().join("copy.json")).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "flow.json"]).dir(dir.path()).status(0);
    let expected = Defuse::new(["build", "s.defuse", "--emit", "json"]).dir(dir.path()).status(0).stdout;
    assert!(run.stderr.contains("wrote flow.json"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("copy.json")).unwrap(), expected, "old bytes past the end are cut");
    assert_eq!(fs::metadata(dir.path().join("flow.json")).unwrap().nlink(), 2);
}

#[test]
fn fmt_does_not_rewrite_a_read_only_file() {
    // Checked from the mode bits, so this holds as root too (CI), where writes are not denied.
    let dir = project(&[("s.defuse", unformatted())]);
    let path = dir.path().join("s.defuse");
    set_mode(&path, 0o444);
    let run = Defuse::new(["fmt", "s.defuse"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`s.defuse`") && run.stderr.contains("is read-only"), "{}", run.stderr);
    assert!(!run.stderr.contains("cannot read"), "a write failure is not a read failure: {}", run.stderr);
    assert_eq!(fs::read_to_string(&path).unwrap(), unformatted());
    assert_eq!(mode(&path), 0o444);
}

#[test]
fn fmt_formats_the_other_files_when_one_is_read_only() {
    let dir = project(&[("a.defuse", unformatted()), ("b.defuse", unformatted())]);
    set_mode(&dir.path().join("a.defuse"), 0o444);
    let run = Defuse::new(["fmt", "."]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`a.defuse`") && run.stderr.contains("is read-only"), "{}", run.stderr);
    assert!(run.stdout.contains("formatted b.defuse"), "{}", run.stdout);
    assert_eq!(fs::read_to_string(dir.path().join("a.defuse")).unwrap(), unformatted());
    assert_eq!(fs::read_to_string(dir.path().join("b.defuse")).unwrap(), script());
}

#[test]
fn build_writes_a_file_whose_name_holds_a_newline() {
    let dir = project(&[("s.defuse", script())]);
    Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "two\nlines.dot"]).dir(dir.path()).status(0);
    assert!(fs::read_to_string(dir.path().join("two\nlines.dot")).unwrap().starts_with("digraph"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file is left");
}

#[test]
fn build_does_not_replace_a_read_only_output() {
    let dir = project(&[("s.defuse", script()), ("flow.json", "keep me")]);
    set_mode(&dir.path().join("flow.json"), 0o444);
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "flow.json"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("is read-only"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("flow.json")).unwrap(), "keep me");
}

// ---- modes and owners ----------------------------------------------------------------------------------

#[test]
fn new_files_get_0666_less_the_umask() {
    let dir = project(&[("s.defuse", script())]);
    let out = run_with_umask(dir.path(), "027", &["build", "s.defuse", "--emit", "json", "-o", "flow.json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&dir.path().join("flow.json")), 0o640);

    let out = run_with_umask(dir.path(), "002", &["build", "s.defuse", "--emit", "dot", "--out-dir", "diagrams"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&dir.path().join("diagrams/damaged_order.dot")), 0o664);

    let out = run_with_umask(dir.path(), "022", &["init", "fresh"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["defuse.toml", "scripts/example.defuse", ".github/workflows/defuse.yml"] {
        assert_eq!(mode(&dir.path().join("fresh").join(name)), 0o644, "{name}");
    }
}

#[test]
fn a_replaced_file_keeps_its_mode_and_owner() {
    let dir = project(&[("s.defuse", script()), ("flow.json", "old")]);
    let out = dir.path().join("flow.json");
    set_mode(&out, 0o604);
    let root = running_as_root();
    if root {
        // Only root can give a file away; as another user this single assertion cannot be set up.
        std::os::unix::fs::chown(&out, Some(4321), Some(4322)).unwrap();
    }
    let before = fs::metadata(&out).unwrap();
    Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "flow.json"]).dir(dir.path()).status(0);
    let after = fs::metadata(&out).unwrap();
    assert_ne!(after.ino(), before.ino(), "a file with one link is replaced by a rename");
    assert_eq!(mode(&out), 0o604);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
    if root {
        assert_eq!((after.uid(), after.gid()), (4321, 4322));
    }
}

// ---- an output that is an input --------------------------------------------------------------------------

#[test]
fn build_refuses_to_write_over_its_own_input() {
    let dir = project(&[("s.defuse", script())]);
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", "s.defuse"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`s.defuse`") && run.stderr.contains("input"), "{}", run.stderr);
    assert_eq!(fs::read_to_string(dir.path().join("s.defuse")).unwrap(), script());

    // The same file by another name: a symlink, a hard link, a path with `..`.
    std::os::unix::fs::symlink("s.defuse", dir.path().join("link.json")).unwrap();
    fs::hard_link(dir.path().join("s.defuse"), dir.path().join("hard.json")).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    for other in ["link.json", "hard.json", "sub/../s.defuse", "./s.defuse"] {
        let run = Defuse::new(["build", "s.defuse", "--emit", "json", "-o", other]).dir(dir.path()).status(2);
        assert!(run.stderr.contains("input"), "{other}: {}", run.stderr);
    }
    assert_eq!(fs::read_to_string(dir.path().join("s.defuse")).unwrap(), script());
}

#[test]
fn build_refuses_to_write_over_a_used_library_or_the_config() {
    let library = "library closings {\n  close done {\n    say \"Goodbye.\"\n    follow_up \"1d\" \"Check\"\n  }\n}\n";
    let main = format!("use \"lib.defuse\"\n{}", script().replace("-> refunded", "-> closings.done"));
    let dir = project(&[("main.defuse", main.as_str()), ("lib.defuse", library), ("defuse.toml", "")]);
    Defuse::new(["build", "main.defuse", "--emit", "json"]).dir(dir.path()).status(0);
    for input in ["lib.defuse", "defuse.toml"] {
        let run = Defuse::new(["build", "main.defuse", "--emit", "json", "-o", input]).dir(dir.path()).status(2);
        assert!(run.stderr.contains(&format!("`{input}`")) && run.stderr.contains("input"), "{}", run.stderr);
    }
    assert_eq!(fs::read_to_string(dir.path().join("lib.defuse")).unwrap(), library);
    assert_eq!(fs::read_to_string(dir.path().join("defuse.toml")).unwrap(), "");
}

// ---- init: all or nothing ------------------------------------------------------------------------------------

#[test]
fn init_writes_nothing_when_a_parent_directory_is_a_file() {
    let dir = project(&[(".github", "not a directory")]);
    let run = Defuse::new(["init"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`.github`") && run.stderr.contains("not a directory"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, [".github"], "no file and no directory was created");
}

#[test]
fn init_does_not_write_through_a_symlink_in_its_way() {
    let dir = project(&[("elsewhere/keep", "")]);
    std::os::unix::fs::symlink("elsewhere/defuse.toml", dir.path().join("defuse.toml")).unwrap();
    let run = Defuse::new(["init"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("defuse.toml"), "{}", run.stderr);
    assert!(!dir.path().join("elsewhere/defuse.toml").exists());
    assert!(!dir.path().join("scripts").exists());
}

// ---- honest messages -------------------------------------------------------------------------------------

#[test]
fn a_failed_write_names_the_users_path_and_the_reason() {
    let dir = project(&[("s.defuse", script()), ("file", "")]);
    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "nodir/x.dot"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`nodir/x.dot`"), "{}", run.stderr);
    assert!(run.stderr.contains("`nodir` does not exist"), "{}", run.stderr);
    assert!(!run.stderr.contains(".defuse-") && !run.stderr.contains(".tmp"), "{}", run.stderr);

    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "file/x.dot"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`file/x.dot`") && run.stderr.contains("`file` is not a directory"), "{}", run.stderr);
    assert!(!run.stderr.contains(".defuse-"), "{}", run.stderr);

    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "-o", "out/"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`out/`") && run.stderr.contains("cannot end with `/`"), "{}", run.stderr);

    let run = Defuse::new(["build", "s.defuse", "--emit", "dot", "--out-dir", "file"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("`file` is not a directory"), "{}", run.stderr);
    let mut left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["file", "s.defuse"], "nothing was created");
}
