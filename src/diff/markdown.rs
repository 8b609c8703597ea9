//! `--format markdown`: a pull-request comment. A summary table comes first (one row per
//! script that changed), then each script's items folded in `<details>`; changed lines are
//! word diffs in `<del>`/`<ins>`. An item is one edit with what followed from it, as in
//! `text`; counts are of items (the JSON document lists every change).
//!
//! **Invariants:** script text is escaped by the one Markdown escaper,
//! [`crate::output::markdown_text`] with [`Markdown::Comment`] (markdown punctuation
//! backslash-escaped, `<`, `>`, `&`, `@` and `#` as entities, so no tag, link, mention or issue
//! reference comes from a script); the comment stays within GitHub's limit of [`MAX_CHARS`] characters: past it,
//! the changes that do not fit are left out and a note says how many.

use super::words::word_diff;
use super::{summary_line, Impact, Item, Kind, Report, Status};
use crate::output::{markdown_text, Markdown};

/// GitHub refuses a comment body longer than this many characters.
pub(crate) const MAX_CHARS: usize = 65_536;
/// Room kept for the closing tags and the truncation note.
const RESERVE: usize = 600;

fn badge(severity: Impact) -> &'static str {
    match severity {
        Impact::Breaking => "🔴 breaking",
        Impact::Review => "🟡 review",
        Impact::Info => "🔵 info",
    }
}

/// Text from a script, safe inside a markdown paragraph, list item or table cell.
fn escape(text: &str) -> String {
    markdown_text(text, Markdown::Comment)
}

/// The comment, at most [`MAX_CHARS`] characters.
pub fn render(report: &Report) -> String {
    let summary = report.item_summary();
    let mut head = String::from("## defuse diff\n\n");
    head.push_str(&format!("**{}**\n\n", summary_line(summary)));
    let changed: Vec<_> = report.scripts.iter().filter(|script| script.status != Status::Unchanged).collect();
    if changed.is_empty() {
        head.push_str("No script changed.\n");
        return head;
    }
    head.push_str("| script | status | breaking | review | info |\n|---|---|--:|--:|--:|\n");

    let mut body = Body { chars: head.chars().count(), text: head, left_out: 0, full: false };
    for script in &changed {
        let counts = script.item_summary();
        let row = format!(
            "| {} | {} | {} | {} | {} |\n",
            escape(&script.name),
            status_word(script.status),
            counts.breaking,
            counts.review,
            counts.info
        );
        // A row that does not fit leaves the comment full: the script's changes are then
        // counted as left out below.
        body.push(&row);
    }
    body.force("\n");
    for script in &changed {
        let counts = script.item_summary();
        let items = script.items();
        let open = format!(
            "<details><summary><b>{}</b>: {} ({})</summary>\n\n",
            escape(&script.name),
            status_word(script.status),
            summary_line(counts)
        );
        if !body.push(&open) {
            body.left_out += items.len();
            continue;
        }
        for (shown, each) in items.iter().enumerate() {
            if !body.push(&item(each, script.paths_cut.is_some())) {
                body.left_out += items.len() - shown;
                break;
            }
        }
        if let Some(note) = &script.paths_cut {
            body.push(&format!("\n_{}_\n", escape(note)));
        }
        body.force("\n</details>\n\n");
    }
    if body.left_out > 0 {
        body.text.push_str(&format!(
            "**{} more change{} not shown**: the comment would pass GitHub's limit of {MAX_CHARS} characters. Run `defuse diff` for the whole report.\n",
            body.left_out,
            if body.left_out == 1 { " is" } else { "s are" }
        ));
    }
    body.text
}

/// The comment being built, its length in characters, and how many changes did not fit.
struct Body {
    text: String,
    chars: usize,
    left_out: usize,
    /// Set at the first piece that did not fit: nothing after it is shown, so what is left
    /// out is one tail of the report, not scattered pieces.
    full: bool,
}

impl Body {
    /// Appends `piece` if the comment stays within the limit (with room for the ending).
    fn push(&mut self, piece: &str) -> bool {
        let length = piece.chars().count();
        if self.full || self.chars + length + RESERVE > MAX_CHARS {
            self.full = true;
            return false;
        }
        self.force(piece);
        true
    }

    /// Appends a closing piece, counted in the room [`RESERVE`] keeps.
    fn force(&mut self, piece: &str) {
        self.chars += piece.chars().count();
        self.text.push_str(piece);
    }
}

/// One of our messages: ids and keywords in backticks become `<code>`, and everything is
/// escaped, so a message renders the same whatever an id or a label holds.
fn message(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, piece)| if i % 2 == 1 { format!("<code>{}</code>", escape(piece)) } else { escape(piece) })
        .collect()
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
        Status::Unchanged => "unchanged",
    }
}

fn item(item: &Item, paths_cut: bool) -> String {
    let change = item.lead;
    let mut line =
        format!("- {} `{}`: {}\n", badge(item.severity()), change.kind.as_str(), message(&item.line(paths_cut)));
    if !change.kind.shows_values() {
        return line;
    }
    match (change.kind, &change.old, &change.new) {
        (Kind::LineChanged, Some(old), Some(new)) => {
            let diff = word_diff(old, new, escape, |removed, text| {
                if removed {
                    format!("<del>{text}</del>")
                } else {
                    format!("<ins>{text}</ins>")
                }
            });
            line.push_str(&format!("  {diff}\n"));
        }
        (_, old, new) => {
            if let Some(old) = old {
                line.push_str(&format!("  was: {}<br>\n", escape(old)));
            }
            if let Some(new) = new {
                line.push_str(&format!("  now: {}\n", escape(new)));
            }
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, ScriptDiff};

    fn line_change(i: usize, text: &str) -> Change {
        Change {
            node: Some(format!("n{i}")),
            old: Some(text.to_owned()),
            new: Some(format!("{text} {i}")),
            ..Change::new(Kind::LineChanged, format!("a `say` line of `n{i}` changed"))
        }
    }

    #[test]
    fn a_long_report_is_cut_to_the_comment_limit_with_a_note() {
        let long = "é".repeat(300);
        let changes: Vec<Change> = (0..1000).map(|i| line_change(i, &long)).collect();
        let report = Report {
            scripts: vec![ScriptDiff { name: "s".into(), status: Status::Changed, changes, paths_cut: None }],
        };
        let comment = render(&report);
        assert!(comment.chars().count() <= MAX_CHARS, "{} characters", comment.chars().count());
        assert!(comment.starts_with("## defuse diff\n\n**0 breaking, 1000 review, 0 info**"));
        let shown = comment.matches("- 🟡 review").count();
        assert!(shown > 50 && shown < 1000, "{shown} shown");
        assert!(comment.contains(&format!("**{} more changes are not shown**", 1000 - shown)), "{comment}");
        assert!(comment.trim_end().ends_with("for the whole report."));
        assert_eq!(comment.matches("<details>").count(), comment.matches("</details>").count());
    }

    #[test]
    fn script_text_cannot_make_markup_mentions_or_references() {
        let change = line_change(1, "<img src=x> @team see #12 [link](http://x) `code` | cell");
        let shown = item(&Item { lead: &change, consequences: Vec::new() }, false);
        for made in ["<img", "@team", "#12", "[link]", "`code`", " | "] {
            assert!(!shown.contains(made), "{made} in {shown}");
        }
    }
}
