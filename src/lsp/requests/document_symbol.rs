//! `textDocument/documentSymbol`: the file's outline ([`navigate::symbols`]).

use lsp_types::{DocumentSymbolParams, DocumentSymbolResponse};

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub(crate) fn document_symbol(server: &Server, params: DocumentSymbolParams) -> Answer<Option<DocumentSymbolResponse>> {
    let Some((analysis, file, _)) = server.locate(&params.text_document.uri, None) else { return Ok(None) };
    let Some(item) = analysis.project.item(file) else { return Ok(None) };
    let index = convert::index(analysis.text(file), server.encoding);
    Ok(Some(DocumentSymbolResponse::Nested(vec![navigate::symbols(item, |span| index.range(span))])))
}
