//! Emitters and `defuse build`: snapshots of every format for every example script and the
//! hostile-text fixture, the flow JSON against its schema, DOT through the real Graphviz.

use std::path::Path;
use std::process::Command;

use defuse::emit::{flow, Emit};
use defuse::graph::ScriptGraph;

use crate::support::{emitted_scripts, load_script, relative, Defuse};

fn emit(path: &Path, format: Emit) -> String {
    let (workspace, script) = load_script(path);
    format.render(&workspace.project, &ScriptGraph::build(&workspace.project, script))
}

#[test]
fn every_format_for_every_script() {
    for path in emitted_scripts() {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
        for (format, name) in [(Emit::Json, "json"), (Emit::Dot, "dot"), (Emit::Mermaid, "mermaid")] {
            let first = emit(&path, format);
            assert_eq!(first, emit(&path, format), "{stem}.{name} is not deterministic");
            insta::assert_snapshot!(format!("{name}_{stem}"), first);
        }
    }
}

#[test]
fn flow_schema_is_generated_from_the_types() {
    let generated = flow::schema();
    if std::env::var_os("DEFUSE_BLESS").is_some() {
        std::fs::write("docs/flow.schema.json", &generated).unwrap();
    }
    let committed = std::fs::read_to_string("docs/flow.schema.json").unwrap_or_default();
    assert!(generated == committed, "docs/flow.schema.json is stale: run `DEFUSE_BLESS=1 cargo test flow_schema`");
}

#[test]
fn every_flow_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(&flow::schema()).unwrap();
    let validator = jsonschema::JSONSchema::compile(&schema).expect("the schema is a valid JSON Schema");
    for path in emitted_scripts() {
        let instance: serde_json::Value = serde_json::from_str(&emit(&path, Emit::Json)).unwrap();
        if let Err(errors) = validator.validate(&instance) {
            let messages: Vec<String> = errors.map(|e| format!("{} at {}", e, e.instance_path)).collect();
            panic!("{} does not match the schema: {messages:#?}", path.display());
        }
        // Every `next` target names a node of the flow.
        let ids: Vec<&str> = instance["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
        for node in instance["nodes"].as_array().unwrap() {
            for next in node["next"].as_array().unwrap() {
                assert!(ids.contains(&next["target"].as_str().unwrap()), "{}", path.display());
            }
        }
    }
}

#[test]
fn the_schema_rejects_what_the_format_forbids() {
    let schema: serde_json::Value = serde_json::from_str(&flow::schema()).unwrap();
    let validator = jsonschema::JSONSchema::compile(&schema).unwrap();
    let mut instance: serde_json::Value =
        serde_json::from_str(&emit(Path::new("scripts/refund_missing.defuse"), Emit::Json)).unwrap();
    instance["nodes"][0]["stage"] = "hold-music".into();
    assert!(!validator.is_valid(&instance));
    instance["nodes"][0]["stage"] = "trigger".into();
    instance["format"] = "defuse-flow/2".into();
    assert!(!validator.is_valid(&instance));
}

#[test]
fn flow_stats_count_paths_with_loops_taken_once() {
    let json: serde_json::Value =
        serde_json::from_str(&emit(Path::new("scripts/refund_missing.defuse"), Emit::Json)).unwrap();
    // 2 ways through restate (direct, or once round clarify) × 2 replies × 3 options.
    assert_eq!(json["stats"]["paths"], 12);
    assert_eq!(json["stats"]["paths_complete"], true);
    assert_eq!(json["stats"]["shortest_path"], 5);
    assert_eq!(json["stats"]["nodes"], 8);
    assert_eq!(json["stats"]["edges"], 10);
    assert_eq!(json["nodes"][6]["id"], "closings.resolved_thanks");
    assert_eq!(json["nodes"][6]["source"]["file"], "scripts/lib/closings.defuse");
}

/// Renders with the real Graphviz; fails (never skips) when `dot` is missing: `.ci/run`
/// installs it.
#[test]
fn graphviz_accepts_every_diagram() {
    let dir = tempfile::tempdir().unwrap();
    for path in emitted_scripts() {
        let dot_file = dir.path().join("in.dot");
        std::fs::write(&dot_file, emit(&path, Emit::Dot)).unwrap();
        let output = Command::new("dot")
            .arg("-Tsvg")
            .arg(&dot_file)
            .output()
            .expect("Graphviz `dot` must be installed to run this test (bash .ci/run installs it)");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.trim().is_empty(), "{}: {stderr}", path.display());
        let svg = String::from_utf8_lossy(&output.stdout);
        assert!(svg.contains("<svg"), "{}", path.display());
    }
}

