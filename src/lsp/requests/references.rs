//! `textDocument/references`: every edge into the node at the cursor, across the workspace
//! ([`Server::wide`]), and its definition when the client asks for it.

use lsp_types::{Location, ReferenceParams};

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub(crate) fn references(server: &Server, params: ReferenceParams) -> Answer<Option<Vec<Location>>> {
    let Some((analysis, Some(key))) = server.wide_node_at(&params.text_document_position) else { return Ok(None) };
    let mut spans = Vec::new();
    if params.context.include_declaration {
        spans.push((key.file, analysis.project.node(key).name.span));
    }
    spans.extend(navigate::references(&analysis.project, key));
    let locations = spans
        .into_iter()
        .filter_map(|(file, span)| convert::location(&analysis, &server.documents.open, server.encoding, file, span));
    Ok(Some(locations.collect()))
}
