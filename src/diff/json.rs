//! `--format json`: the `defuse-diff/1` document of spec section 8, sorted as the report is
//! (scripts by name; changes most severe first, then kind, node, message).

use serde::Serialize;

use super::{Report, Status, Summary};

pub(crate) const FORMAT: &str = "defuse-diff/1";

#[derive(Serialize)]
struct Document<'r> {
    format: &'static str,
    summary: Summary,
    scripts: Vec<JsonScript<'r>>,
}

#[derive(Serialize)]
struct JsonScript<'r> {
    name: &'r str,
    status: Status,
    changes: Vec<JsonChange<'r>>,
    /// Present when paths past the bound were not compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    paths_cut: Option<&'r str>,
}

#[derive(Serialize)]
struct JsonChange<'r> {
    kind: &'static str,
    severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    node: Option<&'r str>,
    message: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    old: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<&'r str>,
}

/// The document, pretty-printed, with a final newline.
pub fn render(report: &Report) -> String {
    let document = Document {
        format: FORMAT,
        summary: report.summary(),
        scripts: report
            .scripts
            .iter()
            .map(|script| JsonScript {
                name: &script.name,
                status: script.status,
                paths_cut: script.paths_cut.as_deref(),
                changes: script
                    .changes
                    .iter()
                    .map(|change| JsonChange {
                        kind: change.kind.as_str(),
                        severity: change.severity().as_str(),
                        node: change.node.as_deref(),
                        message: &change.message,
                        old: change.old.as_deref(),
                        new: change.new.as_deref(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&document).expect("the diff document serializes");
    text.push('\n');
    text
}
