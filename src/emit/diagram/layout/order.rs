//! Crossing reduction: the order of the items within each rank.
//!
//! As in dagre (`lib/order/`) and Graphviz's `mincross`: a first order from a depth-first
//! search (so a chain stays together), then sweeps that sort each rank by the barycenter of its
//! neighbours in the rank before (down) or after (up), an item without neighbours keeping its
//! place. Crossings between adjacent ranks are counted after every sweep (Barth, Jünger and
//! Mutzel's accumulator tree, O(E log V)), and the best order seen wins; the sweeps stop after
//! four that bring nothing, or 24 in all, so the work stays O(sweeps · E log V).

use super::{Kind, Layered};

const MAX_SWEEPS: usize = 24;
const PATIENCE: usize = 4;

/// The items of each rank, top to bottom.
pub(super) fn order(graph: &Layered) -> Vec<Vec<usize>> {
    let mut ranks = first_order(graph);
    let mut best = ranks.clone();
    let mut best_crossings = crossings(graph, &ranks);
    let mut idle = 0;
    for sweep in 0..MAX_SWEEPS {
        if best_crossings == 0 || idle == PATIENCE {
            break;
        }
        let down = sweep % 2 == 0;
        sweep_once(graph, &mut ranks, down);
        let now = crossings(graph, &ranks);
        if now < best_crossings {
            best_crossings = now;
            best.clone_from(&ranks);
            idle = 0;
        } else {
            idle += 1;
        }
    }
    best
}

/// Depth-first from each node in input order, nodes of earlier ranks first: an item takes the
/// next place in its rank when it is first reached.
fn first_order(graph: &Layered) -> Vec<Vec<usize>> {
    let mut ranks = vec![Vec::new(); graph.ranks];
    let mut seen = vec![false; graph.items.len()];
    let mut roots: Vec<usize> = (0..graph.items.len()).filter(|&i| !graph.is_edge(i)).collect();
    roots.sort_by_key(|&i| graph.items[i].rank);
    for root in roots {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![root];
        while let Some(item) = stack.pop() {
            ranks[graph.items[item].rank].push(item);
            // Reversed so the first successor is visited first.
            for &(next, _) in graph.succs[item].iter().rev() {
                if !seen[next] {
                    seen[next] = true;
                    stack.push(next);
                }
            }
        }
    }
    ranks
}

/// One sweep down (each rank by the rank before it) or up (by the rank after it).
fn sweep_once(graph: &Layered, ranks: &mut [Vec<usize>], down: bool) {
    let mut position = vec![0usize; graph.items.len()];
    for rank in ranks.iter() {
        for (i, &item) in rank.iter().enumerate() {
            position[item] = i;
        }
    }
    let count = ranks.len();
    let sequence: Vec<usize> = if down { (1..count).collect() } else { (0..count.saturating_sub(1)).rev().collect() };
    for r in sequence {
        let neighbours = |item: usize| if down { &graph.preds[item] } else { &graph.succs[item] };
        let rank = &mut ranks[r];
        // (barycenter, old place, item) for the items that have neighbours there.
        let mut sortable: Vec<(f64, usize, usize)> = Vec::new();
        let mut fixed = vec![false; rank.len()];
        for (i, &item) in rank.iter().enumerate() {
            let list = neighbours(item);
            if list.is_empty() {
                // A node reached only from its own column goes just after the node that leads
                // to it, so a chain of questions stays together.
                match hook_source(graph, item) {
                    Some(source) if down => sortable.push((position[source] as f64 + 0.5, i, item)),
                    _ => fixed[i] = true,
                }
            } else {
                let (sum, weight) = list
                    .iter()
                    .fold((0.0, 0.0), |(s, w), &(other, weight)| (s + position[other] as f64 * weight, w + weight));
                sortable.push((sum / weight, i, item));
            }
        }
        sortable.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut next = sortable.into_iter();
        let old = rank.clone();
        for (i, slot) in rank.iter_mut().enumerate() {
            *slot = if fixed[i] { old[i] } else { next.next().expect("as many sortable items as slots").2 };
        }
        for (i, &item) in rank.iter().enumerate() {
            position[item] = i;
        }
    }
}

/// The first node of `item`'s column with an edge to it (through a hook), if `item` is a node.
fn hook_source(graph: &Layered, item: usize) -> Option<usize> {
    graph.succs[item].iter().find_map(|&(other, _)| match graph.items[other].kind {
        Kind::Hook { from, to } if to == item && from != item => Some(from),
        _ => None,
    })
}

/// The number of crossings between every pair of adjacent ranks.
pub(super) fn crossings(graph: &Layered, ranks: &[Vec<usize>]) -> usize {
    let mut position = vec![0usize; graph.items.len()];
    for rank in ranks {
        for (i, &item) in rank.iter().enumerate() {
            position[item] = i;
        }
    }
    let mut total = 0;
    for pair in ranks.windows(2) {
        let (upper, lower) = (&pair[0], &pair[1]);
        // Segments by their upper end, then their lower end; crossings are the inversions of
        // the lower ends.
        let mut ends: Vec<(usize, usize)> = Vec::new();
        for &item in upper {
            for &(other, _) in &graph.succs[item] {
                ends.push((position[item], position[other]));
            }
        }
        ends.sort_unstable();
        // A Fenwick tree over the lower rank's places counts the ends already seen below each.
        let mut tree = vec![0usize; lower.len() + 1];
        for (seen, &(_, low)) in ends.iter().enumerate() {
            let mut at = low + 1;
            let mut not_after = 0;
            while at > 0 {
                not_after += tree[at];
                at &= at - 1;
            }
            total += seen - not_after;
            let mut at = low + 1;
            while at < tree.len() {
                tree[at] += 1;
                at += at & at.wrapping_neg();
            }
        }
    }
    total
}
