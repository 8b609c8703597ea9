//! The graph model: one petgraph `DiGraph` per script, holding the script's nodes and every
//! library node they reach. Every graph rule and every emitter reads this model.
//!
//! **Architecture invariant:** graphs are built only for scripts whose names all resolve
//! (the check driver's cascade guarantees it); an edge whose target does not resolve is
//! left out rather than panicking, so a graph is always safe to build.
//!
//! Node order is deterministic: the script's nodes in source order, then library nodes by
//! the order their libraries are first reached through `use`, then source order.

pub(crate) mod analysis;
pub(crate) mod cover;
pub mod timing;
pub mod trails;

use rustc_hash::FxHashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::resolve::{NodeKey, Project, Resolution};
use crate::source::FileId;
use crate::syntax::ast;

/// An edge: the statement (`->`, `reply`, `otherwise`, `option`) that makes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The node the statement is in.
    pub from: NodeKey,
    /// Index of the statement in that node.
    pub stmt: usize,
}

pub struct ScriptGraph {
    /// The script's file.
    pub script: FileId,
    pub graph: DiGraph<NodeKey, Edge>,
}

/// Node (file, i) → its graph index while a graph is built, in one dense vector per file
/// reached: hash maps of every node made building grow faster than the script (cache misses).
struct Slots<'p> {
    project: &'p Project,
    files: FxHashMap<FileId, Vec<u32>>,
}

/// Slot values before graph indices are assigned.
const UNSEEN: u32 = u32::MAX;
const SEEN: u32 = u32::MAX - 1;

impl Slots<'_> {
    fn at(&mut self, NodeKey { file, index }: NodeKey) -> &mut u32 {
        let nodes = self.project.item(file).map_or(0, |item| item.nodes.len());
        &mut self.files.entry(file).or_insert_with(|| vec![UNSEEN; nodes])[index]
    }
}

impl ScriptGraph {
    /// Builds the graph of the script in `script`.
    pub fn build(project: &Project, script: FileId) -> ScriptGraph {
        let item = project.item(script).expect("graphs are built for parsed scripts");
        let use_rank: FxHashMap<FileId, usize> =
            project.use_closure(script).into_iter().enumerate().map(|(rank, file)| (file, rank)).collect();

        let mut slots = Slots { project, files: FxHashMap::default() };

        // Find every node the script's nodes reach, library nodes included, resolving each
        // edge once. Targets are kept compact (12 bytes an edge) and grouped by source node.
        let mut keys: Vec<NodeKey> = (0..item.nodes.len()).map(|index| NodeKey { file: script, index }).collect();
        for &key in &keys {
            *slots.at(key) = SEEN;
        }
        let script_edges = item.nodes.iter().flat_map(|node| &node.stmts).filter(|stmt| stmt.edge().is_some()).count();
        // Library nodes add a few more; an eighth more room keeps the vector from doubling.
        let mut targets: Vec<(u32, u32, u32)> = Vec::with_capacity(script_edges + script_edges / 8 + 16);
        let mut first_target: Vec<usize> = Vec::with_capacity(keys.len() + 1);
        let mut next = 0;
        while next < keys.len() {
            let key = keys[next];
            first_target.push(targets.len());
            for (stmt_index, stmt) in project.node(key).stmts.iter().enumerate() {
                if let Some((target, _)) = stmt.edge() {
                    if let Resolution::Node(found) = project.resolve(key.file, target) {
                        targets.push((stmt_index as u32, found.file.index() as u32, found.index as u32));
                        let mark = slots.at(found);
                        if *mark == UNSEEN {
                            *mark = SEEN;
                            keys.push(found);
                        }
                    }
                }
            }
            next += 1;
        }
        first_target.push(targets.len());

        // Model order: the script's nodes as found (source order), then library nodes by the
        // order their libraries are first reached through `use`, then source order.
        let mut model_order: Vec<usize> = (0..keys.len()).collect();
        let order = |key: &NodeKey| (use_rank.get(&key.file).copied().unwrap_or(usize::MAX), *key);
        model_order[item.nodes.len()..].sort_unstable_by_key(|&found| order(&keys[found]));

        let mut graph = DiGraph::with_capacity(keys.len(), targets.len());
        for &found in &model_order {
            *slots.at(keys[found]) = graph.add_node(keys[found]).index() as u32;
        }
        for &found in &model_order {
            let from = keys[found];
            let from_index = NodeIndex::new(*slots.at(from) as usize);
            for &(stmt, file, node) in &targets[first_target[found]..first_target[found + 1]] {
                let to = NodeIndex::new(
                    *slots.at(NodeKey { file: FileId::from_index(file as usize), index: node as usize }) as usize,
                );
                graph.add_edge(from_index, to, Edge { from, stmt: stmt as usize });
            }
        }
        ScriptGraph { script, graph }
    }

    /// Nodes in model order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// Trigger nodes in model order: where every call starts.
    pub fn triggers<'a>(&'a self, project: &'a Project) -> impl Iterator<Item = NodeIndex> + 'a {
        self.nodes().filter(move |&n| project.node(self.graph[n]).stage == ast::Stage::Trigger)
    }

    /// A node's edges and their targets, in the source order of their statements
    /// (petgraph lists a node's edges newest first).
    pub fn out_edges(&self, node: NodeIndex) -> Vec<(petgraph::graph::EdgeIndex, NodeIndex)> {
        use petgraph::visit::EdgeRef;
        let mut edges: Vec<_> = self.graph.edges(node).map(|e| (e.id(), e.target())).collect();
        edges.reverse();
        edges
    }

    pub(crate) fn stage(&self, project: &Project, node: NodeIndex) -> ast::Stage {
        project.node(self.graph[node]).stage
    }
}
