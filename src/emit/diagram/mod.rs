//! Diagrams of a script: [`dot`] (Graphviz), [`mermaid`], and [`svg`] (the trainer page's
//! stage diagram), with what they share: how a node looks ([`style`], [`legend`]), what its
//! label says ([`node_label`], [`edge_label`], wrapped by [`wrap`](mod@wrap); [`label`] shortens listing
//! lines and writes node markers), and what a trainer chooses about a diagram
//! (`build --emit dot|mermaid --layout --highlight`): the direction the call reads in, and one
//! path drawn in bold.
//!
//! Invariant: a [`Diagram`] only holds a highlight that was checked against its graph: every
//! id names a node and each consecutive pair is joined by an edge.

pub(crate) mod dot;
pub(crate) mod label;
pub(crate) mod layout;
pub(crate) mod mermaid;
pub mod svg;
pub(crate) mod wrap;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Node, Outcome, Stage, StmtKind};
use crate::syntax::strings::Piece;
use wrap::{plain, quote_lines, wrap, wrap_text};

/// The direction stages follow each other in; the command line's mirror (`build --layout`) is
/// `cli::choices::LayoutArg`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// Left to right (the screen)
    #[default]
    Lr,
    /// Top to bottom (a printed page)
    Tb,
}

/// Choices for one diagram.
#[derive(Clone, Debug, Default)]
pub struct Diagram {
    pub layout: Layout,
    /// The highlighted path's nodes, in order.
    pub path: Vec<NodeIndex>,
}

/// The colour a highlighted path is drawn in.
pub(crate) const HIGHLIGHT: &str = "#d63384";

impl Diagram {
    /// Checks `ids` (space-separated node ids, as `paths` prints them) against `graph`; the
    /// error says which id is unknown or which step has no edge.
    pub(crate) fn highlighting(
        layout: Layout,
        ids: &str,
        project: &Project,
        graph: &ScriptGraph,
    ) -> Result<Diagram, String> {
        let call = crate::call::Call::new(project, graph);
        let mut path = Vec::new();
        for id in ids.split_whitespace() {
            let Some(node) = call.find(id) else {
                let script = &project.item(graph.script).expect("diagrams are built for parsed scripts").name.name;
                return Err(format!("--highlight names `{id}`, which is not a node of script `{script}`"));
            };
            if let Some(&previous) = path.last() {
                if graph.graph.find_edge(previous, node).is_none() {
                    let from = project.qualified_name(graph.graph[previous]);
                    return Err(format!("--highlight goes from `{from}` to `{id}`, but no edge joins them"));
                }
            }
            path.push(node);
        }
        if path.is_empty() {
            return Err("--highlight names no node; give node ids in order, e.g. \"greet listen close\"".to_owned());
        }
        Ok(Diagram { layout, path })
    }

    pub(crate) fn is_highlighted(&self, node: NodeIndex) -> bool {
        self.path.contains(&node)
    }
}

/// How a node looks in a diagram: a colour and shape per stage, and per outcome for closes.
pub(crate) struct Style {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub dot_shape: &'static str,
    /// The class name in Mermaid and the legend's text.
    pub name: &'static str,
}

pub(crate) fn style(node: &Node) -> Style {
    stage_style(node.stage, node.outcome())
}

/// The style of a stage; `outcome` matters for a close only.
pub(crate) fn stage_style(stage: Stage, outcome: Outcome) -> Style {
    let (fill, stroke, dot_shape, name) = match stage {
        Stage::Trigger => ("#f8d7da", "#b02a37", "cds", "trigger"),
        Stage::Acknowledge => ("#fff3cd", "#b58105", "ellipse", "acknowledge"),
        Stage::Mirror => ("#d1ecf1", "#0c5460", "parallelogram", "mirror"),
        Stage::RootCause => ("#e2d9f3", "#59359a", "hexagon", "root_cause"),
        Stage::Options => ("#cfe2ff", "#084298", "box3d", "options"),
        Stage::Close => match outcome {
            Outcome::Resolved => ("#d1e7dd", "#0f5132", "doubleoctagon", "close_resolved"),
            Outcome::Escalated => ("#ffe5d0", "#984c0c", "doubleoctagon", "close_escalated"),
            Outcome::Callback => ("#cff4fc", "#055160", "doubleoctagon", "close_callback"),
            Outcome::Ended => ("#e2e3e5", "#41464b", "doubleoctagon", "close_ended"),
        },
    };
    Style { fill, stroke, dot_shape, name }
}

