//! `defuse test`: transcript tests (spec section 7). A fixture per failure kind with its
//! human report, JSON and JUnit for one run, the project's own tests with full coverage, and
//! a round trip: every path `paths` lists becomes a test that passes. A failure names the node
//! where the call and the test part ways; GitHub annotations escape a test's name.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use defuse::call::{Call, Vars};
use defuse::dtest::record;
use defuse::graph::ScriptGraph;
use defuse::source::FileId;
use defuse::workspace::Workspace;

use crate::support::{project, Defuse, SMALL_SCRIPT};

const FIXTURES: &str = "tests/fixtures/dtest";

/// The rules of a pest grammar, by name → text.
fn rules(grammar: &str) -> BTreeMap<String, String> {
    let mut rules = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in grammar.lines() {
        let starts_rule =
            line.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && line.contains('=');
        if starts_rule || line.trim_start().starts_with("//") || line.trim().is_empty() {
            if let Some((name, text)) = current.take() {
                rules.insert(name, text);
            }
        }
        if starts_rule {
            let name = line.split(|c: char| c.is_whitespace() || c == '=').next().unwrap().to_owned();
            current = Some((name, format!("{line}\n")));
        } else if let Some((_, text)) = &mut current {
            if !line.trim_start().starts_with("//") {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    if let Some((name, text)) = current {
        rules.insert(name, text);
    }
    rules
}

/// The tokens a `.dtest` file shares with the script it tests are written once, in
/// `grammar/common.pest`, which both parsers are derived with: neither grammar has its own.
#[test]
fn the_shared_token_rules_are_written_once_for_both_grammars() {
    let common = rules(&std::fs::read_to_string("grammar/common.pest").unwrap());
    let defuse = rules(&std::fs::read_to_string("grammar/defuse.pest").unwrap());
    let dtest = rules(&std::fs::read_to_string("grammar/dtest.pest").unwrap());
    let shared = [
        "WHITESPACE",
        "COMMENT",
        "lbrace",
        "rbrace",
        "string",
        "plain_chars",
        "triple_chars",
        "ident_char",
        "ident",
        "target",
        "outcome",
        "kw_use",
        "kw_vars",
        "kw_otherwise",
        "kw_outcome",
        "kw_follow_up",
    ];
    for name in shared {
        assert!(common.contains_key(name), "common.pest has no rule `{name}`");
        assert!(!defuse.contains_key(name) && !dtest.contains_key(name), "rule `{name}` is written twice");
    }
    assert_eq!(common.len(), shared.len(), "common.pest holds only the shared rules: {:?}", common.keys());
}

fn fixture_report(name: &str) -> (i32, String) {
    let run = Defuse::new(["test", &format!("{FIXTURES}/{name}.dtest")]).run();
    (run.status, run.stdout)
}

#[test]
fn a_passing_file_exits_0_and_walks_every_edge() {
    let run = Defuse::new(["test", &format!("{FIXTURES}/passing.dtest"), "--coverage"]).status(0);
    insta::assert_snapshot!(run.stdout);
}

/// One fixture per way a test can fail or a .dtest can be wrong; each report is signed off in
/// its snapshot, and each exits 1.
#[test]
fn every_failure_kind_has_its_report() {
    let kinds = [
        "no_edge",
        "does_not_fit",
        "ended_early",
        "ran_out",
        "expect_close",
        "expect_outcome",
        "expect_path",
        "expect_says",
        "expect_not_says",
        "expect_follow_up",
        "expect_under",
        "names",
        "missing_script",
        "syntax",
    ];
    for kind in kinds {
        let (status, stdout) = fixture_report(kind);
        assert_eq!(status, 1, "{kind}:\n{stdout}");
        insta::assert_snapshot!(format!("dtest_{kind}"), stdout);
    }
}

#[test]
fn a_walk_over_10000_steps_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("loop.defuse"),
        r#"script again {
  trigger t { customer "Hi" -> a }
  acknowledge a { say "Sorry." -> m }
  mirror m { ask "Again?" reply "again" -> m reply "done" -> c }
  close c { say "Bye." outcome ended }
}"#,
    )
    .unwrap();
    let answers = "  answer \"again\"\n".repeat(10_001);
    std::fs::write(dir.path().join("loop.dtest"), format!("use \"loop.defuse\"\ntest \"forever\" {{\n{answers}}}\n"))
        .unwrap();
    let run = Defuse::new(["test", "loop.dtest", "--format", "json"]).dir(dir.path()).status(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["results"][0]["message"], "the walk is longer than 10000 steps");
    assert_eq!(report["results"][0]["line"], 2);
}

