//! `textDocument/definition`: the node a name at the cursor refers to (or the node defined there).

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse};

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub fn definition(server: &Server, params: GotoDefinitionParams) -> Answer<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    let Some((analysis, file, offset)) = server.locate(&at.text_document.uri, Some(at.position)) else {
        return Ok(None);
    };
    let key = navigate::at(&analysis.project, file, offset).and_then(|found| found.node(&analysis.project));
    Ok(key
        .and_then(|key| {
            let span = analysis.project.node(key).name.span;
            convert::location(analysis, &server.documents.open, server.encoding, key.0, span)
        })
        .map(GotoDefinitionResponse::Scalar))
}
