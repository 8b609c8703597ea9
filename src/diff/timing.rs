//! Spoken time for `slower`: the seconds of a script's fastest trigger-to-close path, with the
//! spec's default `[timing]` settings (section 3, "Spoken time").
//!
//! This is the one function `diff` asks ([`fastest_seconds`]). The project's timing model
//! (with `[timing]` from `defuse.toml`) is being written on another branch; when it lands,
//! this file should call it instead and keep its signature. Until then the defaults apply:
//! 150 words a minute, 2 words a placeholder, 3 s to wait for an answer, 60 s a hold.
//!
//! Times are whole microseconds, so sums are exact and comparisons deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;

use crate::call::Call;
use crate::syntax::ast::{Stage, StmtKind, Str};
use crate::syntax::strings::Piece;

const AGENT_WPM: u64 = 150;
const PLACEHOLDER_WORDS: u64 = 2;
const ANSWER_MICROS: u64 = 3_000_000;
const HOLD_MICROS: u64 = 60_000_000;

/// Seconds of the fastest trigger-to-close path (a shortest path by node seconds, the start
/// included), or `None` when no close can be reached.
pub fn fastest_seconds(call: &Call) -> Option<f64> {
    let graph = &call.graph.graph;
    let cost: Vec<u64> = graph.node_indices().map(|node| node_micros(call, node)).collect();
    let mut best = vec![u64::MAX; graph.node_count()];
    let mut queue = BinaryHeap::new();
    for start in call.starts() {
        best[start.index()] = cost[start.index()];
        queue.push(Reverse((cost[start.index()], start.index())));
    }
    while let Some(Reverse((micros, index))) = queue.pop() {
        if micros > best[index] {
            continue;
        }
        let node = NodeIndex::new(index);
        if call.node(node).stage == Stage::Close {
            return Some(micros as f64 / 1_000_000.0);
        }
        for target in graph.neighbors(node) {
            let through = micros.saturating_add(cost[target.index()]);
            if through < best[target.index()] {
                best[target.index()] = through;
                queue.push(Reverse((through, target.index())));
            }
        }
    }
    None
}

/// A node's agent time + wait + hold.
fn node_micros(call: &Call, node: NodeIndex) -> u64 {
    let source = call.source(node);
    let mut words = 0;
    let mut waits = false;
    let mut holds = 0;
    for stmt in &call.node(node).stmts {
        if let Some(text) = stmt.agent_line() {
            words += text_words(text, source);
        }
        match stmt.kind {
            StmtKind::Reply(..) | StmtKind::Otherwise(_) | StmtKind::Option(..) => waits = true,
            StmtKind::Hold(_) => holds += 1,
            _ => {}
        }
    }
    words * 60_000_000 / AGENT_WPM + if waits { ANSWER_MICROS } else { 0 } + holds * HOLD_MICROS
}

fn text_words(text: &Str, source: &str) -> u64 {
    text.pieces(source)
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => words(text),
            Piece::Var(_) => PLACEHOLDER_WORDS,
        })
        .sum()
}

/// Maximal runs of letters and digits; an apostrophe between two letters joins them.
pub fn words(text: &str) -> u64 {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    let mut in_word = false;
    for (i, &c) in chars.iter().enumerate() {
        let joins = (c == '\'' || c == '’')
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|next| next.is_alphabetic());
        if c.is_alphanumeric() || (in_word && joins) {
            if !in_word {
                count += 1;
                in_word = true;
            }
        } else {
            in_word = false;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_words_as_the_spec_does() {
        assert_eq!(words("don't"), 1);
        assert_eq!(words("3 to 5 days"), 4);
        assert_eq!(words("  -- hello,world 'quoted' "), 3);
        assert_eq!(words(""), 0);
    }

    #[test]
    fn the_fastest_path_sums_its_nodes() {
        let text = r#"script s {
  trigger t { -> a }
  acknowledge a { say "one two three four five" reply "y" -> c otherwise -> slow }
  options slow { hold "wait" -> c }
  close c { say "bye" }
}"#;
        let project = crate::resolve::load_text("t.defuse".into(), text);
        let graph = crate::graph::ScriptGraph::build(&project, 0);
        // a: 5 words = 2 s, + 3 s wait; c: 1 word = 0.4 s.
        assert_eq!(fastest_seconds(&Call::new(&project, &graph)), Some(5.4));
    }
}
