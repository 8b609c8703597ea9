//! `docs/rules.md` is generated from the rules' own documentation and must not go stale.

use crate::support::Defuse;

#[test]
fn rules_md_is_up_to_date() {
    let generated = defuse::check::registry::markdown();
    let committed = std::fs::read_to_string("docs/rules.md").unwrap_or_default();
    assert!(generated == committed, "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`");
}

#[test]
fn explain_prints_the_rule_doc() {
    for rule in defuse::check::registry::RULES {
        let run = Defuse::new(["explain", rule.code.as_str()]).status(0);
        assert!(run.stdout.contains(rule.doc), "{}", rule.code);
    }
}

#[test]
fn explain_unknown_code_exits_2_with_a_suggestion() {
    let run = Defuse::new(["explain", "skip-mirorr"]).status(2);
    assert!(run.stderr.contains("did you mean `skip-mirror`?"), "{}", run.stderr);
}

#[test]
fn rules_lists_effective_levels() {
    let run = Defuse::new(["rules", "--config", "tests/fixtures/projects/config-levels/defuse.toml"]).status(0);
    let line = |code: &str| run.stdout.lines().find(|l| l.starts_with(&format!("{code} "))).unwrap().to_owned();
    assert!(line("skip-mirror").contains("error") && line("skip-mirror").contains("(default warning)"));
    assert!(line("hold").contains("allow"));
    assert!(line("dead-end").contains("error") && !line("dead-end").contains("default"));
    assert_eq!(run.stdout.lines().count(), defuse::check::registry::RULES.len());
}

/// Exports warn with `not-exported`; users can look it up like any check's code.
#[test]
fn explain_knows_the_export_warning() {
    let run = Defuse::new(["explain", "not-exported"]).status(0);
    let rule = defuse::check::registry::find("not-exported").expect("a registered code");
    assert!(run.stdout.starts_with("# not-exported\n") && run.stdout.contains(rule.doc), "{}", run.stdout);
    let run = Defuse::new(["explain", "not-exportd"]).status(2);
    assert!(run.stderr.contains("did you mean `not-exported`?"), "{}", run.stderr);
}
