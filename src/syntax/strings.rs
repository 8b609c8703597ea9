//! String literals: escapes, placeholders, and mapping text offsets back to the source.

use crate::source::Span;
use crate::syntax::ast::{Ident, Str};

/// What went wrong inside a literal, with the span of the offending escape.
pub(crate) struct BadEscape {
    pub span: Span,
    pub found: String,
}

/// Lowers the source text of a literal (quotes included) that starts at byte `start`.
pub(crate) fn lower_string(raw: &str, start: usize) -> Result<Str, BadEscape> {
    let triple = raw.starts_with("\"\"\"") && raw.len() >= 6;
    let quote_len = if triple { 3 } else { 1 };
    let content = &raw[quote_len..raw.len() - quote_len];
    let content_start = start + quote_len;

    let mut value = String::with_capacity(content.len());
    let mut placeholders = Vec::new();
    let mut escaped = false;
    let mut chars = content.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                escaped = true;
                let (_, next) = chars.next().expect("the grammar puts a character after every backslash");
                value.push(match next {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    't' => '\t',
                    '{' => '{',
                    '}' => '}',
                    other => {
                        let end = content_start + i + 1 + other.len_utf8();
                        return Err(BadEscape { span: Span::new(content_start + i, end), found: format!("\\{other}") });
                    }
                });
            }
            '{' => {
                if let Some(name_len) = placeholder_len(&content[i + 1..]) {
                    let name = &content[i + 1..i + 1 + name_len];
                    placeholders.push(Ident {
                        name: name.to_owned(),
                        span: Span::new(content_start + i, content_start + i + name_len + 2),
                    });
                }
                value.push('{');
            }
            other => value.push(other),
        }
    }
    let placeholders = placeholders.into_boxed_slice();
    Ok(Str { value, span: Span::new(start, start + raw.len()), placeholders, triple, escaped })
}

/// The length of `name` when `rest` starts with `name}` and `name` is an identifier.
fn placeholder_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_alphabetic() || first == b'_') {
        return None;
    }
    let len = bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
    (bytes.get(len) == Some(&b'}')).then_some(len)
}

impl Str {
    /// The source span of `range`, a byte range of [`Str::value`].
    pub(crate) fn source_span(&self, source: &str, range: std::ops::Range<usize>) -> Span {
        if !self.escaped {
            return Span::new(self.content_start() + range.start, self.content_start() + range.end);
        }
        // Walk the source and the value together; escapes make the two drift apart.
        let raw = &source[self.content_start()..];
        let (mut raw_i, mut value_i) = (0, 0);
        let (mut start, mut end) = (None, None);
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if value_i == range.start && start.is_none() {
                start = Some(i);
            }
            if value_i == range.end {
                end = Some(i);
                break;
            }
            let produced = if c == '\\' {
                let (_, next) = chars.next().unwrap_or((i, '\\'));
                raw_i = i + 1 + next.len_utf8();
                unescaped_len(next)
            } else {
                raw_i = i + c.len_utf8();
                c.len_utf8()
            };
            value_i += produced;
        }
        let start = start.unwrap_or(raw_i);
        let end = end.unwrap_or(raw_i);
        Span::new(self.content_start() + start, self.content_start() + end)
    }
}

/// A run of a string's text: literal characters, or a `{name}` placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'s> {
    Text(String),
    Var(&'s str),
}

impl Str {
    /// The text as literal runs and placeholders: exactly the placeholders the parser found
    /// ([`Str::placeholders`]), so `\{name\}` is literal text here, as it is for the
    /// `unknown-placeholder` check.
    pub(crate) fn pieces<'s>(&self, source: &'s str) -> Vec<Piece<'s>> {
        let quote_len = if self.triple { 3 } else { 1 };
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut at = self.content_start();
        for placeholder in self.placeholders.iter() {
            unescape_into(&source[at..placeholder.span.start()], &mut text);
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Var(&source[placeholder.span.start() + 1..placeholder.span.end() - 1]));
            at = placeholder.span.end();
        }
        unescape_into(&source[at..self.span.end() - quote_len], &mut text);
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        pieces
    }
}

/// Appends `text` as the inside of a string literal (of a script or a `.dtest` file, which
/// share the grammar's strings): quotes, backslashes, braces, line breaks and tabs escaped, the
/// grammar's only escapes, so the literal reads back as exactly `text`, with no placeholder.
pub(crate) fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            other => out.push(other),
        }
    }
}

/// Appends `raw` (literal source text between placeholders) with its escapes applied.
fn unescape_into(raw: &str, out: &mut String) {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some(other) => other,
            None => '\\',
        });
    }
}

fn unescaped_len(escape: char) -> usize {
    match escape {
        'n' | 't' | '"' | '\\' | '{' | '}' => 1,
        other => other.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_applied() {
        let s = lower_string(r#""a\"b\\c\nd\te\{f\}""#, 0).ok().unwrap();
        assert_eq!(s.value, "a\"b\\c\nd\te{f}");
        assert!(s.placeholders.is_empty());
    }

    #[test]
    fn placeholders_have_source_spans() {
        let raw = r#""Hi {name}, {x y} {_a1}""#;
        let s = lower_string(raw, 10).ok().unwrap();
        let names: Vec<_> = s.placeholders.iter().map(|p| (p.name.as_str(), p.span)).collect();
        assert_eq!(names, vec![("name", Span::new(14, 20)), ("_a1", Span::new(28, 33))]);
    }

    #[test]
    fn pieces_split_placeholders_from_literal_text() {
        let raw = r#""Hi {name}, \{x\} \"{_a1}\"""#;
        let source = format!("....{raw}");
        let s = lower_string(raw, 4).ok().unwrap();
        assert_eq!(
            s.pieces(&source),
            vec![
                Piece::Text("Hi ".into()),
                Piece::Var("name"),
                Piece::Text(", {x} \"".into()),
                Piece::Var("_a1"),
                Piece::Text("\"".into())
            ]
        );
        let triple = lower_string("\"\"\"a\n{b}\"\"\"", 0).ok().unwrap();
        assert_eq!(triple.pieces("\"\"\"a\n{b}\"\"\""), vec![Piece::Text("a\n".into()), Piece::Var("b")]);
    }

    #[test]
    fn escaped_brace_is_not_a_placeholder() {
        let s = lower_string(r#""\{name}""#, 0).ok().unwrap();
        assert_eq!(s.value, "{name}");
        assert!(s.placeholders.is_empty());
    }

    #[test]
    fn unknown_escape_is_reported_at_its_span() {
        let err = lower_string(r#""ab\qc""#, 5).err().unwrap();
        assert_eq!(err.found, "\\q");
        assert_eq!(err.span, Span::new(8, 10));
    }

    #[test]
    fn triple_strings_keep_newlines_and_quotes() {
        let s = lower_string("\"\"\"one \"two\"\nthree\"\"\"", 0).ok().unwrap();
        assert_eq!(s.value, "one \"two\"\nthree");
        assert!(s.triple);
    }

    #[test]
    fn source_span_maps_through_escapes() {
        let source = r#"say "a\"b calm down""#;
        let s = lower_string(&source[4..], 4).ok().unwrap();
        let at = s.value.find("calm").unwrap();
        let span = s.source_span(source, at..at + 9);
        assert_eq!(&source[span.start()..span.end()], "calm down");
    }
}
