//! Human output: miette's graphical report (source excerpt, labels, help).
//!
//! A diagnostic's labels in its own file become labels on its excerpt; labels in other
//! files (a library node, the other duplicate script) become `related` reports, each with
//! its own excerpt.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, Sources};

/// Renders diagnostics with a fixed theme and width.
pub struct HumanRenderer {
    handler: GraphicalReportHandler,
}

impl HumanRenderer {
    /// `color` only when writing to a terminal; tests use `false` and a fixed `width`.
    pub fn new(color: bool, width: usize) -> HumanRenderer {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        HumanRenderer { handler: GraphicalReportHandler::new_themed(theme).with_width(width).with_links(false) }
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
    source: NamedSource<std::sync::Arc<str>>,
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
                source: named(sources, file),
                labels: group.into_iter().map(|label| labeled(label, false)).collect(),
                related: Vec::new(),
            })
            .collect();
        View {
            code: diagnostic.code,
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            source: named(sources, home),
            labels,
            related,
        }
    }
}

fn named(sources: &Sources, file: FileId) -> NamedSource<std::sync::Arc<str>> {
    let source = sources.get(file);
    NamedSource::new(source.display_path(), source.text.clone()).with_language("defuse")
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
