//! `textDocument/rename`: the node's definition and every edge into it across the workspace
//! ([`Server::wide`]) renamed, unless [`navigate::rename_refusal`] refuses the new name; and
//! the transcript tests' names of it (`start`, `go`, `expect close`, `expect path`), so the
//! tests still run after the rename.

use std::collections::HashMap;
use std::path::Path;

use lsp_server::ErrorCode;
use lsp_types::{RenameParams, TextEdit, Url, WorkspaceEdit};

use crate::dtest::ast::{Expectation, StepKind};
use crate::lsp::state::Analysis;
use crate::resolve::NodeKey;
use crate::source::FileId;
use crate::syntax::ast::Target;

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub(crate) fn rename(server: &Server, params: RenameParams) -> Answer<Option<WorkspaceEdit>> {
    let Some((analysis, key)) = server.wide_node_at(&params.text_document_position) else { return Ok(None) };
    let Some(key) = key else {
        return Err((ErrorCode::RequestFailed, "only a node's name can be renamed".into()));
    };
    if let Some(refusal) = navigate::rename_refusal(&analysis.project, key, &params.new_name) {
        return Err((ErrorCode::RequestFailed, refusal));
    }
    let mut spans = vec![(key.file, analysis.project.node(key).name.span)];
    spans.extend(navigate::references(&analysis.project, key));
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for (file, span) in spans {
        if let Some(location) = convert::location(&analysis, &server.documents.open, server.encoding, file, span) {
            changes.entry(location.uri).or_default().push(TextEdit::new(location.range, params.new_name.clone()));
        }
    }
    let Some(path) = crate::lsp::state::identity(&params.text_document_position.text_document.uri) else {
        return Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }));
    };
    for folder in server.folders(&path) {
        for test_file in crate::workspace::files_under(&folder, crate::dtest::EXTENSION) {
            if let Some((uri, edits)) = test_edits(server, &analysis, key, &test_file, &params.new_name) {
                changes.entry(uri).or_default().extend(edits);
            }
        }
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
}

/// The edits renaming node `key` in the transcript test file at `path` (its open buffer's text,
/// else the disk's): each target naming it, as the test's script names it (`closings.thanks` for
/// a library node the script uses, the bare name for the script's own). `None` when the file
/// names it nowhere.
fn test_edits(
    server: &Server,
    analysis: &Analysis,
    key: NodeKey,
    path: &Path,
    new_name: &str,
) -> Option<(Url, Vec<TextEdit>)> {
    let identity = crate::lsp::state::canonical_identity(path);
    let open = server.documents.open.get(&identity);
    let text = match open {
        Some(document) => document.text.clone(),
        None => crate::files::read::read(path).ok()?,
    };
    let parsed = crate::dtest::parse::parse(FileId::from_index(0), &text).file?;
    let script_path = crate::resolve::paths::normalize(&path.parent()?.join(&parsed.script.value));
    let script = analysis.file_of(&crate::lsp::state::canonical_identity(&script_path))?;
    let project = &analysis.project;
    let old = &project.node(key).name.name;
    // How the test's script names the node: bare when it is the script's own, `library.node`
    // when the script uses its library.
    let library = match key.file == script {
        true => None,
        false => Some(project.module(script).imports.iter().find(|(_, &file)| file == key.file)?.0.as_str()),
    };
    let names =
        |target: &Target| target.node.name == *old && target.library.as_ref().map(|l| l.name.as_str()) == library;
    let mut spans = Vec::new();
    for step in parsed.tests.iter().flat_map(|test| &test.steps) {
        let targets: Vec<&Target> = match &step.kind {
            StepKind::Start(target) | StepKind::Go(target) => vec![target],
            StepKind::Expect(Expectation::Close(target)) => vec![target],
            StepKind::Expect(Expectation::Path(targets)) => targets.iter().collect(),
            _ => Vec::new(),
        };
        spans.extend(targets.into_iter().filter(|target| names(target)).map(|target| target.node.span));
    }
    if spans.is_empty() {
        return None;
    }
    let index = convert::index(&text, server.encoding);
    let edits = spans.into_iter().map(|span| TextEdit::new(index.range(span), new_name.to_owned())).collect();
    let uri = match open {
        Some(document) => document.uri.clone(),
        None => Url::from_file_path(path).ok()?,
    };
    Some((uri, edits))
}
