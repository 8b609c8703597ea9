//! What a phone export leaves out, as `not-exported` diagnostics: statements a phone flow
//! cannot carry out (`customer` examples, `note`, `hold`, `follow_up`, a second `transfer`)
//! and flows too large for the product. Nothing is dropped silently.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Stmt, StmtKind};

/// A kind of statement a phone flow cannot carry out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LeftOut {
    Customer,
    Note,
    Hold,
    FollowUp,
    /// A node's second and later `transfer`.
    ExtraTransfer,
}

impl LeftOut {
    /// The keyword the warning names.
    fn keyword(self) -> &'static str {
        match self {
            LeftOut::Customer => "customer",
            LeftOut::Note => "note",
            LeftOut::Hold => "hold",
            LeftOut::FollowUp => "follow_up",
            LeftOut::ExtraTransfer => "transfer",
        }
    }

    /// Why the flow has no place for it, and what to do.
    fn why_and_help(self) -> (&'static str, &'static str) {
        match self {
            LeftOut::Customer => (
                "an example of what the caller says; the flow listens instead",
                "nothing to do: the caller's words come from the caller",
            ),
            LeftOut::Note => (
                "a trainer note, never spoken",
                "nothing to do: keep notes for rehearsal (`defuse play`) and the flow JSON",
            ),
            LeftOut::Hold => (
                "the flow has no hold step",
                "drop the hold from the script, or add a hold step in the tool after importing",
            ),
            LeftOut::FollowUp => {
                ("a follow-up is work for the agent after the call", "schedule follow-ups in your ticketing tool")
            }
            LeftOut::ExtraTransfer => {
                ("only a node's first transfer becomes a transfer step", "keep one `transfer` per node")
            }
        }
    }
}

/// One `not-exported` warning per kind of statement a phone flow cannot carry out, per file,
/// labelling every such statement the script reaches.
pub(crate) fn left_out(project: &Project, graph: &ScriptGraph, target: &str) -> Vec<Diagnostic> {
    let mut found: Vec<(FileId, LeftOut, Vec<&Stmt>)> = Vec::new();
    for index in graph.nodes() {
        let key = graph.graph[index];
        let mut transfers = 0;
        for stmt in &project.node(key).stmts {
            let kind = match stmt.kind {
                StmtKind::Customer(_) => LeftOut::Customer,
                StmtKind::Note(_) => LeftOut::Note,
                StmtKind::Hold(_) => LeftOut::Hold,
                StmtKind::FollowUp { .. } => LeftOut::FollowUp,
                StmtKind::Transfer(_) => {
                    transfers += 1;
                    if transfers == 1 {
                        continue;
                    }
                    LeftOut::ExtraTransfer
                }
                _ => continue,
            };
            match found.iter_mut().find(|(file, k, _)| *file == key.file && *k == kind) {
                Some((_, _, stmts)) => stmts.push(stmt),
                None => found.push((key.file, kind, vec![stmt])),
            }
        }
    }
    found
        .into_iter()
        .map(|(file, kind, stmts)| {
            let (why, help) = kind.why_and_help();
            let count = stmts.len();
            let lines = if count == 1 { "line".to_owned() } else { format!("{count} lines") };
            let message = format!("`{}` {lines} left out of the {target} export: {why}", kind.keyword());
            let mut diagnostic = warning(file, stmts[0].span, message, help).label(format!("not in the {target} flow"));
            for stmt in &stmts[1..] {
                diagnostic = diagnostic.with(file, stmt.span, "also left out");
            }
            diagnostic
        })
        .collect()
}

/// The warning for a flow of `count` parts (widgets, blocks) when the product imports at most `max`.
pub(crate) fn too_large(
    project: &Project,
    graph: &ScriptGraph,
    count: usize,
    max: usize,
    message: String,
) -> Option<Diagnostic> {
    (count > max).then(|| {
        let script = project.item(graph.script).expect("exports are built for parsed scripts");
        warning(graph.script, script.name.span, message, "split the script into smaller scripts before importing")
    })
}

/// A `not-exported` warning.
pub(crate) fn warning(file: FileId, span: Span, message: String, help: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Code::NotExported, file, span, message).help(help);
    diagnostic.severity = Severity::Warning;
    diagnostic
}
