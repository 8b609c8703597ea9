//! Shell conventions (spec section 11): completions, man pages, `--version`, `explain` as
//! people type it, and the CI recipes (`.pre-commit-hooks.yaml`, `action.yml`, the `init`
//! workflow) run as a user runs them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{project, Defuse};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The committed man pages are exactly what the clap definitions generate. To regenerate after
/// changing a command: `UPDATE_MAN=1 cargo test --test suite man_pages` (then commit docs/man/).
#[test]
fn man_pages_are_current() {
    let dir = repo().join("docs/man");
    let pages = defuse::cli::man_pages();
    assert!(pages.iter().any(|(name, _)| name == "defuse-check.1"), "one page per command");
    if std::env::var_os("UPDATE_MAN").is_some() {
        fs::create_dir_all(&dir).unwrap();
        for entry in fs::read_dir(&dir).unwrap() {
            fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, bytes) in &pages {
            fs::write(dir.join(name), bytes).unwrap();
        }
    }
    let mut committed: Vec<String> =
        fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    committed.sort();
    let mut generated: Vec<String> = pages.iter().map(|(name, _)| name.clone()).collect();
    generated.sort();
    assert_eq!(committed, generated, "docs/man/ is stale: run `UPDATE_MAN=1 cargo test --test suite man_pages`");
    for (name, bytes) in &pages {
        let on_disk = fs::read(dir.join(name)).unwrap();
        assert!(on_disk == *bytes, "docs/man/{name} is stale: run `UPDATE_MAN=1 cargo test --test suite man_pages`");
    }
}

#[test]
fn top_man_page_lists_every_command() {
    let top = String::from_utf8(defuse::cli::man_pages().remove(0).1).unwrap();
    assert!(top.contains(".TH defuse 1"), "{top}");
    for command in ["check", "build", "fmt", "paths", "play", "init", "explain", "rules", "completions"] {
        assert!(top.contains(&format!("defuse\\-{command}(1)")), "defuse.1 lists {command}:\n{top}");
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = Defuse::new(["completions", shell]).status(0);
        assert!(run.stdout.contains("defuse"), "{shell}: {}", run.stdout);
        assert!(run.stdout.contains("explain"), "{shell} completes subcommands: {}", run.stdout);
        assert!(run.stdout.contains("--deny"), "{shell} completes options: {}", run.stdout);
    }
    let run = Defuse::new(["completions", "tcsh"]).status(2);
    assert!(run.stderr.contains("possible values: bash, elvish, fish, powershell, zsh"), "{}", run.stderr);
}

#[test]
fn bash_completion_loads_and_completes() {
    // The real shell: source the script, then ask for the completions of `defuse ch`.
    let script = Defuse::new(["completions", "bash"]).status(0).stdout;
    let dir = project(&[("defuse.bash", script.as_str())]);
    let probe = "source ./defuse.bash; COMP_WORDS=(defuse ch); COMP_CWORD=1; \
                 _defuse defuse ch defuse; printf '%s\\n' \"${COMPREPLY[@]}\"";
    let output = Command::new("bash").arg("-c").arg(probe).current_dir(dir.path()).output().expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout, "check\n");
}

#[test]
fn completions_into_a_closed_pipe_end_quietly() {
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' completions zsh | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
            env!("CARGO_BIN_EXE_defuse")
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(String::from_utf8_lossy(&output.stdout).trim(), "0" | "1"), "{output:?}");
}

#[test]
fn version_and_help() {
    let run = Defuse::new(["--version"]).status(0);
    assert_eq!(run.stdout, format!("defuse {}\n", env!("CARGO_PKG_VERSION")));
    for command in ["check", "build", "fmt", "paths", "play", "init", "explain", "rules", "completions"] {
        let run = Defuse::new([command, "--help"]).status(0);
        assert!(run.stdout.contains("Usage: defuse"), "{command}: {}", run.stdout);
    }
}

#[test]
fn explain_accepts_any_case_and_suggests() {
    let exact = Defuse::new(["explain", "skip-mirror"]).status(0).stdout;
    assert!(exact.starts_with("# skip-mirror\n"), "{exact}");
    for typed in ["SKIP-MIRROR", "Skip_Mirror", " skip-mirror "] {
        assert_eq!(Defuse::new(["explain", typed]).status(0).stdout, exact, "{typed:?}");
    }
    let run = Defuse::new(["explain", "Skip-Mirrow"]).status(2);
    assert!(run.stderr.contains("unknown code `Skip-Mirrow` (did you mean `skip-mirror`?)"), "{}", run.stderr);
    let run = Defuse::new(["explain", "NOT_EXPORTED"]).status(0);
    assert!(run.stdout.contains("not-exported"), "{}", run.stdout);
    let run = Defuse::new(["explain", "zzzzzz"]).status(2);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}

#[test]
fn init_workflow_uses_the_action_of_this_version() {
    let workflow = defuse::cli::init_template(".github/workflows/defuse.yml");
    assert!(!workflow.contains("cargo install"), "CI installs through the cached action: {workflow}");
    let tag = format!("uses: defuse-lang/defuse@v{}", env!("CARGO_PKG_VERSION"));
    assert!(workflow.contains(&tag), "pinned to this release: {workflow}");
    let action = fs::read_to_string(repo().join("action.yml")).unwrap();
    assert!(action.contains("using: composite") && action.contains("actions/cache@"), "{action}");
    assert!(action.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""), "{action}");
}

