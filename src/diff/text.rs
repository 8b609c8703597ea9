//! `--format text`: a legend, then each script with its changes, most severe first, and a
//! summary line. Changed lines show as word diffs (`[-old-]{+new+}`). Printed through the
//! neutralising sink, so script text cannot drive the terminal.

use super::words::text_word_diff;
use super::{summary_line, Change, Kind, Report, Severity, Status};

/// The mark of each severity.
fn mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Breaking => "!",
        Severity::Review => "~",
        Severity::Info => "+",
    }
}

pub const LEGEND: &str = "legend: ! breaking  ~ review  + info   (words: [-removed-] {+added+})";

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
        for change in &script.changes {
            render_change(&mut out, change);
        }
        if let Some(note) = &script.paths_cut {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", summary_line(report.summary())));
    out
}

fn render_change(out: &mut String, change: &Change) {
    out.push_str(&format!("  {} {}: {}\n", mark(change.severity()), change.kind.as_str(), one_line(&change.message)));
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
