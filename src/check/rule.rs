//! What a rule is: its code, default level, documentation, and check functions.

use crate::check::{FileCtx, GraphCtx};
use crate::diagnostic::Diagnostic;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Allow,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Allow => "allow",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "allow" => Some(Level::Allow),
            _ => None,
        }
    }
}

pub type FileCheck = fn(&FileCtx, &mut Vec<Diagnostic>);
pub type GraphCheck = fn(&GraphCtx, &mut Vec<Diagnostic>);

/// One check of spec section 3. Each lives in its own file under `check/rules/`, and its
/// `doc` is what `defuse explain` prints and what `docs/rules.md` is generated from.
pub struct Rule {
    /// Stable kebab-case code.
    pub code: &'static str,
    pub level: Level,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// Markdown: what it does, why call-center practice wants it, an example, the fix.
    pub doc: &'static str,
    /// Whether `[rules]` in `defuse.toml` may change its level (not `syntax`, not `use-*`).
    pub configurable: bool,
    /// A parse or name error: a script with one of these skips the graph rules, which would
    /// only report consequences of the same mistake.
    pub stops_graph_rules: bool,
    /// Runs on every parsed file after resolution.
    pub file_check: Option<FileCheck>,
    /// Runs on the graph of every script without parse or name errors.
    pub graph_check: Option<GraphCheck>,
}

impl Rule {
    /// The defaults shared by most rules: configurable, no cascade, no check function.
    pub const fn new(code: &'static str, level: Level, summary: &'static str, doc: &'static str) -> Rule {
        Rule {
            code,
            level,
            summary,
            doc,
            configurable: true,
            stops_graph_rules: false,
            file_check: None,
            graph_check: None,
        }
    }
}
