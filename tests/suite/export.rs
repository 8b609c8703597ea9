//! Exports that call-flow tools import, checked by a real tool, not only by our own tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use defuse::call::Call;
use defuse::emit::{callflow::scxml, Emit};
use defuse::graph::trails::{for_each_trail, Stop};
use defuse::graph::ScriptGraph;

use crate::support::{emitted_scripts, load_script};

/// Writes the SCXML of `path` into `dir` and returns one engine run per path through the
/// script (each loop taken at most once, as `defuse paths` lists them).
fn scxml_runs(path: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let (workspace, file) = load_script(path);
    let project = &workspace.project;
    let graph = ScriptGraph::build(project, file);
    let call = Call::new(project, &graph);
    let document = dir.join(format!("{}.scxml", path.file_stem().unwrap().to_str().unwrap()));
    std::fs::write(&document, Emit::Scxml.render(project, &graph)).unwrap();
    let triggers: Vec<_> = graph.triggers(project).collect();
    let mut runs = Vec::new();
    let stop = for_each_trail(project, &graph, |trail| {
        let mut events = Vec::new();
        if triggers.len() > 1 {
            events.push(format!("trigger.{}", triggers.iter().position(|&t| t == trail.start).unwrap() + 1));
        }
        for &edge in &trail.edges {
            events.extend(scxml::event(&call, edge));
        }
        let last = *trail.nodes(&graph).last().unwrap();
        runs.push(serde_json::json!({
            "scxml": document.to_str().unwrap(),
            "events": events,
            "final": project.qualified_name(graph.graph[last]),
        }));
        true
    });
    assert_eq!(stop, Stop::Complete);
    runs
}

/// Fails (never skips) without python-statemachine: `bash .ci/run` installs it.
#[test]
fn scxml_runs_every_path_in_a_real_engine() {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for path in emitted_scripts() {
        let found = scxml_runs(&path, dir.path());
        assert!(!found.is_empty(), "{}", path.display());
        runs.extend(found);
    }
    let mut child = Command::new("python3")
        .arg("tests/tools/scxml_run.py")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(serde_json::to_string(&runs).unwrap().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SCXML engine rejected runs (install it with `pip install python-statemachine>=3.2`):\n{stdout}\n{stderr}"
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert_eq!(summary, format!("{} passed, 0 failed", runs.len()), "{stdout}");
    assert!(runs.len() > 50, "{}", runs.len());
}

#[test]
fn scxml_snapshots() {
    for path in ["scripts/refund_missing.defuse", "scripts/double_charge.defuse", "tests/fixtures/emit/hostile.defuse"]
    {
        let run = crate::support::Defuse::new(["build", path, "--emit", "scxml"]).status(0);
        let name = Path::new(path).file_stem().unwrap().to_str().unwrap().to_owned();
        insta::assert_snapshot!(format!("scxml_{name}"), run.stdout);
    }
}

/// What the caller does to take an edge, as docs/export.md documents it for the IVR exports.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Input {
    Digit(usize),
    Silence,
}

/// Every path through `path` (as `defuse paths` lists them) as the caller's inputs, with the
/// trail's node ids and whether it ends in an escalated close.
fn ivr_trails(path: &Path) -> Vec<(Vec<Input>, Vec<String>, bool)> {
    use defuse::syntax::ast::{Outcome, StmtKind};
    let (workspace, file) = load_script(path);
    let project = &workspace.project;
    let graph = ScriptGraph::build(project, file);
    let triggers: Vec<_> = graph.triggers(project).collect();
    let mut trails = Vec::new();
    let stop = for_each_trail(project, &graph, |trail| {
        let mut inputs = Vec::new();
        if triggers.len() > 1 {
            inputs.push(Input::Digit(triggers.iter().position(|&t| t == trail.start).unwrap() + 1));
        }
        for &edge in &trail.edges {
            let from = graph.graph.edge_endpoints(edge).unwrap().0;
            let node = project.node(graph.graph[from]);
            let edges = graph.out_edges(from);
            if edges.len() == 1 {
                continue;
            }
            let is_otherwise =
                |e: petgraph::graph::EdgeIndex| matches!(node.stmts[graph.graph[e].stmt].kind, StmtKind::Otherwise(_));
            let fallback = edges.iter().map(|&(e, _)| e).find(|&e| is_otherwise(e));
            if Some(edge) == fallback {
                inputs.push(Input::Silence);
            } else {
                let digit =
                    edges.iter().filter(|&&(e, _)| Some(e) != fallback).position(|&(e, _)| e == edge).unwrap() + 1;
                inputs.push(Input::Digit(digit));
            }
        }
        let nodes = trail.nodes(&graph);
        let names = nodes.iter().map(|&n| project.qualified_name(graph.graph[n])).collect();
        let last = project.node(graph.graph[*nodes.last().unwrap()]);
        trails.push((inputs, names, last.outcome() == Outcome::Escalated));
        true
    });
    assert_eq!(stop, Stop::Complete);
    trails
}

