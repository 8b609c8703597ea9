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
use crate::resolve::{NodeKey, Project};
use crate::source::FileId;
use crate::syntax::ast::ItemKind;

/// The request's method and types, as `lsp_types` declares the standard ones.
pub(crate) enum Preview {}

impl lsp_types::request::Request for Preview {
    type Params = PreviewParams;
    type Result = Option<PreviewResult>;
    const METHOD: &'static str = "defuse/preview";
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PreviewParams {
    pub text_document: TextDocumentIdentifier,
    #[serde(default)]
    pub position: Option<Position>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct PreviewResult {
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

pub(crate) fn preview(server: &Server, params: PreviewParams) -> Answer<Option<PreviewResult>> {
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
        .map(|index| project.qualified_name(NodeKey { file, index }));
    let html = html::render_preview(project, &graph, PageOptions { selected: selected.as_deref() });
    let definitions = drawn
        .into_iter()
        .filter_map(|key| {
            let span = project.node(key).name.span;
            let location = convert::location(analysis, &server.documents.open, server.encoding, key.file, span)?;
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use lsp_types::Url;

    use super::*;
    use crate::lsp::position::Encoding;
    use crate::lsp::state::{Document, Reusable};

    /// A server holding `files` (path, text) as open buffers, analysed as the loop would.
    fn server(files: &[(&str, &str)]) -> Server {
        let mut server = Server::new(Encoding::Utf16, Vec::new());
        for (path, text) in files {
            let uri = Url::from_file_path(path).unwrap();
            let document = Document { uri, version: 3, text: Arc::new((*text).to_owned()) };
            server.documents.open.insert(PathBuf::from(path), document);
        }
        let inputs = server.documents.open.keys().cloned().collect();
        let analysis = Analysis::build(
            &server.documents.open,
            inputs,
            crate::config::Config::default(),
            None,
            &Reusable::default(),
            crate::check::incremental::Memo::default(),
        );
        server.analyses = vec![analysis];
        server
    }

    fn ask(server: &Server, path: &str, position: Option<Position>) -> PreviewResult {
        let params = PreviewParams {
            text_document: TextDocumentIdentifier { uri: Url::from_file_path(path).unwrap() },
            position,
        };
        preview(server, params).unwrap().expect("the file is open")
    }

    const MAIN: &str = "/nowhere-defuse-preview/main.defuse";

    #[test]
    fn the_message_quotes_three_errors_by_line_and_counts_the_rest() {
        let text = "script s {\n  trigger t { customer \"hi\" -> a1 }\n  acknowledge a { say \"x\" -> b1 }\n  mirror b { ask \"y\" reply \"n\" -> c1 reply \"m\" -> d1 }\n  close c { say \"bye\" outcome resolved }\n}\n";
        let answer = ask(&server(&[(MAIN, text)]), MAIN, None);
        assert_eq!((answer.version, answer.html.is_none(), answer.selected), (3, true, None));
        let message = answer.message.unwrap();
        assert!(message.starts_with("The preview waits for "), "{message}");
        assert!(message.contains(" errors to be fixed: line 2: ") && message.contains("; line 3: "), "{message}");
        assert!(message.ends_with(" more.") && message.matches("; line ").count() == 2, "{message}");
    }

    #[test]
    fn a_file_that_does_not_parse_waits_and_the_cursor_marks_its_node_once_it_builds() {
        let broken = "script s {\n  trigger t { customer \"hi\" -> c\n";
        let answer = ask(&server(&[(MAIN, broken)]), MAIN, Some(Position::new(1, 5)));
        assert!(answer.html.is_none() && answer.message.unwrap().starts_with("The preview waits for 1 error"));
        // Warnings do not stop the page (`spare` is unused).
        let fixed = "script s {\n  vars spare\n  trigger t { customer \"hi\" -> a }\n  acknowledge a { say \"I see.\" -> c }\n  close c { say \"bye\" outcome ended }\n}\n";
        let answer = ask(&server(&[(MAIN, fixed)]), MAIN, Some(Position::new(4, 20)));
        assert_eq!(answer.selected.as_deref(), Some("c"), "{:?}", answer.message);
        assert!(answer.html.unwrap().contains(r#"<g class="node" data-node="c" data-selected="">"#));
        assert_eq!(answer.definitions.keys().collect::<Vec<_>>(), ["a", "c", "t"]);
        assert_eq!(answer.definitions["c"].range.start, Position::new(4, 8));
    }
}
