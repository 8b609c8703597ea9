//! Spoken time for `slower`: the seconds of a script's fastest trigger-to-close path, from the
//! shared timing model (`crate::graph::timing`, spec section 3, "Spoken time") with the
//! `[timing]` of the one config both sides are checked with, so both sides are timed alike.

use crate::call::Call;
use crate::config::timing::Timing;
use crate::graph::timing::{fastest_to_close, node_seconds};

/// Seconds of the fastest trigger-to-close path (a shortest path by node seconds, the start
/// included), or `None` when no close can be reached.
pub(crate) fn fastest_seconds(call: &Call, timing: &Timing) -> Option<f64> {
    let weights = node_seconds(call.project, call.graph, timing);
    fastest_to_close(call.project, call.graph, &weights)
        .fastest_trigger(call.project, call.graph)
        .map(|(_, seconds)| seconds)
}