fn export_json(path: &Path, emit: Emit) -> serde_json::Value {
    let (workspace, file) = load_script(path);
    let graph = ScriptGraph::build(&workspace.project, file);
    serde_json::from_str(&emit.render(&workspace.project, &graph)).unwrap()
}

fn schema(path: &str) -> jsonschema::JSONSchema {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::JSONSchema::options().with_draft(jsonschema::Draft::Draft7).compile(&schema).unwrap()
}

fn assert_valid(schema: &jsonschema::JSONSchema, instance: &serde_json::Value, what: &str) {
    if let Err(errors) = schema.validate(instance) {
        let errors: Vec<String> = errors.map(|e| format!("{} at {}", e, e.instance_path)).collect();
        panic!("{what} does not match its schema:\n{}", errors.join("\n"));
    }
}

/// Runs an exported flow with the caller's inputs; returns each step entered as (name, type).
type Runner = fn(&serde_json::Value, &[Input]) -> Vec<(String, String)>;

/// Runs a Twilio Studio flow the way Studio would for a voice call, with `inputs` as the
/// caller's keypresses and silences. Returns each widget entered as (name, type).
fn run_twilio(flow: &serde_json::Value, inputs: &[Input]) -> Vec<(String, String)> {
    let states = flow["states"].as_array().unwrap();
    let find = |name: &str| states.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no widget `{name}`"));
    let next_on = |state: &serde_json::Value, event: &str| -> Option<String> {
        let t = state["transitions"].as_array().unwrap().iter().find(|t| t["event"] == event).unwrap();
        t["next"].as_str().map(str::to_owned)
    };
    let mut inputs = inputs.iter();
    let mut visited = Vec::new();
    let mut digits = String::new();
    let mut at = next_on(find(flow["initial_state"].as_str().unwrap()), "incomingCall");
    while let Some(name) = at {
        assert!(visited.len() < 10_000, "the flow does not end");
        let state = find(&name);
        let kind = state["type"].as_str().unwrap();
        visited.push((name.clone(), kind.to_owned()));
        at = match kind {
            "say-play" => next_on(state, "audioComplete"),
            "gather-input-on-call" => match inputs.next().expect("the flow asks for more than the path gives") {
                Input::Digit(d) => {
                    digits = d.to_string();
                    next_on(state, "keypress")
                }
                Input::Silence => next_on(state, "timeout"),
            },
            "split-based-on" => {
                assert!(
                    state["properties"]["input"].as_str().unwrap().ends_with(".Digits}}"),
                    "keys are split by digits"
                );
                let matched = state["transitions"].as_array().unwrap().iter().find(|t| {
                    t["event"] == "match"
                        && t["conditions"][0]["type"] == "equal_to"
                        && t["conditions"][0]["value"] == digits.as_str()
                });
                match matched {
                    Some(t) => t["next"].as_str().map(str::to_owned),
                    None => next_on(state, "noMatch"),
                }
            }
            // A transfer ends the flow; where the script goes on after it, the flow goes on
            // when the transfer fails, and that is the branch the path takes.
            "send-to-flex" => next_on(state, "failedToEnqueue").or_else(|| next_on(state, "callComplete")),
            other => panic!("unexpected widget type {other}"),
        };
    }
    assert_eq!(inputs.next(), None, "the flow ended before the path did");
    visited
}

