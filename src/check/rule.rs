//! What a rule is: its code, default level, documentation, and check functions.

use crate::check::{FileCtx, GraphCtx};
use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::{Code, Level};

pub type FileCheck = fn(&FileCtx, &mut Vec<Diagnostic>);
pub type GraphCheck = fn(&GraphCtx, &mut Vec<Diagnostic>);

/// One check of spec section 3. Each lives in its own file under `check/rules/`, and its
/// `doc` is what `defuse explain` prints and what `docs/rules.md` is generated from.
pub struct Rule {
    pub code: Code,
    pub level: Level,
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// Markdown: what it does, why call-center practice wants it, an example, the fix.
    pub doc: &'static str,
    /// A parse or name error: a script with one of these skips the graph rules, which would
    /// only report consequences of the same mistake.
    pub stops_graph_rules: bool,
    /// Runs on every parsed file after resolution.
    pub file_check: Option<FileCheck>,
    /// Runs on the graph of every script without parse or name errors.
    pub graph_check: Option<GraphCheck>,
}

impl Rule {
    /// The defaults shared by most rules: no cascade, no check function.
    pub const fn new(code: Code, level: Level, summary: &'static str, doc: &'static str) -> Rule {
        Rule { code, level, summary, doc, stops_graph_rules: false, file_check: None, graph_check: None }
    }
}
