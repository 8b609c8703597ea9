//! `textDocument/didOpen`: the buffer is the file's text from now on.

use lsp_types::DidOpenTextDocumentParams;

use crate::lsp::server::Server;
use crate::lsp::state::{self, Document};
use crate::lsp::transport::Connection;

pub(crate) fn did_open(server: &mut Server, _: &Connection, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    let Some(path) = state::identity(&document.uri) else { return };
    server
        .documents
        .open
        .insert(path.clone(), Document { uri: document.uri, version: document.version, text: document.text.into() });
    server.line_hint = None;
    server.touch(path);
}
