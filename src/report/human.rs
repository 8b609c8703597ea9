//! Human output: miette's graphical report (source excerpt, labels, help).
//!
//! A diagnostic's labels in its own file become labels on its excerpt; labels in other
//! files (a library node, the other duplicate script, the script's edge into a library)
//! follow as one more excerpt per file under an advice-level "in `file`" line: part of the
//! same report, not a second error.
//!
//! **Invariant:** script text reaches miette neutralised ([`crate::output::terminal_text`]):
//! control characters show as `\u{1b}`-style escapes in messages, labels, file names and
//! excerpts. A line longer than [`WHOLE_LINE_CHARS`] is cut to [`CUT_SIDE_CHARS`] characters
//! around each label boundary, the cuts marked `…`, so a report's size and cost do not grow
//! with line length (and miette never sees a column past 65,535, where it panics).

use std::collections::BTreeMap;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::output::{push_terminal_char, terminal_text};
use crate::source::{FileId, SourceFile, Sources};

/// Lines of context miette shows around a label.
const CONTEXT_LINES: usize = 1;

/// Lines up to this many characters are shown whole.
pub(crate) const WHOLE_LINE_CHARS: usize = 160;

/// How many characters a cut line keeps on each side of a label's start and end.
pub(crate) const CUT_SIDE_CHARS: usize = 40;

/// Marks where a long line was cut.
const CUT: &str = "…";

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
        let mut view = View::new(diagnostic, sources);
        // miette would head each related report with its own "Error:" line; rendered here
        // they read as more excerpts of the one report.
        // The help stays last: it is rendered once with and once without, and its lines
        // move after the related excerpts.
        let related = std::mem::take(&mut view.related);
        let mut out = String::new();
        self.handler.render_report(&mut out, &view).expect("writing to a String cannot fail");
        if related.is_empty() {
            return out;
        }
        let help = view.help.take().map(|_| out.clone());
        out.clear();
        self.handler.render_report(&mut out, &view).expect("writing to a String cannot fail");
        // Without the help, the report is the same text up to the help's lines; were it ever
        // not, the help simply stays where miette put it.
        let footer = match help {
            Some(whole) => match whole.strip_prefix(out.as_str()) {
                Some(footer) => footer.to_owned(),
                None => {
                    out = whole;
                    String::new()
                }
            },
            None => String::new(),
        };
        for view in related {
            let mut excerpt = String::new();
            self.handler.render_report(&mut excerpt, &view).expect("writing to a String cannot fail");
            out.push_str(excerpt.trim_start_matches('\n'));
        }
        out.push_str(&footer);
        out
    }

    /// A config error (`defuse.toml`), with its TOML excerpt, as safe as a diagnostic.
    pub(crate) fn render_config_error(&self, error: &crate::config::ConfigError) -> String {
        let file = error
            .source_code
            .as_ref()
            .map(|source| SourceFile::new(std::path::PathBuf::from(&source.name), source.text.clone()));
        let span = error.span;
        let (source, labels) = match (&file, span) {
            (Some(file), Some(span)) => {
                let label = Label { file: FileId::from_index(0), span, message: error.label.clone() };
                let excerpt = Excerpt::new(file, &[&label]);
                let labels = vec![labeled(&label, true, &excerpt)];
                (excerpt, labels)
            }
            _ => (Excerpt::empty(), Vec::new()),
        };
        let view = View {
            code: "config",
            severity: miette::Severity::Error,
            message: terminal_text(&error.message).into_owned(),
            help: error.help.as_deref().map(|help| terminal_text(help).into_owned()),
            source,
            labels,
            related: Vec::new(),
        };
        let mut out = String::new();
        self.handler.render_report(&mut out, &view).expect("writing to a String cannot fail");
        out
    }
}

