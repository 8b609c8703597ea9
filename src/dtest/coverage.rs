//! `defuse test --coverage`: the edges of each tested script that no test walks, so a writer
//! sees which replies, options and arrows no transcript exercises.

use petgraph::visit::EdgeRef;

use super::names::Script;

/// An edge no test walked: `from -> to` in script `script`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Uncovered {
    pub script: String,
    pub from: String,
    pub to: String,
    /// The reply or option label of the edge, for the human report (not in the JSON).
    #[serde(skip)]
    pub label: Option<String>,
}

/// The edges of `script` whose index is not marked in `walked`, in model order.
pub(crate) fn uncovered(script: &Script, walked: &[bool]) -> Vec<Uncovered> {
    let call = script.call;
    call.graph
        .graph
        .edge_references()
        .filter(|edge| !walked[edge.id().index()])
        .map(|edge| Uncovered {
            script: script.name().to_owned(),
            from: call.id(edge.source()),
            to: call.id(edge.target()),
            label: call.choice(edge.id()).label.map(|label| label.value.clone()),
        })
        .collect()
}
