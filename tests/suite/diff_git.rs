//! `defuse diff REV:PATH` against real repositories: a path the base branch does not have
//! yet, a committed symlink whose blob is huge, and a partial clone whose missing blobs and
//! `remote.origin.uploadpack` must never be fetched or run.

use std::path::Path;
use std::process::Command;

use crate::support::{project, Defuse};

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

const SCRIPT: &str = r#"script parcel {
  trigger late { customer "Where is my parcel?" -> sorry }
  acknowledge sorry { say "I'm sorry it is late." -> done }
  close done { say "Bye." outcome resolved }
}
"#;

/// The first pull request that adds defuse: main has no `scripts/`, the branch adds it.
#[test]
fn a_path_missing_at_the_revision_holds_no_scripts() {
    let dir = project(&[("README.md", "hello\n")]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    git(dir.path(), &["checkout", "-q", "-b", "add-defuse"]);
    std::fs::create_dir(dir.path().join("scripts")).unwrap();
    std::fs::write(dir.path().join("scripts/parcel.defuse"), SCRIPT).unwrap();

    let run = Defuse::new(["diff", "main:scripts", "scripts", "--format", "markdown", "--fail-on", "never"])
        .dir(dir.path())
        .status(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(run.stdout.contains("`script-added`"), "{}", run.stdout);
    assert!(run.stdout.contains("| parcel | added |"), "{}", run.stdout);

    // The other way round (scripts deleted on the branch) and a file path work alike.
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "add defuse"]);
    let run = Defuse::new(["diff", "HEAD:scripts/parcel.defuse", "main:scripts/parcel.defuse", "--format", "json"])
        .dir(dir.path())
        .status(1);
    assert!(run.stdout.contains("\"kind\": \"script-removed\""), "{}", run.stdout);

    // A revision that does not exist is still bad input.
    let run = Defuse::new(["diff", "no-such-branch:scripts", "scripts"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("no-such-branch"), "{}", run.stderr);
}

/// A commit whose `scripts/big.defuse` is a symlink (mode 120000) whose blob is 3 MB.
#[test]
fn a_symlink_blob_over_4096_bytes_is_refused_from_its_listed_size() {
    let dir = project(&[("scripts/parcel.defuse", SCRIPT)]);
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("target.txt"), "a/".repeat(1_500_000)).unwrap();
    let blob = git(dir.path(), &["hash-object", "-w", "target.txt"]);
    std::fs::remove_file(dir.path().join("target.txt")).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["update-index", "--add", "--cacheinfo", &format!("120000,{blob},scripts/big.defuse")]);
    git(dir.path(), &["commit", "-q", "-m", "a huge link"]);

    let run = Defuse::new(["diff", "HEAD:scripts/big.defuse", "HEAD:scripts/parcel.defuse"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("HEAD:scripts/big.defuse"), "{}", run.stderr);
    // The directory holds the link too, but only regular files are scripts: nothing is read.
    Defuse::new(["diff", "HEAD:scripts", "HEAD:scripts"]).dir(dir.path()).status(0);
    assert!(run.stderr.contains("link") && run.stderr.contains("4096 bytes"), "{}", run.stderr);
}

/// A clone made with `--filter=blob:none` from a local bare repository: HEAD's blobs are
/// here, HEAD~1's are not. Its `remote.origin.uploadpack` is a command that leaves a mark.
#[test]
fn a_partial_clone_never_fetches_a_missing_blob_or_runs_its_upload_pack() {
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("source");
    std::fs::create_dir_all(source.join("scripts")).unwrap();
    git(&source, &["init", "-q"]);
    std::fs::write(source.join("scripts/parcel.defuse"), SCRIPT).unwrap();
    git(&source, &["add", "."]);
    git(&source, &["commit", "-q", "-m", "first"]);
    std::fs::write(source.join("scripts/parcel.defuse"), SCRIPT.replace("Bye.", "Goodbye.")).unwrap();
    git(&source, &["commit", "-q", "-am", "second"]);
    git(work.path(), &["clone", "-q", "--bare", "source", "bare.git"]);
    git(&work.path().join("bare.git"), &["config", "uploadpack.allowFilter", "true"]);
    let url = format!("file://{}", work.path().join("bare.git").display());
    git(work.path(), &["clone", "-q", "--filter=blob:none", &url, "clone"]);
    let clone = work.path().join("clone");
    let mark = work.path().join("upload-pack-ran");
    let hook = format!("touch '{}'; git-upload-pack", mark.display());
    git(&clone, &["config", "remote.origin.uploadpack", &hook]);

    let run = Defuse::new(["diff", "HEAD~1:scripts", "HEAD:scripts", "--format", "json"]).dir(&clone).status(2);
    assert!(!mark.exists(), "defuse made git run remote.origin.uploadpack");
    assert!(run.stderr.contains("not in this clone; fetch it first"), "{}", run.stderr);
    assert!(run.stderr.contains("HEAD~1:scripts/parcel.defuse"), "{}", run.stderr);
    // Nothing was fetched: the blob is still missing.
    let old = git(&clone, &["rev-parse", "HEAD~1:scripts/parcel.defuse"]);
    let check = Command::new("git")
        .arg("-C")
        .arg(&clone)
        .args(["cat-file", "-e", &old])
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .unwrap();
    assert!(!check.status.success(), "the missing blob was fetched");

    // HEAD's blobs are in the clone: that side reads fine.
    Defuse::new(["diff", "HEAD:scripts", "HEAD:scripts"]).dir(&clone).status(0);
    assert!(!mark.exists());
}
