//! `defuse fmt` for `.dtest` files: one canonical layout. `use` first (then `locale`), a blank line before each
//! test, two-space indented steps, one step per line; string literals copied verbatim; every
//! comment kept on the line of the element it follows (or on its own line before the next);
//! single blank lines between steps kept; line endings (CRLF) and a byte-order mark kept.
//!
//! **Invariant:** idempotent, and only for text that parses without a diagnostic.

use super::ast::{DtestFile, Expectation, Step, StepKind};
use super::parse::parse;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::source::Span;

/// The canonical form of `text`, or why it cannot be formatted.
pub fn format(text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(FileId::from_index(0), text);
    match parsed.file {
        Some(file) if parsed.diagnostics.is_empty() => Ok(layout(&file, text)),
        _ => Err(parsed.diagnostics),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Use,
    Header,
    Step,
    Close,
}

struct Element {
    kind: Kind,
    span: Span,
    text: String,
    /// Comments on their own lines before the element, with where each starts.
    leading: Vec<(usize, String)>,
    trailing: Vec<String>,
}

fn layout(file: &DtestFile, text: &str) -> String {
    let source = |span: Span| &text[span.start()..span.end()];
    let mut elements = vec![element(Kind::Use, file.use_span, format!("use {}", source(file.script.span)))];
    if let Some(locale) = &file.locale {
        elements.push(element(Kind::Use, file.locale_span, format!("locale {}", source(locale.span))));
    }
    for test in &file.tests {
        let header = Span::new(test.span.start(), test.open.end());
        elements.push(element(Kind::Header, header, format!("test {} {{", source(test.name.span))));
        for step in &test.steps {
            elements.push(element(Kind::Step, step.span, step_text(step, text)));
        }
        elements.push(element(Kind::Close, Span::new(test.span.end() - 1, test.span.end()), "}".to_owned()));
    }

    // Each comment goes with an element: inside it or after it on its line → trailing;
    // otherwise → leading, on its own line before the next element.
    let mut at_end = Vec::new();
    for (start, end) in comments(text) {
        let comment = text[start..end].trim_end().to_owned();
        let inside = elements.iter().position(|e| e.span.start() <= start && start < e.span.end());
        let before_on_line =
            elements.iter().rposition(|e| e.span.end() <= start && !text[e.span.end()..start].contains('\n'));
        match inside.or(before_on_line) {
            Some(i) => elements[i].trailing.push(comment),
            None => match elements.iter_mut().find(|e| e.span.start() > start) {
                Some(next) => next.leading.push((start, comment)),
                None => at_end.push(comment),
            },
        }
    }

    let mut lines: Vec<String> = Vec::new();
    let mut previous_end = 0;
    for element in &elements {
        let indent = if element.kind == Kind::Step { "  " } else { "" };
        let comment_indent = if matches!(element.kind, Kind::Step | Kind::Close) { "  " } else { "" };
        let blank = match element.kind {
            Kind::Header => !lines.is_empty(),
            // A blank line the writer left before a step (or its comments) stays.
            Kind::Step | Kind::Close => {
                let first = element.leading.first().map_or(element.span.start(), |(start, _)| *start);
                text[previous_end..first].matches('\n').count() >= 2
            }
            Kind::Use => false,
        };
        if blank {
            lines.push(String::new());
        }
        lines.extend(element.leading.iter().map(|(_, c)| format!("{comment_indent}{c}")));
        let mut line = format!("{indent}{}", element.text);
        for comment in &element.trailing {
            line.push(' ');
            line.push_str(comment);
        }
        lines.push(line);
        previous_end = element.span.end();
    }
    if !at_end.is_empty() {
        lines.push(String::new());
        lines.extend(at_end);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    if text.contains("\r\n") {
        out = out.replace('\n', "\r\n");
    }
    if text.starts_with('\u{FEFF}') {
        out.insert(0, '\u{FEFF}');
    }
    out
}

fn element(kind: Kind, span: Span, text: String) -> Element {
    Element { kind, span, text, leading: Vec::new(), trailing: Vec::new() }
}

/// A step in canonical form: words single-spaced, strings as written.
fn step_text(step: &Step, text: &str) -> String {
    let raw = |span: Span| text[span.start()..span.end()].to_owned();
    match &step.kind {
        StepKind::Vars(vars) => {
            let pairs: Vec<String> =
                vars.iter().map(|(name, value)| format!("{} {}", name.name, raw(value.span))).collect();
            format!("vars {}", pairs.join(" "))
        }
        StepKind::Start(target) => format!("start {}", target.display()),
        StepKind::Answer(Some(label)) => format!("answer {}", raw(label.span)),
        StepKind::Answer(None) => "answer otherwise".to_owned(),
        StepKind::Pick(label) => format!("pick {}", raw(label.span)),
        StepKind::Go(target) => format!("go {}", target.display()),
        StepKind::Expect(expectation) => format!(
            "expect {}",
            match expectation {
                Expectation::Close(target) => format!("close {}", target.display()),
                Expectation::Outcome(outcome) => format!("outcome {}", outcome.keyword()),
                Expectation::Path(targets) => {
                    format!("path {}", targets.iter().map(|t| t.display()).collect::<Vec<_>>().join(" "))
                }
                Expectation::Says(s) => format!("says {}", raw(s.span)),
                Expectation::NotSays(s) => format!("not says {}", raw(s.span)),
                Expectation::FollowUp(s) => format!("follow_up {}", raw(s.span)),
                Expectation::Under(s) => format!("under {}", raw(s.span)),
            }
        ),
    }
}

/// The byte ranges of every `#` comment of a text that parses (strings skipped).
fn comments(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                found.push((i, end));
                i = end;
            }
            b'"' if text[i..].starts_with("\"\"\"") => {
                i += 3;
                while i < bytes.len() && !text[i..].starts_with("\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn lays_out_steps_and_keeps_comments_blank_lines_and_strings() {
        let text = "# head\nuse   \"s.defuse\" # the script\ntest \"a\"{answer \"yes\"   # first\n\n  # a group\n pick \"\"\"x # not a comment\"\"\" expect path a\n b}\n# end\n";
        let formatted = format(text).unwrap();
        assert_eq!(
            formatted,
            "# head\nuse \"s.defuse\" # the script\n\ntest \"a\" {\n  answer \"yes\" # first\n\n  # a group\n  pick \"\"\"x # not a comment\"\"\"\n  expect path a b\n}\n\n# end\n"
        );
        assert_eq!(format(&formatted).unwrap(), formatted, "idempotent");
    }

    #[test]
    fn keeps_crlf_and_the_bom_and_refuses_broken_text() {
        let text = "\u{FEFF}use \"s\"\r\ntest \"a\" {\r\n answer otherwise\r\n}\r\n";
        assert_eq!(format(text).unwrap(), "\u{FEFF}use \"s\"\r\n\r\ntest \"a\" {\r\n  answer otherwise\r\n}\r\n");
        assert!(format("use \"s\" test \"a\" { anwser }").is_err());
    }
}
