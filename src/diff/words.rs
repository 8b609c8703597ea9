//! Word diffs of a changed line, for the text and markdown formats.
//!
//! The text form marks removed words `[-so-]` and added words `{+so+}` (as `git diff
//! --word-diff` does); the markdown form wraps them in `<del>` / `<ins>`, every piece escaped
//! by the caller's function so script text cannot open a tag or a link.

use similar::{ChangeTag, TextDiff};

/// `old` → `new` with removed and added runs marked; `escape` is applied to every piece of
/// script text, `mark` wraps a run (`(removed?, escaped text)`). Changed words separated only
/// by unchanged spaces form one run (`[-is on its way.-]{+reaches you within five days.+}`),
/// not an alternation of single words.
pub(crate) fn word_diff(
    old: &str,
    new: &str,
    escape: impl Fn(&str) -> String,
    mark: impl Fn(bool, &str) -> String,
) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    // The open group of changes: what it removed and added, spaces between included.
    let (mut removed, mut added) = (String::new(), String::new());
    let flush = |out: &mut String, removed: &mut String, added: &mut String| {
        let trailing_len = removed.len() - removed.trim_end().len();
        let trailing = if removed.trim_end().is_empty() {
            &added[added.trim_end().len()..]
        } else {
            &removed[removed.len() - trailing_len..]
        };
        let trailing = trailing.to_owned();
        if !removed.trim_end().is_empty() {
            out.push_str(&mark(true, &escape(removed.trim_end())));
        }
        if !added.trim_end().is_empty() {
            out.push_str(&mark(false, &escape(added.trim_end())));
        }
        out.push_str(&escape(&trailing));
        removed.clear();
        added.clear();
    };
    for change in diff.iter_all_changes() {
        let text = change.value();
        let open = !removed.is_empty() || !added.is_empty();
        match change.tag() {
            ChangeTag::Delete => removed.push_str(text),
            ChangeTag::Insert => added.push_str(text),
            ChangeTag::Equal if open && text.trim().is_empty() => {
                removed.push_str(text);
                added.push_str(text);
            }
            ChangeTag::Equal => {
                if open {
                    flush(&mut out, &mut removed, &mut added);
                }
                out.push_str(&escape(text));
            }
        }
    }
    if !removed.is_empty() || !added.is_empty() {
        flush(&mut out, &mut removed, &mut added);
    }
    out
}

/// The text form: `[-removed-]{+added+}`.
pub(crate) fn text_word_diff(old: &str, new: &str) -> String {
    word_diff(
        old,
        new,
        |text| text.to_owned(),
        |removed, text| if removed { format!("[-{text}-]") } else { format!("{{+{text}+}}") },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_words_that_changed() {
        assert_eq!(
            text_word_diff("I can refund you today", "I can credit you within a week"),
            "I can [-refund-]{+credit+} you [-today-]{+within a week+}"
        );
        assert_eq!(
            text_word_diff("Your refund is on its way.", "Your refund reaches you within five days."),
            "Your refund [-is on its way.-]{+reaches you within five days.+}"
        );
        assert_eq!(text_word_diff("same", "same"), "same");
    }
}
