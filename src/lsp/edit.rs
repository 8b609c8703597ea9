//! Edits the server offers: formatting (the `fmt` printer) and quick fixes.
//!
//! Quick fixes come from the diagnostics themselves: a diagnostic's [`Fix`] (the edits behind
//! its "did you mean" help: a misspelled target, library, placeholder, keyword or `use` path)
//! is offered as it is, and an `unknown-placeholder` in a script also offers to add the name
//! to its `vars`.

use crate::diagnostic::{Code, Diagnostic, Edit, Fix};
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::ast::ItemKind;

/// The formatted text, or `None` when the text does not parse (nothing is changed then).
pub fn format(text: &str) -> Option<String> {
    let parsed = crate::syntax::parse(FileId::from_index(0), text);
    match parsed.ast {
        Some(ast) if parsed.diagnostics.is_empty() => Some(crate::syntax::format::format(&ast, text)),
        _ => None,
    }
}

/// One quick fix: a title and the edits (in the diagnostic's file) that make it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct QuickFix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
    pub preferred: bool,
}

/// The quick fixes for `diagnostic`, written in `file`: its own [`Fix`], then for an
/// `unknown-placeholder` in a script, adding the name to its `vars`.
pub(crate) fn fixes(project: &Project, file: FileId, diagnostic: &Diagnostic) -> Vec<QuickFix> {
    let mut fixes = Vec::new();
    if let Some(fix) = diagnostic.fix.as_ref().and_then(|fix| suggested(project, file, fix)) {
        fixes.push(fix);
    }
    if diagnostic.code == Code::UnknownPlaceholder {
        if let Some(fix) = add_var(project, file, diagnostic.primary.span) {
            fixes.push(fix);
        }
    }
    fixes
}

/// The diagnostic's own fix, when all its edits are in `file`, each span is in the text and
/// at least one edit changes something.
fn suggested(project: &Project, file: FileId, fix: &Fix) -> Option<QuickFix> {
    let text = &project.sources.get(file).text;
    let fits = |edit: &Edit| edit.file == file && text.get(edit.span.start()..edit.span.end()).is_some();
    let changes = |edit: &Edit| text[edit.span.start()..edit.span.end()] != edit.replacement;
    if !fix.edits.iter().all(fits) || !fix.edits.iter().any(changes) {
        return None;
    }
    // In the order of the text, so a title of several replacements reads left to right.
    let mut edits: Vec<(Span, String)> = fix.edits.iter().map(|edit| (edit.span, edit.replacement.clone())).collect();
    edits.sort_by_key(|(span, _)| span.start());
    let shown: Vec<&str> = edits.iter().map(|(_, replacement)| replacement.as_str()).collect();
    Some(QuickFix { title: format!("Replace with `{}`", shown.join("`, `")), edits, preferred: true })
}

/// Adds the placeholder at `span` (`{name}`) to the script's `vars`: after the last var, or as
/// a new `vars` line after the script's `{` (and its `meta` blocks).
fn add_var(project: &Project, file: FileId, span: Span) -> Option<QuickFix> {
    let item = project.item(file)?;
    if item.kind != ItemKind::Script {
        return None;
    }
    let text = &project.sources.get(file).text;
    let name = text.get(span.start()..span.end())?.strip_prefix('{')?.strip_suffix('}')?;
    let edit = match item.vars.last() {
        Some(last) => (Span::new(last.span.end(), last.span.end()), format!(" {name}")),
        None => {
            let after = item.meta_blocks.last().map(Span::end).or_else(|| {
                let from = item.title.as_ref().map_or(item.name.span.end(), |title| title.span.end());
                text[from..].find('{').map(|at| from + at + 1)
            })?;
            (Span::new(after, after), format!("\n  vars {name}"))
        }
    };
    Some(QuickFix { title: format!("Add `{name}` to `vars`"), edits: vec![edit], preferred: false })
}