#[test]
fn json_and_junit_reports() {
    let files = [format!("{FIXTURES}/passing.dtest"), format!("{FIXTURES}/expect_path.dtest")];
    let json = Defuse::new(["test", &files[0], &files[1], "--format", "json", "--coverage"]).status(1);
    insta::assert_snapshot!("dtest_json", json.stdout);
    let junit = Defuse::new(["test", &files[0], &files[1], "--format", "junit"]).status(1);
    insta::assert_snapshot!("dtest_junit", junit.stdout);
    let github = Defuse::new(["test", &files[1], "--format", "github"]).status(1);
    insta::assert_snapshot!("dtest_github", github.stdout);
}

/// Reads the JUnit report with the real `junitparser` (PyPI), as CI tools do. Fails (never
/// skips) without it: `bash .ci/run` installs it.
#[test]
fn junit_reads_in_junitparser() {
    let dir = tempfile::tempdir().unwrap();
    // A test name with markup and a control character must still make valid XML.
    std::fs::write(dir.path().join("s.defuse"), std::fs::read_to_string(format!("{FIXTURES}/shop.defuse")).unwrap())
        .unwrap();
    std::fs::write(
        dir.path().join("endings.defuse"),
        std::fs::read_to_string(format!("{FIXTURES}/endings.defuse")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("odd.dtest"),
        "use \"s.defuse\"\ntest \"<a> & \\\"b\\\" \u{1}\" { answer \"yes\" pick \"A refund today\" expect outcome ended }\ntest \"fine\" { answer \"yes\" pick \"A refund today\" }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.dtest"), "use \"s.defuse\" test \"x\" { anwser \"yes\" }").unwrap();
    let run = Defuse::new(["test", ".", "--format", "junit"]).dir(dir.path()).status(1);
    let report = dir.path().join("report.xml");
    std::fs::write(&report, &run.stdout).unwrap();
    let script = r#"
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        print(suite.name, "|", case.name, "|", ",".join(kinds) or "passed")
"#;
    let output = Command::new("python3")
        .args(["-c", script, report.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "junitparser rejected the report (install it with `pip install junitparser`):\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        run.stdout
    );
    assert_eq!(
        stdout,
        "broken.dtest | broken.dtest | Error\nodd.dtest | <a> & \"b\" \\u{1} | Failure\nodd.dtest | fine | passed\n"
    );
}

/// The project's own scripts: every script has transcript tests, they pass, and together they
/// walk every edge.
#[test]
fn the_example_scripts_pass_their_tests_with_full_coverage() {
    let run = Defuse::new(["test", "scripts", "--format", "json", "--coverage"]).status(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["uncovered"], serde_json::json!([]), "{}", run.stdout);
    let tested: std::collections::BTreeSet<String> = std::fs::read_dir("scripts/tests")
        .unwrap()
        .map(|entry| entry.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for script in std::fs::read_dir("scripts").unwrap() {
        let path = script.unwrap().path();
        if path.extension().is_some_and(|e| e == "defuse") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            assert!(tested.contains(&stem), "scripts/tests/{stem}.dtest is missing");
        }
    }
}

/// A temporary project holding a copy of `scripts/` (its scripts and their library), so tests
/// written there use scripts inside their project root.
fn copy_of_scripts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["", "lib"] {
        std::fs::create_dir_all(dir.path().join("scripts").join(sub)).unwrap();
        for entry in std::fs::read_dir(PathBuf::from("scripts").join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "defuse") {
                std::fs::copy(&path, dir.path().join(&path)).unwrap();
            }
        }
    }
    dir
}

