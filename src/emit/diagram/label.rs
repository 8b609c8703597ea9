//! Label text: shortening for listings (`paths`), and the markers a diagram node shows for
//! holds, transfers and notes. (Diagram labels wrap with [`super::wrap::wrap`], which never cuts a
//! word; a listing line must stay short even for a megabyte word, hence this module's cut.)
//!
//! Invariants: text is cut only between words, except a single word longer than
//! [`LONG_WORD`] characters (a URL, a hostile run of letters), which is cut with an ellipsis;
//! no cut ever falls inside a `{placeholder}`. Work is bounded by the output, not the input:
//! words past the last line shown are never looked at, so a megabyte label costs no more than
//! a short one.

use crate::syntax::ast::{Node, StmtKind};

/// A word longer than this is cut with an ellipsis; shorter words are never cut.
pub(crate) const LONG_WORD: usize = 40;

/// `text` on one line, whitespace runs as single spaces, cut at a word boundary to at most
/// `max` characters plus an ellipsis.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let mut lines = wrap(text, max, 1);
    lines.pop().unwrap_or_default()
}

/// `text` in lines of at most `width` characters (a word longer than the line keeps a line of
/// its own), at most `max_lines` of them; when text is left over, the last line ends in `…`.
pub(crate) fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_chars = 0usize;
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let word = cut_word(word, LONG_WORD.max(width));
        let chars = word.chars().count();
        if line_chars > 0 && line_chars + 1 + chars > width {
            if lines.len() + 1 == max_lines {
                // Full: this word and any after it are left out.
                line.push('…');
                lines.push(line);
                return lines;
            }
            lines.push(std::mem::take(&mut line));
            line_chars = 0;
        }
        if line_chars > 0 {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(&word);
        line_chars += chars;
        if chars > width && words.peek().is_some() && lines.len() + 1 == max_lines {
            line.push('…');
            lines.push(line);
            return lines;
        }
    }
    if line_chars > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `word` whole when it has at most `max` characters, else its first characters and `…`;
/// a cut that would fall inside `{…}` moves before the brace (or after the closing brace when
/// the word starts with the placeholder).
fn cut_word(word: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let Some((cut, _)) = word.char_indices().nth(max.saturating_sub(1)) else {
        return word.into();
    };
    if word[cut..].chars().count() <= 1 {
        return word.into();
    }
    let head = &word[..cut];
    let cut = match head.rfind('{') {
        Some(open) if !head[open..].contains('}') => match word[open..].find('}') {
            Some(_) if open > 0 => open,
            Some(close) => open + close + 1,
            None => cut,
        },
        _ => cut,
    };
    if cut >= word.len() {
        return word.into();
    }
    format!("{}…", &word[..cut]).into()
}

/// What a diagram marks on a node besides its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    Hold,
    Transfer,
    Note,
}

impl Mark {
    /// The statement keyword, which is also the mark's name in the trainer page's badges.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mark::Hold => "hold",
            Mark::Transfer => "transfer",
            Mark::Note => "note",
        }
    }

    /// The marker DOT and Mermaid write: `‖ hold`, `↪ transfer`, `✎ note`.
    fn marker(self) -> String {
        let symbol = match self {
            Mark::Hold => '‖',
            Mark::Transfer => '↪',
            Mark::Note => '✎',
        };
        format!("{symbol} {}", self.name())
    }
}

/// The marks of `node`: each once, in the order hold, transfer, note.
pub(crate) fn marks(node: &Node) -> Vec<Mark> {
    let has = |wanted: fn(&StmtKind) -> bool| node.stmts.iter().any(|stmt| wanted(&stmt.kind));
    [
        (has(|k| matches!(k, StmtKind::Hold(_))), Mark::Hold),
        (has(|k| matches!(k, StmtKind::Transfer(_))), Mark::Transfer),
        (has(|k| matches!(k, StmtKind::Note(_))), Mark::Note),
    ]
    .into_iter()
    .filter_map(|(present, mark)| present.then_some(mark))
    .collect()
}

/// The markers a node's label shows for its [`marks`], two spaces apart, or `None`.
pub(crate) fn markers(node: &Node) -> Option<String> {
    let found: Vec<String> = marks(node).into_iter().map(Mark::marker).collect();
    (!found.is_empty()).then(|| found.join("  "))
}

#[cfg(test)]
mod tests {
    use super::{shorten, wrap};

    #[test]
    fn wrapping_breaks_between_words_only() {
        assert_eq!(
            wrap("Thanks for waiting, {customer_name}. Your refund is on its way", 24, 3),
            ["Thanks for waiting,", "{customer_name}. Your", "refund is on its way"]
        );
        assert_eq!(wrap("one two three four five six", 8, 2), ["one two", "three…"]);
        assert_eq!(wrap("  a\n\n b ", 24, 3), ["a b"]);
        assert_eq!(wrap("", 24, 3), [""]);
    }

    #[test]
    fn shortening_never_cuts_a_word_or_a_placeholder() {
        assert_eq!(
            shorten("Issue the refund today; it shows in 3 to 5 days", 40),
            "Issue the refund today; it shows in 3 to…"
        );
        assert_eq!(shorten("Hello {preferred_name}, welcome", 12), "Hello…");
        assert_eq!(shorten("a\n  b", 10), "a b");
    }

    #[test]
    fn only_a_very_long_word_is_cut_and_never_inside_braces() {
        let long = "y".repeat(100);
        assert_eq!(shorten(&long, 40), format!("{}…", "y".repeat(39)));
        let braced = format!("{}{{customer_name}}{}", "x".repeat(30), "z".repeat(30));
        assert_eq!(shorten(&braced, 40), format!("{}…", "x".repeat(30)));
        let opening = format!("{{{}}}tail", "p".repeat(50));
        assert_eq!(shorten(&opening, 40), format!("{{{}}}…", "p".repeat(50)));
    }
}
