//! `textDocument/formatting`: the buffer formatted ([`edit::format`]) as one edit over the
//! whole text, no edit when it is formatted already, nothing when it does not parse.

use lsp_types::{DocumentFormattingParams, TextEdit};

use crate::lsp::server::{Answer, Server};
use crate::lsp::{convert, edit};
use crate::source::Span;

pub(crate) fn formatting(server: &Server, params: DocumentFormattingParams) -> Answer<Option<Vec<TextEdit>>> {
    let Some(document) = server.documents.get(&params.text_document.uri) else { return Ok(None) };
    let text = &document.text;
    let Some(formatted) = edit::format(text) else { return Ok(None) };
    if formatted == **text {
        return Ok(Some(Vec::new()));
    }
    let whole = convert::range(text, server.encoding, Span::new(0, text.len()));
    Ok(Some(vec![TextEdit::new(whole, formatted)]))
}
