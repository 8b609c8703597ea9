//! A small set of paths that together take every edge a call can take from a trigger to a
//! close: what a trainer rehearses instead of every path (`defuse paths --cover`, and the
//! trainer page's cards).
//!
//! **Which edges.** An edge `u → v` is *demanded* when some trigger reaches `u` and a close is
//! reachable from `v`: exactly the edges on some trigger-to-close walk. Every demanded edge
//! that is not in a loop lies on a path as `paths` lists it (a trail, each edge at most once).
//! Deciding whether a loop edge lies on some *trail* is NP-hard in general (it is the directed
//! two-edge-disjoint-paths problem), so the cover takes every demanded edge instead: a superset
//! of the edges on trails, computed in linear time, and complete on any script.
//!
//! **What a covering path looks like.** Each path is built around one *target* edge `u → v`: a
//! simple path from a trigger to `u`, the edge, and a simple path from `v` to a close. So a node
//! appears at most twice on a covering path. The way on from `v` first avoids every edge
//! already taken, so the path is a trail (one `paths` lists) whenever the search finds one;
//! only when a loop edge can be reached in no other way (after `y → u → x`, the only way out
//! is `x → y` again) does the path go round that loop once and retake an edge to leave it.
//!
//! **How small.** Every path ends with one edge into a close, so at least as many paths as
//! demanded edges into closes are needed. The edges into closes are the first targets, each
//! reached by the way that retakes the fewest already-covered edges (a 0-1 breadth-first
//! search, so new edges come along for free); the edges still uncovered after them are targets
//! in turn. A last pass drops any path whose edges all lie on other paths. The paths are
//! listed in `paths` order (by trigger, then by each step's place among its node's ways on).
//!
//! **Cost.** Each search is linear in the graph; after [`SEARCH_BUDGET`] edge visits the
//! remaining targets use two fixed shortest-path trees (one walk up, one walk down per
//! target), so a hostile graph costs time linear in the output. The paths' edges are capped at
//! [`EDGE_CAP`] in all; only a graph past that cap gives an incomplete cover.

use std::cmp::Ordering;
use std::collections::VecDeque;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::trails::Trail;
use super::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;

/// Edge visits the searches may spend before the remaining targets use fixed trees.
pub(crate) const SEARCH_BUDGET: usize = 20_000_000;

/// The most edges all covering paths may hold together (a bound on memory).
pub(crate) const EDGE_CAP: usize = 20_000_000;

/// The chosen paths, in `paths` order.
pub(crate) struct Cover {
    pub trails: Vec<Trail>,
    /// Edges the chosen paths take together (each counted once).
    pub covered: usize,
    /// Whether every demanded edge is taken; `false` only past [`EDGE_CAP`].
    pub complete: bool,
}

/// Covers the edges on walks from a trigger to a close that `wanted` accepts.
pub(crate) fn cover(project: &Project, graph: &ScriptGraph, wanted: impl Fn(NodeIndex) -> bool) -> Cover {
    let g = &graph.graph;
    let out: Vec<Vec<(EdgeIndex, NodeIndex)>> = g.node_indices().map(|n| graph.out_edges(n)).collect();
    let starts: Vec<NodeIndex> = graph.triggers(project).collect();
    let is_end: Vec<bool> = g.node_indices().map(|n| graph.stage(project, n) == Stage::Close && wanted(n)).collect();
    cover_edges(&Network { out: &out, starts: &starts, is_end: &is_end, edge_count: g.edge_count() })
}

/// The graph as the cover sees it: each node's ways on in source order, where calls start and
/// where they may end.
pub(crate) struct Network<'a> {
    pub out: &'a [Vec<(EdgeIndex, NodeIndex)>],
    pub starts: &'a [NodeIndex],
    pub is_end: &'a [bool],
    pub edge_count: usize,
}

/// Edges as the searches read them: the source and target of each edge, and each node's
/// demanded edges in and out.
struct Edges {
    from: Vec<NodeIndex>,
    to: Vec<NodeIndex>,
    /// Each edge's place among its source's ways on (for `paths` order).
    place: Vec<usize>,
    demanded: Vec<bool>,
    ins: Vec<Vec<EdgeIndex>>,
    outs: Vec<Vec<EdgeIndex>>,
}

