//! `build --emit connect-guide` (spec section 13): validated by cfn-lint and botocore's Connect
//! model through tests/tools/connect_guide_check.py, which also checks the guide flow against
//! the script's flow JSON; stable ids; limits; hostile text; byte-identical output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{emitted_scripts, project, Defuse};

/// The scripts every guide check runs on: the examples, the hostile fixtures, several
/// triggers and libraries.
fn guide_scripts() -> Vec<PathBuf> {
    let mut paths = emitted_scripts();
    paths.push(PathBuf::from("tests/fixtures/emit/hostile_page.defuse"));
    paths.push(PathBuf::from("tests/fixtures/emit/guide/several_triggers.defuse"));
    paths.push(PathBuf::from("tests/fixtures/emit/guide/yaml_controls.defuse"));
    paths
}

/// Writes the guide and the flow JSON of `path` into `dir`: one validator case.
fn case(path: &Path, dir: &Path) -> serde_json::Value {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    let template = dir.join(format!("{stem}.connect-guide.json"));
    let flow = dir.join(format!("{stem}.flow.json"));
    let path = path.to_str().unwrap();
    Defuse::new(["build", path, "--emit", "connect-guide", "-o", template.to_str().unwrap()]).status(0);
    Defuse::new(["build", path, "--emit", "json", "-o", flow.to_str().unwrap()]).status(0);
    serde_json::json!({ "template": template, "flow": flow, "placeholders": placeholders(Path::new(path)) })
}

/// The vars each node's texts use, as the parser found them: its lines, follow-ups and (but
/// for a close, which offers only `done`) its labels.
fn placeholders(path: &Path) -> serde_json::Value {
    use defuse::call::{Call, Entry};
    use defuse::syntax::ast::Str;
    let (workspace, file) = crate::support::load_script(path);
    let project = &workspace.project;
    let graph = defuse::graph::ScriptGraph::build(project, file);
    let call = Call::new(project, &graph);
    let mut nodes = serde_json::Map::new();
    for node in graph.nodes() {
        let mut names: Vec<String> = Vec::new();
        let mut add = |text: &Str| {
            for name in text.placeholders.iter() {
                if !names.contains(&name.name) {
                    names.push(name.name.clone());
                }
            }
        };
        for entry in call.entries(node) {
            match entry {
                Entry::Line(line) => add(line.text),
                Entry::FollowUp(follow_up) => {
                    add(follow_up.after);
                    add(follow_up.note);
                }
            }
        }
        if call.outcome(node).is_none() {
            call.choices(node).iter().filter_map(|choice| choice.label).for_each(&mut add);
        }
        nodes.insert(call.id(node), serde_json::json!(names));
    }
    serde_json::Value::Object(nodes)
}

/// Runs the validator on `cases`; returns whether it passed and what it printed.
fn validate(cases: &[serde_json::Value]) -> (bool, String) {
    let mut child = Command::new("python3")
        .arg("tests/tools/connect_guide_check.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(serde_json::to_string(cases).unwrap().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_ne!(
        output.status.code(),
        Some(2),
        "the validators are missing (pip install cfn-lint botocore): {stdout}\n{stderr}"
    );
    (output.status.success(), format!("{stdout}{stderr}"))
}

/// Fails (never skips) without cfn-lint or botocore: `bash .ci/run` installs them.
#[test]
fn guides_pass_cfn_lint_botocore_and_the_flow_checks() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<_> = guide_scripts().iter().map(|path| case(path, dir.path())).collect();
    let (passed, printed) = validate(&cases);
    assert!(passed, "{printed}");
    assert_eq!(printed.lines().last(), Some(format!("{} passed, 0 failed", cases.len()).as_str()), "{printed}");
}

