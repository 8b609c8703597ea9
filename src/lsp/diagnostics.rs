//! `check`'s diagnostics as LSP diagnostics: code, severity, message, related information
//! (every secondary label), `source: "defuse"`, and the `Unnecessary` tag for code that does
//! nothing (`unreachable` nodes, `unused-var`), which editors grey out.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Location,
    NumberOrString,
};

use super::convert;
use super::position::{Encoding, LineIndex};
use super::state::{Analysis, Document};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::FileId;

pub(crate) const SOURCE: &str = "defuse";

/// The diagnostics of `file`, in report order.
pub(crate) fn for_file(
    analysis: &Analysis,
    file: FileId,
    documents: &BTreeMap<PathBuf, Document>,
    encoding: Encoding,
) -> Vec<LspDiagnostic> {
    let mut indexes: BTreeMap<FileId, LineIndex> = BTreeMap::new();
    let mut range_in = |file: FileId, span| {
        indexes.entry(file).or_insert_with(|| convert::index(analysis.text(file), encoding)).range(span)
    };
    let mut out = Vec::new();
    for diagnostic in analysis.diagnostics.iter().filter(|d| d.file() == file) {
        let range = range_in(file, diagnostic.primary.span);
        let related = diagnostic
            .secondary
            .iter()
            .filter_map(|label| {
                let uri = analysis.uri(label.file, documents)?;
                let range = range_in(label.file, label.span);
                let message = if label.message.is_empty() { diagnostic.message.clone() } else { label.message.clone() };
                Some(DiagnosticRelatedInformation { location: Location { uri, range }, message })
            })
            .collect::<Vec<_>>();
        out.push(LspDiagnostic {
            range,
            severity: Some(severity(diagnostic)),
            code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
            code_description: None,
            source: Some(SOURCE.to_owned()),
            message: diagnostic.headline().into_owned(),
            related_information: (!related.is_empty()).then_some(related),
            tags: unnecessary(diagnostic).then(|| vec![DiagnosticTag::UNNECESSARY]),
            data: diagnostic.help.as_ref().map(|help| serde_json::json!({ "help": help })),
        });
    }
    out
}

fn severity(diagnostic: &Diagnostic) -> DiagnosticSeverity {
    match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
    }
}

fn unnecessary(diagnostic: &Diagnostic) -> bool {
    matches!(diagnostic.code, crate::diagnostic::Code::Unreachable | crate::diagnostic::Code::UnusedVar)
}