impl Edges {
    fn new(net: &Network) -> Edges {
        let nodes = net.out.len();
        let mut from = vec![NodeIndex::new(0); net.edge_count];
        let mut to = vec![NodeIndex::new(0); net.edge_count];
        let mut place = vec![0; net.edge_count];
        let mut all_ins: Vec<Vec<EdgeIndex>> = vec![Vec::new(); nodes];
        for (source, ways) in net.out.iter().enumerate() {
            for (at, &(edge, target)) in ways.iter().enumerate() {
                from[edge.index()] = NodeIndex::new(source);
                to[edge.index()] = target;
                place[edge.index()] = at;
                all_ins[target.index()].push(edge);
            }
        }
        // Reached from a trigger, and able to reach a close.
        let mut reached = vec![false; nodes];
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &start in net.starts {
            if !reached[start.index()] {
                reached[start.index()] = true;
                queue.push_back(start);
            }
        }
        while let Some(node) = queue.pop_front() {
            for &(_, target) in &net.out[node.index()] {
                if !reached[target.index()] {
                    reached[target.index()] = true;
                    queue.push_back(target);
                }
            }
        }
        let mut useful = net.is_end.to_vec();
        queue.extend((0..nodes).filter(|&n| useful[n]).map(NodeIndex::new));
        while let Some(node) = queue.pop_front() {
            for &edge in &all_ins[node.index()] {
                let source = from[edge.index()];
                if !useful[source.index()] {
                    useful[source.index()] = true;
                    queue.push_back(source);
                }
            }
        }
        let demanded: Vec<bool> =
            (0..net.edge_count).map(|e| reached[from[e].index()] && useful[to[e].index()]).collect();
        let ins =
            all_ins.into_iter().map(|edges| edges.into_iter().filter(|e| demanded[e.index()]).collect()).collect();
        let outs = net
            .out
            .iter()
            .map(|ways| ways.iter().map(|&(edge, _)| edge).filter(|e| demanded[e.index()]).collect())
            .collect();
        Edges { from, to, place, demanded, ins, outs }
    }
}

/// The 0-1 breadth-first searches: the cheapest way in each direction, where an edge already
/// covered costs 1 and a new one nothing. The arrays are reused between searches.
struct Search {
    cost: Vec<usize>,
    /// The edge each node was reached by.
    via: Vec<Option<EdgeIndex>>,
    /// Nodes whose `cost` is set, to reset them.
    touched: Vec<NodeIndex>,
    /// Edge visits left before the fixed trees take over.
    budget: usize,
}

impl Search {
    fn new(nodes: usize) -> Search {
        Search { cost: vec![usize::MAX; nodes], via: vec![None; nodes], touched: Vec::new(), budget: SEARCH_BUDGET }
    }

    fn reset(&mut self) {
        for node in self.touched.drain(..) {
            self.cost[node.index()] = usize::MAX;
            self.via[node.index()] = None;
        }
    }

    /// The cheapest simple path from `source` to a close, not taking a `banned` edge (its edges
    /// in order); `Some(None)` when every way on takes a banned edge, `None` when the budget
    /// ran out.
    fn way_out(
        &mut self,
        edges: &Edges,
        is_end: &[bool],
        covered: &[bool],
        banned: &[bool],
        source: NodeIndex,
    ) -> Option<Option<Vec<EdgeIndex>>> {
        self.reset();
        let mut deque = VecDeque::from([source]);
        self.cost[source.index()] = 0;
        self.touched.push(source);
        while let Some(node) = deque.pop_front() {
            if is_end[node.index()] {
                let mut path = Vec::new();
                let mut at = node;
                while let Some(edge) = self.via[at.index()] {
                    path.push(edge);
                    at = edges.from[edge.index()];
                }
                path.reverse();
                return Some(Some(path));
            }
            for &edge in &edges.outs[node.index()] {
                self.budget = self.budget.checked_sub(1)?;
                if banned[edge.index()] {
                    continue;
                }
                let target = edges.to[edge.index()];
                self.relax(&mut deque, node, target, edge, covered[edge.index()]);
            }
        }
        Some(None)
    }