/// Every style a legend shows, with its text.
pub(crate) fn legend() -> Vec<(Style, &'static str)> {
    // The outcome is read for closes only.
    let stage = |stage| stage_style(stage, Outcome::Resolved);
    let close = |outcome| stage_style(Stage::Close, outcome);
    vec![
        (stage(Stage::Trigger), "trigger"),
        (stage(Stage::Acknowledge), "acknowledge"),
        (stage(Stage::Mirror), "mirror"),
        (stage(Stage::RootCause), "root-cause"),
        (stage(Stage::Options), "options"),
        (close(Outcome::Resolved), "close: resolved"),
        (close(Outcome::Escalated), "close: escalated"),
        (close(Outcome::Callback), "close: callback"),
        (close(Outcome::Ended), "close: ended"),
    ]
}

/// The line a diagram shows under a node's name ([`crate::call::first_line`]), as written.
pub(crate) fn first_line(node: &Node) -> Option<&str> {
    crate::call::first_line(node).map(|text| text.value.as_str())
}

/// Characters per line of a node's first line in DOT and Mermaid, and its most lines.
pub(crate) const NODE_LABEL_WIDTH: usize = 30;
pub(crate) const NODE_LABEL_LINES: usize = 3;
/// Characters per line of an edge label in DOT and Mermaid, and its most lines.
pub(crate) const EDGE_LABEL_WIDTH: usize = 24;
pub(crate) const EDGE_LABEL_LINES: usize = 2;

/// The lines a diagram writes in a node: its id, then its [`first_line`] in quotes, wrapped.
pub(crate) fn node_label(name: String, node: &Node) -> Vec<String> {
    let mut lines = vec![name];
    if let Some(line) = first_line(node) {
        let mut wrapped = wrap(&[Piece::Text(line.to_owned())], NODE_LABEL_WIDTH, NODE_LABEL_LINES);
        quote_lines(&mut wrapped);
        lines.extend(wrapped.iter().map(plain));
    }
    lines
}

/// The text a diagram writes on an edge: the reply or option text, `(otherwise)` for a
/// fallback, nothing for a plain `->`.
fn edge_text(project: &Project, edge: &crate::graph::Edge) -> Option<String> {
    match &project.node(edge.from).stmts[edge.stmt].kind {
        StmtKind::Reply(text, _) | StmtKind::Option(text, _) => Some(text.value.clone()),
        StmtKind::Otherwise(_) => Some("(otherwise)".to_owned()),
        _ => None,
    }
}

/// What a diagram writes on an edge, wrapped in lines (see [`edge_text`]).
pub fn edge_label(project: &Project, edge: &crate::graph::Edge) -> Option<Vec<String>> {
    edge_text(project, edge).map(|text| wrap_text(&text, EDGE_LABEL_WIDTH, EDGE_LABEL_LINES))
}

/// Every edge from one node to another, drawn as one (section 6: "Wi-Fi / cable").
pub(crate) struct Merged {
    pub from: NodeIndex,
    pub to: NodeIndex,
    /// The graph's edges it stands for, in source order.
    pub edges: Vec<EdgeIndex>,
    /// Their texts joined with ` / `, wrapped: two lines per text, four at most.
    pub label: Option<Vec<String>>,
    /// Whether it goes back to an earlier stage or stays in its stage (drawn dashed).
    pub back: bool,
}

/// The graph's edges merged per (source, target), in the order of each pair's first edge.
pub(crate) fn merged_edges(project: &Project, graph: &ScriptGraph) -> Vec<Merged> {
    let mut merged: Vec<(Merged, Vec<String>)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for edge in graph.graph.edge_references() {
        let (from, to) = (edge.source(), edge.target());
        let at = *index.entry((from, to)).or_insert_with(|| {
            let back = graph.stage(project, to) <= graph.stage(project, from);
            merged.push((Merged { from, to, edges: Vec::new(), label: None, back }, Vec::new()));
            merged.len() - 1
        });
        merged[at].0.edges.push(edge.id());
        merged[at].1.extend(edge_text(project, edge.weight()));
    }
    merged
        .into_iter()
        .map(|(mut edge, texts)| {
            if !texts.is_empty() {
                let lines = (EDGE_LABEL_LINES * texts.len()).min(2 * EDGE_LABEL_LINES);
                edge.label = Some(wrap_text(&texts.join(" / "), EDGE_LABEL_WIDTH, lines));
            }
            edge
        })
        .collect()
}
