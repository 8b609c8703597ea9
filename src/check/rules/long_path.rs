//! `long-path`: the shortest way from a trigger to a close is longer than `max_steps`.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::LongPath,
        Level::Warning,
        "the shortest way from a trigger to a close is longer than `max_steps` (default 10)",
        r#"## What it does
For each trigger, finds the shortest way to any `close` node and reports it when it takes
more steps (edges) than `[limits] max_steps` in `defuse.toml` (default 10).

## Why is this bad?
Every step is another exchange with a frustrated caller. If even the quickest resolution
takes more than ten steps, the script is probably asking questions one at a time that
could be combined, or going through stages it does not need.

## Example
A trigger followed by twelve `root-cause` questions in a chain before any options.

## Use instead
Combine related questions, offer options earlier, or raise the limit for scripts that are
long by nature:
```toml
[limits]
max_steps = 14
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let max = ctx.config.max_steps;
    let nearest = NearestClose::new(&ctx.graph.graph, |n| ctx.node(n).stage == Stage::Close);
    for trigger in ctx.graph.triggers(ctx.project) {
        let Some(steps) = nearest.steps[trigger.index()] else { continue };
        if steps <= max {
            continue;
        }
        const MAX_LABELS: usize = 12;
        let head = nearest.head(trigger, MAX_LABELS);
        let message = format!(
            "the shortest way from trigger `{}` to a close takes {steps} steps, more than max_steps ({max}): {}",
            ctx.name(trigger),
            ctx.describe_path_ends(&head, steps + 1, &nearest.tail[trigger.index()])
        );
        let diagnostic = ctx.at_node(RULE.code, trigger, message).label(format!("{steps} steps to the nearest close"));
        out.push(
            ctx.label_path(diagnostic, &head, trigger)
                .help("combine questions or offer options sooner; or raise `[limits] max_steps` in defuse.toml"),
        );
    }
}

/// How many of a path's last nodes [`NearestClose`] keeps per node (what a report shows).
const TAIL: usize = crate::check::PATH_ENDS;

/// For every node, the shortest way to a close: one breadth-first search backwards from every
/// close at once (linear in nodes + edges however many triggers there are; a search per
/// trigger took 35 s for 2,000 triggers on a 50,000-node chain).
///
/// The way kept from each node takes, at every step, the first edge in source order that
/// stays on a shortest way: the lexicographically first shortest path, which is exactly the
/// path a breadth-first search from the node itself (edges in source order) finds to its first
/// close, so reports are the same as with a search per trigger.
struct NearestClose {
    /// Edges from the node to its nearest close; `None` when no close is reachable.
    steps: Vec<Option<usize>>,
    next: Vec<Option<NodeIndex>>,
    /// The last nodes of the way (at most [`TAIL`]), so a report need not walk it.
    tail: Vec<Vec<NodeIndex>>,
}

impl NearestClose {
    fn new<N, E>(graph: &DiGraph<N, E>, is_close: impl Fn(NodeIndex) -> bool) -> NearestClose {
        let count = graph.node_count();
        let mut steps: Vec<Option<usize>> = vec![None; count];
        let mut order = Vec::with_capacity(count);
        let mut queue = std::collections::VecDeque::new();
        for node in graph.node_indices().filter(|&n| is_close(n)) {
            steps[node.index()] = Some(0);
            queue.push_back(node);
        }
        while let Some(node) = queue.pop_front() {
            order.push(node);
            let at = steps[node.index()].expect("queued nodes have steps");
            for source in graph.neighbors_directed(node, Direction::Incoming) {
                if steps[source.index()].is_none() {
                    steps[source.index()] = Some(at + 1);
                    queue.push_back(source);
                }
            }
        }
        let mut next = vec![None; count];
        let mut tail: Vec<Vec<NodeIndex>> = vec![Vec::new(); count];
        // In order of distance, so each node's successor already has its tail.
        for &node in &order {
            let at = steps[node.index()].expect("ordered nodes have steps");
            if at > 0 {
                // `neighbors` lists a node's edges newest first: the last match is the first
                // edge in source order.
                let successor = graph
                    .neighbors(node)
                    .filter(|m| steps[m.index()] == Some(at - 1))
                    .last()
                    .expect("a node at distance d has a successor at d - 1");
                next[node.index()] = Some(successor);
                tail[node.index()] = tail[successor.index()].clone();
            }
            if at < TAIL {
                tail[node.index()].insert(0, node);
            }
        }
        NearestClose { steps, next, tail }
    }

    /// The first `count` nodes of the way from `node`.
    fn head(&self, node: NodeIndex, count: usize) -> Vec<NodeIndex> {
        let mut head = vec![node];
        while head.len() < count {
            let Some(next) = self.next[head[head.len() - 1].index()] else { break };
            head.push(next);
        }
        head
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::analysis::BfsTree;

    /// The way kept for each node is the one a breadth-first search from that node finds:
    /// the same length, the same nodes, the same tail.
    #[test]
    fn the_kept_way_is_what_a_search_from_the_node_finds() {
        let mut seed: u64 = 0x5eed;
        let mut random = |below: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % below
        };
        for _ in 0..300 {
            let nodes = 1 + random(12);
            let mut graph: DiGraph<bool, ()> = DiGraph::new();
            for _ in 0..nodes {
                let close = random(4) == 0;
                graph.add_node(close);
            }
            for _ in 0..random(3 * nodes) {
                let (a, b) = (NodeIndex::new(random(nodes)), NodeIndex::new(random(nodes)));
                graph.add_edge(a, b, ());
            }
            let nearest = NearestClose::new(&graph, |n| graph[n]);
            for node in graph.node_indices() {
                let tree = BfsTree::new(&graph, [node], |_| false);
                let expected = tree.order.iter().find(|&&n| graph[n]).map(|&close| tree.path_to(close));
                let found = nearest.steps[node.index()].map(|steps| nearest.head(node, steps + 1));
                assert_eq!(found, expected, "{graph:?} from {node:?}");
                if let Some(path) = expected {
                    assert_eq!(nearest.tail[node.index()], path[path.len().saturating_sub(TAIL)..]);
                }
            }
        }
    }
}
