//! A small set of paths that together take every edge lying on some trigger-to-close path:
//! what a trainer rehearses instead of every path (`defuse paths --cover`).
//!
//! Greedy set cover over trails: each round enumerates the trails (as [`for_each_trail_to`]
//! does) and keeps the one taking the most edges no chosen path took yet (ties: the fewer
//! edges, then the first found); rounds stop when no trail adds an edge. Greedy is within a
//! factor ln(E) of the smallest cover, and on hand-written scripts usually optimal.
//!
//! Invariants: the edges to cover are exactly those on some enumerated trail (so an edge only
//! a walk that repeats a loop could take is never demanded), and the whole computation shares
//! one budget of [`STEP_BUDGET`] search steps and another of as many edges scored, so a hostile
//! graph costs bounded time and the chosen trails bounded memory. When the budget runs out
//! the cover found so far is returned and marked incomplete.

use petgraph::graph::NodeIndex;

use super::trails::{for_each_trail_to, Stop, Trail, STEP_BUDGET};
use super::ScriptGraph;
use crate::resolve::Project;

/// The chosen paths, in the order chosen (the path taking the most edges first).
pub struct Cover {
    pub trails: Vec<Trail>,
    /// Edges the chosen paths take together.
    pub covered: usize,
    /// Whether every trail was seen, so every edge on some path is taken; `false` when the
    /// step budget ran out first.
    pub complete: bool,
}

/// Covers the edges of trails from a trigger to a close that `wanted` accepts.
pub fn cover(project: &Project, graph: &ScriptGraph, wanted: impl Fn(NodeIndex) -> bool + Copy) -> Cover {
    let (mut search, mut scoring) = (STEP_BUDGET, STEP_BUDGET);
    let mut taken = vec![false; graph.graph.edge_count()];
    let mut cover = Cover { trails: Vec::new(), covered: 0, complete: true };
    loop {
        // The best trail of this round: (new edges, its length) and the trail.
        let mut best: Option<(usize, usize, Trail)> = None;
        let mut scoring_spent = false;
        let stop = for_each_trail_to(project, graph, wanted, &mut search, |trail| {
            // Scoring a trail costs its length: charged to its own budget, as a search step
            // can end many long trails.
            if trail.edges.len() > scoring {
                scoring_spent = true;
                return false;
            }
            scoring -= trail.edges.len();
            let new = trail.edges.iter().filter(|e| !taken[e.index()]).count();
            let better = match &best {
                None => new > 0,
                Some((gain, length, _)) => new > *gain || (new == *gain && trail.edges.len() < *length),
            };
            if better {
                best = Some((new, trail.edges.len(), trail.clone()));
            }
            true
        });
        if stop != Stop::Complete || scoring_spent {
            cover.complete = false;
        }
        let Some((gain, _, trail)) = best else { break };
        for edge in &trail.edges {
            taken[edge.index()] = true;
        }
        cover.covered += gain;
        cover.trails.push(trail);
        if !cover.complete {
            break;
        }
    }
    cover
}

#[cfg(test)]
mod tests {
    use super::cover;
    use crate::graph::ScriptGraph;

    #[test]
    fn an_edge_only_a_second_loop_could_take_is_not_demanded() {
        // t → a → m → x → y → done, and a loop y → u → x: after t a m x y u x the only way on
        // is x → y again, so y → u and u → x lie on no path (only on a walk) and a cover of
        // the one real path is complete.
        let text = "script s {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"right?\" reply \"yes\" -> x }\n  root-cause x { ask \"?\" -> y }\n  root-cause y { ask \"?\" reply \"a\" -> done reply \"b\" -> u }\n  root-cause u { ask \"?\" -> x }\n  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n";
        let project = crate::resolve::load_text("s.defuse".into(), text);
        let graph = ScriptGraph::build(&project, 0);
        let found = cover(&project, &graph, |_| true);
        assert!(found.complete);
        assert_eq!(found.trails.len(), 1);
        assert_eq!(found.covered, 5, "t→a→m→x→y→done");
    }
}
