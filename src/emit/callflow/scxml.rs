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

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::call::{Call, ChoiceKind, Entry, FollowUp, WayOn};
use crate::graph::ScriptGraph;
use crate::resolve::Project;

/// The state a document with several triggers starts in.
pub(crate) const START_STATE: &str = "defuse-start";

/// An XML attribute value that reads back as written (line breaks and tabs as references).
pub(crate) use crate::output::xml_attribute as attribute;

/// Each way on from `node` (as [`Call::ways_on`] lists them) with the event that takes it,
/// `None` for an eventless `->`. Replies and options are numbered in one pass, counting those
/// whose target names no node too, so a node with 100,000 replies costs no more than 100,000
/// nodes and a number never depends on another statement's target.
pub(crate) fn events<'p>(call: &Call<'p>, node: NodeIndex) -> Vec<(WayOn<'p>, Option<String>)> {
    let (mut replies, mut options) = (0usize, 0usize);
    call.ways_on(node)
        .into_iter()
        .map(|way| {
            let event = match way.kind {
                ChoiceKind::Reply => {
                    replies += 1;
                    Some(format!("reply.{replies}"))
                }
                ChoiceKind::Option => {
                    options += 1;
                    Some(format!("option.{options}"))
                }
                ChoiceKind::Otherwise => Some("otherwise".to_owned()),
                ChoiceKind::Continue => None,
            };
            (way, event)
        })
        .collect()
}

/// The event that takes `edge` (see [`events`], which numbers a whole node at once: call that
/// when walking every way on).
pub fn event(call: &Call, edge: EdgeIndex) -> Option<String> {
    let from = call.graph.graph.edge_endpoints(edge).expect("an edge of this graph").0;
    events(call, from).into_iter().find(|(way, _)| way.leads.is_some_and(|(taken, _)| taken == edge))?.1
}

pub fn render(project: &Project, graph: &ScriptGraph) -> String {
    render_in(project, graph, None)
}

/// [`render`] with the language of its text (`build --locale L`: the locale's BCP 47 tag) as
/// `xml:lang` on the root.
pub(crate) fn render_in(project: &Project, graph: &ScriptGraph, language: Option<&str>) -> String {
    let call = Call::new(project, graph);
    let script = project.item(graph.script).expect("exports are built for parsed scripts");
    let triggers = call.starts();
    let initial = match triggers.as_slice() {
        [only] => call.id(*only),
        _ => START_STATE.to_owned(),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<scxml xmlns=\"http://www.w3.org/2005/07/scxml\" version=\"1.0\" datamodel=\"null\" name=\"{}\" initial=\"{}\"{}>",
        attribute(&script.name.name),
        attribute(&initial),
        language.map_or_else(String::new, |language| format!(" xml:lang=\"{}\"", attribute(language)))
    );
    if triggers.len() != 1 {
        let _ = writeln!(out, "  <state id=\"{START_STATE}\">");
        for (i, trigger) in triggers.iter().enumerate() {
            let target = attribute(&call.id(*trigger));
            let _ = writeln!(out, "    <transition event=\"trigger.{}\" target=\"{target}\"/>", i + 1);
        }
        let _ = writeln!(out, "  </state>");
    }
    for index in graph.nodes() {
        let stage = call.node(index).stage;
        let outcome = call.outcome(index);
        let element = if outcome.is_some() { "final" } else { "state" };
        let _ = writeln!(out, "  <{element} id=\"{}\">", attribute(&call.id(index)));
        let mut lines: Vec<(&str, String)> = vec![("stage", stage.keyword().to_owned())];
        for entry in call.entries(index) {
            lines.push(match entry {
                Entry::Line(line) => (line.kind.keyword(), line.text.value.clone()),
                Entry::FollowUp(FollowUp { after, note }) => ("follow_up", format!("{}: {}", after.value, note.value)),
            });
        }
        if let Some(outcome) = outcome {
            lines.push(("outcome", outcome.keyword().to_owned()));
        }
        out.push_str("    <onentry>\n");
        for (kind, text) in lines {
            let _ = writeln!(out, "      <log label=\"{}\"/>", attribute(&format!("{kind}: {text}")));
        }
        out.push_str("    </onentry>\n");
        for (way, event) in events(&call, index) {
            let Some((_, target)) = way.leads else { continue };
            let target = attribute(&call.id(target));
            match event {
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
        assert_eq!(attribute("x\ny\tz\u{1}"), "x&#10;y&#9;z\\u{1}");
    }
}
