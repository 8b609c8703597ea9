//! `textDocument/didChange`: incremental sync. Each change replaces its range (or the whole
//! text); the line of the last edit is remembered so the next keystroke's position is found
//! from there ([`position::edit_span`]).

use lsp_types::DidChangeTextDocumentParams;

use crate::lsp::position;
use crate::lsp::server::Server;
use crate::lsp::state;
use crate::lsp::transport::Connection;

pub(crate) fn did_change(server: &mut Server, _: &Connection, params: DidChangeTextDocumentParams) {
    let Some(path) = state::identity(&params.text_document.uri) else { return };
    let Some(document) = server.documents.open.get_mut(&path) else { return };
    // Copied only while the last analysis shares the text: once per burst of edits.
    let text = std::sync::Arc::make_mut(&mut document.text);
    let mut hint = server.line_hint.take().filter(|(hinted, ..)| *hinted == path).map(|(_, line, at)| (line, at));
    for change in params.content_changes {
        match change.range {
            Some(range) => {
                let span;
                (span, hint) = position::edit_span(text, server.encoding, range, hint);
                text.replace_range(span.start()..span.end(), &change.text);
            }
            None => (*text, hint) = (change.text, None),
        }
    }
    server.line_hint = hint.map(|(line, at)| (path.clone(), line, at));
    document.version = params.text_document.version;
    server.touch(path);
}