struct View {
    code: &'static str,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(diagnostic: &Diagnostic, sources: &Sources) -> View {
        let home = diagnostic.file();
        let mut home_labels = vec![&diagnostic.primary];
        let mut others: Vec<(FileId, Vec<&Label>)> = Vec::new();
        for label in &diagnostic.secondary {
            if label.file == home {
                home_labels.push(label);
            } else if let Some((_, group)) = others.iter_mut().find(|(file, _)| *file == label.file) {
                group.push(label);
            } else {
                others.push((label.file, vec![label]));
            }
        }
        let related = others
            .into_iter()
            .map(|(file, group)| {
                let source = Excerpt::new(sources.get(file), &group);
                View {
                    code: "",
                    severity: miette::Severity::Advice,
                    message: format!("in `{}`", source.name),
                    help: None,
                    labels: group.into_iter().map(|label| labeled(label, false, &source)).collect(),
                    source,
                    related: Vec::new(),
                }
            })
            .collect();
        let source = Excerpt::new(sources.get(home), &home_labels);
        View {
            code: diagnostic.code.as_str(),
            severity: match diagnostic.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            message: terminal_text(&diagnostic.headline()).into_owned(),
            help: diagnostic.help.as_deref().map(|help| terminal_text(help).into_owned()),
            labels: home_labels.iter().enumerate().map(|(i, label)| labeled(label, i == 0, &source)).collect(),
            source,
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

/// A file's text narrowed to the lines around one report's labels, made safe to print.
///
/// miette numbers lines by scanning the text from its start at every read, so each report
/// deep in a 25 MB file scanned megabytes, and thousands of reports made a run quadratic
/// (half an hour). The excerpt holds every line miette can show: contexts around labels grow
/// by `CONTEXT_LINES` each time two adjacent ones merge. Lines farther from every label are
/// kept empty (only their line break), so line numbers stay right at no cost; a multi-line
/// label's own lines are all kept.
///
/// The text is a rewritten copy: control characters escaped, long lines cut (see the module
/// doc). Labels are moved onto it with [`Excerpt::offset`]; the header keeps the position in
/// the real file (line, and byte column as miette counts it).
struct Excerpt {
    name: String,
    text: String,
    first_line: usize,
    /// Original byte offset of each label boundary → its offset in `text`.
    offsets: BTreeMap<usize, usize>,
    /// Offset in `text` of each label boundary → its 0-based line and byte column in the file.
    positions: BTreeMap<usize, (usize, usize)>,
}

impl Excerpt {
    fn empty() -> Excerpt {
        Excerpt {
            name: String::new(),
            text: String::new(),
            first_line: 0,
            offsets: BTreeMap::new(),
            positions: BTreeMap::new(),
        }
    }

    fn new(source: &SourceFile, labels: &[&Label]) -> Excerpt {
        let text = source.text.as_str();
        let mut boundaries: Vec<usize> =
            labels.iter().flat_map(|label| [label.span.start(), label.span.end()]).map(|b| b.min(text.len())).collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        let start = boundaries.first().copied().unwrap_or(0);
        let end = boundaries.last().copied().unwrap_or(0);
        let margin = CONTEXT_LINES * (labels.len() + 1) + 1;
        let (window, first_line) = source.lines_around(start..end, margin);
        // Lines miette may show: each label's own lines and `margin` lines around them.
        let shown_lines: Vec<(usize, usize)> = labels
            .iter()
            .map(|label| {
                let first = source.line_of(label.span.start()).saturating_sub(margin);
                (first, source.line_of(label.span.end()) + margin)
            })
            .collect();

        let mut excerpt = Excerpt {
            name: crate::output::terminal_name(&source.display_path()).into_owned(),
            text: String::new(),
            first_line,
            offsets: BTreeMap::new(),
            positions: BTreeMap::new(),
        };
        let mut line = first_line;
        while line < source.line_count() && source.line_span(line).start < window.end {
            let span = source.line_span(line);
            let near = shown_lines.iter().any(|&(first, last)| (first..=last).contains(&line));
            let content_end = span.end - usize::from(text[..span.end].ends_with('\n'));
            let content_end = content_end - usize::from(text[span.start..content_end].ends_with('\r'));
            if near {
                let on_line: Vec<usize> =
                    boundaries.iter().copied().filter(|&b| b >= span.start && b <= content_end).collect();
                excerpt.push_line(text, span.start..content_end, &on_line);
            }
            // The line break is copied as it is (a CRLF's `\r` is no control to show).
            for (i, c) in text[content_end..span.end].char_indices() {
                excerpt.record(content_end + i, &boundaries);
                excerpt.text.push(c);
            }
            if span.end == text.len() {
                excerpt.record(span.end, &boundaries);
            }
            line += 1;
        }
        for &boundary in &boundaries {
            let at = source.line_of(boundary);
            let column = boundary - source.line_span(at).start;
            let offset = excerpt.offset(boundary);
            excerpt.positions.entry(offset).or_insert((at, column));
        }
        excerpt
    }

    /// Appends one line (without its break): whole when short, else cut around `boundaries`.
    fn push_line(&mut self, text: &str, line: std::ops::Range<usize>, boundaries: &[usize]) {
        let content = &text[line.clone()];
        let short = content.len() <= 4 * WHOLE_LINE_CHARS && content.chars().count() <= WHOLE_LINE_CHARS;
        if short {
            self.push_kept(text, line, boundaries);
            return;
        }
        let mut kept: Vec<std::ops::Range<usize>> = Vec::new();
        let anchors = if boundaries.is_empty() { vec![line.start] } else { boundaries.to_vec() };
        for anchor in anchors {
            let from = back(text, anchor, line.start, CUT_SIDE_CHARS);
            let to = forward(text, anchor, line.end, CUT_SIDE_CHARS);
            match kept.last_mut() {
                Some(last) if from <= last.end => last.end = last.end.max(to),
                _ => kept.push(from..to),
            }
        }
        let mut at = line.start;
        for range in kept {
            if range.start > at {
                self.text.push_str(CUT);
            }
            at = range.end;
            self.push_kept(text, range, boundaries);
        }
        if at < line.end {
            self.text.push_str(CUT);
        }
    }

    /// Appends `range` of `text` neutralised, noting where each boundary in it lands.
    fn push_kept(&mut self, text: &str, range: std::ops::Range<usize>, boundaries: &[usize]) {
        for (i, c) in text[range.clone()].char_indices() {
            self.record(range.start + i, boundaries);
            push_terminal_char(&mut self.text, c);
        }
        self.record(range.end, boundaries);
    }

    fn record(&mut self, original: usize, boundaries: &[usize]) {
        if boundaries.binary_search(&original).is_ok() {
            self.offsets.entry(original).or_insert(self.text.len());
        }
    }

    /// Where the original byte `offset` (a label boundary) is in the excerpt's text.
    fn offset(&self, offset: usize) -> usize {
        self.offsets.get(&offset).copied().unwrap_or(self.text.len())
    }
}

/// The byte offset `chars` characters before `from`, not before `floor`.
fn back(text: &str, from: usize, floor: usize, chars: usize) -> usize {
    text[floor..from].char_indices().rev().take(chars).last().map_or(from, |(i, _)| floor + i)
}

/// The byte offset `chars` characters after `from`, not after `ceiling`.
fn forward(text: &str, from: usize, ceiling: usize, chars: usize) -> usize {
    text[from..ceiling].char_indices().nth(chars).map_or(ceiling, |(i, _)| from + i)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, context_lines_before, context_lines_after)?;
        let (line, column) = match self.positions.get(&span.offset()) {
            Some(&(line, column)) if context_lines_before == 0 && context_lines_after == 0 => (line, column),
            _ => (inner.line() + self.first_line, inner.column()),
        };
        let contents = MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            lines_in(inner.data()),
        );
        Ok(Box::new(contents.with_language("defuse")))
    }
}

