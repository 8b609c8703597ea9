//! Lines as translators see them: Python brace-format (contract section 12, "Entry").
//!
//! A placeholder stays `{name}`; a literal brace is doubled (`{{`, `}}`), so translation tools
//! that know `python-brace-format` (Poedit, Weblate, `msgfmt --check-format`, `pofilter`) can
//! check that a translation keeps every placeholder. A script's `\{` is such a literal brace.
//!
//! [`parse`] reads a translation back. Anything Python's format syntax allows beyond a bare
//! name (`{}`, `{0}`, `{x!r}`, `{x:>3}`, `{a.b}`) or a lone brace is an error: defuse fills a
//! placeholder with text as it is, so those would print wrongly on a call.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::syntax::strings::Piece;

/// The `msgid` of a line: placeholders as they are, literal braces doubled.
pub(crate) fn msgid(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                for c in text.chars() {
                    out.push(c);
                    if c == '{' || c == '}' {
                        out.push(c);
                    }
                }
            }
            Piece::Var(name) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
    }
    out
}

/// What is wrong in a translation's braces, and where (a byte range of the translation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BraceError {
    pub at: Range<usize>,
    pub message: String,
}

/// A translation as literal runs and placeholders.
pub fn parse(text: &str) -> Result<Vec<Piece<'_>>, BraceError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        match c {
            '{' if rest.peek().is_some_and(|&(_, next)| next == '{') => {
                rest.next();
                literal.push('{');
            }
            '}' if rest.peek().is_some_and(|&(_, next)| next == '}') => {
                rest.next();
                literal.push('}');
            }
            '}' => return Err(lone_brace(at, '}')),
            '{' => {
                let Some(close) =
                    text[at + 1..].find(['}', '{']).map(|end| at + 1 + end).filter(|&end| text[end..].starts_with('}'))
                else {
                    return Err(lone_brace(at, '{'));
                };
                let field = &text[at + 1..close];
                check_field(field, at..close + 1)?;
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Var(field));
                while rest.peek().is_some_and(|&(index, _)| index <= close) {
                    rest.next();
                }
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

fn lone_brace(at: usize, brace: char) -> BraceError {
    BraceError { at: at..at + 1, message: format!("a lone `{brace}`: write `{brace}{brace}` for a brace in the text") }
}

/// A field must be a bare name, as the source writes `{name}`.
fn check_field(field: &str, at: Range<usize>) -> Result<(), BraceError> {
    let fail = |message: String| Err(BraceError { at: at.clone(), message });
    if field.is_empty() {
        return fail("`{}` has no name: write the placeholder as the source does, such as `{name}`".into());
    }
    if field.starts_with(|c: char| c.is_ascii_digit()) {
        return fail(format!("`{{{field}}}`: placeholders are names, not numbers; use the source's name"));
    }
    if let Some(position) = field.find(['!', ':', '.', '[', ' ']) {
        let name = &field[..position];
        return fail(format!(
            "`{{{field}}}`: defuse fills a placeholder with its text as it is; write `{{{name}}}` without `{}`",
            &field[position..]
        ));
    }
    let is_name = field
        .chars()
        .enumerate()
        .all(|(index, c)| c == '_' || c.is_ascii_alphabetic() || (index > 0 && c.is_ascii_digit()));
    if !is_name {
        return fail(format!("`{{{field}}}` is not a placeholder name (letters, digits and `_`)"));
    }
    Ok(())
}

/// The placeholder names of `pieces`.
pub(crate) fn placeholders<'a>(pieces: &[Piece<'a>]) -> BTreeSet<&'a str> {
    pieces.iter().filter_map(|piece| if let Piece::Var(name) = piece { Some(*name) } else { None }).collect()
}

/// Why a translation's placeholders differ from its source line's, or `None` when they agree.
pub(crate) fn mismatch(source: &[Piece], translation: &[Piece]) -> Option<String> {
    let (wanted, found) = (placeholders(source), placeholders(translation));
    let list = |names: Vec<&&str>| names.iter().map(|name| format!("`{{{name}}}`")).collect::<Vec<_>>().join(", ");
    let missing: Vec<_> = wanted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&wanted).collect();
    match (missing.is_empty(), extra.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!("the translation leaves out {}", list(missing))),
        (true, false) => Some(format!("the translation has {}, which the source line does not", list(extra))),
        (false, false) => {
            Some(format!("the translation has {} where the source line has {}", list(extra), list(missing)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str) -> Piece<'static> {
        Piece::Text(text.into())
    }

    #[test]
    fn a_msgid_doubles_literal_braces_only() {
        let pieces = [text("Code {E42} for "), Piece::Var("name"), text(": {}")];
        assert_eq!(msgid(&pieces), "Code {{E42}} for {name}: {{}}");
        assert_eq!(parse(&msgid(&pieces)).unwrap(), pieces);
    }

    #[test]
    fn refuses_what_cannot_be_filled_with_text() {
        for (translation, blamed, says) in [
            ("Hola {}", "{}", "no name"),
            ("Hola {0}", "{0}", "not numbers"),
            ("Hola {name!r}", "{name!r}", "write `{name}` without `!r`"),
            ("Hola {name:>3}", "{name:>3}", "without `:>3`"),
            ("Hola {a.b}", "{a.b}", "without `.b`"),
            ("Hola { name", "{", "lone `{`"),
            ("Hola name}", "}", "lone `}`"),
            ("Hola {na{me}", "{", "lone `{`"),
            ("Hola {ñ}", "{ñ}", "not a placeholder name"),
        ] {
            let problem = parse(translation).unwrap_err();
            assert_eq!(&translation[problem.at.clone()], blamed, "{translation}");
            assert!(problem.message.contains(says), "{translation}: {}", problem.message);
        }
    }

    #[test]
    fn says_which_placeholders_differ() {
        let source = [Piece::Var("name"), text(" "), Piece::Var("date")];
        assert_eq!(mismatch(&source, &parse("{date} {name}").unwrap()), None);
        assert_eq!(mismatch(&source, &parse("{name}").unwrap()).unwrap(), "the translation leaves out `{date}`");
        assert_eq!(
            mismatch(&source, &parse("{name} {fecha}").unwrap()).unwrap(),
            "the translation has `{fecha}` where the source line has `{date}`"
        );
    }
}
