//! `build --emit scxml`: W3C SCXML 1.0 for IVR and call-flow engines.
//!
//! One `<state>` per node (`<final>` for a close), the null data model, and every line as
//! `<log label="kind: text"/>` in `<onentry>` (labels are attributes, so text never has to
//! be an expression). Transitions, in source order:
//!
//! | statement | transition |
//! |-----------|------------|
//! | `-> x` | eventless: taken as soon as the state is entered |
//! | `reply "…" -> x` | `event="reply.N"`, N counting the node's replies from 1 |
//! | `option "…" -> x` | `event="option.N"`, N counting the node's options from 1 |
//! | `otherwise -> x` | `event="otherwise"` |
//!
//! State ids are the node ids (`restate`, `closings.thanks`: valid XML names). With several
//! triggers the document starts in `defuse-start` (a name no node can have), which moves to
//! trigger N on `trigger.N`. Every attribute value is escaped, so any text is valid XML.

use std::fmt::Write;

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Stage, StmtKind};

/// The state a document with several triggers starts in.
pub const START_STATE: &str = "defuse-start";

/// An XML attribute value: markup characters as entities, line breaks and tabs as character
/// references (so they survive attribute normalization), and characters XML 1.0 forbids
/// (other control characters) as U+FFFD.
pub fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The event that takes each statement of `node` out of it, `None` for an eventless `->` (and
/// for statements that lead nowhere). Replies and options are numbered in one pass, so a node
/// with 100,000 replies costs no more than 100,000 nodes.
pub fn events(node: &crate::syntax::ast::Node) -> Vec<Option<String>> {
    let (mut replies, mut options) = (0usize, 0usize);
    node.stmts
        .iter()
        .map(|stmt| match stmt.kind {
            StmtKind::Reply(..) => {
                replies += 1;
                Some(format!("reply.{replies}"))
            }
            StmtKind::Option(..) => {
                options += 1;
                Some(format!("option.{options}"))
            }
            StmtKind::Otherwise(_) => Some("otherwise".to_owned()),
            _ => None,
        })
        .collect()
}

/// The event that takes statement `stmt` of `node` (see [`events`], which numbers a whole
/// node at once: call that when walking every statement).
pub fn event(node: &crate::syntax::ast::Node, stmt: usize) -> Option<String> {
    events(node).swap_remove(stmt)
}

pub fn render(project: &Project, graph: &ScriptGraph) -> String {
    let script = project.item(graph.script).expect("exports are built for parsed scripts");
    let triggers: Vec<_> = graph.triggers(project).collect();
    let initial = match triggers.as_slice() {
        [only] => project.qualified_name(graph.graph[*only]),
        _ => START_STATE.to_owned(),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<scxml xmlns=\"http://www.w3.org/2005/07/scxml\" version=\"1.0\" datamodel=\"null\" name=\"{}\" initial=\"{}\">",
        attribute(&script.name.name),
        attribute(&initial)
    );
    if triggers.len() != 1 {
        let _ = writeln!(out, "  <state id=\"{START_STATE}\">");
        for (i, trigger) in triggers.iter().enumerate() {
            let target = attribute(&project.qualified_name(graph.graph[*trigger]));
            let _ = writeln!(out, "    <transition event=\"trigger.{}\" target=\"{target}\"/>", i + 1);
        }
        let _ = writeln!(out, "  </state>");
    }
    for index in graph.nodes() {
        let key = graph.graph[index];
        let node = project.node(key);
        let element = if node.stage == Stage::Close { "final" } else { "state" };
        let _ = writeln!(out, "  <{element} id=\"{}\">", attribute(&project.qualified_name(key)));
        let mut lines: Vec<(&str, String)> = vec![("stage", node.stage.keyword().to_owned())];
        for stmt in &node.stmts {
            if let Some(text) = stmt.line_text() {
                lines.push((stmt.keyword_text(), text.value.clone()));
            } else if let StmtKind::FollowUp { after, note } = &stmt.kind {
                lines.push(("follow_up", format!("{}: {}", after.value, note.value)));
            }
        }
        if node.stage == Stage::Close {
            lines.push(("outcome", node.outcome().keyword().to_owned()));
        }
        out.push_str("    <onentry>\n");
        for (kind, text) in lines {
            let _ = writeln!(out, "      <log label=\"{}\"/>", attribute(&format!("{kind}: {text}")));
        }
        out.push_str("    </onentry>\n");
        let events = events(node);
        for (edge, target) in graph.out_edges(index) {
            let weight = graph.graph[edge];
            debug_assert!(weight.from == key, "an edge leaves the node its statement is in");
            let target = attribute(&project.qualified_name(graph.graph[target]));
            match &events[weight.stmt] {
                Some(event) => {
                    let _ = writeln!(out, "    <transition event=\"{event}\" target=\"{target}\"/>");
                }
                None => {
                    let _ = writeln!(out, "    <transition target=\"{target}\"/>");
                }
            }
        }
        let _ = writeln!(out, "  </{element}>");
    }
    out.push_str("</scxml>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::attribute;

    #[test]
    fn attributes_escape_markup_and_keep_line_breaks() {
        assert_eq!(attribute("a<b>&\"c\" 'd'"), "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;");
        assert_eq!(attribute("x\ny\tz\u{1}"), "x&#10;y&#9;z\u{FFFD}");
    }
}
