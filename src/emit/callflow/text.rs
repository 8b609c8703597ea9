//! The words a phone export speaks: script text with its placeholders in the product's own
//! syntax, and the sentence that offers a menu choice.

use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::Str;
use crate::syntax::strings::Piece;

/// Text with each placeholder written by `var` and each literal run by `literal`.
pub fn render_text(
    project: &Project,
    file: FileId,
    text: &Str,
    var: impl Fn(&str) -> String,
    literal: impl Fn(&str) -> String,
) -> String {
    let source = &project.sources.get(file).text;
    text.pieces(source)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => literal(&text),
            Piece::Var(name) => var(name),
        })
        .collect()
}

/// The sentence that offers choice `digit`, e.g. `Press 1 for “yes”.`
pub fn menu_line(digit: usize, label: Option<String>) -> String {
    match label {
        Some(label) => format!("Press {digit} for “{label}”."),
        None => format!("Press {digit} to go on."),
    }
}

/// `text` on one line, cut to `max` characters with an ellipsis (at any character: these are
/// names and hints, not sentences; `diagram::wrap` says why diagrams and listings cut
/// differently).
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\n  b", 10), "a b");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
    }
}
