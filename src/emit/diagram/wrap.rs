//! Diagram labels wrapped between words, never inside a word or a placeholder: the lines of
//! a node's first line and an edge's reply in DOT, Mermaid and the trainer page's SVG, measured
//! in character cells (wide characters take two).
//!
//! Why not one wrapper for every label: text is shortened three ways, each for what its reader
//! needs, and no one of them gives the others' output. Here, a diagram box is sized in cells
//! and a word is never cut (a cut word in a picture reads as a typo), and placeholders stay
//! pieces the trainer page fills in. [`super::label::shorten`] is for listing lines (`paths`):
//! counted in characters, a word over 40 characters cut, and work bounded by the output so a
//! megabyte label costs nothing. `callflow::text::shorten` makes Twilio's condition names
//! and speech hints: one line cut at any character, as Studio shows them.

use crate::syntax::strings::Piece;

/// A line of a label: literal runs and placeholders.
pub(crate) type LabelLine<'s> = Vec<Piece<'s>>;

/// A word: pieces with no whitespace between them, never split across lines.
#[derive(Default)]
struct Word<'s> {
    pieces: Vec<Piece<'s>>,
    width: usize,
}

/// The display width of `text` in character cells: East Asian wide characters and emoji take
/// two.
pub(crate) fn cells(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1FAFF
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

pub(crate) fn piece_cells(piece: &Piece) -> usize {
    match piece {
        Piece::Text(text) => cells(text),
        Piece::Var(name) => cells(name) + 2,
    }
}

fn words<'s>(pieces: &[Piece<'s>]) -> Vec<Word<'s>> {
    let mut words = Vec::new();
    let mut current = Word::default();
    for piece in pieces {
        match piece {
            Piece::Var(name) => {
                current.width += piece_cells(piece);
                current.pieces.push(Piece::Var(name));
            }
            Piece::Text(text) => {
                for (i, part) in text.split(char::is_whitespace).enumerate() {
                    if i > 0 && !current.pieces.is_empty() {
                        words.push(std::mem::take(&mut current));
                    }
                    if !part.is_empty() {
                        current.width += cells(part);
                        current.pieces.push(Piece::Text(part.to_owned()));
                    }
                }
            }
        }
    }
    if !current.pieces.is_empty() {
        words.push(current);
    }
    words
}

/// Appends `piece` to `line`, joining it with a literal run before it.
fn push_piece<'s>(line: &mut LabelLine<'s>, piece: Piece<'s>) {
    match (line.last_mut(), piece) {
        (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
        (_, piece) => line.push(piece),
    }
}

/// `pieces` in lines of at most `width` cells, broken only between words (whitespace runs
/// become one space), at most `max_lines` lines; text left over is replaced by `…` at the end
/// of the last line. A word wider than `width` gets a line of its own, whole: a word or a
/// placeholder is never cut.
pub(crate) fn wrap<'s>(pieces: &[Piece<'s>], width: usize, max_lines: usize) -> Vec<LabelLine<'s>> {
    let mut lines: Vec<(LabelLine<'s>, usize)> = Vec::new();
    for word in words(pieces) {
        let fits = lines.last().is_some_and(|(line, used)| !line.is_empty() && used + 1 + word.width <= width);
        if fits {
            let (line, used) = lines.last_mut().expect("checked above");
            push_piece(line, Piece::Text(" ".to_owned()));
            *used += 1 + word.width;
            word.pieces.into_iter().for_each(|piece| push_piece(line, piece));
        } else if lines.len() == max_lines {
            if let Some((line, _)) = lines.last_mut() {
                push_piece(line, Piece::Text("…".to_owned()));
            }
            break;
        } else {
            let mut line = Vec::new();
            word.pieces.into_iter().for_each(|piece| push_piece(&mut line, piece));
            lines.push((line, word.width));
        }
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// Puts wrapped `lines` in curly quotes: `“` before the first, `”` after the last (after its
/// `…` too, so a cut quotation still closes).
pub(crate) fn quote_lines(lines: &mut [LabelLine]) {
    if let Some(first) = lines.first_mut() {
        match first.first_mut() {
            Some(Piece::Text(text)) => text.insert(0, '“'),
            _ => first.insert(0, Piece::Text("“".to_owned())),
        }
    }
    if let Some(last) = lines.last_mut() {
        push_piece(last, Piece::Text("”".to_owned()));
    }
}

/// A label line as plain text, placeholders written `{name}`.
pub(crate) fn plain(line: &LabelLine) -> String {
    line.iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Var(name) => format!("{{{name}}}"),
        })
        .collect()
}

/// [`wrap`] for plain text (a `{name}` in it has no space, so it is never cut either).
pub(crate) fn wrap_text(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    wrap(&[Piece::Text(text.to_owned())], width, max_lines).iter().map(plain).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(pieces: &[Piece], width: usize, max_lines: usize) -> Vec<String> {
        wrap(pieces, width, max_lines).iter().map(plain).collect()
    }

    #[test]
    fn wraps_between_words_only() {
        let pieces = [Piece::Text("one two  three\nfour".into())];
        assert_eq!(wrapped(&pieces, 8, 9), ["one two", "three", "four"]);
        assert_eq!(wrapped(&pieces, 100, 9), ["one two three four"]);
    }

    #[test]
    fn a_long_word_or_placeholder_is_never_cut() {
        let pieces =
            [Piece::Text("a ".into()), Piece::Var("customer_name"), Piece::Text(", verylongwordindeed b".into())];
        assert_eq!(wrapped(&pieces, 6, 9), ["a", "{customer_name},", "verylongwordindeed", "b"]);
        let lines = wrap(&pieces, 6, 9);
        assert_eq!(lines[1][0], Piece::Var("customer_name"), "the placeholder stays one piece");
    }

    #[test]
    fn text_beyond_the_last_line_becomes_an_ellipsis() {
        let pieces = [Piece::Text("one two three four".into())];
        assert_eq!(wrapped(&pieces, 7, 2), ["one two", "three…"]);
        assert_eq!(wrapped(&pieces, 3, 1), ["one…"]);
        assert!(wrapped(&[Piece::Text("  ".into())], 7, 2).is_empty());
    }

    #[test]
    fn wide_characters_take_two_cells() {
        assert_eq!(cells("日本"), 4);
        assert_eq!(cells("é🙂"), 3);
    }

    #[test]
    fn quotes_open_the_first_line_and_close_the_last() {
        let mut lines = wrap(&[Piece::Var("name"), Piece::Text(" one two three".into())], 10, 2);
        quote_lines(&mut lines);
        assert_eq!(lines.iter().map(plain).collect::<Vec<_>>(), ["“{name} one", "two three”"]);
        let mut cut = wrap(&[Piece::Text("one two three".into())], 3, 1);
        quote_lines(&mut cut);
        assert_eq!(cut.iter().map(plain).collect::<Vec<_>>(), ["“one…”"]);
    }

    #[test]
    fn wrap_text_keeps_placeholders_whole() {
        assert_eq!(wrap_text("Hi {customer_name}, sorry", 6, 3), ["Hi", "{customer_name},", "sorry"]);
        assert_eq!(wrap_text("one two three", 7, 1), ["one two…"]);
    }
}