fn labeled(label: &Label, primary: bool, excerpt: &Excerpt) -> LabeledSpan {
    let text = (!label.message.is_empty()).then(|| terminal_text(&label.message).into_owned());
    let start = excerpt.offset(label.span.start());
    let span = (start, excerpt.offset(label.span.end()).saturating_sub(start));
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
        Some(self.severity)
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
        self.write_all(project, diagnostics, &mut text).expect("writing to a String cannot fail");
        text
    }

    /// [`HumanRenderer::render_all`], streamed: each diagnostic is written to `out` as soon as
    /// it is rendered, so memory holds one report at a time. Stops at the first error of
    /// `out` (a closed pipe).
    pub(crate) fn write_all(
        &self,
        project: &crate::resolve::Project,
        diagnostics: &[Diagnostic],
        out: &mut impl fmt::Write,
    ) -> fmt::Result {
        for diagnostic in diagnostics {
            let mut text = self.render(diagnostic, &project.sources);
            text.push('\n');
            out.write_str(&text)?;
        }
        let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        out.write_str(&summary(errors, diagnostics.len() - errors, project.sources.len()))?;
        out.write_str("\n")
    }
}

/// "2 errors, 1 warning in 3 files".
pub(crate) fn summary(errors: usize, warnings: usize, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {} in {}", plural(errors, "error"), plural(warnings, "warning"), plural(files, "file"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("s.defuse".into(), text.to_owned())
    }

    fn label(start: usize, end: usize) -> Label {
        Label { file: FileId::from_index(0), span: Span::new(start, end), message: "here".into() }
    }

    fn report(text: &str, start: usize, end: usize) -> String {
        let mut sources = Sources::default();
        sources.add(file(text));
        let diagnostic = Diagnostic {
            code: crate::diagnostic::Code::Phrase,
            severity: Severity::Warning,
            message: "a \u{1b}[2J message".into(),
            primary: label(start, end),
            secondary: Vec::new(),
            help: Some("help \u{7}".into()),
            fix: None,
            locale: None,
        };
        HumanRenderer::new(false, 100).render(&diagnostic, &sources)
    }

    #[test]
    fn a_long_line_is_cut_around_the_label() {
        let text = format!("first\n{}LABEL{}\nlast\n", "a".repeat(10_000), "b".repeat(10_000));
        let start = text.find("LABEL").unwrap();
        let source = file(&text);
        let excerpt = Excerpt::new(&source, &[&label(start, start + 5)]);
        let shown = format!("first\n…{}LABEL{}…\nlast\n", "a".repeat(40), "b".repeat(40));
        assert_eq!(excerpt.text, shown);
        let at = excerpt.offset(start);
        assert_eq!(&excerpt.text[at..excerpt.offset(start + 5)], "LABEL");
        // The header keeps the real position: line 2, byte column 10,001.
        assert!(report(&text, start, start + 5).contains("[s.defuse:2:10001]"));
    }

    #[test]
    fn a_long_label_keeps_both_ends() {
        let text = format!("x = \"{}\"\n", "é".repeat(5_000));
        let (start, end) = (4, text.len() - 1);
        let excerpt = Excerpt::new(&file(&text), &[&label(start, end)]);
        assert_eq!(excerpt.text, format!("x = \"{}…{}\"\n", "é".repeat(39), "é".repeat(39)));
        assert_eq!(&excerpt.text[excerpt.offset(start)..excerpt.offset(end)].chars().next(), &Some('"'));
    }

    #[test]
    fn control_characters_are_escaped_and_labels_follow() {
        let text = "say \"\u{1b}[2J\u{7}\" calm down\n";
        let start = text.find("calm").unwrap();
        let excerpt = Excerpt::new(&file(text), &[&label(start, start + 4)]);
        assert_eq!(excerpt.text, "say \"\\u{1b}[2J\\u{7}\" calm down\n");
        assert_eq!(&excerpt.text[excerpt.offset(start)..excerpt.offset(start + 4)], "calm");
        let shown = report(text, start, start + 4);
        assert!(!shown.chars().any(|c| c.is_control() && c != '\n'), "{shown}");
        assert!(shown.contains("a \\u{1b}[2J message") && shown.contains("help \\u{7}"), "{shown}");
    }

    proptest::proptest! {
        /// Any text, any label: the report renders, and a short label's excerpt is exactly its
        /// text with control characters escaped.
        #[test]
        fn every_label_lands_on_its_own_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["x", "é", "\u{1b}", "\r", "\n", "\r\n", "\t", "😀", "y"]),
                0..400,
            ),
            long in 0usize..300,
            a in 0usize..1000,
            b in 0usize..1000,
        ) {
            let mut text: String = pieces.concat();
            let middle = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            text.insert_str(middle, &"z".repeat(long));
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let (mut start, mut end) = (boundaries[a % boundaries.len()], boundaries[b % boundaries.len()]);
            if start > end {
                std::mem::swap(&mut start, &mut end);
            }
            let excerpt = Excerpt::new(&file(&text), &[&label(start, end)]);
            let (from, to) = (excerpt.offset(start), excerpt.offset(end));
            proptest::prop_assert!(from <= to && to <= excerpt.text.len());
            // (A label ending inside a CRLF shows that `\r` as the line break it is.)
            let shown = &text[start..end];
            if shown.chars().count() <= CUT_SIDE_CHARS && !shown.ends_with('\r') {
                proptest::prop_assert_eq!(&excerpt.text[from..to], terminal_text(&text[start..end]));
            }
            let _ = report(&text, start, end);
        }
    }

    #[test]
    fn lines_far_from_every_label_stay_empty() {
        let text = "line\n".repeat(10_000);
        let excerpt = Excerpt::new(&file(&text), &[&label(0, 4), &label(text.len() - 5, text.len() - 1)]);
        assert!(excerpt.text.len() < 10_000 + 100, "{}", excerpt.text.len());
        // Each label's line and the margin (4 lines for two labels) on the side that exists.
        let margin = CONTEXT_LINES * 3 + 1;
        assert_eq!(excerpt.text.matches("line").count(), 2 * (margin + 1));
    }
}
