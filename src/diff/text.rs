//! `--format text`: a legend, then each script with its items, most severe first, and a
//! summary line. An item is one edit with what followed from it ("option "X" of `menu`
//! removed: 4 paths gone, `boss` unreachable"), or one change no edit explains; the summary
//! counts items (`--format json` lists and counts every change). Changed lines show as word diffs (`[-old-]{+new+}`). Printed through the
//! neutralising sink, so script text cannot drive the terminal.

use super::words::text_word_diff;
use super::{summary_line, Impact, Item, Kind, Report, Status};

/// The mark of each severity.
fn mark(severity: Impact) -> &'static str {
    match severity {
        Impact::Breaking => "!",
        Impact::Review => "~",
        Impact::Info => "+",
    }
}

pub(crate) const LEGEND: &str = "legend: ! breaking  ~ review  + info   (words: [-removed-] {+added+})";

/// The whole report as text (every line ends with a newline).
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(LEGEND);
    out.push('\n');
    for script in &report.scripts {
        let status = match script.status {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
        };
        out.push_str(&format!("\nscript {}: {status}\n", script.name));
        for item in script.items() {
            render_item(&mut out, &item, script.paths_cut.is_some());
        }
        if let Some(note) = &script.paths_cut {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", summary_line(report.item_summary())));
    out
}

fn render_item(out: &mut String, item: &Item, paths_cut: bool) {
    let change = item.lead;
    out.push_str(&format!(
        "  {} {}: {}\n",
        mark(item.severity()),
        change.kind.as_str(),
        one_line(&item.line(paths_cut))
    ));
    if !change.kind.shows_values() {
        return;
    }
    match (change.kind, &change.old, &change.new) {
        (Kind::LineChanged, Some(old), Some(new)) => {
            out.push_str(&format!("      {}\n", one_line(&text_word_diff(old, new))));
        }
        (_, old, new) => {
            if let Some(old) = old {
                out.push_str(&format!("      - {}\n", one_line(old)));
            }
            if let Some(new) = new {
                out.push_str(&format!("      + {}\n", one_line(new)));
            }
        }
    }
}

/// Multi-line script text on one report line: line breaks shown as `⏎`.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "⏎").replace('\n', "⏎")
}
