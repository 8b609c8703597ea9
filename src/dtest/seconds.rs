//! Spoken time for `expect under` (spec section 3, "Spoken time"), with the default `[timing]`
//! settings.
//!
//! A stand-in: the shared timing model (`src/graph/timing.rs`, branch `checks`) is merged
//! separately. When it is, [`walk_seconds`]'s body becomes one call,
//! `crate::graph::timing::path_seconds(call.project, call.graph, &walk.path, timing)`, and
//! [`parse_duration`] a re-export of `crate::graph::timing::parse_duration`; the rest of the
//! test runner only calls these two functions.

use crate::call::{Call, Walk};
use crate::syntax::ast::{StmtKind, Str};

const AGENT_WPM: f64 = 150.0;
const PLACEHOLDER_WORDS: f64 = 2.0;
const ANSWER_TIME: f64 = 3.0;
const HOLD_TIME: f64 = 60.0;

/// The seconds of a walk: the sum over the nodes it visited (a node visited twice counts twice).
pub fn walk_seconds(call: &Call, walk: &Walk) -> f64 {
    walk.path.iter().map(|&node| node_seconds(call, node)).sum()
}

fn node_seconds(call: &Call, node: petgraph::graph::NodeIndex) -> f64 {
    let mut words = 0.0;
    let mut wait = 0.0;
    let mut hold = 0.0;
    for stmt in &call.node(node).stmts {
        match &stmt.kind {
            StmtKind::Say(text) | StmtKind::Ask(text) => words += str_words(text),
            StmtKind::Option(label, _) => {
                words += str_words(label);
                wait = ANSWER_TIME;
            }
            StmtKind::Reply(..) | StmtKind::Otherwise(_) => wait = ANSWER_TIME,
            StmtKind::Hold(_) => hold += HOLD_TIME,
            _ => {}
        }
    }
    words * 60.0 / AGENT_WPM + wait + hold
}

/// Words of a literal, each placeholder counting [`PLACEHOLDER_WORDS`].
fn str_words(text: &Str) -> f64 {
    let names: usize = text.placeholders.iter().map(|p| words(&p.name)).sum();
    (words(&text.value) - names) as f64 + PLACEHOLDER_WORDS * text.placeholders.len() as f64
}

/// Maximal runs of letters and digits; an apostrophe between two letters joins them.
fn words(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let mut count = 0;
    let mut in_word = false;
    for (i, &c) in chars.iter().enumerate() {
        let joins = (c == '\'' || c == '\u{2019}')
            && in_word
            && i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|next| next.is_alphabetic());
        if c.is_alphanumeric() || joins {
            count += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// A duration as section 3 writes them (`90s`, `3m`, `1m30s`, `0.5s`, `1h`), in seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    const UNITS: [(char, f64); 3] = [('h', 3600.0), ('m', 60.0), ('s', 1.0)];
    let help = "write a duration such as \"90s\", \"3m\", \"1m30s\" or \"0.5s\"";
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(format!("empty duration: {help}"));
    }
    let (mut total, mut next_unit) = (0.0, 0);
    while !rest.is_empty() {
        let len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..len];
        let value: f64 = match number.parse() {
            Ok(value) if !number.starts_with('.') && !number.ends_with('.') => value,
            _ => return Err(format!("`{text}` is not a duration: {help}")),
        };
        rest = &rest[len..];
        let unit = rest.chars().next();
        match UNITS.iter().position(|&(u, _)| Some(u) == unit) {
            Some(position) if position >= next_unit => {
                total += value * UNITS[position].1;
                next_unit = position + 1;
                rest = &rest[1..];
            }
            _ => return Err(format!("`{text}` is not a duration: {help}")),
        }
    }
    if total.is_finite() {
        Ok(total)
    } else {
        Err(format!("`{text}` is too long a duration"))
    }
}

/// Seconds as messages show them: one decimal place.
pub fn display(seconds: f64) -> String {
    format!("{:.1} s", (seconds * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_words_follow_section_3() {
        assert_eq!(parse_duration("90s"), Ok(90.0));
        assert_eq!(parse_duration("1m30s"), Ok(90.0));
        assert_eq!(parse_duration("0.5s"), Ok(0.5));
        assert_eq!(parse_duration("3m"), Ok(180.0));
        assert!(parse_duration("30s1m").is_err());
        assert!(parse_duration("3").is_err());
        assert!(parse_duration("").is_err());
        assert_eq!(words("don't stop: 3 to 5 days"), 6);
    }
}
