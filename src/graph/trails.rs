//! Every way from a trigger to a close, for trainers (`defuse paths`) and flow statistics.
//!
//! A path may take a loop at most once: it never uses the same edge twice (a *trail*), so
//! "restate → clarify → restate → cause" is listed, but going round a second time is not.
//! The number of trails can grow exponentially with the graph, so enumeration is bounded
//! twice: by the number of paths wanted and by a budget of search steps. The search is an
//! explicit stack (no recursion) and only follows edges whose target can still reach a close.

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::analysis::can_reach;
use super::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;

/// Search steps allowed per enumeration: enough for any hand-written script, and a bound on
/// the time a generated or hostile graph can take.
pub(crate) const STEP_BUDGET: usize = 2_000_000;

/// One path: where it starts and the edges it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trail {
    pub start: NodeIndex,
    pub edges: Vec<EdgeIndex>,
}

impl Trail {
    /// The nodes visited, the start included.
    pub fn nodes(&self, graph: &ScriptGraph) -> Vec<NodeIndex> {
        let mut nodes = vec![self.start];
        nodes.extend(self.edges.iter().map(|&e| graph.graph.edge_endpoints(e).expect("edge of this graph").1));
        nodes
    }
}

/// Whether enumeration stopped early, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Every path was visited.
    Complete,
    /// The visitor asked to stop (e.g. `--max` paths were listed).
    Enough,
    /// The step budget ran out.
    Budget,
}

/// Calls `visit` with each trail from each trigger (in model order) to a close, edges in
/// source order; `visit` returns `false` to stop.
pub fn for_each_trail(project: &Project, graph: &ScriptGraph, visit: impl FnMut(&Trail) -> bool) -> Stop {
    let mut budget = STEP_BUDGET;
    for_each_trail_to(project, graph, |_| true, &mut budget, visit)
}

/// [`for_each_trail`] to the closes `wanted` accepts (e.g. one outcome), spending search steps
/// from `budget`, which callers share between several searches to bound them all together.
pub(crate) fn for_each_trail_to(
    project: &Project,
    graph: &ScriptGraph,
    wanted: impl Fn(NodeIndex) -> bool,
    budget: &mut usize,
    mut visit: impl FnMut(&Trail) -> bool,
) -> Stop {
    let g = &graph.graph;
    let is_end = |n: NodeIndex| graph.stage(project, n) == Stage::Close && wanted(n);
    let ends: Vec<NodeIndex> = g.node_indices().filter(|&n| is_end(n)).collect();
    let useful = can_reach(g, ends);
    let out: Vec<Vec<EdgeIndex>> = g
        .node_indices()
        .map(|n| graph.out_edges(n).into_iter().filter(|(_, target)| useful[target.index()]).map(|(e, _)| e).collect())
        .collect();

    let mut used = vec![false; g.edge_count()];
    for start in graph.triggers(project) {
        if !useful[start.index()] {
            continue;
        }
        let mut trail = Trail { start, edges: Vec::new() };
        // Each frame: a node and the index of the next out-edge to try.
        let mut stack: Vec<(NodeIndex, usize)> = vec![(start, 0)];
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if *budget == 0 {
                return Stop::Budget;
            }
            *budget -= 1;
            if is_end(node) && *next == 0 {
                *next = usize::MAX;
                if !visit(&trail) {
                    return Stop::Enough;
                }
            }
            let candidate = out[node.index()].get(*next).copied();
            match candidate {
                Some(edge) => {
                    *next += 1;
                    if !used[edge.index()] {
                        used[edge.index()] = true;
                        trail.edges.push(edge);
                        stack.push((g.edge_endpoints(edge).expect("edge of this graph").1, 0));
                    }
                }
                None => {
                    stack.pop();
                    if let Some(edge) = trail.edges.pop() {
                        used[edge.index()] = false;
                    }
                }
            }
        }
    }
    Stop::Complete
}
