//! Reporting diagnostics: human (miette), and the machine formats for CI: JSON (spec 4),
//! SARIF 2.1.0 (GitHub code scanning) and GitHub workflow commands. Each machine format is
//! built from its own serde types, never from internal structures.
//!
//! Positions are 1-based; columns count characters; an end position is exclusive (the
//! column just after the last character), as SARIF defines it.

pub(crate) mod github;
pub mod human;
pub(crate) mod json;
pub(crate) mod sarif;

use crate::diagnostic::{Diagnostic, Label};
use crate::resolve::Project;
use crate::source::{FileId, LineCol};

/// How diagnostics are printed (`check --format`).
/// The command line's mirror is `cli::choices::FormatArg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 4] = [Format::Human, Format::Json, Format::Sarif, Format::Github];
}

/// The whole report in a machine format, ending with a newline; `None` for [`Format::Human`],
/// which streams diagnostic by diagnostic through [`human::HumanRenderer`].
pub(crate) fn machine(format: Format, project: &Project, diagnostics: &[Diagnostic]) -> Option<String> {
    match format {
        Format::Human => None,
        Format::Json => Some(json::render(project, diagnostics)),
        Format::Sarif => Some(sarif::render(project, diagnostics)),
        Format::Github => Some(github::render(project, diagnostics)),
    }
}

/// A label's file, start and end, resolved to printable positions.
pub struct Position {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
}

/// Resolves label positions for one report. Columns count characters, so finding one means
/// counting from the start of its line; diagnostics come sorted, so counting on from the
/// previous position on the same line keeps thousands of reports on one long line linear
/// (counting from the line start each time was quadratic in the line length).
pub(crate) struct Locator<'a> {
    project: &'a Project,
    /// The last position found: file, 0-based line, byte offset, column.
    last: Option<(FileId, usize, usize, usize)>,
}

impl<'a> Locator<'a> {
    pub fn new(project: &'a Project) -> Locator<'a> {
        Locator { project, last: None }
    }

    pub(crate) fn position(&mut self, label: &Label) -> Position {
        let source = self.project.sources.get(label.file);
        Position {
            file: source.display_path(),
            start: self.line_col(label.file, label.span.start()),
            end: self.line_col(label.file, label.span.end()),
        }
    }

    fn line_col(&mut self, file: FileId, offset: usize) -> LineCol {
        let source = self.project.sources.get(file);
        let offset = offset.min(source.text.len());
        let line = source.line_of(offset);
        let (from, column) = match self.last {
            Some((last_file, last_line, last_offset, column))
                if last_file == file && last_line == line && last_offset <= offset =>
            {
                (last_offset, column)
            }
            _ => (source.line_span(line).start, 1),
        };
        let column = column + source.text[from..offset].chars().count();
        self.last = Some((file, line, offset, column));
        LineCol { line: line + 1, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    #[test]
    fn positions_counted_on_from_the_last_match_the_direct_ones() {
        let mut project = Project::default();
        project.sources.add(SourceFile::new("a".into(), "ab\n“é” x y\nz".to_owned()));
        let text = project.sources.get(FileId::from_index(0)).text.clone();
        let mut locator = Locator::new(&project);
        // Forward, backward, across lines and at the end: always what `line_col` says.
        for (start, end) in [(0, 1), (3, 6), (9, 10), (4, 4), (12, 15), (16, 16), (16, 17), (0, 17)] {
            let (start, end) = (start.min(text.len()), end.min(text.len()));
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let label = Label { file: FileId::from_index(0), span: Span::new(start, end), message: String::new() };
            let at = locator.position(&label);
            assert_eq!(at.start, project.sources.get(FileId::from_index(0)).line_col(start), "{start}");
            assert_eq!(at.end, project.sources.get(FileId::from_index(0)).line_col(end), "{end}");
        }
    }
}