const GOOD: &str = r#"script good {
  trigger t { customer "Where is my refund?" -> hear }
  acknowledge hear { say "I'm sorry about the wait." -> restate }
  mirror restate { ask "It hasn't arrived?" -> offer }
  options offer { option "Refund" -> done option "Credit" -> done }
  close done { say "Thanks." follow_up "48h" "check" }
}
"#;

/// `git` in `dir` with a fixed identity, so commits work on any machine.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=defuse tests", "-c", "user.email=tests@defuse.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        // Fixed dates: the same files give the same commit, which pre-commit's cache keys on.
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// This crate as pre-commit sees a hook repository: a git repository at a commit. A copy (of
/// what `cargo install` needs plus the hooks file) rather than this checkout, so uncommitted
/// work is included and the test runs where `.git` is absent (a source tarball). It sits at a
/// fixed place under target/ and its commit is deterministic, so pre-commit (its home is under
/// target/ too) reuses the hook it installed as long as the sources are the same.
fn hook_repository() -> PathBuf {
    let dir = repo().join("target/pre-commit-hooks");
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    for file in ["Cargo.toml", "Cargo.lock", ".pre-commit-hooks.yaml"] {
        fs::copy(repo().join(file), dir.join(file)).unwrap();
    }
    for tree in ["src", "grammar"] {
        copy_tree(&repo().join(tree), &dir.join(tree));
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "hooks"]);
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `pre-commit run HOOK --all-files` in `project`, as a user runs it, with the project's
/// `.pre-commit-config.yaml` naming the hook repository at its commit. `language: rust` makes
/// pre-commit `cargo install` that repository once per commit into `PRE_COMMIT_HOME` (under
/// target/, so an unchanged crate is installed once); cargo's build directory is kept under
/// target/ and the release profile made cheap, so a changed crate rebuilds only defuse.
fn pre_commit_run(project: &Path, hook: &str) -> (i32, String) {
    let output = Command::new("pre-commit")
        .args(["run", hook, "--all-files", "--color", "never"])
        .current_dir(project)
        .env("PRE_COMMIT_HOME", repo().join("target/pre-commit-home"))
        .env("CARGO_TARGET_DIR", repo().join("target/pre-commit"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("NO_COLOR", "1")
        .output()
        .expect("`pre-commit` runs (bash .ci/run installs it: pip install pre-commit)");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), text)
}

/// The hooks users get from `.pre-commit-hooks.yaml`, run by the real pre-commit: a project
/// with a broken script fails `defuse-check` with the diagnostic; fixed, it passes; a file in a
/// non-canonical layout fails `defuse-fmt`, which rewrites it, and then passes.
#[test]
fn pre_commit_hooks_run_as_users_get_them() {
    let hooks = hook_repository();
    let head = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(&hooks).output().unwrap();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks: [{{ id: defuse-check }}, {{ id: defuse-fmt }}]\n",
        hooks.display(),
        String::from_utf8(head.stdout).unwrap().trim()
    );
    let bad = GOOD.replace("-> offer }", "-> ofer }");
    let project = project(&[("scripts/call.defuse", bad.as_str()), (".pre-commit-config.yaml", config.as_str())]);
    git(project.path(), &["init", "-q"]);
    git(project.path(), &["add", "-A"]);

    let (status, output) = pre_commit_run(project.path(), "defuse-check");
    assert_eq!(status, 1, "{output}");
    assert!(output.contains("defuse check") && output.contains("Failed"), "{output}");
    assert!(output.contains("unknown-target") && output.contains("did you mean `offer`?"), "{output}");

    fs::write(project.path().join("scripts/call.defuse"), GOOD).unwrap();
    git(project.path(), &["add", "-A"]);
    let (status, output) = pre_commit_run(project.path(), "defuse-check");
    assert_eq!(status, 0, "{output}");
    assert!(output.contains("Passed"), "{output}");

    let squashed = GOOD.replace("\n  ", "\n");
    fs::write(project.path().join("scripts/call.defuse"), &squashed).unwrap();
    git(project.path(), &["add", "-A"]);
    let (status, output) = pre_commit_run(project.path(), "defuse-fmt");
    assert_eq!(status, 1, "{output}");
    assert!(output.contains("files were modified by this hook"), "{output}");
    assert_ne!(fs::read_to_string(project.path().join("scripts/call.defuse")).unwrap(), squashed);
    Defuse::new(["fmt", "--check", "scripts"]).dir(project.path()).status(0);
    git(project.path(), &["add", "-A"]);
    let (status, output) = pre_commit_run(project.path(), "defuse-fmt");
    assert_eq!(status, 0, "{output}");
}