    fn relax(
        &mut self,
        deque: &mut VecDeque<NodeIndex>,
        node: NodeIndex,
        next: NodeIndex,
        edge: EdgeIndex,
        covered: bool,
    ) {
        let cost = self.cost[node.index()] + usize::from(covered);
        if cost < self.cost[next.index()] {
            if self.cost[next.index()] == usize::MAX {
                self.touched.push(next);
            }
            self.cost[next.index()] = cost;
            self.via[next.index()] = Some(edge);
            if covered {
                deque.push_back(next);
            } else {
                deque.push_front(next);
            }
        }
    }
}

/// The graph without its loops: a depth-first search from the triggers marks each edge that
/// closes a loop (it goes back to a node still on the search's stack); the other edges form
/// an acyclic graph, listed in topological order, where the way in that takes the most new
/// edges is found by dynamic programming.
struct Acyclic {
    order: Vec<NodeIndex>,
    closes_loop: Vec<bool>,
}

impl Acyclic {
    fn new(edges: &Edges, starts: &[NodeIndex]) -> Acyclic {
        let nodes = edges.outs.len();
        let mut closes_loop = vec![false; edges.from.len()];
        // 0 unseen, 1 on the stack, 2 done.
        let mut state = vec![0u8; nodes];
        let mut finished = Vec::with_capacity(nodes);
        for &start in starts {
            if state[start.index()] != 0 {
                continue;
            }
            state[start.index()] = 1;
            let mut stack = vec![(start, 0usize)];
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                match edges.outs[node.index()].get(*next).copied() {
                    Some(edge) => {
                        *next += 1;
                        let target = edges.to[edge.index()];
                        match state[target.index()] {
                            0 => {
                                state[target.index()] = 1;
                                stack.push((target, 0));
                            }
                            1 => closes_loop[edge.index()] = true,
                            _ => {}
                        }
                    }
                    None => {
                        state[node.index()] = 2;
                        finished.push(node);
                        stack.pop();
                    }
                }
            }
        }
        finished.reverse();
        Acyclic { order: finished, closes_loop }
    }

    /// The simple path from a trigger to `target` without loop-closing edges that takes the
    /// most edges not yet `covered` (then the fewest edges), or `None` when the budget ran out.
    fn way_in(
        &self,
        edges: &Edges,
        is_start: &[bool],
        covered: &[bool],
        target: NodeIndex,
        budget: &mut usize,
    ) -> Option<Vec<EdgeIndex>> {
        // Score: new edges × 2^32 − length; `i64::MIN` for a node not reached yet.
        let nodes = edges.outs.len();
        let mut best = vec![i64::MIN; nodes];
        let mut via: Vec<Option<EdgeIndex>> = vec![None; nodes];
        for &node in &self.order {
            if is_start[node.index()] {
                best[node.index()] = best[node.index()].max(0);
            }
            for &edge in &edges.ins[node.index()] {
                *budget = budget.checked_sub(1)?;
                let source = edges.from[edge.index()];
                if self.closes_loop[edge.index()] || best[source.index()] == i64::MIN {
                    continue;
                }
                let gain = if covered[edge.index()] { 0 } else { 1 << 32 };
                let score = best[source.index()] + gain - 1;
                if score > best[node.index()] {
                    best[node.index()] = score;
                    via[node.index()] = Some(edge);
                }
            }
            if node == target {
                break;
            }
        }
        let mut path = Vec::new();
        let mut at = target;
        while let Some(edge) = via[at.index()] {
            if is_start[at.index()] && best[at.index()] == 0 {
                break;
            }
            path.push(edge);
            at = edges.from[edge.index()];
        }
        path.reverse();
        Some(path)
    }
}

/// Breadth-first trees used once the search budget is spent: the first edge of a shortest way
/// in to each node from a trigger, and on from each node to a close.
struct Trees {
    way_in: Vec<Option<EdgeIndex>>,
    way_out: Vec<Option<EdgeIndex>>,
}