#[test]
fn hostile_text_survives_into_the_svg() {
    let dir = tempfile::tempdir().unwrap();
    let dot_file = dir.path().join("in.dot");
    std::fs::write(&dot_file, emit(Path::new("tests/fixtures/emit/hostile.defuse"), Emit::Dot)).unwrap();
    let output = Command::new("dot").arg("-Tsvg").arg(&dot_file).output().expect("Graphviz is installed");
    let svg = String::from_utf8_lossy(&output.stdout);
    // The text is shown, escaped as XML, not interpreted.
    assert!(svg.contains("&lt;b&gt;tags&lt;/b&gt;"), "{svg}");
    assert!(svg.contains("yes &quot;really&quot; &lt;yes&gt; | end"), "{svg}");
}

/// `text` without Mermaid entity codes (`#35;`).
fn without_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('#') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(';') {
            rest = &after[digits + 1..];
        } else {
            out.push('#');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn mermaid_labels_contain_no_raw_syntax() {
    let text = emit(Path::new("tests/fixtures/emit/hostile.defuse"), Emit::Mermaid);
    for line in text.lines().skip(3) {
        // Inside the quoted labels, no user character can end the label, open a shape or a
        // directive, or start markup: all of it is entity-encoded.
        let inside: String = line.split('"').skip(1).step_by(2).collect::<Vec<_>>().join(" ");
        let inside = without_entities(&inside.replace("<br/>", " "));
        for forbidden in ["%%", "[", "]", "{", "}", "<", ">", "|", ";", "#", "&", "`"] {
            assert!(!inside.contains(forbidden), "{forbidden:?} in {line}");
        }
    }
    // The trigger's second line, `click t call alert()`, stays inside its quoted label: no
    // line of the diagram starts a `click` statement.
    assert!(!text.lines().any(|line| line.trim_start().starts_with("click")), "{text}");
    assert!(text.contains("<br/>click t call alert()#8221;\"]:::trigger"), "{text}");
}

#[test]
fn build_writes_nothing_when_there_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let run =
        Defuse::new(["build", "tests/fixtures/rules/dead-end.defuse", "--emit", "json", "-o", out.to_str().unwrap()])
            .status(1);
    assert!(run.stderr.contains("dead-end") && run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn build_to_a_file_and_to_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("refund.dot");
    Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "dot", "-o", out.to_str().unwrap()]).status(0);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("digraph \"refund_missing\""));

    let out_dir = dir.path().join("flows");
    Defuse::new(["build", "scripts", "--emit", "json", "--out-dir", out_dir.to_str().unwrap()]).status(0);
    let mut written: Vec<String> =
        std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    assert_eq!(written.len(), 9, "{written:?}");
    assert!(written.contains(&"refund_missing.flow.json".to_owned()));
    let stdout = Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "json"]).status(0).stdout;
    assert_eq!(std::fs::read_to_string(out_dir.join("refund_missing.flow.json")).unwrap(), stdout);
}

#[test]
fn build_of_many_scripts_needs_an_out_dir() {
    let run = Defuse::new(["build", "scripts", "--emit", "mermaid"]).status(2);
    assert!(run.stderr.contains("--out-dir"), "{}", run.stderr);
    Defuse::new(["build", "scripts/lib", "--emit", "json"]).status(2);
}

#[cfg(unix)]
#[test]
fn build_into_a_read_only_directory_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    if nix_is_root() {
        // root ignores directory permissions; the atomic-write unit tests cover failure paths.
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flow.json");
    std::fs::write(&out, "previous").unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let run =
        Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "json", "-o", out.to_str().unwrap()]).run();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
}

#[cfg(unix)]
fn nix_is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

#[test]
fn paths_in_outputs_are_relative() {
    let text = emit(&relative(&std::fs::canonicalize("scripts/refund_missing.defuse").unwrap()), Emit::Json);
    assert!(text.contains("\"source\": \"scripts/refund_missing.defuse\""));
}
