//! `defuse explain CODE` and `defuse rules`.

use std::path::PathBuf;

use super::error::{CliError, CommandResult, Status};
use super::shared;
use crate::check::registry;
use crate::outln;

pub(crate) fn explain(typed: &str) -> CommandResult {
    // Codes are kebab-case; accept what people type from memory: `Skip_Mirror`, ` PHRASE `.
    let code = &typed.trim().to_lowercase().replace('_', "-");
    match registry::find(code) {
        Some(rule) => {
            outln!(
                "# {}\n\nDefault level: {}. {}\n\n{}",
                rule.code,
                rule.level.as_str(),
                capitalize(rule.summary),
                rule.doc
            );
            Ok(Status::Clean)
        }
        None => {
            let codes = registry::RULES.iter().map(|r| r.code.as_str());
            let hint = crate::suggest::closest(code, codes)
                .map(|best| format!(" (did you mean `{best}`?)"))
                .unwrap_or_default();
            Err(CliError::input(format!("unknown code `{typed}`{hint}; `defuse rules` lists every code")))
        }
    }
}

pub(crate) fn rules(config: Option<PathBuf>, markdown: bool) -> CommandResult {
    if markdown {
        crate::output::stdout().text(&registry::markdown());
        return Ok(Status::Clean);
    }
    let config = shared::config(config.as_deref())?;
    let width = registry::RULES.iter().map(|r| r.code.as_str().len()).max().unwrap_or(0);
    for rule in registry::RULES {
        let level = registry::level(&config, rule.code);
        let changed = if level != rule.level { format!(" (default {})", rule.level.as_str()) } else { String::new() };
        outln!("{:width$}  {:7}  {}{changed}", rule.code.as_str(), level.as_str(), rule.summary);
        if crate::output::stdout().is_closed() {
            break;
        }
    }
    Ok(Status::Clean)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
