//! Spoken time (spec section 3, "Spoken time"): how long each node takes to say, and the
//! fastest way through a script in seconds.
//!
//! The model is deliberately simple so a script writer can check it by hand:
//! - words(text): maximal runs of letters and digits; an apostrophe between two letters joins
//!   them ("don't" is 1 word); each `{placeholder}` counts `placeholder_words`;
//! - agent time = words of `say`, `ask` and `option` labels × 60 / `agent_wpm`;
//! - wait = `answer_time` when the node has a `reply`, `otherwise` or `option` edge;
//! - hold = `hold_time` per `hold` statement;
//! - node seconds = agent time + wait + hold; a path's seconds = the sum over its nodes.
//!
//! **Invariant:** every figure is finite and non-negative (the config refuses anything else),
//! so the shortest-path search may use Dijkstra. [`fastest_to_close`] runs one search for the
//! whole script, backwards from every close, in O((V + E) log V): never an enumeration.
//! Figures are kept exact in `f64` and rounded to one decimal only for output ([`round`]).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::config::timing::Timing;
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{self, StmtKind};

/// The number of words in `text`: maximal runs of letters and digits, where an apostrophe
/// (`'` or `’`) between two letters joins them. Placeholders are not special here; see
/// [`str_words`].
pub(crate) fn words(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    let mut in_word = false;
    for (i, &c) in chars.iter().enumerate() {
        let joins = is_apostrophe(c)
            && in_word
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|next| next.is_alphabetic());
        if c.is_alphanumeric() || joins {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// The words of a string literal, each placeholder counting `placeholder_words`.
///
/// A placeholder's braces separate it from the text around it, so its name contributes
/// exactly `words(name)` to `words(value)`: those are taken out and replaced by the figure.
pub(crate) fn str_words(text: &ast::Str, placeholder_words: f64) -> f64 {
    let names: usize = text.placeholders.iter().map(|p| words(&p.name)).sum();
    (words(&text.value) - names) as f64 + placeholder_words * text.placeholders.len() as f64
}

/// How long one node takes, split as the model defines it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct NodeTime {
    /// Agent words in the node (placeholders weighted).
    pub words: f64,
    /// The agent's speaking time, seconds.
    pub agent: f64,
    /// Waiting for the caller's answer, seconds.
    pub wait: f64,
    /// Time on hold, seconds.
    pub hold: f64,
}

impl NodeTime {
    pub(crate) fn seconds(&self) -> f64 {
        self.agent + self.wait + self.hold
    }
}

/// The spoken time of `node`.
pub(crate) fn node_time(node: &ast::Node, timing: &Timing) -> NodeTime {
    let mut time = NodeTime::default();
    let mut answers = false;
    for stmt in &node.stmts {
        if let Some(line) = stmt.agent_line() {
            time.words += str_words(line, timing.placeholder_words);
        }
        match stmt.kind {
            StmtKind::Reply(..) | StmtKind::Otherwise(_) | StmtKind::Option(..) => answers = true,
            StmtKind::Hold(_) => time.hold += timing.hold_time,
            _ => {}
        }
    }
    time.agent = time.words * 60.0 / timing.agent_wpm;
    if answers {
        time.wait = timing.answer_time;
    }
    time
}

/// The seconds of every node of `graph`, by node index.
pub(crate) fn node_seconds(project: &Project, graph: &ScriptGraph, timing: &Timing) -> Vec<f64> {
    graph.nodes().map(|n| node_time(project.node(graph.graph[n]), timing).seconds()).collect()
}

/// A path's seconds: the sum over its nodes (for `paths`, `test` and the trainer page).
pub(crate) fn path_seconds(project: &Project, graph: &ScriptGraph, path: &[NodeIndex], timing: &Timing) -> f64 {
    path.iter().map(|&n| node_time(project.node(graph.graph[n]), timing).seconds()).sum()
}

/// For every node, the fastest way from it to a close: its seconds (node included) and the
/// next node on that way. One Dijkstra search backwards from every close.
pub struct FastestToClose {
    /// Seconds from the node to a close, both included; `None` when no close is reachable.
    pub seconds: Vec<Option<f64>>,
    next: Vec<Option<NodeIndex>>,
    /// Edges from the node to its close on that way.
    steps: Vec<usize>,
    /// The last [`TAIL`] nodes of that way (fewer when it is shorter), so a report can show
    /// a path's end without walking it: many triggers on one long way stay linear.
    tail: Vec<[u32; TAIL]>,
}

/// How many of a path's last nodes [`FastestToClose`] keeps per node.
pub(crate) const TAIL: usize = 5;

/// A path as reports show it: its length, first nodes and last nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PathSummary {
    /// Nodes on the path.
    pub len: usize,
    /// Its first nodes (at most the number asked for).
    pub head: Vec<NodeIndex>,
    /// Its last nodes (at most [`TAIL`]).
    pub tail: Vec<NodeIndex>,
}

