//! `defuse diff` (spec section 8): one pair of versions per change kind in every format, a
//! real git repository, layout-only changes, exit statuses and the git driver form.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{project, Defuse};

const FORMATS: [&str; 4] = ["text", "json", "markdown", "github"];

fn fixture_dirs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    dirs.sort();
    dirs
}

/// The kinds of every change in a `diff --format json` document, in order.
pub(crate) fn kinds_in(json: &str) -> Vec<String> {
    let document: serde_json::Value = serde_json::from_str(json).unwrap();
    document["scripts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|script| script["changes"].as_array().unwrap().iter())
        .map(|change| change["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn each_kind_has_a_pair_of_versions_shown_in_every_format() {
    let mut named = Vec::new();
    for dir in fixture_dirs() {
        let kind = dir.file_name().unwrap().to_str().unwrap().to_owned();
        // A pair of directories holds translations: they are compared in Spanish.
        let in_directories = dir.join("old").is_dir();
        let (old, new) = if in_directories {
            (format!("tests/fixtures/diff/{kind}/old"), format!("tests/fixtures/diff/{kind}/new"))
        } else {
            (format!("tests/fixtures/diff/{kind}/old.defuse"), format!("tests/fixtures/diff/{kind}/new.defuse"))
        };
        let mut shown = String::new();
        for format in FORMATS {
            let mut args = vec!["diff", old.as_str(), new.as_str(), "--format", format];
            if in_directories {
                args.extend(["--locale", "es"]);
            }
            let run = Defuse::new(args).run();
            assert!(run.stderr.is_empty(), "{kind} {format}: {}", run.stderr);
            shown.push_str(&format!("===== --format {format} (exit {})\n{}", run.status, run.stdout));
            if format == "json" {
                let kinds = kinds_in(&run.stdout);
                let expected = if kind == "renamed" { "node-removed" } else { kind.as_str() };
                assert!(kinds.iter().any(|k| k == expected), "{kind}: found {kinds:?}");
                let breaking = run.stdout.contains("\"severity\": \"breaking\"");
                assert_eq!(run.status, i32::from(breaking), "{kind}: exit 1 exactly when a change is breaking");
            }
        }
        insta::assert_snapshot!(format!("diff_{kind}"), shown);
        named.push(kind);
    }
    for kind in defuse::diff::Kind::ALL {
        assert!(named.iter().any(|k| k == kind.as_str()), "no fixture for `{}`", kind.as_str());
    }
}

#[test]
fn fail_on_sets_the_threshold() {
    let old = "tests/fixtures/diff/line-changed/old.defuse";
    let new = "tests/fixtures/diff/line-changed/new.defuse";
    Defuse::new(["diff", old, new]).status(0);
    Defuse::new(["diff", old, new, "--fail-on", "review"]).status(1);
    Defuse::new(["diff", old, new, "--fail-on", "breaking"]).status(0);
    let old = "tests/fixtures/diff/outcome-changed/old.defuse";
    let new = "tests/fixtures/diff/outcome-changed/new.defuse";
    Defuse::new(["diff", old, new, "--fail-on", "never"]).status(0);
    Defuse::new(["diff", old, new]).status(1);
    let info = "tests/fixtures/diff/node-added/old.defuse";
    Defuse::new(["diff", info, info, "--fail-on", "review"]).status(0);
}

#[test]
fn bad_input_exits_2() {
    let good = "tests/fixtures/diff/line-changed/old.defuse";
    let run = Defuse::new(["diff", good, "tests/fixtures/diff/no-such.defuse"]).status(2);
    assert!(run.stderr.contains("no-such.defuse"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    Defuse::new(["diff", good]).status(2);
    let broken = project(&[("broken.defuse", "script s { trigger t { -> ")]);
    let path = broken.path().join("broken.defuse");
    let run = Defuse::new(["diff", good, path.to_str().unwrap()]).status(2);
    assert!(run.stderr.contains("does not parse"), "{}", run.stderr);
    let run = Defuse::new(["diff", good, good, "--format", "github"]).status(0);
    assert!(run.stdout.is_empty(), "no change, no annotation: {}", run.stdout);
    let run = Defuse::new(["diff", good, "nope.defuse", "--format", "github"]).status(2);
    assert!(run.stderr.starts_with("::error"), "{}", run.stderr);
}

#[test]
fn a_layout_only_change_is_no_change() {
    let messy = "# layout only\nscript   parcel{trigger late{customer \"Where is my parcel?\"->sorry}\n\
                 acknowledge sorry { say \"I'm sorry it is late.\"\n\n\n -> restate }\n\
                 mirror restate{ask \"\"\"So it has not arrived yet?\"\"\" reply \"yes\" -> done otherwise->sorry}\n\
                 close done{say \"Bye.\" follow_up \"48h\" \"check\"}}\n"
        .to_owned();
    let dir = project(&[("old/parcel.defuse", messy.as_str()), ("new/parcel.defuse", messy.as_str())]);
    Defuse::new(["fmt", "new"]).dir(dir.path()).status(0);
    let formatted = std::fs::read_to_string(dir.path().join("new/parcel.defuse")).unwrap();
    assert_ne!(formatted, messy, "fmt changed the layout");
    let run = Defuse::new(["diff", "old", "new", "--format", "json", "--fail-on", "review"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("\"status\": \"unchanged\""), "{}", run.stdout);
    assert_eq!(kinds_in(&run.stdout), Vec::<String>::new());
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

const SCRIPT: &str = r#"use "lib/closings.defuse"
script parcel {
  trigger late { customer "Where is my parcel?" -> sorry }
  acknowledge sorry { say "I'm sorry it is late." -> restate }
  mirror restate { ask "So it has not arrived?" reply "yes" -> closings.thanks }
}
"#;
const LIBRARY_OLD: &str = r#"library closings {
  close thanks { say "Thank you for calling." outcome resolved follow_up "1d" "survey" }
}
"#;
const LIBRARY_NEW: &str = r#"library closings {
  close thanks { say "Thank you for your patience." outcome escalated follow_up "1d" "survey" }
}
"#;

/// A repository with two commits: a library changed at HEAD, and a working tree that
/// differs from both (a moved line in the script), which `REV:PATH` must not read.
fn repository() -> tempfile::TempDir {
    let dir = project(&[("scripts/parcel.defuse", SCRIPT), ("scripts/lib/closings.defuse", LIBRARY_OLD)]);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    std::fs::write(dir.path().join("scripts/lib/closings.defuse"), LIBRARY_NEW).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "second"]);
    std::fs::write(dir.path().join("scripts/parcel.defuse"), SCRIPT.replace("I'm sorry", "Sorry")).unwrap();
    dir
}

#[test]
fn revisions_are_read_through_git_with_use_resolved_at_the_same_revision() {
    let repo = repository();
    let run = Defuse::new(["diff", "HEAD~1:scripts", "HEAD:scripts", "--format", "json"]).dir(repo.path()).status(1);
    let kinds = kinds_in(&run.stdout);
    assert_eq!(kinds, ["outcome-changed", "line-changed", "slower"], "{}", run.stdout);
    assert!(run.stdout.contains("\"node\": \"closings.thanks\""), "{}", run.stdout);
    assert!(!run.stdout.contains("Sorry"), "the working tree is not read: {}", run.stdout);

    // From a subdirectory: `./` is relative to it, a bare path to the repository's top.
    let sub = repo.path().join("scripts");
    let run = Defuse::new(["diff", "HEAD~1:./parcel.defuse", "HEAD:scripts/parcel.defuse", "--format", "json"])
        .dir(&sub)
        .status(1);
    assert_eq!(kinds_in(&run.stdout), ["outcome-changed", "line-changed", "slower"], "{}", run.stdout);

    // --base compares the working tree with a revision.
    let run = Defuse::new(["diff", "--base", "HEAD", "scripts", "--format", "json", "--fail-on", "review"])
        .dir(repo.path())
        .status(1);
    assert_eq!(kinds_in(&run.stdout), ["line-changed"], "{}", run.stdout);
    assert!(run.stdout.contains("Sorry it is late."), "{}", run.stdout);

    let run = Defuse::new(["diff", "HEAD~7:scripts", "HEAD:scripts"]).dir(repo.path()).status(2);
    assert!(run.stderr.contains("HEAD~7"), "{}", run.stderr);
    // A PATH the revision does not have holds no scripts; one outside the repository is bad input.
    let run = Defuse::new(["diff", "HEAD:nothing", "HEAD:scripts", "--format", "json"]).dir(repo.path()).status(0);
    assert_eq!(kinds_in(&run.stdout), ["script-added"], "{}", run.stdout);
    let run = Defuse::new(["diff", "HEAD:../../elsewhere", "HEAD:scripts"]).dir(repo.path()).status(2);
    assert!(run.stderr.contains("HEAD:../../elsewhere"), "{}", run.stderr);
}

#[test]
fn git_runs_it_as_a_diff_driver() {
    let repo = repository();
    std::fs::write(repo.path().join(".gitattributes"), "*.defuse diff=defuse\n").unwrap();
    let driver = format!("{} diff --git-driver", env!("CARGO_BIN_EXE_defuse"));
    let output = Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["-c", &format!("diff.defuse.command={driver}"), "diff", "HEAD~1", "HEAD"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // The library alone changed; as a file it holds no script, so nothing changes for calls.
    assert!(stdout.contains("defuse diff a/scripts/lib/closings.defuse b/scripts/lib/closings.defuse"), "{stdout}");

    // The working tree's script against HEAD: git hands over a temporary file and the path.
    let output = Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["-c", &format!("diff.defuse.command={driver}"), "diff"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("~ line-changed: a `say` line of `sorry` changed"), "{stdout}");
    assert!(stdout.contains("[-I'm sorry-]{+Sorry+} it is late."), "{stdout}");

    // Seven arguments alone are the driver form too; /dev/null is a file that is not there.
    let new = repo.path().join("scripts/parcel.defuse");
    let run =
        Defuse::new(["diff", "scripts/parcel.defuse", "/dev/null", ".", ".", new.to_str().unwrap(), ".", "100644"])
            .dir(repo.path())
            .status(0);
    assert!(run.stdout.contains("+ script-added: script `parcel` is new"), "{}", run.stdout);
}

/// A script with 2^12 trigger-to-close paths: more than a diff compares.
fn many_paths(last_line: &str) -> String {
    let mut text = String::from("script many {\n  trigger t { -> a }\n  acknowledge a { say \"Sorry.\" -> m }\n  mirror m { ask \"Right?\" reply \"yes\" -> q0 }\n");
    for i in 0..12 {
        text.push_str(&format!(
            "  root-cause q{i} {{ ask \"Q{i}?\" reply \"a\" -> q{n} reply \"b\" -> q{n} }}\n",
            n = i + 1
        ));
    }
    text.push_str(&format!(
        "  root-cause q12 {{ ask \"Last?\" -> done }}\n  close done {{ say \"{last_line}\" }}\n}}\n"
    ));
    text
}

#[test]
fn path_comparison_is_bounded_and_says_when_it_was_cut() {
    let dir = project(&[("old.defuse", many_paths("Bye.")), ("new.defuse", many_paths("Goodbye."))]);
    let run = Defuse::new(["diff", "old.defuse", "new.defuse", "--format", "json"]).dir(dir.path()).status(0);
    assert_eq!(kinds_in(&run.stdout), ["line-changed"], "{}", run.stdout);
    assert!(run.stdout.contains("\"paths_cut\": \"paths were compared up to the first 1000"), "{}", run.stdout);
    let run = Defuse::new(["diff", "old.defuse", "new.defuse"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("  note: paths were compared up to the first 1000"), "{}", run.stdout);
}

/// Two checkouts of one project, each with its `defuse.toml`: each side is checked in its own
/// project (its `use "lib/…"` inside its own root), and with `--locale` reads its own
/// translations.
#[test]
fn two_project_directories_are_each_their_own_project() {
    let dir = tempfile::tempdir().unwrap();
    let script = "use \"lib/closings.defuse\"\nscript s {\n  trigger t { customer \"hi\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"so?\" reply \"yes\" -> o }\n  options o { option \"Refund\" -> closings.done option \"Credit\" -> closings.done }\n}\n";
    let library =
        "library closings {\n  close done { say \"Thanks.\" outcome resolved follow_up \"2d\" \"check\" }\n}\n";
    for side in ["old", "new"] {
        let root = dir.path().join(side);
        std::fs::create_dir_all(root.join("lib")).unwrap();
        std::fs::write(root.join("s.defuse"), script).unwrap();
        std::fs::write(root.join("lib/closings.defuse"), library).unwrap();
        std::fs::write(root.join("defuse.toml"), "[locales]\ntargets = [\"es\"]\n").unwrap();
    }
    let run = Defuse::new(["diff", "old", "new", "--format", "json"]).dir(dir.path()).status(0);
    assert!(!run.stdout.contains("use-outside-root"), "{}", run.stdout);
    assert!(run.stdout.contains("\"status\": \"unchanged\""), "{}", run.stdout);

    for side in ["old", "new"] {
        Defuse::new(["strings", "merge", "."]).dir(dir.path().join(side)).status(0);
    }
    let po = dir.path().join("new/locales/es/s.po");
    let text = std::fs::read_to_string(&po).unwrap();
    std::fs::write(&po, text.replacen("msgid \"sorry\"\nmsgstr \"\"", "msgid \"sorry\"\nmsgstr \"lo siento\"", 1))
        .unwrap();
    let run = Defuse::new(["diff", "old", "new", "--locale", "es", "--format", "json"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("translation-changed"), "{}", run.stdout);
}
