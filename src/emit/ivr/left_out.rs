//! What a phone export leaves out, as `not-exported` diagnostics: statements a phone flow
//! cannot carry out (`customer` examples, `note`, `hold`, `follow_up`, a second `transfer`)
//! and flows too large for the product. Nothing is dropped silently.

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Stmt, StmtKind};

/// One `not-exported` warning per kind of statement a phone flow cannot carry out, per file,
/// labelling every such statement the script reaches.
pub fn left_out(project: &Project, graph: &ScriptGraph, target: &str) -> Vec<Diagnostic> {
    let mut found: Vec<(FileId, &'static str, Vec<&Stmt>)> = Vec::new();
    for index in graph.nodes() {
        let key = graph.graph[index];
        let mut transfers = 0;
        for stmt in &project.node(key).stmts {
            let kind = match stmt.kind {
                StmtKind::Customer(_) | StmtKind::Note(_) | StmtKind::Hold(_) | StmtKind::FollowUp { .. } => {
                    stmt.keyword_text()
                }
                StmtKind::Transfer(_) => {
                    transfers += 1;
                    if transfers == 1 {
                        continue;
                    }
                    "transfer"
                }
                _ => continue,
            };
            match found.iter_mut().find(|(file, k, _)| *file == key.0 && *k == kind) {
                Some((_, _, stmts)) => stmts.push(stmt),
                None => found.push((key.0, kind, vec![stmt])),
            }
        }
    }
    found
        .into_iter()
        .map(|(file, kind, stmts)| {
            let (why, help) = match kind {
                "customer" => (
                    "an example of what the caller says; the flow listens instead",
                    "nothing to do: the caller's words come from the caller",
                ),
                "note" => (
                    "a trainer note, never spoken",
                    "nothing to do: keep notes for rehearsal (`defuse play`) and the flow JSON",
                ),
                "hold" => (
                    "the flow has no hold step",
                    "drop the hold from the script, or add a hold step in the tool after importing",
                ),
                "follow_up" => {
                    ("a follow-up is work for the agent after the call", "schedule follow-ups in your ticketing tool")
                }
                _ => ("only a node's first transfer becomes a transfer step", "keep one `transfer` per node"),
            };
            let count = stmts.len();
            let lines = if count == 1 { "line".to_owned() } else { format!("{count} lines") };
            let message = format!("`{kind}` {lines} left out of the {target} export: {why}");
            let mut diagnostic = warning(file, stmts[0].span, message, help).label(format!("not in the {target} flow"));
            for stmt in &stmts[1..] {
                diagnostic = diagnostic.with(file, stmt.span, "also left out");
            }
            diagnostic
        })
        .collect()
}

/// The warning for a flow of `count` parts (widgets, blocks) when the product imports at most `max`.
pub fn too_large(
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
pub fn warning(file: FileId, span: Span, message: String, help: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Code::NotExported, file, span, message).help(help);
    diagnostic.severity = Severity::Warning;
    diagnostic
}
