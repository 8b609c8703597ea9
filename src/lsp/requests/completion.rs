//! `textDocument/completion`: [`complete::complete`]'s items, at most
//! [`complete::MAX_TARGETS`] (the list marked incomplete beyond).

use lsp_types::{CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit, TextEdit};

use crate::lsp::server::{Answer, Server};
use crate::lsp::{complete, convert};

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
    let text = analysis.text(file);
    let mut items = complete::complete(&analysis.project, file, text, offset);
    let is_incomplete = items.len() > complete::MAX_TARGETS;
    items.truncate(complete::MAX_TARGETS);
    // Each item says what it replaces: the whole name typed, a library's part included. An
    // editor's own idea of the word (VS Code's has no `.`) would turn `-> closings.sup` into
    // `closings.closings.supervisor`.
    let typed = complete::typed_span(text, offset);
    let range = convert::range(text, server.encoding, typed);
    for item in &mut items {
        let new_text = item.insert_text.clone().unwrap_or_else(|| item.label.clone());
        item.text_edit = Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text)));
    }
    Ok(Some(CompletionResponse::List(CompletionList { is_incomplete, items })))
}
