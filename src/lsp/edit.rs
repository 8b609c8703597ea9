//! Edits the server offers: formatting (the `fmt` printer) and quick fixes.
//!
//! Quick fixes come from the diagnostics themselves: each "did you mean `x`?" help replaces
//! the labelled text with `x` (a misspelled target, library, placeholder or keyword), and an
//! `unknown-placeholder` in a script offers to add the name to its `vars`.

use crate::diagnostic::Diagnostic;
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::ast::ItemKind;

/// The formatted text, or `None` when the text does not parse (nothing is changed then).
pub fn format(text: &str) -> Option<String> {
    let parsed = crate::syntax::parse(0, text);
    match parsed.ast {
        Some(ast) if parsed.diagnostics.is_empty() => Some(crate::syntax::format::format(&ast, text)),
        _ => None,
    }
}

/// One quick fix: a title and the edits (in the diagnostic's file) that make it.
#[derive(Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(Span, String)>,
    pub preferred: bool,
}

/// The quick fixes for `diagnostic`, written in `file`.
pub fn fixes(project: &Project, file: FileId, diagnostic: &Diagnostic) -> Vec<Fix> {
    let mut fixes = Vec::new();
    let text = &project.sources.get(file).text;
    let span = diagnostic.primary.span;
    if let Some(suggestion) = diagnostic.help.as_deref().and_then(did_you_mean) {
        if !span.is_empty() && text.get(span.start()..span.end()).is_some_and(|found| found != suggestion) {
            fixes.push(Fix {
                title: format!("Replace with `{suggestion}`"),
                edits: vec![(span, suggestion.to_owned())],
                preferred: true,
            });
        }
    }
    if diagnostic.code == "unknown-placeholder" {
        if let Some(fix) = add_var(project, file, span) {
            fixes.push(fix);
        }
    }
    fixes
}

/// `x` from a help that reads "did you mean `x`?".
fn did_you_mean(help: &str) -> Option<&str> {
    help.strip_prefix("did you mean `")?.strip_suffix("`?")
}

/// Adds the placeholder at `span` (`{name}`) to the script's `vars`: after the last var, or as
/// a new `vars` line after the script's `{` (and its `meta` blocks).
fn add_var(project: &Project, file: FileId, span: Span) -> Option<Fix> {
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
    Some(Fix { title: format!("Add `{name}` to `vars`"), edits: vec![edit], preferred: false })
}
