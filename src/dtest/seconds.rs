//! Spoken time for `expect under` (spec section 3, "Spoken time"): the shared timing model
//! (`crate::graph::timing`), so a test's seconds are the seconds `check`, `paths` and the flow
//! JSON show, with the project's `[timing]` settings (see docs/testing.md).

use crate::call::{Call, Walk};
use crate::config::timing::Timing;
use crate::graph::timing::path_seconds;

pub(crate) use crate::config::timing::parse_duration;
/// Seconds as messages show them, as every output does: one decimal place.
pub(crate) use crate::graph::timing::display;

/// The seconds of a walk: the sum over the nodes it visited (a node visited twice counts twice).
pub(crate) fn walk_seconds(call: &Call, walk: &Walk, timing: &Timing) -> f64 {
    path_seconds(call.project, call.graph, &walk.path, timing)
}
