//! Exports that call-flow tools import, checked by a real tool, not only by our own tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use defuse::emit::{scxml, Emit};
use defuse::graph::trails::{for_each_trail, Stop};
use defuse::graph::ScriptGraph;

use crate::support::{emitted_scripts, load_script};

/// Writes the SCXML of `path` into `dir` and returns one engine run per path through the
/// script (each loop taken at most once, as `defuse paths` lists them).
fn scxml_runs(path: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let (workspace, file) = load_script(path);
    let project = &workspace.project;
    let graph = ScriptGraph::build(project, file);
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
            let weight = graph.graph[edge];
            events.extend(scxml::event(project.node(weight.from), weight.stmt));
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
