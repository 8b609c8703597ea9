//! `textDocument/prepareRename`: the range of the node name at the cursor, or a refusal when
//! no node's name is there.

use lsp_server::ErrorCode;
use lsp_types::{PrepareRenameResponse, TextDocumentPositionParams};

use crate::lsp::convert;
use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};

pub(crate) fn prepare_rename(
    server: &Server,
    params: TextDocumentPositionParams,
) -> Answer<Option<PrepareRenameResponse>> {
    let Some((analysis, file, offset)) = server.locate(&params.text_document.uri, Some(params.position)) else {
        return Ok(None);
    };
    let span = match navigate::at(&analysis.project, file, offset) {
        Some(navigate::Found::Definition(key)) => analysis.project.node(key).name.span,
        Some(found @ navigate::Found::Target { target, .. }) if found.node(&analysis.project).is_some() => {
            target.node.span
        }
        _ => return Err((ErrorCode::RequestFailed, "only a node's name can be renamed".into())),
    };
    Ok(Some(PrepareRenameResponse::Range(convert::range(analysis.text(file), server.encoding, span))))
}
