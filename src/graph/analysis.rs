//! Linear-time analyses shared by the path rules and the emitters, on petgraph's
//! traversals: breadth-first search with a parent tree (shortest paths), optionally with
//! some nodes removed; reverse reachability.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef, NodeFiltered, Reversed, Walker};

/// A breadth-first search tree: for every node reached, the node it was first reached from.
pub(crate) struct BfsTree {
    parent: Vec<Option<NodeIndex>>,
    reached: Vec<bool>,
    /// Nodes in the order they were reached (sources first).
    pub order: Vec<NodeIndex>,
}

impl BfsTree {
    /// Searches from `sources` in order, never entering a node for which `blocked` holds
    /// (sources themselves are always entered). Each node and edge is visited once.
    pub fn new<N, E>(
        graph: &DiGraph<N, E>,
        sources: impl IntoIterator<Item = NodeIndex>,
        blocked: impl Fn(NodeIndex) -> bool,
    ) -> BfsTree {
        let count = graph.node_count();
        let mut tree = BfsTree { parent: vec![None; count], reached: vec![false; count], order: Vec::new() };
        let mut queue = std::collections::VecDeque::new();
        for source in sources {
            if !tree.reached[source.index()] {
                tree.reached[source.index()] = true;
                tree.order.push(source);
                queue.push_back(source);
            }
        }
        while let Some(node) = queue.pop_front() {
            // `edges` lists a node's edges newest first; reverse for source order.
            let mut targets: Vec<NodeIndex> = graph.edges(node).map(|edge| edge.target()).collect();
            targets.reverse();
            for target in targets {
                if !tree.reached[target.index()] && !blocked(target) {
                    tree.reached[target.index()] = true;
                    tree.parent[target.index()] = Some(node);
                    tree.order.push(target);
                    queue.push_back(target);
                }
            }
        }
        tree
    }

    pub(crate) fn reached(&self, node: NodeIndex) -> bool {
        self.reached[node.index()]
    }

    /// The path from a source to `node`, both included.
    pub(crate) fn path_to(&self, node: NodeIndex) -> Vec<NodeIndex> {
        let mut path = vec![node];
        let mut at = node;
        while let Some(parent) = self.parent[at.index()] {
            path.push(parent);
            at = parent;
        }
        path.reverse();
        path
    }
}

/// Every node from which some node of `targets` can be reached (the targets included).
pub(crate) fn can_reach<N, E>(graph: &DiGraph<N, E>, targets: impl IntoIterator<Item = NodeIndex>) -> Vec<bool> {
    let mut reached = vec![false; graph.node_count()];
    let reversed = Reversed(graph);
    for target in targets {
        if reached[target.index()] {
            continue;
        }
        let filtered = NodeFiltered::from_fn(reversed, |n: NodeIndex| n == target || !reached[n.index()]);
        let found: Vec<NodeIndex> = Bfs::new(&filtered, target).iter(&filtered).collect();
        for node in found {
            reached[node.index()] = true;
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> (DiGraph<(), ()>, Vec<NodeIndex>) {
        let mut graph = DiGraph::new();
        let nodes: Vec<_> = (0..4).map(|_| graph.add_node(())).collect();
        graph.add_edge(nodes[0], nodes[1], ());
        graph.add_edge(nodes[1], nodes[2], ());
        graph.add_edge(nodes[0], nodes[3], ());
        graph.add_edge(nodes[3], nodes[2], ());
        (graph, nodes)
    }

    #[test]
    fn bfs_finds_shortest_path_in_source_order() {
        let (graph, n) = chain();
        let tree = BfsTree::new(&graph, [n[0]], |_| false);
        assert_eq!(tree.path_to(n[2]), vec![n[0], n[1], n[2]]);
    }

    #[test]
    fn blocked_nodes_are_not_entered() {
        let (graph, n) = chain();
        let tree = BfsTree::new(&graph, [n[0]], |x| x == n[1]);
        assert_eq!(tree.path_to(n[2]), vec![n[0], n[3], n[2]]);
        assert!(!tree.reached(n[1]));
    }

    #[test]
    fn can_reach_walks_backwards() {
        let (graph, n) = chain();
        let reach = can_reach(&graph, [n[1]]);
        assert_eq!(reach, vec![true, true, false, false]);
    }
}
