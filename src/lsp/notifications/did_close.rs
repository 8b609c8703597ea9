//! `textDocument/didClose`: the file reads from disk again; its diagnostics are cleared.

use lsp_types::DidCloseTextDocumentParams;

use crate::lsp::server::{publish, Server};
use crate::lsp::state;
use crate::lsp::transport::Connection;

pub(crate) fn did_close(server: &mut Server, connection: &Connection, params: DidCloseTextDocumentParams) {
    let Some(path) = state::identity(&params.text_document.uri) else { return };
    server.line_hint = None;
    if server.documents.open.remove(&path).is_some() {
        publish(connection, params.text_document.uri, Vec::new(), None);
        server.touch(path);
    }
}
