//! `defuse explain CODE` and `defuse rules`.

use std::path::PathBuf;

use super::workspace;
use crate::check::registry;

pub fn explain(typed: &str) -> u8 {
    // Codes are kebab-case; accept what people type from memory: `Skip_Mirror`, ` PHRASE `.
    let code = &typed.trim().to_lowercase().replace('_', "-");
    if code == crate::emit::ivr::NOT_EXPORTED {
        print!("{}", crate::emit::ivr::NOT_EXPORTED_DOC);
        return 0;
    }
    match registry::find(code) {
        Some(rule) => {
            println!(
                "# {}\n\nDefault level: {}. {}\n\n{}",
                rule.code,
                rule.level.as_str(),
                capitalize(rule.summary),
                rule.doc
            );
            0
        }
        None => {
            let codes = registry::RULES.iter().map(|r| r.code).chain([crate::emit::ivr::NOT_EXPORTED]);
            let hint = crate::suggest::closest(code, codes)
                .map(|best| format!(" (did you mean `{best}`?)"))
                .unwrap_or_default();
            eprintln!("error: unknown code `{typed}`{hint}; `defuse rules` lists every code");
            2
        }
    }
}

pub fn rules(config: Option<PathBuf>, markdown: bool) -> u8 {
    if markdown {
        print!("{}", registry::markdown());
        return 0;
    }
    let Ok(config) = workspace::config(config.as_deref()) else { return 2 };
    let width = registry::RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    for rule in registry::RULES {
        let level = config.level(rule.code).as_str();
        let changed = if config.level(rule.code) != rule.level {
            format!(" (default {})", rule.level.as_str())
        } else {
            String::new()
        };
        println!("{:width$}  {:7}  {}{changed}", rule.code, level, rule.summary);
    }
    0
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
