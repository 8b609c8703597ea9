//! Snapshot tests over `tests/fixtures/`: every syntax error case, one file per rule (with
//! the violations and the near misses that must not fire), and multi-file projects.

use std::path::PathBuf;

use crate::support::{check, relative};

#[test]
fn syntax_errors() {
    insta::glob!("../fixtures/syntax", "*.defuse", |path| {
        let (diagnostics, report) = check(&[relative(path)]);
        assert!(!diagnostics.is_empty() && diagnostics.iter().all(|d| d.code == "syntax"), "{report}");
        insta::assert_snapshot!(report);
    });
}

#[test]
fn one_fixture_per_rule() {
    insta::glob!("../fixtures/rules", "*.defuse", |path| {
        // `<code>.defuse`, or `<code>.<case>.defuse` for a case that needs a file of its own.
        let code = path.file_name().unwrap().to_str().unwrap().split('.').next().unwrap();
        assert!(defuse::check::registry::find(code).is_some(), "fixture {code} is named after no rule");
        let (diagnostics, report) = check(&[relative(path)]);
        assert!(diagnostics.iter().any(|d| d.code == code), "{code} did not fire:\n{report}");
        insta::assert_snapshot!(report);
    });
}

#[test]
fn every_checkable_rule_has_a_fixture() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for rule in defuse::check::registry::RULES {
        let single = dir.join("rules").join(format!("{}.defuse", rule.code));
        let project = dir.join("projects").join(rule.code.as_str());
        let syntax = rule.code == "syntax";
        // Reported by exports, not by `check`: tests/suite/export.rs and layers.rs build it.
        let exports_only = rule.code == "not-exported";
        assert!(single.exists() || project.is_dir() || syntax || exports_only, "no fixture for `{}`", rule.code);
    }
}

#[test]
fn projects() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projects");
    let mut projects: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    projects.sort();
    for project in projects {
        let name = project.file_name().unwrap().to_str().unwrap().to_owned();
        let (diagnostics, report) = check(&[relative(&project)]);
        if defuse::check::registry::find(&name).is_some() {
            assert!(diagnostics.iter().any(|d| d.code == name.as_str()), "{name} did not fire:\n{report}");
        }
        insta::assert_snapshot!(format!("project_{name}"), report);
    }
}

#[test]
fn cascade_skips_graph_rules_for_broken_scripts() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/cascade")]);
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["unknown-target", "unknown-target"], "{report}");
}

#[test]
fn a_failed_use_is_reported_once_not_at_every_target_into_it() {
    for project in ["use-not-found", "use-outside-root"] {
        let dir = PathBuf::from("tests/fixtures/projects").join(project);
        let script = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).find(|p| p.is_file()).unwrap();
        assert!(std::fs::read_to_string(script).unwrap().contains("-> closing"), "fixture lost its target");
        let (diagnostics, report) = check(&[dir]);
        assert!(diagnostics.iter().all(|d| d.code.as_str().starts_with("use-")), "{report}");
    }
}

#[test]
fn library_nodes_are_checked_per_script_that_reaches_them() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/library-graph")]);
    let count = |code: &str| diagnostics.iter().filter(|d| d.code == code).count();
    // `{customer_name}` is declared by `with_name` only.
    assert_eq!(count("unknown-placeholder"), 1, "{report}");
    assert!(diagnostics.iter().any(|d| d.message.contains("script `without_name`")), "{report}");
    // `stuck` is reached by one script; `unused` by none, so it is not a dead end anywhere.
    assert_eq!(count("dead-end"), 1, "{report}");
    assert!(!report.contains("closings.unused"), "{report}");
    assert_eq!(count("hold"), 1, "{report}");
}

#[test]
fn config_levels_apply() {
    let (diagnostics, report) = check(&[PathBuf::from("tests/fixtures/projects/config-levels")]);
    let find = |code: &str| diagnostics.iter().find(|d| d.code == code);
    assert_eq!(find("skip-mirror").map(|d| d.severity), Some(defuse::diagnostic::Severity::Error), "{report}");
    assert!(find("hold").is_none(), "{report}");
    assert!(find("long-path").is_some(), "max_steps = 3 applies:\n{report}");
    assert!(report.contains("per our terms") && !report.contains("\"guarantee\""), "{report}");
}
