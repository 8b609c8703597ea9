//! `textDocument/completion`: [`complete::complete`]'s items, at most
//! [`complete::MAX_TARGETS`] (the list marked incomplete beyond).

use lsp_types::{CompletionList, CompletionParams, CompletionResponse};

use crate::lsp::complete;
use crate::lsp::server::{Answer, Server};

pub(crate) fn completion(server: &Server, params: CompletionParams) -> Answer<Option<CompletionResponse>> {
    let at = params.text_document_position;
    if crate::lsp::state::identity(&at.text_document.uri)
        .is_some_and(|path| crate::lsp::translations::is_translation(&path))
    {
        return Ok(None); // a PO file is no script: nothing to complete
    }
    let Some((analysis, file, offset)) = server.locate(&at.text_document.uri, Some(at.position)) else {
        return Ok(None);
    };
    let mut items = complete::complete(&analysis.project, file, analysis.text(file), offset);
    let is_incomplete = items.len() > complete::MAX_TARGETS;
    items.truncate(complete::MAX_TARGETS);
    Ok(Some(CompletionResponse::List(CompletionList { is_incomplete, items })))
}