/// Runs an Amazon Connect flow with `inputs` as the caller's keys and silences. Returns each
/// action entered as (identifier, type).
fn run_connect(flow: &serde_json::Value, inputs: &[Input]) -> Vec<(String, String)> {
    let actions = flow["Actions"].as_array().unwrap();
    let find = |id: &str| actions.iter().find(|a| a["Identifier"] == id).unwrap_or_else(|| panic!("no action `{id}`"));
    let on_error = |action: &serde_json::Value, error: &str| -> Option<String> {
        let errors = action["Transitions"]["Errors"].as_array().unwrap();
        errors.iter().find(|e| e["ErrorType"] == error).and_then(|e| e["NextAction"].as_str()).map(str::to_owned)
    };
    let mut inputs = inputs.iter();
    let mut visited = Vec::new();
    let mut at = flow["StartAction"].as_str().map(str::to_owned);
    while let Some(id) = at {
        assert!(visited.len() < 10_000, "the flow does not end");
        let action = find(&id);
        let kind = action["Type"].as_str().unwrap();
        visited.push((id.clone(), kind.to_owned()));
        at = match kind {
            "MessageParticipant" => action["Transitions"]["NextAction"].as_str().map(str::to_owned),
            "GetParticipantInput" => match inputs.next().expect("the flow asks for more than the path gives") {
                Input::Digit(d) => {
                    let conditions = action["Transitions"]["Conditions"].as_array().unwrap();
                    match conditions.iter().find(|c| c["Condition"]["Operands"][0] == d.to_string().as_str()) {
                        Some(c) => c["NextAction"].as_str().map(str::to_owned),
                        None => on_error(action, "NoMatchingCondition"),
                    }
                }
                Input::Silence => on_error(action, "InputTimeLimitExceeded"),
            },
            // As for Twilio: the path takes the branch where the script goes on, if any.
            "TransferContactToQueue" => {
                on_error(action, "QueueAtCapacity").filter(|next| find(next)["Type"] != "DisconnectParticipant")
            }
            "DisconnectParticipant" => None,
            other => panic!("unexpected action type {other}"),
        };
    }
    assert_eq!(inputs.next(), None, "the flow ended before the path did");
    visited
}

/// Every path of every example, driven through the exported flow: the steps named after
/// nodes come in the path's order, and an escalated close ends in a transfer. Paths that
/// need a key above `max_digit` are skipped: the export warns that it leaves them out.
fn assert_runs(emit: Emit, run: Runner, id: fn(&str) -> String, transfer: &str, max_digit: usize) -> usize {
    let mut count = 0;
    for path in emitted_scripts() {
        let flow = export_json(&path, emit);
        for (inputs, nodes, escalated) in ivr_trails(&path) {
            if inputs.iter().any(|&input| matches!(input, Input::Digit(d) if d > max_digit)) {
                continue;
            }
            let visited = run(&flow, &inputs);
            // Two nodes whose ids the target spells alike cannot be told apart by name.
            let mut distinct = nodes.clone();
            distinct.sort();
            distinct.dedup();
            let ids: Vec<String> = nodes
                .iter()
                .map(|n| id(n))
                .filter(|i| distinct.iter().filter(|other| id(other) == *i).count() == 1)
                .collect();
            let steps: Vec<&String> = visited.iter().map(|(name, _)| name).filter(|name| ids.contains(name)).collect();
            let expected: Vec<&String> = ids.iter().filter(|id| visited.iter().any(|(name, _)| name == *id)).collect();
            assert_eq!(steps, expected, "{}: {inputs:?}", path.display());
            assert!(!steps.is_empty(), "{}: {inputs:?}", path.display());
            let last = &visited.last().unwrap().1;
            assert_eq!(last == transfer, escalated, "{}: {inputs:?} ends in {last}", path.display());
            count += 1;
        }
    }
    count
}

#[test]
fn twilio_studio_flows_match_the_schema_and_run_every_path() {
    let schema = schema("tests/schemas/twilio-studio-flow-definition.json");
    let name = regex_lite_name();
    for path in emitted_scripts() {
        let flow = export_json(&path, Emit::TwilioStudio);
        assert_valid(&schema, &flow, &path.display().to_string());
        let states = flow["states"].as_array().unwrap();
        let names: Vec<&str> = states.iter().map(|s| s["name"].as_str().unwrap()).collect();
        for n in &names {
            assert!(name(n), "{}: widget name `{n}`", path.display());
            assert_eq!(names.iter().filter(|m| *m == n).count(), 1, "{}: `{n}` twice", path.display());
        }
        assert!(names.contains(&flow["initial_state"].as_str().unwrap()));
        for state in states {
            for t in state["transitions"].as_array().unwrap() {
                if let Some(next) = t["next"].as_str() {
                    assert!(names.contains(&next), "{}: `{next}` names no widget", path.display());
                }
            }
        }
    }
    let runs = assert_runs(Emit::TwilioStudio, run_twilio, |n| n.to_lowercase().replace('.', "__"), "send-to-flex", 99);
    assert!(runs > 50, "{runs}");
}

/// `[a-z][a-z0-9_]*`
fn regex_lite_name() -> impl Fn(&str) -> bool {
    |name: &str| {
        name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }
}

