//! `phrase`: an agent line with a discouraged phrase.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::Phrase,
        Level::Warning,
        "an agent line (`say`, `ask`, `option`) contains a discouraged phrase",
        r#"## What it does
Looks for discouraged phrases in what the agent says (`say`, `ask`, `option`), ignoring
case and matching whole words only ("relaxing" does not match "relax"). A space in a phrase
matches any run of whitespace in the text: several spaces, tabs, line breaks in a `"""`
string, `\n` and `\t` escapes ("calm  down" is "calm down"). The report points at the phrase
inside the string and suggests what to say instead. A phrase a line repeats is reported
once, at its first use, with how many times the line says it.

Default phrases: "calm down", "relax", "our policy", "company policy", "nothing I can do",
"nothing we can do", "you should have", "you need to", "I promise", "guarantee", "as I said",
"like I said", "to be honest", "obviously", "you people". Teams add their own and allow
some in `defuse.toml`:
```toml
[phrases]
extra = [{ text = "per our terms", help = "Explain the reason in plain words." }]
allow = ["guarantee"]
```

## Why is this bad?
These phrases are known to escalate: "calm down" tells the caller their feelings are the
problem, "that's our policy" ends the conversation instead of explaining, "I promise"
commits to what the agent may not control.

## Example
```defuse
  acknowledge hear { say "Please calm down, I'm trying to help." -> restate }
```

## Use instead
```defuse
  acknowledge hear { say "I can hear how frustrating this is. I'm going to help." -> restate }
```"#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let matcher = ctx.config.phrase_matcher();
    for stmt in &ctx.node.stmts {
        let Some(line) = stmt.agent_line() else { continue };
        let text = Collapsed::new(&line.value);
        // One report per phrase and line, at its first use, counting the others: the fix
        // is the same, and a megabyte line of phrases stays a handful of reports.
        let mut found_phrases: Vec<(usize, std::ops::Range<usize>, usize)> = Vec::new();
        let mut slot_of_phrase: Vec<Option<usize>> = vec![None; ctx.config.phrases.len()];
        for found in matcher.find_overlapping_iter(&text.text) {
            if !on_word_boundaries(&text.text, found.start(), found.end()) {
                continue;
            }
            let phrase = found.pattern().as_usize();
            match slot_of_phrase[phrase] {
                Some(slot) => found_phrases[slot].2 += 1,
                None => {
                    slot_of_phrase[phrase] = Some(found_phrases.len());
                    found_phrases.push((phrase, found.range(), 1));
                }
            }
        }
        let source = &ctx.project.sources.get(ctx.file()).text;
        for (phrase, range, times) in found_phrases {
            let span = line.source_span(source, text.original(range.start)..text.original(range.end));
            let said = &text.text[range];
            let times = if times > 1 { format!(" {times} times") } else { String::new() };
            out.push(
                Diagnostic::new(
                    RULE.code,
                    ctx.file(),
                    span,
                    format!("`{}` says \"{said}\"{times}, a discouraged phrase", ctx.name()),
                )
                .label("discouraged phrase")
                .help(ctx.config.phrases[phrase].help.clone()),
            );
        }
    }
}

/// A text with every run of whitespace (spaces, tabs, line breaks) collapsed to one space, so
/// that a space in a phrase matches any run; with the way back to the original offsets.
/// Built in one pass: matching stays linear in the text.
struct Collapsed {
    text: String,
    /// For each byte of `text`, and one past its end, the byte offset in the original.
    offsets: Vec<usize>,
}

impl Collapsed {
    fn new(original: &str) -> Collapsed {
        let mut text = String::with_capacity(original.len());
        let mut offsets = Vec::with_capacity(original.len() + 1);
        let mut in_space = false;
        for (i, c) in original.char_indices() {
            if c.is_whitespace() {
                if !in_space {
                    text.push(' ');
                    offsets.push(i);
                }
                in_space = true;
                continue;
            }
            in_space = false;
            text.push(c);
            offsets.extend(i..i + c.len_utf8());
        }
        offsets.push(original.len());
        Collapsed { text, offsets }
    }

    /// The original offset of `offset` in the collapsed text. A match never starts or ends
    /// inside a collapsed run (phrases are trimmed), so this is exact at match boundaries.
    fn original(&self, offset: usize) -> usize {
        self.offsets[offset]
    }
}

/// Whether `text[start..end]` is whole words: no letter, digit or `_` just outside it.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(is_word) && !text[end..].chars().next().is_some_and(is_word)
}

#[cfg(test)]
mod tests {
    use super::{on_word_boundaries, Collapsed};

    #[test]
    fn whitespace_runs_collapse_with_offsets_back() {
        let original = "calm \t\n  down\tnow é";
        let collapsed = Collapsed::new(original);
        assert_eq!(collapsed.text, "calm down now é");
        // "down" starts after the run, "now" after the tab; the end maps to the end.
        assert_eq!(collapsed.original(5), original.find("down").unwrap());
        assert_eq!(collapsed.original(9), original.find("down").unwrap() + 4);
        assert_eq!(collapsed.original(10), original.find("now").unwrap());
        assert_eq!(collapsed.original(collapsed.text.len()), original.len());
    }

    #[test]
    fn whole_words_only() {
        let text = "relax, relaxing, unrelax calm downstairs";
        assert!(on_word_boundaries(text, 0, 5));
        assert!(!on_word_boundaries(text, 7, 12), "relax|ing");
        assert!(!on_word_boundaries(text, 19, 24), "un|relax");
        assert!(!on_word_boundaries(text, 25, 34), "calm down|stairs");
        assert!(on_word_boundaries("please calm down.", 7, 16));
    }
}
