//! Names and where they lead: go to definition, find references, rename, hover and the
//! document outline. All of them start from [`at`], what the cursor is on.
//!
//! A node is named by its definition (`mirror restate {`) and by every edge into it
//! (`-> restate`, `reply "x" -> closings.thanks`); edges are resolved exactly as the checks
//! resolve them ([`Project::resolve`]), so the editor and `check` agree on what a name means.

use lsp_types::{DocumentSymbol, SymbolKind};

use crate::config::timing::Timing;
use crate::resolve::{NodeKey, Project, Resolution};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, ItemKind, Stage};
use crate::syntax::expected::RESERVED;

/// What the cursor is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found<'p> {
    /// The name in a node's definition.
    Definition(NodeKey),
    /// The target of an edge, written in `file`.
    Target { file: FileId, target: &'p ast::Target },
}

impl Found<'_> {
    /// The node meant, when the name resolves.
    pub fn node(&self, project: &Project) -> Option<NodeKey> {
        match *self {
            Found::Definition(key) => Some(key),
            Found::Target { file, target } => match project.resolve(file, target) {
                Resolution::Node(key) => Some(key),
                _ => None,
            },
        }
    }
}

/// The node name or edge target at byte `offset` of `file` (a cursor just after a name is on it).
pub(crate) fn at(project: &Project, file: FileId, offset: usize) -> Option<Found<'_>> {
    let item = project.item(file)?;
    let touches = |span: Span| span.start() <= offset && offset <= span.end();
    let index = item.nodes.iter().position(|node| touches(node.span))?;
    let node = &item.nodes[index];
    if touches(node.name.span) {
        return Some(Found::Definition(NodeKey { file, index }));
    }
    node.stmts
        .iter()
        .filter_map(|stmt| stmt.edge())
        .find(|(target, _)| touches(target.span))
        .map(|(target, _)| Found::Target { file, target })
}

/// Every edge into `key` in the project, as (file, span of the node name in the target).
pub(crate) fn references(project: &Project, key: NodeKey) -> Vec<(FileId, Span)> {
    let mut found = Vec::new();
    for file in project.files() {
        let Some(item) = project.item(file) else { continue };
        for node in &item.nodes {
            for (target, _) in node.stmts.iter().filter_map(|stmt| stmt.edge()) {
                if project.resolve(file, target) == Resolution::Node(key) {
                    found.push((file, target.node.span));
                }
            }
        }
    }
    found
}

/// Why `new_name` cannot be the new name of node `key`; `None` when it can.
pub(crate) fn rename_refusal(project: &Project, key: NodeKey, new_name: &str) -> Option<String> {
    let valid = new_name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && new_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Some(format!(
            "`{new_name}` is not a valid node name: use letters, digits and `_`, not starting with a digit"
        ));
    }
    if RESERVED.contains(&new_name) {
        return Some(format!("`{new_name}` is a reserved word and cannot be a node name"));
    }
    let item = project.item(key.file)?;
    match item.nodes.iter().position(|node| node.name.name == new_name) {
        Some(index) if index != key.index => {
            Some(format!("{} `{}` already has a node named `{new_name}`", item.kind.keyword(), item.name.name))
        }
        _ => None,
    }
}

/// The spoken time of a node, in seconds, from the timing model (spec section 3, "Spoken
/// time"), with the project's `[timing]` settings.
pub(crate) fn node_seconds(project: &Project, key: NodeKey, timing: &Timing) -> Option<f64> {
    Some(crate::graph::timing::round(crate::graph::timing::node_time(project.node(key), timing).seconds()))
}

/// A node's hover text (Markdown): stage, outcome, seconds and its lines, in the words of the
/// conversation model ([`crate::call`]).
pub(crate) fn hover(project: &Project, key: NodeKey, timing: &Timing) -> String {
    let node = project.node(key);
    let mut out = format!("**{}** `{}`", node.stage.keyword(), project.qualified_name(key));
    if node.stage == Stage::Close {
        out.push_str(&format!(" · outcome `{}`", node.outcome().keyword()));
    }
    if let Some(seconds) = node_seconds(project, key, timing) {
        out.push_str(&format!(" · {}", crate::graph::timing::display(seconds)));
    }
    let graph = crate::graph::ScriptGraph::build(project, key.file);
    let call = crate::call::Call::new(project, &graph);
    let index = graph.nodes().find(|&index| graph.graph[index] == key);
    let vars = crate::call::Vars::default();
    let mut lines = String::new();
    if let Some(index) = index {
        for line in call.lines(index) {
            let text = vars.fill(line.text, call.source(index)).replace('\n', " ");
            lines.push_str(&format!("- {}: {}\n", line.kind.keyword(), text));
        }
    }
    if !lines.is_empty() {
        out.push_str("\n\n");
        out.push_str(&lines);
    }
    out
}

/// The outline: the script (or library), then its nodes by stage (call order), each stage's
/// nodes in source order. Spans are converted by `range`.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
pub(crate) fn symbols(item: &ast::Item, range: impl Fn(Span) -> lsp_types::Range) -> DocumentSymbol {
    let mut nodes: Vec<&ast::Node> = item.nodes.iter().collect();
    nodes.sort_by_key(|node| node.stage.rank());
    let children = nodes
        .into_iter()
        .map(|node| DocumentSymbol {
            name: node.name.name.clone(),
            detail: Some(node.stage.keyword().to_owned()),
            kind: match node.stage {
                Stage::Trigger => SymbolKind::EVENT,
                Stage::Close => SymbolKind::CONSTANT,
                _ => SymbolKind::FUNCTION,
            },
            tags: None,
            deprecated: None,
            range: range(node.span),
            selection_range: range(node.name.span),
            children: None,
        })
        .collect();
    DocumentSymbol {
        name: item.name.name.clone(),
        detail: item.title.as_ref().map(|title| title.value.clone()),
        kind: match item.kind {
            ItemKind::Script => SymbolKind::MODULE,
            ItemKind::Library => SymbolKind::NAMESPACE,
        },
        tags: None,
        deprecated: None,
        range: range(item.span),
        selection_range: range(item.name.span),
        children: Some(children),
    }
}
