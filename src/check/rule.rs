//! What a rule is: its code, default level, documentation, and check functions.

use crate::check::{FileCtx, GraphCtx, NodeCtx};
use crate::diagnostic::Diagnostic;
pub(crate) use crate::diagnostic::{Code, Level};

pub(crate) type FileCheck = fn(&FileCtx, &mut Vec<Diagnostic>);
pub(crate) type GraphCheck = fn(&GraphCtx, &mut Vec<Diagnostic>);
pub(crate) type NodeCheck = fn(&NodeCtx, &mut Vec<Diagnostic>);

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
    /// A graph rule whose findings for a node depend on that node alone (its text, file and
    /// qualified name, and the config): runs on every node of the graph of every script
    /// without parse or name errors, like a `graph_check`, but one node at a time, so the
    /// language server can keep the findings of the nodes an edit left alone
    /// (`check::incremental`). Every span it reports lies inside the node.
    pub node_check: Option<NodeCheck>,
}

impl Rule {
    /// The defaults shared by most rules: no cascade, no check function.
    pub(crate) const fn new(code: Code, level: Level, summary: &'static str, doc: &'static str) -> Rule {
        Rule {
            code,
            level,
            summary,
            doc,
            stops_graph_rules: false,
            file_check: None,
            graph_check: None,
            node_check: None,
        }
    }

    /// Whether the rule runs on script graphs (so it does not run where the cascade skips them).
    pub(crate) fn is_graph_rule(&self) -> bool {
        self.graph_check.is_some() || self.node_check.is_some()
    }
}
