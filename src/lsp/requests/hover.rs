//! `textDocument/hover`: [`navigate::hover`]'s Markdown for the node named at the cursor,
//! over the name's range.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub fn hover(server: &Server, params: HoverParams) -> Answer<Option<Hover>> {
    let at = params.text_document_position_params;
    let Some((analysis, file, offset)) = server.locate(&at.text_document.uri, Some(at.position)) else {
        return Ok(None);
    };
    let Some(found) = navigate::at(&analysis.project, file, offset) else { return Ok(None) };
    let Some(key) = found.node(&analysis.project) else { return Ok(None) };
    let span = match found {
        navigate::Found::Definition(key) => analysis.project.node(key).name.span,
        navigate::Found::Target { target, .. } => target.span,
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: navigate::hover(&analysis.project, key, &analysis.timing),
        }),
        range: Some(convert::range(analysis.text(file), server.encoding, span)),
    }))
}
