//! `check --format json`: one document, exactly the shape of spec section 4.

use serde::Serialize;

use super::Locator;
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::Project;

#[derive(Serialize)]
struct Report<'a> {
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
    /// The locale of a translation check (contract section 12); absent for the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<&'a str>,
}

#[derive(Serialize)]
struct Related<'a> {
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
}

pub fn render(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let mut locator = Locator::new(project);
    let report = Report {
        files: project.sources.len(),
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let at = locator.position(&d.primary);
                JsonDiagnostic {
                    code: d.code.as_str(),
                    severity: d.severity,
                    message: &d.message,
                    file: at.file,
                    line: at.start.line,
                    column: at.start.column,
                    end_line: at.end.line,
                    end_column: at.end.column,
                    help: d.help.as_deref(),
                    related: d
                        .secondary
                        .iter()
                        .map(|label| {
                            let at = locator.position(label);
                            Related {
                                file: at.file,
                                line: at.start.line,
                                column: at.start.column,
                                message: &label.message,
                            }
                        })
                        .collect(),
                    locale: d.locale.as_deref(),
                }
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).expect("the report serializes");
    text.push('\n');
    text
}
