//! The semantic diff (`defuse diff OLD NEW`, spec section 8): what changed for callers,
//! agents and trainers between two versions of scripts, not which bytes moved.
//!
//! The pipeline: each side is loaded and checked through the shared layers ([`side`]), then
//! reduced to a [`snapshot::Snapshot`] (per script: nodes by qualified id, their lines and
//! ways on, reachability, paths, diagnostics, fastest call). [`matching`] pairs scripts by name
//! and nodes by id (recognising renamed nodes), [`changes`] lists every change with its
//! [`Kind`], and one file per format renders the [`Report`].
//!
//! **Invariant:** a report is a pure function of the two snapshots, sorted: the same inputs
//! give the same bytes, whatever the thread scheduling. Layout (what `fmt` changes) never
//! shows up: only parsed values are compared.

pub mod changes;
pub mod github;
pub mod json;
pub mod markdown;
pub mod matching;
pub mod side;
pub mod snapshot;
pub mod text;
pub mod timing;
pub mod words;

use serde::Serialize;

pub use changes::compare;

/// How much a change matters, from the spec's table. Ordered: `Breaking` is highest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Review,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Review => "review",
            Severity::Info => "info",
        }
    }
}

/// Every kind of change, each with its fixed severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ScriptRemoved,
    TriggerRemoved,
    CloseRemoved,
    OutcomeChanged,
    PathRemoved,
    BecameUnreachable,
    OptionOrderChanged,
    NodeRemoved,
    StageChanged,
    EdgeRemoved,
    LineChanged,
    LineAdded,
    LineRemoved,
    LabelChanged,
    FollowUpChanged,
    Slower,
    DiagnosticAdded,
    ScriptAdded,
    NodeAdded,
    EdgeAdded,
    PathAdded,
    DiagnosticFixed,
}

impl Kind {
    pub const ALL: [Kind; 22] = [
        Kind::ScriptRemoved,
        Kind::TriggerRemoved,
        Kind::CloseRemoved,
        Kind::OutcomeChanged,
        Kind::PathRemoved,
        Kind::BecameUnreachable,
        Kind::OptionOrderChanged,
        Kind::NodeRemoved,
        Kind::StageChanged,
        Kind::EdgeRemoved,
        Kind::LineChanged,
        Kind::LineAdded,
        Kind::LineRemoved,
        Kind::LabelChanged,
        Kind::FollowUpChanged,
        Kind::Slower,
        Kind::DiagnosticAdded,
        Kind::ScriptAdded,
        Kind::NodeAdded,
        Kind::EdgeAdded,
        Kind::PathAdded,
        Kind::DiagnosticFixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ScriptRemoved => "script-removed",
            Kind::TriggerRemoved => "trigger-removed",
            Kind::CloseRemoved => "close-removed",
            Kind::OutcomeChanged => "outcome-changed",
            Kind::PathRemoved => "path-removed",
            Kind::BecameUnreachable => "became-unreachable",
            Kind::OptionOrderChanged => "option-order-changed",
            Kind::NodeRemoved => "node-removed",
            Kind::StageChanged => "stage-changed",
            Kind::EdgeRemoved => "edge-removed",
            Kind::LineChanged => "line-changed",
            Kind::LineAdded => "line-added",
            Kind::LineRemoved => "line-removed",
            Kind::LabelChanged => "label-changed",
            Kind::FollowUpChanged => "follow-up-changed",
            Kind::Slower => "slower",
            Kind::DiagnosticAdded => "diagnostic-added",
            Kind::ScriptAdded => "script-added",
            Kind::NodeAdded => "node-added",
            Kind::EdgeAdded => "edge-added",
            Kind::PathAdded => "path-added",
            Kind::DiagnosticFixed => "diagnostic-fixed",
        }
    }

    /// Whether a change of this kind carries texts (`old`/`new`) that its message does not
    /// already say, so formats show them.
    pub fn shows_values(self) -> bool {
        matches!(
            self,
            Kind::OptionOrderChanged
                | Kind::EdgeRemoved
                | Kind::EdgeAdded
                | Kind::LineChanged
                | Kind::LineAdded
                | Kind::LineRemoved
                | Kind::LabelChanged
                | Kind::FollowUpChanged
        )
    }

    pub fn severity(self) -> Severity {
        match self {
            Kind::ScriptRemoved
            | Kind::TriggerRemoved
            | Kind::CloseRemoved
            | Kind::OutcomeChanged
            | Kind::PathRemoved
            | Kind::BecameUnreachable
            | Kind::OptionOrderChanged => Severity::Breaking,
            Kind::ScriptAdded | Kind::NodeAdded | Kind::EdgeAdded | Kind::PathAdded | Kind::DiagnosticFixed => {
                Severity::Info
            }
            _ => Severity::Review,
        }
    }
}

/// Where a change can be seen: a file and line of the side that has it (NEW, else OLD).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    /// The node's qualified id, when the change is about one node.
    pub node: Option<String>,
    pub message: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub place: Option<Place>,
}

impl Change {
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The report order: most severe first, then kind, node, message.
    fn sort_key(&self) -> (std::cmp::Reverse<Severity>, Kind, &Option<String>, &str, &Option<String>) {
        (std::cmp::Reverse(self.severity()), self.kind, &self.node, &self.message, &self.new)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// The changes of one script, matched by name.
#[derive(Clone, Debug)]
pub struct ScriptDiff {
    pub name: String,
    pub status: Status,
    pub changes: Vec<Change>,
    /// Set when a side had more trigger-to-close paths than are compared (as `paths` bounds
    /// them): paths past the bound were not compared.
    pub paths_cut: Option<String>,
}

/// Everything that changed, scripts sorted by name, changes in report order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub scripts: Vec<ScriptDiff>,
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub review: usize,
    pub info: usize,
}

impl Summary {
    pub fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Breaking => self.breaking += 1,
            Severity::Review => self.review += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn of<'c>(changes: impl IntoIterator<Item = &'c Change>) -> Summary {
        let mut summary = Summary::default();
        for change in changes {
            summary.add(change.severity());
        }
        summary
    }
}

impl Report {
    pub fn summary(&self) -> Summary {
        Summary::of(self.scripts.iter().flat_map(|script| &script.changes))
    }

    /// The highest severity of any change, if there is one.
    pub fn worst(&self) -> Option<Severity> {
        self.scripts.iter().flat_map(|script| &script.changes).map(Change::severity).max()
    }

    /// Sorts scripts by name and each script's changes into report order.
    pub fn sort(&mut self) {
        self.scripts.sort_by(|a, b| a.name.cmp(&b.name));
        for script in &mut self.scripts {
            script.changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            script.changes.dedup();
        }
    }
}

/// "1 breaking, 2 review, 0 info" and the like.
pub fn summary_line(summary: Summary) -> String {
    format!("{} breaking, {} review, {} info", summary.breaking, summary.review, summary.info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_the_severities_of_the_table() {
        let breaking: Vec<&str> =
            Kind::ALL.iter().filter(|k| k.severity() == Severity::Breaking).map(|k| k.as_str()).collect();
        assert_eq!(
            breaking,
            [
                "script-removed",
                "trigger-removed",
                "close-removed",
                "outcome-changed",
                "path-removed",
                "became-unreachable",
                "option-order-changed"
            ]
        );
        let info: Vec<&str> = Kind::ALL.iter().filter(|k| k.severity() == Severity::Info).map(|k| k.as_str()).collect();
        assert_eq!(info, ["script-added", "node-added", "edge-added", "path-added", "diagnostic-fixed"]);
    }
}
