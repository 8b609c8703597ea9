//! Comments of a parsed file: `#` to the end of the line, outside string literals.
//!
//! The grammar skips comments, so they are found again here by scanning the text outside
//! the string spans the parse produced (a `#` inside a string is text, not a comment). One
//! pass over the text: linear in its length.
//!
//! Note for maintainers: `syntax/format.rs` has its own comment scanner (it keeps comments
//! while formatting); the two should become one.

use crate::source::Span;
use crate::syntax::ast;

/// One comment: from its `#` to the end of its line (line break excluded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    /// Whether only whitespace precedes it on its line.
    pub own_line: bool,
}

impl Comment {
    /// The comment's text after the `#`.
    pub fn body<'t>(&self, text: &'t str) -> &'t str {
        &text[self.span.start() + 1..self.span.end()]
    }
}

/// Every string literal's span in `file`, sorted by start.
pub fn string_spans(file: &ast::File) -> Vec<Span> {
    let mut spans: Vec<Span> = file.uses.iter().map(|u| u.path.span).collect();
    let item = &file.item;
    spans.extend(item.title.iter().map(|t| t.span));
    spans.extend(item.meta.iter().flat_map(|entry| entry.values.iter().map(|v| v.span)));
    for node in &item.nodes {
        spans.extend(node.stmts.iter().flat_map(|stmt| stmt.strings().into_iter().map(|s| s.span)));
    }
    spans.sort_by_key(|span| span.start());
    spans
}

/// The comments of `text`, whose string literals are at `strings` (sorted by start).
pub fn comments(text: &str, strings: &[Span]) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut next_string = 0;
    let mut line_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        while next_string < strings.len() && strings[next_string].end() <= i {
            next_string += 1;
        }
        if next_string < strings.len() && strings[next_string].start() == i {
            let end = strings[next_string].end();
            if let Some(newline) = text[i..end].rfind('\n') {
                line_start = i + newline + 1;
            }
            i = end;
            continue;
        }
        match bytes[i] {
            b'\n' => {
                line_start = i + 1;
                i += 1;
            }
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let end = if end > i && bytes[end - 1] == b'\r' { end - 1 } else { end };
                let own_line = text[line_start..i].trim().is_empty();
                found.push(Comment { span: Span::new(i, end), own_line });
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_in_strings_are_not_comments() {
        let text = "# head\r\nscript s { # tail\n  trigger t { customer \"#1 # not\" -> a } # after\n  # own\n}\n";
        let parsed = crate::syntax::parse(0, text);
        let file = parsed.ast.expect("parses");
        let found = comments(text, &string_spans(&file));
        let bodies: Vec<(&str, bool)> = found.iter().map(|c| (c.body(text), c.own_line)).collect();
        assert_eq!(bodies, [(" head", true), (" tail", false), (" after", false), (" own", true)]);
    }
}