/// Every path `defuse paths --format json` lists for an example script, written as a test
/// with [`record::transcript`], passes.
#[test]
fn every_listed_path_replays_as_a_passing_test() {
    let dir = copy_of_scripts();
    let mut written = 0;
    for entry in std::fs::read_dir("scripts").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "defuse") {
            continue;
        }
        let listing = Defuse::new(["paths", path.to_str().unwrap(), "--format", "json"]).status(0);
        let listing: serde_json::Value = serde_json::from_str(&listing.stdout).unwrap();
        let Workspace { project, .. } = Workspace::open(std::slice::from_ref(&path), None, None).unwrap();
        let file = project.files().find(|&f| project.module(f).requested).unwrap();
        let graph = ScriptGraph::build(&project, file);
        let call = Call::new(&project, &graph);
        let used = format!("scripts/{}", path.file_name().unwrap().to_str().unwrap());
        for (i, listed) in listing["paths"].as_array().unwrap().iter().enumerate() {
            let nodes: Vec<_> = listed["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| call.find(id.as_str().unwrap()).expect("a listed node exists"))
                .collect();
            let edges = record::edges_along(&call, &nodes).expect("listed neighbours are linked");
            let text = record::transcript(&call, &used, &format!("path {i}"), nodes[0], &edges, &Vars::default())
                .unwrap_or_else(|| panic!("{}: path {i} is a walk to a close", path.display()));
            let name = format!("{}_{i}.dtest", path.file_stem().unwrap().to_string_lossy());
            std::fs::write(dir.path().join(name), text).unwrap();
            written += 1;
        }
    }
    assert!(written > 20, "only {written} paths");
    let run = Defuse::new(["test", dir.path().to_str().unwrap(), "--format", "json"]).run();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["failed"], 0, "{}", run.stdout);
    assert_eq!(report["tests"], written);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

/// `play --record` saves the rehearsal just played as a test that passes, through the one
/// write path: it never overwrites the script it plays.
#[test]
fn play_record_writes_a_passing_test() {
    let dir = copy_of_scripts();
    let out = dir.path().join("rehearsal.dtest");
    let out = out.to_str().unwrap();
    // otherwise at restate, yes, yes, then the third option.
    Defuse::new(["play", "scripts/refund_missing.defuse", "--var", "customer_name=Sam", "--record", out])
        .dir(dir.path())
        .stdin("2\n1\n1\n3\n")
        .status(0);
    let text = std::fs::read_to_string(out).unwrap();
    assert!(text.starts_with("use \"scripts/refund_missing.defuse\"\n"), "{text}");
    assert!(text.contains("  vars customer_name \"Sam\"\n  start where_is_refund\n  answer otherwise\n"), "{text}");
    let run = Defuse::new(["test", out, "--format", "json"]).dir(dir.path()).status(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["passed"], 1);
    assert_eq!(report["results"][0]["walk"].as_array().unwrap().len(), 8);

    // A rehearsal that stops before a close records nothing.
    let unfinished = dir.path().join("unfinished.dtest");
    Defuse::new(["play", "scripts/refund_missing.defuse", "--record", unfinished.to_str().unwrap()])
        .stdin("1\n")
        .status(1);
    assert!(!unfinished.exists());

    // The script itself is an input of the run: refused before the rehearsal starts.
    let before = std::fs::read("scripts/refund_missing.defuse").unwrap();
    let run = Defuse::new(["play", "scripts/refund_missing.defuse", "--record", "scripts/refund_missing.defuse"])
        .stdin("2\n1\n1\n3\n")
        .status(2);
    assert!(run.stderr.contains("it is an input of this run"), "{}", run.stderr);
    assert_eq!(std::fs::read("scripts/refund_missing.defuse").unwrap(), before);
}

/// `defuse fmt` formats `.dtest` files too: canonical layout, comments kept, idempotent; the
/// project's own test files are already canonical; a broken one is left alone.
#[test]
fn fmt_formats_test_files() {
    Defuse::new(["fmt", "--check", "scripts/tests"]).status(0);
    let dir = tempfile::tempdir().unwrap();
    let messy = "use \"s.defuse\"  # under test\ntest \"t\" { answer \"yes\" # first\n pick \"A\"\n  expect   outcome resolved }\n";
    std::fs::write(dir.path().join("t.dtest"), messy).unwrap();
    std::fs::write(dir.path().join("broken.dtest"), "use \"s\" test {").unwrap();
    let run = Defuse::new(["fmt", "."]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("formatted t.dtest"), "{}", run.stdout);
    assert!(run.stderr.contains("`broken.dtest` does not parse"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t.dtest")).unwrap(),
        "use \"s.defuse\" # under test\n\ntest \"t\" {\n  answer \"yes\" # first\n  pick \"A\"\n  expect outcome resolved\n}\n"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("broken.dtest")).unwrap(), "use \"s\" test {");
    Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(1);
    std::fs::remove_file(dir.path().join("broken.dtest")).unwrap();
    Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(0);
}

