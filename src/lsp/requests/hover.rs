//! `textDocument/hover`: [`navigate::hover`]'s Markdown for the node named at the cursor,
//! over the name's range; on a translatable line of a project with `[locales] targets`, the
//! line in each target locale after it ([`translations::hover`]).

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::lsp::navigate;
use crate::lsp::server::{Answer, Server};
use crate::lsp::{convert, translations};

pub(crate) fn hover(server: &Server, params: HoverParams) -> Answer<Option<Hover>> {
    let at = params.text_document_position_params;
    let Some((analysis, file, offset)) = server.locate(&at.text_document.uri, Some(at.position)) else {
        return Ok(None);
    };
    let found = navigate::at(&analysis.project, file, offset);
    let node = found.and_then(|found| Some((found, found.node(&analysis.project)?))).map(|(found, key)| {
        let span = match found {
            navigate::Found::Definition(key) => analysis.project.node(key).name.span,
            navigate::Found::Target { target, .. } => target.span,
        };
        (navigate::hover(&analysis.project, key, &analysis.timing), span)
    });
    let translated = translations::project_locales(&analysis.paths[file.index()])
        .and_then(|(root, config)| translations::hover(analysis, file, offset, &root, &config));
    let (value, span) = match (node, translated) {
        (None, None) => return Ok(None),
        (Some(node), None) => node,
        (None, Some(lines)) => lines,
        (Some((text, span)), Some((lines, _))) => (format!("{text}\n\n---\n\n{lines}"), span),
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
        range: Some(convert::range(analysis.text(file), server.encoding, span)),
    }))
}
