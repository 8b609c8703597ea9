//! The `#` comments of a parsed file, found from its parse.
//!
//! The grammar skips comments, so they are not in the AST. They are found in the text, but the
//! string boundaries come from the AST's spans, never from a second lexer: a hand-written
//! string scanner once read `""` followed by `"48h"` as the start of a `"""` string and lost
//! every comment after it. Outside the AST's string literals, a `#` always starts a comment
//! (no other token contains one), and the comment runs to the next line feed, as in the grammar.
//!
//! **Invariant:** `file` is the parse of `text` (so every string literal has its span); the
//! comments come back in source order, each without its line break.

use super::ast::File;
use crate::source::Span;

/// A `#` comment: from the `#` to the end of its line, without the line break and without
/// carriage returns before it (so `# c\r\r\n` is the comment `# c`, whatever the line ending).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
}

impl Comment {
    /// The comment's text, `#` included.
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.span.start()..self.span.end()]
    }

    /// The comment's text after the `#`.
    pub(crate) fn body<'a>(&self, source: &'a str) -> &'a str {
        &source[self.span.start() + 1..self.span.end()]
    }

    /// Whether only whitespace precedes the comment on its line.
    pub(crate) fn own_line(&self, source: &str) -> bool {
        let line_start = source[..self.span.start()].rfind('\n').map_or(0, |n| n + 1);
        source[line_start..self.span.start()].trim().is_empty()
    }
}

/// Every comment in `text`, in source order. `file` must be the parse of `text`.
pub fn comments(text: &str, file: &File) -> Vec<Comment> {
    let strings = string_spans(file);
    let mut found = Vec::new();
    let mut pos = 0;
    let mut next_string = 0;
    while pos < text.len() {
        // Strings are disjoint and sorted; one that starts before `pos` cannot exist in a
        // real parse, but skipping it keeps every slice below in bounds whatever the input.
        while strings.get(next_string).is_some_and(|s| s.start() < pos) {
            next_string += 1;
        }
        let gap_end = strings.get(next_string).map_or(text.len(), |s| s.start());
        match text[pos..gap_end].find('#') {
            Some(offset) => {
                let start = pos + offset;
                let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                let end = start + text[start..line_end].trim_end_matches('\r').len();
                found.push(Comment { span: Span::new(start, end) });
                pos = line_end;
            }
            None => match strings.get(next_string) {
                Some(string) => {
                    pos = string.end();
                    next_string += 1;
                }
                None => break,
            },
        }
    }
    found
}

/// The span of every string literal in `file`, sorted by start.
pub(crate) fn string_spans(file: &File) -> Vec<Span> {
    let item = &file.item;
    let mut spans: Vec<Span> = file.uses.iter().map(|u| u.path.span).collect();
    spans.extend(item.title.iter().map(|t| t.span));
    spans.extend(item.meta.iter().flat_map(|entry| entry.values.iter().map(|v| v.span)));
    let stmts = item.nodes.iter().flat_map(|node| &node.stmts);
    spans.extend(stmts.flat_map(|stmt| stmt.strings()).map(|s| s.span));
    // Already in order except where `meta` blocks follow `vars` or nodes: a cheap sort.
    spans.sort_unstable_by_key(|s| s.start());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::parse;

    fn texts(text: &str) -> Vec<String> {
        let parsed = parse(FileId::from_index(0), text);
        assert!(parsed.diagnostics.is_empty(), "{text}");
        comments(text, &parsed.ast.unwrap()).iter().map(|c| c.text(text).to_owned()).collect()
    }

    #[test]
    fn two_plain_strings_are_not_a_triple_quote() {
        // `""` then `"48h"`: a lexer that sees `"""` here skips to the end of the file.
        let text = "script s { trigger t { follow_up \"\"\"48h\" # a\n -> t } # b\n}\n# c";
        assert_eq!(texts(text), ["# a", "# b", "# c"]);
    }

    #[test]
    fn hashes_in_strings_are_not_comments() {
        let text = "script s \"#t\" { meta { k \"#1 \\\" #2\" } trigger t { say \"\"\"# no\n\"\"\" # real\n } }";
        assert_eq!(texts(text), ["# real"]);
    }

    #[test]
    fn an_escaped_multibyte_character_does_not_split_the_scan() {
        // Found by the fuzzer: `\` followed by a BOM inside a string.
        let text = "script s { trigger t { say \"a\\\u{feff}b\" # c\n say \"\"\"\\\u{feff}\"\"\" # d\n } }";
        let parsed = parse(FileId::from_index(0), text);
        let ast = parsed.ast.unwrap();
        assert_eq!(comments(text, &ast).iter().map(|c| c.text(text)).collect::<Vec<_>>(), ["# c", "# d"]);
    }

    #[test]
    fn carriage_returns_before_the_line_feed_are_not_part_of_the_comment() {
        let text = "# a\r\r\nscript s { trigger t { -> t } } # b\r\n# c\r";
        assert_eq!(texts(text), ["# a", "# b", "# c"]);
    }
}
