//! `check --format sarif`: SARIF 2.1.0, as GitHub code scanning accepts it. Artifact URIs
//! are relative paths, percent-encoded (RFC 3986) so `#`, `%` and spaces stay part of the path.

use serde::Serialize;

use super::Locator;
use crate::check::registry::RULES;
use crate::diagnostic::Level;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::resolve::Project;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/defuse-scripts/defuse";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    /// The diagnostic's [`crate::diagnostic::Fix`], for tools that apply fixes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

/// The replacements in one file; a fix's edits in one file are one change.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Allow => "none",
    }
}

fn location(locator: &mut Locator, label: &Label, id: Option<usize>) -> Location {
    Location {
        id,
        physical_location: physical_location(locator, label),
        message: id.map(|_| Text { text: label.message.clone() }),
    }
}

fn physical_location(locator: &mut Locator, label: &Label) -> PhysicalLocation {
    let at = locator.position(label);
    PhysicalLocation {
        artifact_location: ArtifactLocation { uri: crate::output::sarif_uri(&at.file) },
        region: Region {
            start_line: at.start.line,
            start_column: at.start.column,
            end_line: at.end.line,
            end_column: at.end.column,
        },
    }
}

/// `d`'s fix as SARIF fixes (none or one), described by its help.
fn fixes(locator: &mut Locator, d: &Diagnostic) -> Vec<SarifFix> {
    let Some(fix) = &d.fix else { return Vec::new() };
    let mut changes: Vec<ArtifactChange> = Vec::new();
    for edit in &fix.edits {
        let label = Label { file: edit.file, span: edit.span, message: String::new() };
        let PhysicalLocation { artifact_location, region } = physical_location(locator, &label);
        let replacement =
            Replacement { deleted_region: region, inserted_content: Text { text: edit.replacement.clone() } };
        match changes.iter_mut().find(|change| change.artifact_location.uri == artifact_location.uri) {
            Some(change) => change.replacements.push(replacement),
            None => changes.push(ArtifactChange { artifact_location, replacements: vec![replacement] }),
        }
    }
    let description = Text { text: d.help.clone().unwrap_or_default() };
    vec![SarifFix { description, artifact_changes: changes }]
}

pub fn render(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let rules = RULES
        .iter()
        .map(|rule| ReportingDescriptor {
            id: rule.code.as_str(),
            name: rule.code.as_str().split('-').map(capitalize).collect(),
            short_description: Text { text: rule.summary.to_owned() },
            full_description: Text { text: rule.summary.to_owned() },
            help: Help { text: rule.doc.to_owned(), markdown: rule.doc },
            default_configuration: Configuration { level: sarif_level(rule.level) },
        })
        .collect();
    let mut locator = Locator::new(project);
    let results = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.headline().into_owned();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: RULES.iter().position(|r| r.code == d.code).expect("every code is registered"),
                level: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                message: Text { text },
                locations: vec![location(&mut locator, &d.primary, None)],
                related_locations: d
                    .secondary
                    .iter()
                    .enumerate()
                    .map(|(i, l)| location(&mut locator, l, Some(i + 1)))
                    .collect(),
                fixes: fixes(&mut locator, d),
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "defuse",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("the SARIF log serializes");
    text.push('\n');
    text
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
