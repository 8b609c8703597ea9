//! `defuse/preview` (spec section 9, "Preview"): the trainer page of the script in a buffer,
//! built from the analysis the server holds (open buffers' text, unsaved edits, libraries
//! open in other buffers), for an editor to show beside the script.
//!
//! The answer is `{"version", "html"}` with the node under `position` marked `data-selected`,
//! or `{"version", "html": null, "message"}` when the script does not build (an error in it
//! or in a library it uses) or the buffer holds a library. Two fields beyond the contract's
//! serve the editor: `selected`, the id of the marked node (so a cursor move can scroll the
//! page already shown instead of replacing it), and `definitions`, each drawn node's id →
//! where it is defined (so a click on its box can reveal it without another request).

use std::collections::BTreeMap;

use lsp_types::{Location, Position, TextDocumentIdentifier};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::emit::html::{self, Preview as PageOptions};
use crate::graph::ScriptGraph;
use crate::lsp::convert;
use crate::lsp::server::{Answer, Server};
use crate::lsp::state::Analysis;
use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::ItemKind;

/// The request's method and types, as `lsp_types` declares the standard ones.
pub enum Preview {}

impl lsp_types::request::Request for Preview {
    type Params = PreviewParams;
    type Result = Option<PreviewResult>;
    const METHOD: &'static str = "defuse/preview";
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewParams {
    pub text_document: TextDocumentIdentifier,
    #[serde(default)]
    pub position: Option<Position>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PreviewResult {
    /// The buffer's version the page was built from.
    pub version: i32,
    /// The page, or `null` when the buffer's script does not build.
    pub html: Option<String>,
    /// Why there is no page, for the writer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The node marked `data-selected` (`null` when the cursor is in no drawn node).
    pub selected: Option<String>,
    /// Each drawn node's definition, by the id its box has (`data-node`).
    pub definitions: BTreeMap<String, Location>,
}

/// How many errors the message quotes before it counts the rest.
const QUOTED: usize = 3;

pub fn preview(server: &Server, params: PreviewParams) -> Answer<Option<PreviewResult>> {
    let uri = &params.text_document.uri;
    let Some(version) = server.documents.get(uri).map(|document| document.version) else { return Ok(None) };
    let Some((analysis, file, offset)) = server.locate(uri, params.position) else { return Ok(None) };
    let project = &analysis.project;
    let waiting = |message: String| Ok(Some(PreviewResult { version, message: Some(message), ..Default::default() }));
    if project.item(file).is_some_and(|item| item.kind == ItemKind::Library) {
        let message = "This file is a library: it has no page of its own. Preview a script that uses it.";
        return waiting(message.to_owned());
    }
    if let Some(message) = blocked(analysis, file) {
        return waiting(message);
    }
    let graph = ScriptGraph::build(project, file);
    let drawn: Vec<_> = graph.nodes().map(|node| graph.graph[node]).collect();
    let selected = params
        .position
        .and_then(|_| {
            let nodes = &project.item(file)?.nodes;
            nodes.iter().position(|node| node.span.start() <= offset && offset <= node.span.end())
        })
        .map(|index| project.qualified_name((file, index)));
    let html = html::render_preview(project, &graph, PageOptions { selected: selected.as_deref() });
    let definitions = drawn
        .into_iter()
        .filter_map(|key| {
            let span = project.node(key).name.span;
            let location = convert::location(analysis, &server.documents.open, server.encoding, key.0, span)?;
            Some((project.qualified_name(key), location))
        })
        .collect();
    Ok(Some(PreviewResult { version, html: Some(html), message: None, selected, definitions }))
}

/// Why the script in `file` cannot be built, in words for its writer: the errors in it and in
/// the libraries it uses (as `build` refuses them), or `None` when it builds.
fn blocked(analysis: &Analysis, file: FileId) -> Option<String> {
    let project = &analysis.project;
    let closure = project.use_closure(file);
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error && closure.contains(&diagnostic.file()))
        .collect();
    if errors.is_empty() {
        return (project.item(file).is_none() || analysis.recovered.contains(&file))
            .then(|| "The preview waits for this file to parse.".to_owned());
    }
    let quoted: Vec<String> = errors
        .iter()
        .take(QUOTED)
        .map(|error| format!("{}: {}", place(project, file, error.file(), error.primary.span.start()), error.message))
        .collect();
    let count = if errors.len() == 1 { "1 error".to_owned() } else { format!("{} errors", errors.len()) };
    let mut message = format!("The preview waits for {count} to be fixed: {}", quoted.join("; "));
    if errors.len() > QUOTED {
        message.push_str(&format!("; and {} more", errors.len() - QUOTED));
    }
    message.push('.');
    Some(message)
}

/// "line N" in the previewed file, "FILE line N" in another.
fn place(project: &Project, previewed: FileId, file: FileId, offset: usize) -> String {
    let source = project.sources.get(file);
    let line = source.line_col(offset).line;
    if file == previewed {
        format!("line {line}")
    } else {
        let name = source.path.file_name().map_or_else(|| source.display_path(), |name| name.to_string_lossy().into());
        format!("{name} line {line}")
    }
}
