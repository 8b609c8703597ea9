//! What a trainer chooses about a diagram (`build --emit dot|mermaid --layout --highlight`):
//! the direction the call reads in, and one path drawn in bold.
//!
//! Invariant: a [`Diagram`] only holds a highlight that was checked against its graph: every
//! id names a node and each consecutive pair is joined by an edge.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::ScriptGraph;
use crate::resolve::Project;

/// The direction stages follow each other in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
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
pub const HIGHLIGHT: &str = "#d63384";

impl Diagram {
    /// Checks `ids` (space-separated node ids, as `paths` prints them) against `graph`; the
    /// error says which id is unknown or which step has no edge.
    pub fn highlighting(layout: Layout, ids: &str, project: &Project, graph: &ScriptGraph) -> Result<Diagram, String> {
        let mut path = Vec::new();
        for id in ids.split_whitespace() {
            let node = graph.nodes().find(|&n| project.qualified_name(graph.graph[n]) == id);
            let Some(node) = node else {
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

    pub fn is_highlighted(&self, node: NodeIndex) -> bool {
        self.path.contains(&node)
    }

    /// Whether an edge joins two consecutive nodes of the highlighted path (every edge
    /// between them when several do: the ids do not say which reply was taken).
    pub fn highlights_edge(&self, graph: &ScriptGraph, edge: EdgeIndex) -> bool {
        let (from, to) = graph.graph.edge_endpoints(edge).expect("edge of this graph");
        self.path.windows(2).any(|pair| pair[0] == from && pair[1] == to)
    }
}
