//! Reporting diagnostics: human (miette), and the machine formats for CI: JSON (spec 4),
//! SARIF 2.1.0 (GitHub code scanning) and GitHub workflow commands. Each machine format is
//! built from its own serde types, never from internal structures.
//!
//! Positions are 1-based; columns count characters; an end position is exclusive (the
//! column just after the last character), as SARIF defines it.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::cli::Format;
use crate::diagnostic::{Diagnostic, Label};
use crate::resolve::Project;
use crate::source::LineCol;

/// The whole report in a machine format, ending with a newline.
pub fn machine(format: Format, project: &Project, diagnostics: &[Diagnostic]) -> String {
    match format {
        Format::Json => json::render(project, diagnostics),
        Format::Sarif => sarif::render(project, diagnostics),
        Format::Github => github::render(project, diagnostics),
        Format::Human => unreachable!("human output is rendered by report::human"),
    }
}

/// A label's file, start and end, resolved to printable positions.
pub struct Position {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
}

pub fn position(project: &Project, label: &Label) -> Position {
    let source = project.sources.get(label.file);
    Position {
        file: source.display_path(),
        start: source.line_col(label.span.start()),
        end: source.line_col(label.span.end()),
    }
}