/// The validator is not a rubber stamp: a guide with a wrong label, a dangling step, an
/// action outside botocore's pattern or an unescaped `${` fails it.
#[test]
fn the_validator_catches_broken_guides() {
    let dir = tempfile::tempdir().unwrap();
    let good = case(Path::new("tests/fixtures/emit/guide/several_triggers.defuse"), dir.path());
    let template = PathBuf::from(good["template"].as_str().unwrap());
    let text = std::fs::read_to_string(&template).unwrap();
    let breakages = [
        ("\"Refund today\"", "\"Refund today!\""),
        (r#"\"NextAction\":\"s-offer\""#, r#"\"NextAction\":\"s-nowhere\""#),
        ("\"yes-2\"", "\"yes (2)\""),
        ("${!AWS::Region}", "${AWS::Region}"),
        ("\"Customer may say\"", "\"Customer said\""),
    ];
    for (at, broken) in breakages {
        assert!(text.contains(at), "the fixture's guide has {at}");
        let path = dir.path().join("broken.json");
        std::fs::write(&path, text.replacen(at, broken, 1)).unwrap();
        let mut broken_case = good.clone();
        broken_case["template"] = serde_json::json!(path);
        let (passed, printed) = validate(&[broken_case]);
        assert!(!passed, "{broken} passed:\n{printed}");
    }
}

#[test]
fn guide_snapshots() {
    for path in ["scripts/refund_missing.defuse", "scripts/double_charge.defuse"] {
        let run = Defuse::new(["build", path, "--emit", "connect-guide"]).status(0);
        let name = Path::new(path).file_stem().unwrap().to_str().unwrap().to_owned();
        insta::assert_snapshot!(format!("connect_guide_{name}"), run.stdout);
    }
}

#[test]
fn guides_are_byte_identical_across_runs() {
    for path in guide_scripts() {
        let args = ["build", path.to_str().unwrap(), "--emit", "connect-guide"];
        let first = Defuse::new(args).status(0).stdout;
        assert_eq!(first, Defuse::new(args).status(0).stdout, "{}", path.display());
    }
}

/// Every id of each node: its steps, view logical id, view name and action names.
fn node_ids(template: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    let template: serde_json::Value = serde_json::from_str(template).unwrap();
    let resources = template["Resources"].as_object().unwrap();
    let content = resources["Guide"]["Properties"]["Content"]["Fn::Sub"].as_str().unwrap();
    let flow: serde_json::Value = serde_json::from_str(content).unwrap();
    let mut ids = std::collections::BTreeMap::new();
    for step in flow["Actions"].as_array().unwrap() {
        let Some(node) = step["Parameters"]["ViewData"]["defuse_node"].as_str() else { continue };
        let id = step["Parameters"]["ViewResource"]["Id"].as_str().unwrap();
        let logical = id.trim_start_matches("${").trim_end_matches(".ViewArn}");
        let view = &resources[logical]["Properties"];
        let targets: Vec<_> =
            step["Transitions"]["Conditions"].as_array().unwrap().iter().map(|c| c["NextAction"].clone()).collect();
        ids.insert(
            node.to_owned(),
            serde_json::json!({
                "step": step["Identifier"], "view": logical, "name": view["Name"],
                "actions": view["Actions"], "targets": targets,
            }),
        );
    }
    ids
}

const STABLE: &str = r#"script stable {
  vars name
  trigger start_here { customer "Hi" -> hear }
  acknowledge hear { say "Sorry, {name}." -> restate }
  mirror restate {
    ask "Is that right?"
    reply "yes" -> offer
    reply "yes" -> offer
    otherwise -> restate
  }
  options offer {
    option "Refund, today!" -> done
    option "Credit" -> done
  }
  close done { say "Bye" follow_up "48h" "Check" }
}
"#;

