//! The code table: every rule, in the order of spec section 3.

use super::rule::{Level, Rule};
use super::rules::*;
use crate::config::Config;
use crate::diagnostic::Code;

pub static RULES: &[&Rule] = &[
    &syntax::RULE,
    &duplicate_node::RULE,
    &duplicate_script::RULE,
    &unknown_target::RULE,
    &unknown_library::RULE,
    &use_not_found::RULE,
    &use_cycle::RULE,
    &use_outside_root::RULE,
    &misplaced_statement::RULE,
    &unknown_placeholder::RULE,
    &enters_trigger::RULE,
    &no_trigger::RULE,
    &no_close::RULE,
    &dead_end::RULE,
    &close_has_next::RULE,
    &no_exit::RULE,
    &skip_acknowledge::RULE,
    &skip_mirror::RULE,
    &unreachable::RULE,
    &single_option::RULE,
    &no_follow_up::RULE,
    &hold::RULE,
    &phrase::RULE,
    &long_path::RULE,
    &unused_var::RULE,
    &empty_node::RULE,
    &over_budget::RULE,
    &long_turn::RULE,
    &suppression::RULE,
    &test::RULE,
    &not_exported::RULE,
];

/// The rule of a code as written (`defuse explain`, suppression comments).
pub fn find(code: &str) -> Option<&'static Rule> {
    code.parse().ok().map(rule)
}

/// The rule of `code`: every code has one, in the order of [`Code::ALL`].
pub fn rule(code: Code) -> &'static Rule {
    RULES[code as usize]
}

/// The level `code` is reported at: as `[rules]` sets it, else the rule's default.
pub fn level(config: &Config, code: Code) -> Level {
    config.configured_level(code).unwrap_or(rule(code).level)
}

/// `docs/rules.md`, generated from the rules' own documentation.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule sources by `defuse rules --markdown`; do not edit by hand.\n\n\
         | code | default | fires when |\n|------|---------|------------|\n",
    );
    for rule in RULES {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            rule.code,
            rule.code,
            rule.level.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    for rule in RULES {
        out.push_str(&format!("\n## {}\n\nDefault level: `{}`.\n\n{}\n", rule.code, rule.level.as_str(), rule.doc));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            assert!(rule.code.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", rule.code);
            assert!(rule.doc.contains("## What it does") && rule.doc.contains("## Why is this bad?"), "{}", rule.code);
            assert!(rule.doc.contains("## Example") && rule.doc.contains("## Use instead"), "{}", rule.code);
        }
        assert_eq!(RULES.len(), 31);
        let codes: Vec<Code> = RULES.iter().map(|rule| rule.code).collect();
        assert_eq!(codes, Code::ALL, "RULES holds every code, in the order of Code::ALL");
    }

    #[test]
    fn only_syntax_test_and_use_rules_are_fixed() {
        for rule in RULES {
            let fixed = rule.code == "syntax" || rule.code == "test" || rule.code.as_str().starts_with("use-");
            assert_eq!(rule.code.is_configurable(), !fixed, "{}", rule.code);
        }
    }
}
