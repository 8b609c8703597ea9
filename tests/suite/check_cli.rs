//! `defuse check`: exit codes, formats, configuration, file discovery.

use std::fs;

use crate::support::{project, Defuse};

const CLEAN: &str = r#"script clean {
  trigger t { customer "Where is my refund?" -> hear }
  acknowledge hear { say "I'm sorry about the wait." -> restate }
  mirror restate { ask "It hasn't arrived?" -> offer }
  options offer { option "Refund" -> done option "Credit" -> done }
  close done { say "Thanks." follow_up "48h" "check" }
}
"#;

#[test]
fn clean_project_exits_0() {
    let dir = project(&[("a.defuse", CLEAN)]);
    let run = Defuse::new(["check"]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, "0 errors, 0 warnings in 1 file\n");
}

#[test]
fn errors_exit_1() {
    Defuse::new(["check", "tests/fixtures/rules/dead-end.defuse"]).status(1);
}

#[test]
fn warnings_alone_exit_0_unless_denied() {
    let path = "tests/fixtures/rules/unused-var.defuse";
    let run = Defuse::new(["check", path]).status(0);
    assert!(run.stdout.contains("1 warning"), "{}", run.stdout);
    let run = Defuse::new(["check", path, "--deny", "warnings", "--format", "json"]).status(1);
    assert!(run.stdout.contains("\"severity\": \"error\""), "{}", run.stdout);
}

#[test]
fn bad_usage_exits_2() {
    Defuse::new(["check", "--format", "xml"]).status(2);
    Defuse::new(["frobnicate"]).status(2);
    Defuse::new(["check", "--deny", "everything"]).status(2);
}

#[test]
fn missing_path_exits_2() {
    let run = Defuse::new(["check", "does/not/exist.defuse"]).status(2);
    assert!(run.stderr.contains("cannot read `does/not/exist.defuse`"), "{}", run.stderr);
}

#[test]
fn non_utf8_file_exits_2_with_a_clear_message() {
    let dir = project(&[("a.defuse", CLEAN)]);
    fs::write(dir.path().join("bad.defuse"), b"script s { \xff\xfe }").unwrap();
    let run = Defuse::new(["check"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("bad.defuse") && run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    // The readable file is still checked and reported.
    assert!(run.stdout.contains("in 1 file"), "{}", run.stdout);
}

#[test]
fn bad_config_exits_2_pointing_into_the_toml() {
    let dir = project(&[("a.defuse", CLEAN), ("defuse.toml", "[rules]\nskip-mirror = \"loud\"\n")]);
    let run = Defuse::new(["check"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("unknown level `loud`") && run.stderr.contains("defuse.toml:2"), "{}", run.stderr);
    let dir = project(&[("a.defuse", CLEAN), ("defuse.toml", "[limits]\nmax_step = 3\n")]);
    let run = Defuse::new(["check"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("unknown field `max_step`"), "{}", run.stderr);
}

#[test]
fn config_is_found_in_an_ancestor_and_overridden_by_flag() {
    let dir = project(&[
        ("defuse.toml", "[rules]\nunused-var = \"error\"\n"),
        ("sub/a.defuse", &CLEAN.replace("script clean {", "script clean {\n  vars unused")),
        ("other.toml", "[rules]\nunused-var = \"allow\"\n"),
    ]);
    Defuse::new(["check", "sub"]).dir(dir.path()).status(1);
    Defuse::new(["check", "sub", "--config", "other.toml"]).dir(dir.path()).status(0);
}

#[test]
fn directories_are_walked_respecting_gitignore() {
    let dir = project(&[
        ("a.defuse", CLEAN),
        ("nested/deeper/b.defuse", &CLEAN.replace("clean", "clean_b")),
        ("ignored/c.defuse", "this does not parse"),
        (".gitignore", "ignored/\n"),
        ("notes.txt", "not a script"),
    ]);
    // Ignore rules apply as git applies them: inside a repository (see reading_files.rs).
    let git = std::process::Command::new("git").args(["init", "-q"]).current_dir(dir.path()).status().unwrap();
    assert!(git.success());
    let run = Defuse::new(["check", "."]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, "0 errors, 0 warnings in 2 files\n");
}

#[test]
fn json_format_matches_the_contract() {
    let run = Defuse::new(["check", "tests/fixtures/rules/unknown-target.defuse", "--format", "json"]).status(1);
    insta::assert_snapshot!(run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["files"], 1);
    assert_eq!(json["errors"], 2);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "unknown-target");
    assert_eq!(first["help"], "did you mean `find_cause`?");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(5), Some(60)));
    assert_eq!(first["end_column"].as_u64(), Some(70));
}

#[test]
fn json_columns_count_characters() {
    let dir = project(&[("a.defuse", "script s {\n  trigger t { customer \"héllo wörld\" -> nope }\n}\n")]);
    let run = Defuse::new(["check", "--format", "json"]).dir(dir.path()).status(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(2), Some(41), Some(45)));
}

#[test]
fn github_format_is_workflow_commands() {
    let run = Defuse::new(["check", "tests/fixtures/rules/unused-var.defuse", "--format", "github"]).status(0);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stdout.starts_with("::warning file=tests/fixtures/rules/unused-var.defuse,line=3,col="));
}

#[test]
fn sarif_format_names_every_rule() {
    let run = Defuse::new(["check", "tests/fixtures/rules/dead-end.defuse", "--format", "sarif"]).status(1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), defuse::check::registry::RULES.len());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r["ruleId"] == "dead-end"));
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 7);
    insta::assert_snapshot!(serde_json::to_string_pretty(&results).unwrap());
}

#[test]
fn output_is_byte_identical_across_runs() {
    let args = ["check", "tests/fixtures", "--format", "json"];
    let first = Defuse::new(args).run();
    for _ in 0..3 {
        assert_eq!(Defuse::new(args).run().stdout, first.stdout);
    }
}

/// Every SARIF log defuse writes validates against the OASIS SARIF 2.1.0 schema.
#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("tests/schemas/sarif-2.1.0-rtm.5.json").unwrap()).unwrap();
    let validator = jsonschema::JSONSchema::compile(&schema).expect("the SARIF schema compiles");
    for path in ["tests/fixtures/rules", "tests/fixtures/projects", "tests/fixtures/syntax", "scripts"] {
        let run = Defuse::new(["check", path, "--format", "sarif"]).run();
        let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        if let Err(errors) = validator.validate(&log) {
            let messages: Vec<String> = errors.map(|e| format!("{e} at {}", e.instance_path)).collect();
            panic!("SARIF for {path} is invalid: {messages:#?}");
        };
    }
    // The schema is strict enough to catch a broken log.
    let mut log: serde_json::Value = serde_json::from_str(
        &Defuse::new(["check", "tests/fixtures/rules/dead-end.defuse", "--format", "sarif"]).run().stdout,
    )
    .unwrap();
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&log));
}
