//! Positions: byte offsets (what spans hold) ↔ LSP line/character positions.
//!
//! LSP counts characters in the encoding the client and server agree on at `initialize`:
//! UTF-16 code units unless the client offers `utf-8` in `general.positionEncodings`
//! ([`Encoding::negotiate`]). Lines end at `\n` (a `\r` before it belongs to the line's end).
//!
//! **Invariant:** every offset this module returns lies on a `char` boundary of the text and
//! within it, whatever position a client sends (past a line's end, inside a surrogate pair,
//! past the last line): positions are clamped, never trusted.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, else UTF-16 (the protocol's default).
    pub(crate) fn negotiate(capabilities: &lsp_types::ClientCapabilities) -> Encoding {
        let offered = capabilities.general.as_ref().and_then(|general| general.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// One text's line starts, to convert in both directions.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    encoding: Encoding,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str, encoding: Encoding) -> LineIndex<'t> {
        LineIndex::through_line(text, encoding, u32::MAX)
    }

    /// An index good for the positions of lines `0..=last` only (their offsets are those of
    /// [`LineIndex::new`]): an edit at the top of a large buffer does not scan all of it.
    pub(crate) fn through_line(text: &'t str, encoding: Encoding, last: u32) -> LineIndex<'t> {
        let ends = text.match_indices('\n').take(last as usize + 1).map(|(i, _)| i + 1);
        LineIndex { text, line_starts: std::iter::once(0).chain(ends).collect(), encoding }
    }

    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let character: usize = self.text[start..offset].chars().map(|c| self.encoding.width(c)).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of `position`, clamped to its line (and to the text).
    pub(crate) fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else { return self.text.len() };
        let end = self.line_starts.get(position.line as usize + 1).map_or(self.text.len(), |next| next - 1);
        let line = self.text[start..end].strip_suffix('\r').unwrap_or(&self.text[start..end]);
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + at;
            }
            units += self.encoding.width(c);
            // A position inside a character (half a surrogate pair) means that character.
            if units > position.character as usize {
                return start + at;
            }
        }
        start + line.len()
    }

    pub(crate) fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start()), self.position(span.end()))
    }

    pub(crate) fn span(&self, range: Range) -> Span {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        Span::new(start.min(end), start.max(end))
    }
}

/// The span of an edit's `range` in `text`, and where the range's first line starts (a hint
/// for the next edit). `known` is such a hint, `(line, offset of its start)`: when it lies at or
/// before the range, lines are counted from there rather than from the top, so a burst of
/// keystrokes deep in a large buffer costs the distance between them, not the buffer's size
/// each. The span is the one [`LineIndex::span`] gives.
pub(crate) fn edit_span(
    text: &str,
    encoding: Encoding,
    range: Range,
    known: Option<(u32, usize)>,
) -> (Span, Option<(u32, usize)>) {
    let first = range.start.line.min(range.end.line);
    let last = range.start.line.max(range.end.line);
    let is_line_start = |at: usize| at == 0 || (at <= text.len() && text.as_bytes()[at - 1] == b'\n');
    let (base_line, base) = known.filter(|&(line, at)| line <= first && is_line_start(at)).unwrap_or((0, 0));
    let index = LineIndex::through_line(&text[base..], encoding, last - base_line);
    let relative = |position: Position| Position::new(position.line - base_line, position.character);
    let span = index.span(Range::new(relative(range.start), relative(range.end)));
    let hint = index.line_starts.get((first - base_line) as usize).map(|&start| (first, base + start));
    (Span::new(base + span.start(), base + span.end()), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_before_a_span_count_in_the_negotiated_encoding() {
        // `é` is 2 bytes, 1 UTF-16 unit; `😀` is 4 bytes, 2 UTF-16 units.
        let text = "say \"é😀\" -> next\nx";
        let at = text.find("next").unwrap();
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf16.position(at), Position::new(0, 13));
        assert_eq!(utf8.position(at), Position::new(0, 16));
        assert_eq!(utf16.offset(Position::new(0, 13)), at);
        assert_eq!(utf8.offset(Position::new(0, 16)), at);
        assert_eq!(utf16.offset(Position::new(1, 0)), text.len() - 1);
    }

    #[test]
    fn an_index_through_a_line_finds_the_same_offsets_there() {
        let text = "ab\ncd\r\nef\ngh";
        let whole = LineIndex::new(text, Encoding::Utf16);
        for last in 0..4 {
            let part = LineIndex::through_line(text, Encoding::Utf16, last);
            for line in 0..=last {
                for character in 0..4 {
                    let position = Position::new(line, character);
                    assert_eq!(part.offset(position), whole.offset(position), "{position:?} through line {last}");
                }
            }
        }
    }

    #[test]
    fn edits_located_from_a_hint_land_where_a_whole_index_puts_them() {
        let mut hinted = String::from("one\ntwo é😀\r\nthree\n\nfive\n");
        let mut plain = hinted.clone();
        let mut hint = None;
        let edits = [(1, 2, 1, 2, "x"), (1, 3, 1, 3, "y\nz"), (2, 1, 2, 9, ""), (0, 1, 3, 0, "q"), (9, 0, 9, 4, "end")];
        for (l1, c1, l2, c2, insert) in edits {
            let range = Range::new(Position::new(l1, c1), Position::new(l2, c2));
            let span;
            (span, hint) = edit_span(&hinted, Encoding::Utf16, range, hint);
            let expected = LineIndex::new(&plain, Encoding::Utf16).span(range);
            assert_eq!(span, expected, "{range:?}");
            hinted.replace_range(span.start()..span.end(), insert);
            plain.replace_range(expected.start()..expected.end(), insert);
        }
        let far =
            edit_span("a\nb", Encoding::Utf8, Range::new(Position::new(7, 0), Position::new(7, 1)), Some((5, 99)));
        assert_eq!(far, (Span::new(3, 3), None), "a hint past the text is not trusted; no hint for a missing line");
    }

    #[test]
    fn positions_from_the_client_are_clamped_to_the_text() {
        let text = "a😀b\r\nc";
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(utf16.offset(Position::new(0, 2)), 1, "inside the surrogate pair: the emoji's start");
        assert_eq!(utf16.offset(Position::new(0, 99)), 6, "past the end of a line: before its \\r\\n");
        assert_eq!(utf16.offset(Position::new(9, 0)), text.len(), "past the last line");
        assert_eq!(utf16.position(99), Position::new(1, 1));
        assert_eq!(utf16.position(2), Position::new(0, 1), "inside a character: its start");
    }
}