/// Exit 2 for bad usage: no test file found, a script given instead of a test, a missing path.
#[test]
fn bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = Defuse::new(["test", "."]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("no .dtest file in `.`"), "{}", run.stderr);
    let run = Defuse::new(["test", "scripts/refund_missing.defuse"]).status(2);
    assert!(run.stderr.contains("is not a transcript test"), "{}", run.stderr);
    Defuse::new(["test", "no/such/dir"]).status(2);
    Defuse::new(["test", "--format", "yaml"]).status(2);
}

/// Hostile text never panics the parser or the formatter, and fails fast.
#[test]
fn hostile_test_files_are_diagnostics_not_panics() {
    let inputs = [
        "{".repeat(100_000),
        format!("use \"s\" test \"t\" {{ expect path {} }}", "a ".repeat(20_000)),
        "use \"s\" test \"t\" { pick \"\"\" never closed".to_owned(),
        "use \"\\q\" test \"t\" { }".to_owned(),
        "\u{FEFF}use \"s\"\r\ntest \"\u{0}\u{7f}\" {\r\n}".to_owned(),
        String::new(),
    ];
    for text in &inputs {
        let parsed = defuse::dtest::parse::parse(FileId::from_index(0), text);
        assert!(parsed.file.is_some() || !parsed.diagnostics.is_empty());
        let _ = defuse::dtest::format::format(text);
    }
}

#[test]
fn github_annotations_show_control_characters_in_a_test_name_as_escapes() {
    let dtest = "use \"s.defuse\"\ntest \"red \u{1b}[31m bell \u{7} end\" {\n  answer \"no such reply\"\n}\n";
    let dir = project(&[("s.defuse", SMALL_SCRIPT), ("t.dtest", dtest)]);
    let github = Defuse::new(["test", "t.dtest", "--format", "github"]).dir(dir.path()).status(1);
    assert!(!github.stdout.contains(['\u{1b}', '\u{7}']), "{:?}", github.stdout);
    assert!(github.stdout.contains("title=defuse test%3A red \\u{1b}[31m bell \\u{7} end::"), "{}", github.stdout);
    // As the human report shows it.
    let human = Defuse::new(["test", "t.dtest"]).dir(dir.path()).status(1);
    assert!(human.stdout.contains("FAILED red \\u{1b}[31m bell \\u{7} end\n"), "{}", human.stdout);
}

#[test]
fn a_failure_names_the_node_where_the_call_and_the_test_part_ways() {
    let dtest = "use \"s.defuse\"\n\
                 test \"option\" {\n  answer \"yes\"\n  pick \"Refnd\"\n}\n\
                 test \"reply\" {\n  answer \"yess\"\n}\n\
                 test \"label of another node\" {\n  answer \"yes\"\n  answer \"yes\"\n}\n";
    let dir = project(&[("s.defuse", SMALL_SCRIPT), ("t.dtest", dtest)]);
    let run = Defuse::new(["test", "t.dtest", "--format", "json"]).dir(dir.path()).status(1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let messages: Vec<&str> =
        report["results"].as_array().unwrap().iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        [
            "node `offer` has no option \"Refnd\"",
            "node `check` has no reply \"yess\"",
            "`answer` does not fit node `offer`: it is an options node, where the customer picks",
        ]
    );
    // The walk up to the node is reported with it.
    assert_eq!(report["results"][0]["walk"], serde_json::json!(["t", "sorry", "check", "offer"]));
}

#[test]
fn github_format_sends_load_errors_as_workflow_commands() {
    let dir = project(&[("s.defuse", SMALL_SCRIPT.as_bytes()), ("bad.dtest", b"use \"s.defuse\"\n\xff\n")]);
    let run = Defuse::new(["test", "bad.dtest", "--format", "github"]).dir(dir.path()).status(2);
    assert!(
        run.stderr.starts_with("::error file=bad.dtest::cannot read `bad.dtest`: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}
