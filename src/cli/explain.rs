//! `defuse explain CODE` and `defuse rules`.

use std::path::PathBuf;

use super::error::{CliError, Outcome};
use super::workspace;
use crate::check::registry;
use crate::outln;

pub fn explain(typed: &str) -> Outcome {
    // Codes are kebab-case; accept what people type from memory: `Skip_Mirror`, ` PHRASE `.
    let code = &typed.trim().to_lowercase().replace('_', "-");
    if code == crate::emit::ivr::NOT_EXPORTED {
        crate::output::stdout().text(crate::emit::ivr::NOT_EXPORTED_DOC);
        return Ok(0);
    }
    match registry::find(code) {
        Some(rule) => {
            outln!(
                "# {}\n\nDefault level: {}. {}\n\n{}",
                rule.code,
                rule.level.as_str(),
                capitalize(rule.summary),
                rule.doc
            );
            Ok(0)
        }
        None => {
            let codes = registry::RULES.iter().map(|r| r.code).chain([crate::emit::ivr::NOT_EXPORTED]);
            let hint = crate::suggest::closest(code, codes)
                .map(|best| format!(" (did you mean `{best}`?)"))
                .unwrap_or_default();
            Err(CliError::input(format!("unknown code `{typed}`{hint}; `defuse rules` lists every code")))
        }
    }
}

pub fn rules(config: Option<PathBuf>, markdown: bool) -> Outcome {
    if markdown {
        crate::output::stdout().text(&registry::markdown());
        return Ok(0);
    }
    let config = workspace::config(config.as_deref())?;
    let width = registry::RULES.iter().map(|r| r.code.len()).max().unwrap_or(0);
    for rule in registry::RULES {
        let level = config.level(rule.code).as_str();
        let changed = if config.level(rule.code) != rule.level {
            format!(" (default {})", rule.level.as_str())
        } else {
            String::new()
        };
        outln!("{:width$}  {:7}  {}{changed}", rule.code, level, rule.summary);
        if crate::output::stdout().is_closed() {
            break;
        }
    }
    Ok(0)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