/// `action.yml`'s steps as JSON, read by PyYAML (installed with pre-commit) so that what the
/// runner parses is what the test runs.
fn action_steps() -> Vec<serde_json::Value> {
    let output = Command::new("python3")
        .args(["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"])
        .arg(repo().join("action.yml"))
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "action.yml is YAML: {}", String::from_utf8_lossy(&output.stderr));
    let action: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    action["runs"]["steps"].as_array().unwrap().clone()
}

/// The action's shell steps run as a GitHub runner runs them (bash, `GITHUB_OUTPUT`,
/// `GITHUB_PATH`, expressions filled in), with the cache step answering "hit" for a binary placed
/// where the install step would put it. Checks a project with a broken script (the step fails
/// with an annotation) and a clean one, and that the cache key is stable and names the source.
#[test]
fn action_steps_run_like_a_runner() {
    let steps = action_steps();
    let run_action = |project: &Path, inputs: &[(&str, &str)]| -> (bool, String, String) {
        let home = tempfile::tempdir().unwrap();
        fs::create_dir_all(home.path().join(".defuse/bin")).unwrap();
        fs::copy(env!("CARGO_BIN_EXE_defuse"), home.path().join(".defuse/bin/defuse")).unwrap();
        let files = tempfile::tempdir().unwrap();
        let (output_file, path_file) = (files.path().join("output"), files.path().join("path"));
        let mut outputs = std::collections::HashMap::<String, String>::new();
        let mut log = String::new();
        let system_path = std::env::var("PATH").unwrap_or_default();
        for step in &steps {
            if let Some(uses) = step["uses"].as_str() {
                assert!(uses.starts_with("actions/cache@"), "only the cache action is used: {uses}");
                outputs.insert("steps.cache.outputs.cache-hit".into(), "true".into());
                continue;
            }
            if let Some(condition) = step["if"].as_str() {
                assert_eq!(condition, "steps.cache.outputs.cache-hit != 'true'");
                if outputs.get("steps.cache.outputs.cache-hit").map(String::as_str) == Some("true") {
                    continue;
                }
            }
            assert_eq!(step["shell"], "bash");
            let fill = |text: &str| -> String {
                let mut text = text.replace("${{ runner.os }}", "Linux").replace("${{ runner.arch }}", "X64");
                text = text.replace("${{ github.action_path }}", repo().to_str().unwrap());
                for (name, value) in inputs {
                    text = text.replace(&format!("${{{{ inputs.{name} }}}}", name = name), value);
                }
                for (name, value) in &outputs {
                    text = text.replace(&format!("${{{{ {name} }}}}"), value);
                }
                assert!(!text.contains("${{"), "an expression the test does not know: {text}");
                text
            };
            let added: Vec<String> =
                fs::read_to_string(&path_file).unwrap_or_default().lines().rev().map(str::to_owned).collect();
            let mut command = Command::new("bash");
            command
                .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &fill(step["run"].as_str().unwrap())])
                .current_dir(
                    step["working-directory"].as_str().map_or(project.to_path_buf(), |d| PathBuf::from(fill(d))),
                )
                .env("HOME", home.path())
                .env("GITHUB_ACTION_PATH", repo())
                .env("GITHUB_OUTPUT", &output_file)
                .env("GITHUB_PATH", &path_file)
                .env("PATH", added.iter().chain([&system_path]).cloned().collect::<Vec<_>>().join(":"))
                .env("NO_COLOR", "1");
            if let Some(env) = step["env"].as_object() {
                for (key, value) in env {
                    command.env(key, fill(value.as_str().unwrap()));
                }
            }
            let output = command.output().unwrap();
            log.push_str(&String::from_utf8_lossy(&output.stdout));
            log.push_str(&String::from_utf8_lossy(&output.stderr));
            if let (Some(id), Ok(written)) = (step["id"].as_str(), fs::read_to_string(&output_file)) {
                for line in written.lines() {
                    let (key, value) = line.split_once('=').unwrap();
                    outputs.insert(format!("steps.{id}.outputs.{key}"), value.to_owned());
                }
                fs::write(&output_file, "").unwrap();
            }
            if !output.status.success() {
                return (false, log, outputs.get("steps.key.outputs.key").cloned().unwrap_or_default());
            }
        }
        (true, log, outputs.get("steps.key.outputs.key").cloned().unwrap_or_default())
    };

    let bad = GOOD.replace("-> offer }", "-> ofer }");
    let project = project(&[("scripts/call.defuse", bad.as_str()), ("notes/other.defuse", GOOD)]);
    let (passed, log, key) = run_action(project.path(), &[("paths", "."), ("format", "github"), ("args", "")]);
    assert!(!passed, "{log}");
    assert!(log.contains("::error file=scripts/call.defuse"), "annotations: {log}");
    assert!(key.starts_with("defuse-Linux-X64-") && key.len() == "defuse-Linux-X64-".len() + 16, "{key}");

    // Several paths and arguments split into words, as documented.
    let (passed, log, again) =
        run_action(project.path(), &[("paths", "notes"), ("format", "human"), ("args", "--deny warnings")]);
    assert!(passed, "{log}");
    assert!(log.contains("0 errors, 0 warnings in 1 file"), "{log}");
    assert_eq!(key, again, "the same sources give the same cache key");
}