impl Trees {
    fn new(edges: &Edges, starts: &[NodeIndex], is_end: &[bool]) -> Trees {
        let nodes = is_end.len();
        let mut way_in = vec![None; nodes];
        let mut seen = vec![false; nodes];
        let mut queue: VecDeque<NodeIndex> = VecDeque::new();
        for &start in starts {
            if !seen[start.index()] {
                seen[start.index()] = true;
                queue.push_back(start);
            }
        }
        while let Some(node) = queue.pop_front() {
            for &edge in &edges.outs[node.index()] {
                let target = edges.to[edge.index()];
                if !seen[target.index()] {
                    seen[target.index()] = true;
                    way_in[target.index()] = Some(edge);
                    queue.push_back(target);
                }
            }
        }
        let mut way_out = vec![None; nodes];
        let mut seen = is_end.to_vec();
        queue.extend((0..nodes).filter(|&n| seen[n]).map(NodeIndex::new));
        while let Some(node) = queue.pop_front() {
            for &edge in &edges.ins[node.index()] {
                let source = edges.from[edge.index()];
                if !seen[source.index()] {
                    seen[source.index()] = true;
                    way_out[source.index()] = Some(edge);
                    queue.push_back(source);
                }
            }
        }
        Trees { way_in, way_out }
    }

    fn path_through(&self, edges: &Edges, target: EdgeIndex) -> Vec<EdgeIndex> {
        let mut path = Vec::new();
        let mut at = edges.from[target.index()];
        while let Some(edge) = self.way_in[at.index()] {
            path.push(edge);
            at = edges.from[edge.index()];
        }
        path.reverse();
        path.push(target);
        let mut at = edges.to[target.index()];
        while let Some(edge) = self.way_out[at.index()] {
            path.push(edge);
            at = edges.to[edge.index()];
        }
        path
    }
}

/// The covering paths of `net` (see the module documentation).
pub(crate) fn cover_edges(net: &Network) -> Cover {
    let edges = Edges::new(net);
    let nodes = net.out.len();
    let mut is_start = vec![false; nodes];
    for &start in net.starts {
        is_start[start.index()] = true;
    }
    let demanded: Vec<EdgeIndex> = (0..net.edge_count).filter(|&e| edges.demanded[e]).map(EdgeIndex::new).collect();
    // Targets: first the edges that close a loop (a path through one goes on to a close, so
    // it also takes an edge into a close that would otherwise need a path of its own), then
    // the edges into closes (each path holds one), then whatever is left.
    let acyclic = Acyclic::new(&edges, net.starts);
    let (loops, rest): (Vec<EdgeIndex>, Vec<EdgeIndex>) = demanded.iter().partition(|e| acyclic.closes_loop[e.index()]);
    let (into_ends, others): (Vec<EdgeIndex>, Vec<EdgeIndex>) =
        rest.into_iter().partition(|e| net.is_end[edges.to[e.index()].index()]);
    let mut covered = vec![false; net.edge_count];
    let mut banned = vec![false; net.edge_count];
    let mut search = Search::new(nodes);
    let mut trees: Option<Trees> = None;
    let mut paths: Vec<Vec<EdgeIndex>> = Vec::new();
    let mut held = 0usize;
    let mut complete = true;
    for target in loops.into_iter().chain(into_ends).chain(others) {
        if covered[target.index()] {
            continue;
        }
        let path = match trees {
            None => match searched_path(&mut search, &acyclic, &edges, net, &is_start, &covered, &mut banned, target) {
                Some(path) => path,
                None => trees.insert(Trees::new(&edges, net.starts, net.is_end)).path_through(&edges, target),
            },
            Some(ref trees) => trees.path_through(&edges, target),
        };
        held += path.len();
        if held > EDGE_CAP {
            complete = false;
            break;
        }
        for edge in &path {
            covered[edge.index()] = true;
        }
        paths.push(path);
    }
    drop_redundant(&mut paths, net.edge_count);

    let start_rank = |node: NodeIndex| net.starts.iter().position(|&s| s == node).unwrap_or(usize::MAX);
    let mut trails: Vec<(Vec<usize>, Trail)> = paths
        .into_iter()
        .map(|path| {
            let start = path.first().map_or(NodeIndex::new(0), |e| edges.from[e.index()]);
            let mut key = vec![start_rank(start)];
            key.extend(path.iter().map(|e| edges.place[e.index()]));
            (key, Trail { start, edges: path })
        })
        .collect();
    trails.sort_by(|a, b| compare_keys(&a.0, &b.0));
    let covered = covered.iter().filter(|&&c| c).count();
    Cover { trails: trails.into_iter().map(|(_, trail)| trail).collect(), covered, complete }
}

