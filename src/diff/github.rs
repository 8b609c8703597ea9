//! `--format github`: one workflow command per change, `::error` for breaking, `::warning`
//! for review, `::notice` for info, at the node's file and line (NEW's, or OLD's for what is
//! gone). Every message and property is escaped, so script text cannot start a command.

use super::{Impact, Report};
use crate::output::{github_data, github_property};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for script in &report.scripts {
        for change in &script.changes {
            let command = match change.severity() {
                Impact::Breaking => "error",
                Impact::Review => "warning",
                Impact::Info => "notice",
            };
            let mut properties = Vec::new();
            if let Some(place) = &change.place {
                properties.push(format!("file={}", github_property(&place.file)));
                properties.push(format!("line={}", place.line));
            }
            let title = format!("defuse diff: {} ({})", change.kind.as_str(), change.severity().as_str());
            properties.push(format!("title={}", github_property(&title)));
            let mut message = format!("{}: {}", script.name, change.message);
            if change.kind.shows_values() {
                if let Some(old) = &change.old {
                    message.push_str(&format!("\nwas: {old}"));
                }
                if let Some(new) = &change.new {
                    message.push_str(&format!("\nnow: {new}"));
                }
            }
            out.push_str(&format!("::{command} {}::{}\n", properties.join(","), github_data(&message)));
        }
    }
    out
}
