//! The words a phone export speaks: script text with its placeholders in the product's own
//! syntax, and the sentence that offers a menu choice.

use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::Str;
use crate::syntax::strings::Piece;

/// Text with each placeholder written by `var` and each literal run by `literal`.
pub(crate) fn render_text(
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

/// The sentence that offers choice `digit`, e.g. `Press 1 for “yes”.`, in `language` (a BCP
/// 47 tag): Spanish and French, the languages defuse ships phrase lists for, have their own
/// sentence; every other language gets English's.
pub(crate) fn menu_line(digit: usize, label: Option<String>, language: Option<&str>) -> String {
    match (spoken(language), label) {
        ("es", Some(label)) => format!("Para «{label}», marque {digit}."),
        ("es", None) => format!("Marque {digit} para continuar."),
        ("fr", Some(label)) => format!("Pour « {label} », appuyez sur {digit}."),
        ("fr", None) => format!("Appuyez sur {digit} pour continuer."),
        (_, Some(label)) => format!("Press {digit} for “{label}”."),
        (_, None) => format!("Press {digit} to go on."),
    }
}

/// What a flow with several triggers asks first, in `language` (as [`menu_line`]).
pub(crate) fn start_question(language: Option<&str>) -> &'static str {
    match spoken(language) {
        "es" => "¿Cómo empieza la llamada?",
        "fr" => "Comment commence l'appel ?",
        _ => "How does the call start?",
    }
}

/// The language part of a BCP 47 tag (`fr` for `fr-CA`); English when there is none.
fn spoken(language: Option<&str>) -> &str {
    language.map_or("en", |tag| tag.split('-').next().unwrap_or(tag))
}

/// `text` on one line, cut to `max` characters with an ellipsis (at any character: these are
/// names and hints, not sentences; `diagram::wrap` says why diagrams and listings cut
/// differently).
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::{menu_line, shorten, start_question};

    #[test]
    fn menus_speak_the_flows_language() {
        let yes = || Some("sí".to_owned());
        assert_eq!(menu_line(1, yes(), None), "Press 1 for “sí”.");
        assert_eq!(menu_line(1, yes(), Some("es")), "Para «sí», marque 1.");
        assert_eq!(menu_line(2, None, Some("fr-CA")), "Appuyez sur 2 pour continuer.");
        assert_eq!(menu_line(2, None, Some("de")), "Press 2 to go on.", "no words of its own: English");
        assert_eq!(start_question(Some("es-419")), "¿Cómo empieza la llamada?");
    }

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\n  b", 10), "a b");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
    }
}
