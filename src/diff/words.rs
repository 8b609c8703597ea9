//! Word diffs of a changed line, for the text and markdown formats.
//!
//! The text form marks removed words `[-so-]` and added words `{+so+}` (as `git diff
//! --word-diff` does); the markdown form wraps them in `<del>` / `<ins>`, every piece escaped
//! by the caller's function so script text cannot open a tag or a link.

use similar::{ChangeTag, TextDiff};

/// `old` → `new` with removed and added runs marked; `escape` is applied to every piece of
/// script text, `mark` wraps a run (`(removed?, escaped text)`).
pub fn word_diff(old: &str, new: &str, escape: impl Fn(&str) -> String, mark: impl Fn(bool, &str) -> String) -> String {
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    let mut run: Option<(ChangeTag, String)> = None;
    let flush = |out: &mut String, run: &mut Option<(ChangeTag, String)>| {
        if let Some((tag, text)) = run.take() {
            match tag {
                ChangeTag::Equal => out.push_str(&escape(&text)),
                ChangeTag::Delete => out.push_str(&mark(true, &escape(&text))),
                ChangeTag::Insert => out.push_str(&mark(false, &escape(&text))),
            }
        }
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        match &mut run {
            Some((current, text)) if *current == tag => text.push_str(change.value()),
            _ => {
                flush(&mut out, &mut run);
                run = Some((tag, change.value().to_owned()));
            }
        }
    }
    flush(&mut out, &mut run);
    out
}

/// The text form: `[-removed-]{+added+}`.
pub fn text_word_diff(old: &str, new: &str) -> String {
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
        assert_eq!(text_word_diff("same", "same"), "same");
    }
}