/// The published ids of a node, pinned: field analytics join on them.
#[test]
fn ids_are_pinned_and_stable_when_other_nodes_change() {
    let dir = project(&[("stable.defuse", STABLE)]);
    let build = |text: &str| {
        std::fs::write(dir.path().join("stable.defuse"), text).unwrap();
        Defuse::new(["build", "stable.defuse", "--emit", "connect-guide"]).dir(dir.path()).status(0).stdout
    };
    let before = node_ids(&build(STABLE));
    assert_eq!(
        before["restate"],
        serde_json::json!({
            "step": "s-restate", "view": "Viewrestate5d3875c3", "name": "defuse.stable.restate",
            "actions": ["yes", "yes-2", "otherwise"], "targets": ["s-offer", "s-offer", "s-restate"],
        })
    );
    assert_eq!(before["offer"]["actions"], serde_json::json!(["Refund today", "Credit"]));
    assert_eq!(before["done"]["targets"], serde_json::json!(["o-done"]));

    // A node inserted before all others, a node edited, the nodes reordered, a node removed.
    let inserted = STABLE.replace(
        "  trigger start_here",
        "  trigger another { customer \"Hello\" -> hear }\n  acknowledge extra { say \"x\" -> restate }\n  trigger start_here",
    );
    let edited = STABLE.replace("say \"Sorry, {name}.\"", "say \"So sorry, {name}, truly.\"");
    let reordered = {
        let lines: Vec<&str> = STABLE.lines().collect();
        let (head, rest) = lines.split_at(2);
        let mut rest = rest.to_vec();
        let close = rest.iter().position(|l| l.contains("close done")).unwrap();
        let moved = rest.remove(close);
        rest.insert(0, moved);
        format!("{}\n{}\n", head.join("\n"), rest.join("\n"))
    };
    let removed =
        STABLE.replace("    reply \"yes\" -> offer\n    reply \"yes\" -> offer\n", "    reply \"yes\" -> offer\n");
    for (change, text) in [("inserted", inserted), ("edited", edited), ("reordered", reordered)] {
        let after = node_ids(&build(&text));
        for (node, ids) in &before {
            assert_eq!(&after[node], ids, "{node} after a node was {change}");
        }
    }
    let after = node_ids(&build(&removed));
    assert_eq!(after["restate"]["actions"], serde_json::json!(["yes", "otherwise"]));
    for node in ["start_here", "hear", "offer", "done"] {
        assert_eq!(after[node], before[node], "{node} after a reply was removed");
    }
}

/// A chain of `n` nodes: a trigger, `n - 2` acknowledge nodes, a close.
fn chain(n: usize) -> String {
    let mut text = String::from("script big {\n  trigger t { customer \"Hi\" -> n1 }\n");
    for i in 1..n - 1 {
        let next = if i + 1 < n - 1 { format!("n{}", i + 1) } else { "done".to_owned() };
        text.push_str(&format!("  acknowledge n{i} {{ say \"Step {i}\" -> {next} }}\n"));
    }
    text.push_str("  close done { say \"Bye\" outcome ended }\n}\n");
    text
}

/// Builds `text` as `big.defuse` into `big.json` and returns the run and whether it wrote.
fn build_big(text: &str) -> (crate::support::Run, bool) {
    let dir = project(&[("big.defuse", text)]);
    let run = Defuse::new(["build", "big.defuse", "--emit", "connect-guide", "-o", "big.json"]).dir(dir.path()).run();
    (run, dir.path().join("big.json").exists())
}

#[test]
fn a_guide_at_the_flow_action_limit_is_built_and_one_over_is_refused() {
    // 248 nodes + 1 attribute step + end = 250 flow actions.
    let (run, wrote) = build_big(&chain(248));
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(wrote);
    let (run, wrote) = build_big(&chain(249));
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(!wrote, "nothing is written");
    // The refusal, after the check's warnings (a chain this long is a `long-path`).
    let lines: Vec<&str> = run.stderr.lines().collect();
    insta::assert_snapshot!("connect_guide_too_many_flow_actions", lines[lines.len() - 3..].join("\n"));
}

