//! Writer and trainer tools: `fmt`, `paths`, `play`, `init`.

use std::fs;
use std::path::{Path, PathBuf};

use defuse::syntax::{format::format, parse};

use crate::support::{meaning, Defuse};

/// Every `.defuse` file under `dir`, sorted.
fn defuse_files(dir: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "defuse") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn formatting_keeps_meaning_and_is_idempotent() {
    let mut checked = 0;
    for path in defuse_files("scripts").into_iter().chain(defuse_files("tests/fixtures")) {
        let text = fs::read_to_string(&path).unwrap();
        let parsed = parse(0, &text);
        let (Some(ast), true) = (parsed.ast, parsed.diagnostics.is_empty()) else { continue };
        let once = format(&ast, &text);
        assert_eq!(meaning(&once), meaning(&text), "{} changed meaning", path.display());
        let twice = format(&parse(0, &once).ast.unwrap(), &once);
        assert_eq!(twice, once, "{} is not idempotent", path.display());
        let comments = |t: &str| defuse::syntax::comments(t, &parse(0, t).ast.unwrap()).len();
        assert_eq!(comments(&once), comments(&text), "{} lost a comment", path.display());
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files were formatted");
}

#[test]
fn formatting_keeps_the_compiled_flow() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("scripts");
    for path in defuse_files("scripts") {
        let target = copy.join(path.strip_prefix("scripts").unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        // Squash the layout so the formatter has real work to do.
        let text = fs::read_to_string(&path).unwrap();
        let squashed: String =
            text.lines().filter(|l| !l.trim().starts_with('#')).map(str::trim).collect::<Vec<_>>().join(" ");
        fs::write(&target, squashed).unwrap();
    }
    Defuse::new(["fmt", copy.to_str().unwrap()]).status(0);
    let strip = |json: &str| -> serde_json::Value {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["script"]["source"] = serde_json::Value::Null;
        for node in value["nodes"].as_array_mut().unwrap() {
            node["source"] = serde_json::Value::Null;
        }
        value
    };
    for path in defuse_files("scripts").into_iter().filter(|p| !p.starts_with("scripts/lib")) {
        let formatted = copy.join(path.strip_prefix("scripts").unwrap());
        let before = Defuse::new(["build", path.to_str().unwrap(), "--emit", "json"]).status(0).stdout;
        let after = Defuse::new(["build", formatted.to_str().unwrap(), "--emit", "json"]).status(0).stdout;
        assert_eq!(strip(&after), strip(&before), "{}", path.display());
        // The examples are in the canonical layout: formatting the squashed text gives them
        // back, less the comment lines the squashing removed.
        let original: String = fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(fs::read_to_string(&formatted).unwrap(), original, "{}", path.display());
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn fmt_check_lists_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let messy = "script s { trigger t { customer \"hi\" -> t } }\n";
    let path = write(dir.path(), "messy.defuse", messy);
    let run = Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(1);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(fs::read_to_string(&path).unwrap(), messy);
    Defuse::new(["fmt", "."]).dir(dir.path()).status(0);
    assert_ne!(fs::read_to_string(&path).unwrap(), messy);
    let run = Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn fmt_leaves_unparsable_files_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "script s {  trigger t { sya \"hi\" }\r\n";
    let path = write(dir.path(), "broken.defuse", broken);
    let run = Defuse::new(["fmt", "broken.defuse"]).dir(dir.path()).status(1);
    assert!(run.stderr.contains("did you mean `say`?") && run.stderr.contains("left unchanged"), "{}", run.stderr);
    assert_eq!(fs::read(&path).unwrap(), broken.as_bytes());
}

#[cfg(unix)]
#[test]
fn fmt_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.defuse", "script s { trigger t { -> t } }");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn paths_for_trainers() {
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse"]).status(0);
    insta::assert_snapshot!("paths_text", run.stdout);
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--format", "json", "--max", "3"]).status(0);
    insta::assert_snapshot!("paths_json", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["paths"].as_array().unwrap().len(), 3);
    assert_eq!(json["complete"], false);
    let first = &json["paths"][0];
    assert_eq!(first["via"].as_array().unwrap().len() + 1, first["nodes"].as_array().unwrap().len());
}

#[test]
fn paths_stop_at_max_with_a_note() {
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--max", "2"]).status(0);
    assert!(run.stdout.contains("stopped after 2 paths; use --max N"), "{}", run.stdout);
}

#[test]
fn paths_of_a_broken_script_exit_1() {
    let run = Defuse::new(["paths", "tests/fixtures/rules/dead-end.defuse"]).status(1);
    assert!(run.stderr.contains("dead-end"));
}

#[test]
fn paths_explode_safely_on_many_branches() {
    // 12 binary choices in a row: 4,096 paths; --max keeps the listing short and quick.
    let mut text = String::from("script wide {\n  trigger t { customer \"x\" -> a0 }\n");
    text.push_str("  acknowledge a0 { say \"sorry\" -> m }\n  mirror m { ask \"right?\" -> q0 }\n");
    for i in 0..12 {
        text.push_str(&format!(
            "  root-cause q{i} {{ ask \"?\" reply \"a\" -> q{n} reply \"b\" -> q{n} }}\n",
            n = i + 1
        ));
    }
    text.push_str("  options q12 { option \"x\" -> done option \"y\" -> done }\n  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.defuse", &text);
    let config = write(dir.path(), "defuse.toml", "[limits]\nmax_steps = 20\n");
    assert!(config.exists());
    let run = Defuse::new(["paths", "wide.defuse", "--format", "json"]).dir(dir.path()).status(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["paths"].as_array().unwrap().len(), 1000);
    let run = Defuse::new(["build", "wide.defuse", "--emit", "json"]).dir(dir.path()).status(0);
    let flow: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(flow["stats"]["paths"], 8192);
}

#[test]
fn play_a_whole_piped_session() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse", "--var", "customer_name=Sam"])
        .stdin("2\n1\nmaybe\n7\n2\n3\n")
        .status(0);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stdout.contains("Agent: I'm sorry, Sam."));
    assert!(run.stdout.contains("Please type a number from 1 to 2, or the text of a choice (or `back`)."));
    assert!(run.stdout.ends_with(
        "Path taken: where_is_refund → hear_them → restate → clarify → restate → find_cause → offer → closings.supervisor\n"
    ));
}

#[test]
fn play_stops_when_input_ends() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse"]).stdin("1\n").status(1);
    assert!(run.stdout.ends_with("Rehearsal stopped: the input ended before the call was closed.\n"), "{}", run.stdout);
}

#[test]
fn play_rejects_unknown_vars_and_ambiguous_paths() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse", "--var", "nme=Sam"]).status(2);
    assert!(run.stderr.contains("`nme` is not a var"), "{}", run.stderr);
    let run = Defuse::new(["play", "scripts"]).status(2);
    assert!(run.stderr.contains("--script NAME"), "{}", run.stderr);
    let run = Defuse::new(["play", "scripts", "--script", "wrong_item"]).stdin("1\n1\n1\n").status(0);
    assert!(run.stdout.contains("Call ended: resolved."), "{}", run.stdout);
}

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