impl FastestToClose {
    /// The fastest path from `node` to a close, walking at most `head` nodes: cost bounded
    /// however long the path is. `None` when no close is reachable.
    pub(crate) fn summary(&self, node: NodeIndex, head: usize) -> Option<PathSummary> {
        self.seconds[node.index()]?;
        let len = self.steps[node.index()] + 1;
        let mut first = vec![node];
        let mut at = node;
        while first.len() < head {
            let Some(next) = self.next[at.index()] else { break };
            first.push(next);
            at = next;
        }
        let tail = self.tail[node.index()][..len.min(TAIL)].iter().map(|&n| NodeIndex::new(n as usize)).collect();
        Some(PathSummary { len, head: first, tail })
    }

    /// The trigger with the fastest way to a close, with its seconds (the first trigger in
    /// model order on a tie).
    pub(crate) fn fastest_trigger(&self, project: &Project, graph: &ScriptGraph) -> Option<(NodeIndex, f64)> {
        let mut best: Option<(NodeIndex, f64)> = None;
        for trigger in graph.triggers(project) {
            if let Some(seconds) = self.seconds[trigger.index()] {
                if best.is_none_or(|(_, b)| seconds < b) {
                    best = Some((trigger, seconds));
                }
            }
        }
        best
    }
}

/// Dijkstra over node weights on the reversed graph, from every close at once.
pub(crate) fn fastest_to_close(project: &Project, graph: &ScriptGraph, weights: &[f64]) -> FastestToClose {
    let count = graph.graph.node_count();
    let mut seconds: Vec<Option<f64>> = vec![None; count];
    let mut next: Vec<Option<NodeIndex>> = vec![None; count];
    let mut steps = vec![0; count];
    let mut tail = vec![[0u32; TAIL]; count];
    let mut done = vec![false; count];
    // Min-heap on (seconds, node index): the index makes ties deterministic.
    let mut heap = BinaryHeap::new();
    for node in graph.nodes() {
        if graph.stage(project, node) == ast::Stage::Close {
            seconds[node.index()] = Some(weights[node.index()]);
            tail[node.index()][0] = node.index() as u32;
            heap.push(Reverse((Key(weights[node.index()]), node.index())));
        }
    }
    while let Some(Reverse((Key(at_seconds), at))) = heap.pop() {
        if std::mem::replace(&mut done[at], true) {
            continue;
        }
        for edge in graph.graph.edges_directed(NodeIndex::new(at), Direction::Incoming) {
            let from = edge.source().index();
            // A close ends the call: no path goes on through one.
            if done[from] || graph.stage(project, edge.source()) == ast::Stage::Close {
                continue;
            }
            let candidate = weights[from] + at_seconds;
            let better = match seconds[from] {
                None => true,
                Some(old) => candidate < old || (candidate == old && next[from].is_some_and(|n| at < n.index())),
            };
            if better {
                seconds[from] = Some(candidate);
                next[from] = Some(NodeIndex::new(at));
                steps[from] = steps[at] + 1;
                tail[from] = if steps[at] + 1 < TAIL {
                    let mut with_from = [0; TAIL];
                    with_from[0] = from as u32;
                    with_from[1..].copy_from_slice(&tail[at][..TAIL - 1]);
                    with_from
                } else {
                    tail[at]
                };
                heap.push(Reverse((Key(candidate), from)));
            }
        }
    }
    FastestToClose { seconds, next, steps, tail }
}

