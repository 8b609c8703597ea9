//! `textDocument/definition`: the node a name at the cursor refers to (or the node defined
//! there); in a PO file, the source line of a `#:` reference or a `msgctxt` line
//! ([`translations::definition`]).

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location};

use crate::lsp::server::{Answer, Server};
use crate::lsp::{convert, navigate, state, translations};

pub(crate) fn definition(server: &Server, params: GotoDefinitionParams) -> Answer<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    if state::identity(&at.text_document.uri).is_some_and(|path| translations::is_translation(&path)) {
        return Ok(in_translation(server, &at).map(GotoDefinitionResponse::Scalar));
    }
    let Some((analysis, file, offset)) = server.locate(&at.text_document.uri, Some(at.position)) else {
        return Ok(None);
    };
    let key = navigate::at(&analysis.project, file, offset).and_then(|found| found.node(&analysis.project));
    Ok(key
        .and_then(|key| {
            let span = analysis.project.node(key).name.span;
            convert::location(analysis, &server.documents.open, server.encoding, key.file, span)
        })
        .map(GotoDefinitionResponse::Scalar))
}

/// Go to definition in an open PO buffer: its project's root from its `defuse.toml`.
fn in_translation(server: &Server, at: &lsp_types::TextDocumentPositionParams) -> Option<Location> {
    let path = state::identity(&at.text_document.uri)?;
    let document = server.documents.open.get(&path)?;
    let (root, _) = translations::project_locales(&path)?;
    let analysis = server.analyses.iter().find(|analysis| analysis.file_of(&path).is_some());
    let offset = convert::offset(&document.text, server.encoding, at.position);
    let (target, span) = translations::definition(&document.text, offset, &root, analysis)?;
    let analysis = analysis?;
    let file = analysis.file_of(&target)?;
    convert::location(analysis, &server.documents.open, server.encoding, file, span)
}
