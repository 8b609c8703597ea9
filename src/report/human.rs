//! Human output: miette's graphical report (source excerpt, labels, help).
//!
//! A diagnostic's labels in its own file become labels on its excerpt; labels in other
//! files (a library node, the other duplicate script) become `related` reports, each with
//! its own excerpt.

use std::fmt;

use std::ops::Range;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, Sources};

/// Lines of context miette shows around a label.
const CONTEXT_LINES: usize = 1;

/// Renders diagnostics with a fixed theme and width.
pub struct HumanRenderer {
    handler: GraphicalReportHandler,
}

impl HumanRenderer {
    /// `color` only when writing to a terminal; tests use `false` and a fixed `width`.
    pub fn new(color: bool, width: usize) -> HumanRenderer {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        HumanRenderer {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false)
                .with_context_lines(CONTEXT_LINES),
        }
    }

    pub fn render(&self, diagnostic: &Diagnostic, sources: &Sources) -> String {
        let view = View::new(diagnostic, sources);
        let mut out = String::new();
        self.handler.render_report(&mut out, &view).expect("writing to a String cannot fail");
        out
    }
}

struct View {
    code: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(diagnostic: &Diagnostic, sources: &Sources) -> View {
        let home = diagnostic.file();
        let mut labels = vec![labeled(&diagnostic.primary, true)];
        let mut others: Vec<(FileId, Vec<&Label>)> = Vec::new();
        for label in &diagnostic.secondary {
            if label.file == home {
                labels.push(labeled(label, false));
            } else if let Some((_, group)) = others.iter_mut().find(|(file, _)| *file == label.file) {
                group.push(label);
            } else {
                others.push((label.file, vec![label]));
            }
        }
        let related = others
            .into_iter()
            .map(|(file, group)| View {
                code: "",
                severity: diagnostic.severity,
                message: format!("in `{}`", sources.get(file).display_path()),
                help: None,
                source: Excerpt::new(sources, file, &group),
                labels: group.into_iter().map(|label| labeled(label, false)).collect(),
                related: Vec::new(),
            })
            .collect();
        let home_labels: Vec<&Label> = std::iter::once(&diagnostic.primary)
            .chain(diagnostic.secondary.iter().filter(|label| label.file == home))
            .collect();
        View {
            code: diagnostic.code,
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            source: Excerpt::new(sources, home, &home_labels),
            labels,
            related,
        }
    }
}

/// How many lines `data` covers. miette's own `line_count` counts every line from the start of
/// the text, so two labels a screen apart deep in a file were merged into one excerpt holding
/// every line between them.
fn lines_in(data: &[u8]) -> usize {
    let newlines = data.iter().filter(|&&byte| byte == b'\n').count();
    newlines + usize::from(!data.ends_with(b"\n"))
}

/// A file's text narrowed to the lines around one report's labels.
///
/// miette numbers lines by scanning the text from its start at every read, so each report
/// deep in a 25 MB file scanned megabytes, and thousands of reports made a run quadratic
/// (half an hour). The window holds every line miette can show: contexts around labels grow
/// by `CONTEXT_LINES` each time two adjacent ones merge.
struct Excerpt {
    name: String,
    text: Arc<String>,
    window: Range<usize>,
    first_line: usize,
}

impl Excerpt {
    fn new(sources: &Sources, file: FileId, labels: &[&Label]) -> Excerpt {
        let source = sources.get(file);
        let start = labels.iter().map(|label| label.span.start()).min().unwrap_or(0);
        let end = labels.iter().map(|label| label.span.end()).max().unwrap_or(0);
        let margin = CONTEXT_LINES * (labels.len() + 1) + 1;
        let (window, first_line) = source.lines_around(start..end, margin);
        Excerpt { name: source.display_path(), text: source.text.clone(), window, first_line }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = span.offset().checked_sub(self.window.start).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(offset.into(), span.len());
        let text: &'a str = &self.text[self.window.clone()];
        let inner = text.read_span(&local, context_lines_before, context_lines_after)?;
        let absolute = SourceSpan::new((inner.span().offset() + self.window.start).into(), inner.span().len());
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            absolute,
            inner.line() + self.first_line,
            inner.column(),
            lines_in(inner.data()),
        );
        Ok(Box::new(contents.with_language("defuse")))
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    let span = (label.span.start(), label.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|view| view as &dyn miette::Diagnostic)))
    }
}

impl HumanRenderer {
    /// Every diagnostic, then the summary line: what `defuse check` prints.
    pub fn render_all(&self, project: &crate::resolve::Project, diagnostics: &[Diagnostic]) -> String {
        let mut text = String::new();
        for diagnostic in diagnostics {
            text.push_str(&self.render(diagnostic, &project.sources));
            text.push('\n');
        }
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        text.push_str(&summary(errors, diagnostics.len() - errors, project.sources.len()));
        text.push('\n');
        text
    }
}

/// "2 errors, 1 warning in 3 files".
pub fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {} in {}", plural(errors, "error"), plural(warnings, "warning"), plural(files, "file"))
}