/// An `f64` ordered by `total_cmp` (figures are finite, so this is the usual order).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Seconds rounded to one decimal place, as every output shows them.
pub(crate) fn round(seconds: f64) -> f64 {
    (seconds * 10.0).round() / 10.0
}

/// Seconds for a message: `20.4 s`, `3 m 12.5 s` is not used: one unit keeps sums checkable.
pub fn display(seconds: f64) -> String {
    format!("{:.1} s", round(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::strings::lower_string;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(words("don't"), 1);
        assert_eq!(words("3 to 5 days"), 4);
        assert_eq!(words("I'm sorry, that's not right."), 5);
        assert_eq!(words("Here is what I can do right now:"), 8);
        // rock'n'roll joins; a digit before an apostrophe does not (90's is 2).
        assert_eq!(words("'quoted' rock'n'roll 90's ’twas don’t"), 1 + 1 + 2 + 1 + 1);
        assert_eq!(words("re-mirror e-mail"), 4);
        assert_eq!(words(""), 0);
        assert_eq!(words(" ... -- "), 0);
        assert_eq!(words("café naïve 10%"), 3);
    }

    #[test]
    fn placeholders_count_placeholder_words() {
        let text = lower_string(r#""I'm sorry, {customer_name}. It's {x}\{literal\}""#, 0).ok().unwrap();
        // I'm, sorry, It's, literal = 4; two placeholders at 2 words each.
        assert!(close(str_words(&text, 2.0), 8.0));
        assert!(close(str_words(&text, 0.0), 4.0));
    }

    #[test]
    fn fifty_one_words_at_150_wpm_take_20_4_seconds() {
        let line = vec!["word"; 51].join(" ");
        let node_text = format!("acknowledge a {{ say \"{line}\" -> b }}");
        let parsed = crate::syntax::parse(FileId::from_index(0), &format!("script s {{ {node_text} }}"));
        let node = &parsed.ast.expect("parses").item.nodes[0];
        let time = node_time(node, &Timing::default());
        assert!(close(time.agent, 20.4), "{time:?}");
        assert!(close(time.seconds(), 20.4));
        assert_eq!(display(time.seconds()), "20.4 s");
    }

    #[test]
    fn wait_and_hold_add_up() {
        let source = r#"script s {
          mirror m { ask "Is that right?" reply "yes" -> c otherwise -> c }
          options o { say "Pick one:" option "A refund" -> c option "Credit" -> c hold "x" hold "y" }
          close c { say "Thanks" }
        }"#;
        let parsed = crate::syntax::parse(FileId::from_index(0), source);
        let item = parsed.ast.expect("parses").item;
        let timing = Timing::default();
        // 3 words → 1.2 s, + 3 s wait.
        let mirror = node_time(&item.nodes[0], &timing);
        assert!(close(mirror.seconds(), 1.2 + 3.0), "{mirror:?}");
        // "Pick one" 2 + "A refund" 2 + "Credit" 1 = 5 words → 2 s; 3 s wait; 2 holds 120 s.
        let options = node_time(&item.nodes[1], &timing);
        assert!(close(options.seconds(), 2.0 + 3.0 + 120.0), "{options:?}");
        // A close with no edges does not wait.
        assert!(close(node_time(&item.nodes[2], &timing).seconds(), 0.4));
        let slow = Timing { agent_wpm: 60.0, answer_time: 0.0, ..Timing::default() };
        assert!(close(node_time(&item.nodes[0], &slow).seconds(), 3.0));
    }

    #[test]
    fn rounding_is_one_decimal() {
        assert_eq!(round(20.44), 20.4);
        assert_eq!(round(20.45999), 20.5);
        assert_eq!(display(3.0), "3.0 s");
    }
}