/// The path through `target` found by the searches, or `None` when their budget ran out.
#[allow(clippy::too_many_arguments)]
fn searched_path(
    search: &mut Search,
    acyclic: &Acyclic,
    edges: &Edges,
    net: &Network,
    is_start: &[bool],
    covered: &[bool],
    banned: &mut [bool],
    target: EdgeIndex,
) -> Option<Vec<EdgeIndex>> {
    let mut path = acyclic.way_in(edges, is_start, covered, edges.from[target.index()], &mut search.budget)?;
    path.push(target);
    // A trail if possible: the way on first avoids the edges taken so far.
    for &edge in &path {
        banned[edge.index()] = true;
    }
    let found = search.way_out(edges, net.is_end, covered, banned, edges.to[target.index()]);
    for &edge in &path {
        banned[edge.index()] = false;
    }
    let way_out = match found? {
        Some(way_out) => way_out,
        None => search
            .way_out(edges, net.is_end, covered, banned, edges.to[target.index()])?
            .expect("a demanded edge's target reaches a close"),
    };
    path.extend(way_out);
    Some(path)
}

/// Drops paths, last chosen first, whose every edge lies on another kept path.
fn drop_redundant(paths: &mut Vec<Vec<EdgeIndex>>, edge_count: usize) {
    let mut takers = vec![0u32; edge_count];
    for path in paths.iter() {
        for edge in path {
            takers[edge.index()] += 1;
        }
    }
    let mut keep = vec![true; paths.len()];
    for (index, path) in paths.iter().enumerate().rev() {
        // An edge a path takes twice counts twice: the path alone may hold it.
        let mut own = vec![];
        for edge in path {
            own.push(*edge);
        }
        own.sort_unstable();
        let redundant = own.chunk_by(|a, b| a == b).all(|same| takers[same[0].index()] as usize > same.len());
        if redundant {
            keep[index] = false;
            for edge in path {
                takers[edge.index()] -= 1;
            }
        }
    }
    let mut index = 0;
    paths.retain(|_| {
        index += 1;
        keep[index - 1]
    });
}

/// `paths` order: by trigger, then step by step by place among the node's ways on; a path
/// that is a prefix of another comes first.
fn compare_keys(a: &[usize], b: &[usize]) -> Ordering {
    a.cmp(b)
}

#[cfg(test)]
mod tests {
    use super::cover;
    use crate::graph::ScriptGraph;
    use crate::source::FileId;

    #[test]
    fn a_loop_edge_no_trail_takes_is_covered_by_going_round_the_loop_once() {
        // t → a → m → x → y → done, and a loop y → u → x: after t a m x y u x the only way on
        // is x → y again, so y → u and u → x lie on no trail. The cover goes round the loop
        // once and takes x → y a second time to leave it.
        let text = "script s {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"right?\" reply \"yes\" -> x }\n  root-cause x { ask \"?\" -> y }\n  root-cause y { ask \"?\" reply \"a\" -> done reply \"b\" -> u }\n  root-cause u { ask \"?\" -> x }\n  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n";
        let project = crate::resolve::load_text("s.defuse".into(), text);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        let found = cover(&project, &graph, |_| true);
        assert!(found.complete);
        assert_eq!(found.covered, 7, "every edge");
        assert_eq!(found.trails.len(), 1);
        let ids: Vec<String> =
            found.trails[0].nodes(&graph).iter().map(|&n| project.qualified_name(graph.graph[n])).collect();
        assert_eq!(ids.join(" "), "t a m x y u x y done");
    }

    use super::{cover_edges, Network};
    use petgraph::graph::{EdgeIndex, NodeIndex};
    use proptest::prelude::*;

    /// A random graph: `nodes` nodes, node 0 and 1 start calls, the last two end them (no
    /// way on from an end), and each `(from, to)` pair an edge.
    fn network(nodes: usize, pairs: &[(usize, usize)]) -> (Vec<Vec<(EdgeIndex, NodeIndex)>>, Vec<bool>) {
        let mut out = vec![Vec::new(); nodes];
        let mut count = 0;
        for &(from, to) in pairs {
            let (from, to) = (from % nodes, to % nodes);
            if from >= nodes - 2 || to < 2 {
                continue; // ends have no way on; nothing enters a start
            }
            out[from].push((EdgeIndex::new(count), NodeIndex::new(to)));
            count += 1;
        }
        let is_end = (0..nodes).map(|n| n >= nodes - 2).collect();
        (out, is_end)
    }

