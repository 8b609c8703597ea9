//! `textDocument/rename`: the node's definition and every edge into it across the workspace
//! ([`Server::wide`]) renamed, unless [`navigate::rename_refusal`] refuses the new name.

use std::collections::HashMap;

use lsp_server::ErrorCode;
use lsp_types::{RenameParams, TextEdit, Url, WorkspaceEdit};

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
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
}