#[test]
fn each_limit_names_the_script_and_the_limit() {
    let many_replies: String = (0..1001).map(|i| format!("reply \"r{i}\" -> done ")).collect();
    let long = |bytes: usize| "a".repeat(bytes);
    let cases = [
        (
            format!(
                "script big {{ trigger t {{ -> a }} acknowledge a {{ say \"x\" {many_replies} }} \
                 close done {{ outcome ended }} }}"
            ),
            "node `a` of script `big` offers 1001 actions; an Amazon Connect view allows at most 1000",
        ),
        (
            format!(
                "script big {{ trigger t {{ -> a }} acknowledge a {{ say \"{}\" -> done }} close done {{ outcome ended }} }}",
                long(400_000)
            ),
            "the view of node `a` in script `big` is",
        ),
        (
            format!(
                "script big {{ trigger t {{ -> a }} acknowledge a {{ say \"x\" -> done }} \
                 close done {{ outcome ended follow_up \"{}\" \"x\" }} }}",
                long(260_000)
            ),
            "the guide flow of script `big` is",
        ),
        (
            format!(
                "script big {{ trigger t {{ say \"{0}\" -> a }} acknowledge a {{ say \"{0}\" -> b }} \
                 mirror b {{ say \"{0}\" -> done }} close done {{ say \"{0}\" outcome ended }} }}",
                long(300_000)
            ),
            "the guide template of script `big` is",
        ),
    ];
    for (text, message) in cases {
        let (run, wrote) = build_big(&text);
        assert_eq!(run.status, 1, "{message}: {}", run.stderr);
        assert!(!wrote, "{message}: nothing is written");
        assert!(run.stderr.contains(message), "{message}:\n{}", run.stderr);
        assert!(run.stderr.contains("help: split the script"), "{}", run.stderr);
    }
}

#[test]
fn build_help_lists_the_guide_and_how_to_attach_it() {
    let run = Defuse::new(["build", "--help"]).status(0);
    assert!(run.stdout.contains("connect-guide"), "{}", run.stdout);
    assert!(run.stdout.contains("Default flow for agent UI"), "{}", run.stdout);
}

#[test]
fn out_dir_names_the_file_after_the_script() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    Defuse::new([
        "build",
        "scripts/refund_missing.defuse",
        "--emit",
        "connect-guide",
        "--out-dir",
        out.to_str().unwrap(),
    ])
    .status(0);
    assert!(out.join("refund_missing.connect-guide.json").is_file());
}

/// The start view's Buttons read the triggers' first `customer` lines, placeholders and all:
/// its step fills them as a node's step does (contract section 13, `{name}`).
#[test]
fn the_start_step_fills_the_placeholders_of_its_labels() {
    let run = Defuse::new(["build", "tests/fixtures/emit/guide/several_triggers.defuse", "--emit", "connect-guide"])
        .status(0);
    let template: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let content = template["Resources"]["Guide"]["Properties"]["Content"]["Fn::Sub"].as_str().unwrap();
    let flow: serde_json::Value = serde_json::from_str(content).unwrap();
    let start = flow["Actions"].as_array().unwrap().iter().find(|action| action["Identifier"] == "start").unwrap();
    assert_eq!(start["Parameters"]["ViewData"], serde_json::json!({ "order_id": "$.Attributes.order_id" }), "{start}");
}

/// "Limits (errors: exit 1, nothing written)": not even the `--out-dir` the run was to make.
#[test]
fn a_refused_guide_leaves_no_out_dir() {
    let dir = project(&[("big.defuse", chain(249).as_str())]);
    let run =
        Defuse::new(["build", "big.defuse", "--emit", "connect-guide", "--out-dir", "out/guides"]).dir(dir.path());
    assert_eq!(run.run().status, 1);
    assert!(!dir.path().join("out").exists(), "the refused run made its output directories");
    Defuse::new(["build", "big.defuse", "--emit", "json", "--out-dir", "out/guides"]).dir(dir.path()).status(0);
    assert!(dir.path().join("out/guides/big.flow.json").exists());
}
