//! `textDocument/codeAction`: the quick fixes ([`edit::fixes`]) of the diagnostics that touch
//! the range, each naming the diagnostic as published.

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse, WorkspaceEdit};

use crate::lsp::server::{Answer, Server};
use crate::lsp::{convert, diagnostics, edit};

pub(crate) fn code_action(server: &Server, params: CodeActionParams) -> Answer<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let Some((analysis, file, _)) = server.locate(&uri, None) else { return Ok(None) };
    let index = convert::index(analysis.text(file), server.encoding);
    let wanted = index.span(params.range);
    let published = diagnostics::for_file(analysis, file, &server.documents.open, server.encoding);
    let mut actions = Vec::new();
    let own = analysis.diagnostics.iter().filter(|d| d.file() == file);
    for (diagnostic, shown) in own.zip(published) {
        let span = diagnostic.primary.span;
        if span.end() < wanted.start() || span.start() > wanted.end() {
            continue;
        }
        for fix in edit::fixes(&analysis.project, file, diagnostic) {
            let edits = convert::text_edits(&index, fix.edits);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![shown.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some([(uri.clone(), edits)].into_iter().collect()),
                    ..Default::default()
                }),
                is_preferred: fix.preferred.then_some(true),
                ..Default::default()
            }));
        }
    }
    Ok(Some(actions))
}
