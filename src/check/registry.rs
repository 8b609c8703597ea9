//! Every rule, in the order of spec section 3: generated from the one code table
//! ([`crate::with_code_table`]), so a rule is a file of `rules/` and one row there.

use super::rule::{Level, Rule};
use super::rules::*;
use crate::config::Config;
use crate::diagnostic::Code;

macro_rules! rule_table {
    ($($variant:ident, $code:literal, $module:ident;)*) => {
        /// Every rule, one per row of the code table, in its order ([`Code::ALL`]'s).
        pub static RULES: &[&Rule] = &[$(&$module::RULE,)*];
    };
}

crate::with_code_table!(rule_table);

/// The rule of a code as written (`defuse explain`, suppression comments).
pub fn find(code: &str) -> Option<&'static Rule> {
    code.parse().ok().map(rule)
}

/// The rule of `code`: every code has one, in the order of [`Code::ALL`].
pub fn rule(code: Code) -> &'static Rule {
    RULES[code as usize]
}

/// The level `code` is reported at: as `[rules]` sets it, else the rule's default.
pub(crate) fn level(config: &Config, code: Code) -> Level {
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
        assert_eq!(RULES.len(), 37);
        let codes: Vec<Code> = RULES.iter().map(|rule| rule.code).collect();
        assert_eq!(codes, Code::ALL, "RULES holds every code, in the order of Code::ALL");
    }

    #[test]
    fn only_syntax_test_and_use_rules_are_fixed() {
        for rule in RULES {
            let fixed = matches!(rule.code, Code::Syntax | Code::Test) || rule.code.as_str().starts_with("use-");
            assert_eq!(rule.code.is_configurable(), !fixed, "{}", rule.code);
        }
    }
}