#[test]
fn connect_flows_match_the_schema_and_run_every_path() {
    let schema = schema("docs/connect-flow.schema.json");
    for path in emitted_scripts() {
        let flow = export_json(&path, Emit::Connect);
        assert_valid(&schema, &flow, &path.display().to_string());
        let actions = flow["Actions"].as_array().unwrap();
        let ids: Vec<&str> = actions.iter().map(|a| a["Identifier"].as_str().unwrap()).collect();
        for id in &ids {
            assert_eq!(ids.iter().filter(|m| *m == id).count(), 1, "{}: `{id}` twice", path.display());
            assert!(
                flow["Metadata"]["ActionMetadata"][id]["Position"].is_object(),
                "{}: `{id}` has no position",
                path.display()
            );
        }
        let mut targets = vec![flow["StartAction"].as_str().unwrap()];
        for action in actions {
            let transitions = &action["Transitions"];
            targets.extend(transitions["NextAction"].as_str());
            for list in ["Conditions", "Errors"] {
                for t in transitions[list].as_array().into_iter().flatten() {
                    targets.push(t["NextAction"].as_str().unwrap());
                }
            }
        }
        for target in targets {
            assert!(ids.contains(&target), "{}: `{target}` names no action", path.display());
        }
    }
    let runs = assert_runs(Emit::Connect, run_connect, str::to_owned, "TransferContactToQueue", 9);
    assert!(runs > 50, "{runs}");
}

/// The schemas reject what Studio and Connect reject, so the tests above can fail.
#[test]
fn export_schemas_reject_broken_flows() {
    let twilio = schema("tests/schemas/twilio-studio-flow-definition.json");
    let mut flow = export_json(Path::new("scripts/refund_missing.defuse"), Emit::TwilioStudio);
    flow["states"][1]["transitions"][0]["event"] = "keypress".into();
    assert!(!twilio.is_valid(&flow), "a say-play has no keypress event");
    let connect = schema("docs/connect-flow.schema.json");
    let mut flow = export_json(Path::new("scripts/refund_missing.defuse"), Emit::Connect);
    flow["Actions"][0]["Identifier"] = "a:b".into();
    assert!(!connect.is_valid(&flow), "`:` is not allowed in an identifier");
    let mut flow = export_json(Path::new("scripts/refund_missing.defuse"), Emit::Connect);
    flow["Actions"][0]["Identifier"] = "x".repeat(51).into();
    assert!(!connect.is_valid(&flow), "identifiers have at most 50 characters");
}

#[test]
fn ivr_export_snapshots() {
    for path in [
        "scripts/refund_missing.defuse",
        "scripts/double_charge.defuse",
        "tests/fixtures/emit/hostile.defuse",
        "tests/fixtures/emit/ivr_edges.defuse",
    ] {
        let name = Path::new(path).file_stem().unwrap().to_str().unwrap().to_owned();
        for (emit, target) in [("twilio-studio", "twilio"), ("connect", "connect")] {
            let run = crate::support::Defuse::new(["build", path, "--emit", emit]).status(0);
            insta::assert_snapshot!(format!("{target}_{name}"), run.stdout);
            insta::assert_snapshot!(format!("{target}_{name}_warnings"), run.stderr);
        }
    }
}

/// A flow larger than the product imports is still written, with a warning that says so.
#[test]
fn flows_over_a_products_size_limit_warn() {
    let questions: String = (0..1100)
        .map(|i| format!("  root-cause r{i} {{ ask \"Question {i}?\" reply \"yes\" -> r{} }}\n", i + 1))
        .collect::<String>()
        .replace("-> r1100", "-> offer");
    let script = format!(
        "script big \"Too long for a phone flow\" {{
  trigger t {{ customer \"It broke.\" -> hear }}
  acknowledge hear {{ say \"I am sorry.\" -> restate }}
  mirror restate {{ say \"So it broke.\" -> r0 }}
{questions}  options offer {{ option \"Fix it\" -> done option \"Refund\" -> done }}
  close done {{ say \"Thank you.\" }}
}}
"
    );
    let dir = crate::support::project(&[("big.defuse", script)]);
    for (emit, warning) in [
        ("twilio-studio", "the Twilio Studio flow has 1107 widgets; Studio accepts at most 1000"),
        ("connect", "the Amazon Connect flow has 1105 blocks; Connect accepts at most 250"),
    ] {
        let run = crate::support::Defuse::new(["build", "big.defuse", "--emit", emit]).dir(dir.path()).status(0);
        assert!(run.stderr.contains(warning), "{emit}:\n{}", run.stderr);
        assert!(run.stdout.len() > 100_000, "{emit}: the flow is still written");
    }
}