    /// Every edge on some trail (no edge twice) from a start to an end, by exhaustive search.
    fn edges_on_trails(out: &[Vec<(EdgeIndex, NodeIndex)>], is_end: &[bool], edges: usize) -> Vec<bool> {
        fn walk(
            out: &[Vec<(EdgeIndex, NodeIndex)>],
            is_end: &[bool],
            node: NodeIndex,
            used: &mut Vec<bool>,
            trail: &mut Vec<EdgeIndex>,
            on: &mut Vec<bool>,
        ) {
            if is_end[node.index()] {
                for edge in trail.iter() {
                    on[edge.index()] = true;
                }
            }
            for &(edge, target) in &out[node.index()] {
                if !used[edge.index()] {
                    used[edge.index()] = true;
                    trail.push(edge);
                    walk(out, is_end, target, used, trail, on);
                    trail.pop();
                    used[edge.index()] = false;
                }
            }
        }
        let mut on = vec![false; edges];
        for start in [0, 1] {
            walk(out, is_end, NodeIndex::new(start), &mut vec![false; edges], &mut Vec::new(), &mut on);
        }
        on
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn a_cover_takes_every_edge_of_every_trail_in_walks_from_start_to_end(
            nodes in 4usize..9,
            pairs in proptest::collection::vec((0usize..9, 0usize..9), 0..16),
        ) {
            let (out, is_end) = network(nodes, &pairs);
            let edge_count: usize = out.iter().map(Vec::len).sum();
            let starts = [NodeIndex::new(0), NodeIndex::new(1)];
            let found = cover_edges(&Network { out: &out, starts: &starts, is_end: &is_end, edge_count });
            prop_assert!(found.complete);
            let mut taken = vec![0usize; edge_count];
            let mut ends_of = vec![(NodeIndex::new(0), NodeIndex::new(0)); edge_count];
            for (from, ways) in out.iter().enumerate() {
                for &(edge, to) in ways {
                    ends_of[edge.index()] = (NodeIndex::new(from), to);
                }
            }
            for trail in &found.trails {
                // A walk from a start to an end, each node on it at most twice.
                prop_assert!(starts.contains(&trail.start));
                let mut at = trail.start;
                let mut visits = vec![0; nodes];
                visits[at.index()] += 1;
                for edge in &trail.edges {
                    let (from, to) = ends_of[edge.index()];
                    prop_assert_eq!(from, at);
                    at = to;
                    visits[at.index()] += 1;
                    taken[edge.index()] += 1;
                }
                prop_assert!(is_end[at.index()], "ends at an end");
                prop_assert!(visits.iter().all(|&v| v <= 2), "{:?}", visits);
            }
            // Each path takes an edge no other path takes.
            for trail in &found.trails {
                let unique = trail.edges.iter().any(|e| {
                    let own = trail.edges.iter().filter(|o| *o == e).count();
                    taken[e.index()] == own
                });
                prop_assert!(unique, "a path whose every edge another path takes");
            }
            // Every edge on a trail is taken, and the paths number no more than the edges.
            let on = edges_on_trails(&out, &is_end, edge_count);
            for edge in 0..edge_count {
                prop_assert!(!on[edge] || taken[edge] > 0, "edge {} is on a trail but not covered", edge);
            }
            prop_assert_eq!(found.covered, taken.iter().filter(|&&t| t > 0).count());
            prop_assert!(found.trails.len() <= found.covered.max(1));
            // In `paths` order: by start, then by each step's place.
            let keys: Vec<Vec<usize>> = found
                .trails
                .iter()
                .map(|t| {
                    let mut key = vec![t.start.index()];
                    key.extend(t.edges.iter().map(|e| {
                        let from = ends_of[e.index()].0;
                        out[from.index()].iter().position(|(o, _)| o == e).unwrap()
                    }));
                    key
                })
                .collect();
            prop_assert!(keys.windows(2).all(|pair| pair[0] <= pair[1]), "{:?}", keys);
        }
    }
}
