//! The semantic diff (`defuse diff OLD NEW`, spec section 8): what changed for callers,
//! agents and trainers between two versions of scripts, not which bytes moved.
//!
//! The pipeline: each side is loaded and checked through the shared layers ([`side`]), then
//! reduced to a [`snapshot::Snapshot`] (per script: nodes by qualified id, their lines and
//! ways on, reachability, paths, diagnostics, fastest call). [`matching`] pairs scripts by name
//! and nodes by id (recognising renamed nodes), [`changes`] lists every change with its
//! [`Kind`], and one file per format renders the [`Report`].
//!
//! Each change is one fact (JSON lists them all). An *edit* (an edge or node removed or added,
//! a trigger or close that is no longer one) names itself with an [`Edit`]; a *consequence*
//! (`path-removed`, `path-added`, `became-unreachable`, and the `unreachable` diagnostic of a
//! node that became unreachable) names the edit it follows from, when one edit explains it.
//! [`ScriptDiff::items`] folds each consequence under its edit: text and markdown show one
//! item per edit, with counts ("option "X" of `menu` removed: 4 paths gone, `boss`
//! unreachable").
//!
//! **Invariant:** a report is a pure function of the two snapshots, sorted: the same inputs
//! give the same bytes, whatever the thread scheduling. Layout (what `fmt` changes) never
//! shows up: only parsed values are compared.

pub(crate) mod changes;
pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod matching;
pub(crate) mod side;
pub(crate) mod snapshot;
pub mod text;
pub(crate) mod timing;
pub(crate) mod translations;
pub(crate) mod words;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

pub(crate) use changes::compare;

/// How much a change matters, from the spec's table (reports call it "severity"; the name
/// `Severity` is the diagnostics'). Ordered: `Breaking` is highest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Impact {
    Info,
    Review,
    Breaking,
}

impl Impact {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Review => "review",
            Impact::Info => "info",
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
    TranslationChanged,
}

impl Kind {
    pub const ALL: [Kind; 23] = [
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
        Kind::TranslationChanged,
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
            Kind::TranslationChanged => "translation-changed",
        }
    }

    /// Whether a change of this kind carries texts (`old`/`new`) that its message does not
    /// already say, so formats show them.
    pub(crate) fn shows_values(self) -> bool {
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
                | Kind::TranslationChanged
        )
    }

    pub(crate) fn severity(self) -> Impact {
        match self {
            Kind::ScriptRemoved
            | Kind::TriggerRemoved
            | Kind::CloseRemoved
            | Kind::OutcomeChanged
            | Kind::PathRemoved
            | Kind::BecameUnreachable
            | Kind::OptionOrderChanged => Impact::Breaking,
            Kind::ScriptAdded | Kind::NodeAdded | Kind::EdgeAdded | Kind::PathAdded | Kind::DiagnosticFixed => {
                Impact::Info
            }
            _ => Impact::Review,
        }
    }
}

/// Where a change can be seen: a file and line of the side that has it (NEW, else OLD).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// One edit, as its consequences name it: the kind of the change that made it, the node
/// (NEW's id) and, for an edge, the node it leads to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edit {
    pub kind: Kind,
    pub node: String,
    pub target: Option<String>,
}

/// How many paths a change stands for: exact, or a lower bound (`at_least`). Counts saturate
/// at `u128::MAX`, which is shown as "more than 10^38".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PathCount {
    pub paths: u128,
    pub at_least: bool,
}

impl PathCount {
    /// "1 path", "536870912 new paths", "at least 12 paths", "more than 10^38 paths";
    /// `adjective` (e.g. "new ") goes before the noun.
    pub(crate) fn describe(self, adjective: &str) -> String {
        if self.paths == u128::MAX {
            return format!("more than 10^38 {adjective}paths");
        }
        let noun = if self.paths == 1 { "path" } else { "paths" };
        let bound = if self.at_least { "at least " } else { "" };
        format!("{bound}{} {adjective}{noun}", self.paths)
    }
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
    /// For an edit: how its consequences name it.
    pub edit: Option<Edit>,
    /// For a consequence: the edit it follows from, when one edit explains it.
    pub cause: Option<Edit>,
    /// For an edit, what a grouped item calls it (`option "Refund" of `menu` removed`).
    pub headline: Option<String>,
    /// For a `path-removed` that stands for every path through a removed edge: how many.
    pub paths: Option<PathCount>,
}

impl Change {
    /// A change of `kind` saying `message`, with nothing else known yet.
    pub fn new(kind: Kind, message: String) -> Change {
        Change {
            kind,
            node: None,
            message,
            old: None,
            new: None,
            place: None,
            edit: None,
            cause: None,
            headline: None,
            paths: None,
        }
    }

    pub(crate) fn severity(&self) -> Impact {
        self.kind.severity()
    }

    /// The report order: most severe first, then kind, node, message.
    fn sort_key(&self) -> (std::cmp::Reverse<Impact>, Kind, &Option<String>, &str, &Option<String>) {
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

/// One item of a grouped report: an edit (or a change no edit explains) and the
/// consequences folded under it.
#[derive(Clone, Debug)]
pub struct Item<'r> {
    pub lead: &'r Change,
    pub consequences: Vec<&'r Change>,
}

impl Item<'_> {
    /// The highest severity of the lead and its consequences: an option removed is breaking
    /// when paths went with it.
    pub(crate) fn severity(&self) -> Impact {
        self.consequences.iter().map(|change| change.severity()).fold(self.lead.severity(), Impact::max)
    }

    /// What the consequences amount to: "4 paths gone, `boss` unreachable", "2 new paths";
    /// `None` when nothing is folded under the lead. `paths_cut` makes a listed count a lower
    /// bound (paths past the bound were not compared).
    pub(crate) fn consequences_summary(&self, paths_cut: bool) -> Option<String> {
        if self.consequences.is_empty() {
            return None;
        }
        let listed = |kind: Kind| {
            self.consequences.iter().filter(|change| change.kind == kind && change.paths.is_none()).count()
        };
        let count = |kind: Kind| -> Option<PathCount> {
            let listed = PathCount { paths: listed(kind) as u128, at_least: paths_cut };
            let counted =
                self.consequences.iter().filter(|change| change.kind == kind).filter_map(|change| change.paths).max();
            match counted {
                Some(counted) if counted.paths >= listed.paths => Some(counted),
                _ if listed.paths > 0 => Some(listed),
                _ => None,
            }
        };
        let mut parts = Vec::new();
        if let Some(gone) = count(Kind::PathRemoved) {
            parts.push(format!("{} gone", gone.describe("")));
        }
        if let Some(added) = count(Kind::PathAdded) {
            parts.push(added.describe("new "));
        }
        let unreachable: Vec<String> = self
            .consequences
            .iter()
            .filter(|change| change.kind == Kind::BecameUnreachable)
            .filter_map(|change| change.node.as_ref().map(|node| format!("`{node}`")))
            .collect();
        if !unreachable.is_empty() {
            parts.push(format!("{} unreachable", list_names(&unreachable)));
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// The item's one line: the lead's message, or its headline and what followed from it.
    pub(crate) fn line(&self, paths_cut: bool) -> String {
        match self.consequences_summary(paths_cut) {
            Some(summary) => format!("{}: {summary}", self.lead.headline.as_deref().unwrap_or(&self.lead.message)),
            None => self.lead.message.clone(),
        }
    }
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`", "`a`, `b`, `c` and 4 more".
fn list_names(names: &[String]) -> String {
    const SHOWN: usize = 3;
    match names {
        [one] => one.clone(),
        _ if names.len() <= SHOWN => {
            format!("{} and {}", names[..names.len() - 1].join(", "), names[names.len() - 1])
        }
        _ => format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN),
    }
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

impl ScriptDiff {
    /// The changes grouped for a reader: each consequence under the edit it follows from,
    /// items in report order by their severity (an edit whose consequences are breaking is a
    /// breaking item), then by their lead's place in the report.
    pub(crate) fn items(&self) -> Vec<Item<'_>> {
        // Leads by their index in `changes`: every change that is not a consequence of an
        // edit reported here.
        let mut lead_of: HashMap<&Edit, usize> = HashMap::new();
        for (index, change) in self.changes.iter().enumerate() {
            if let (None, Some(edit)) = (&change.cause, &change.edit) {
                lead_of.entry(edit).or_insert(index);
            }
        }
        let mut folded: BTreeMap<usize, Vec<&Change>> = BTreeMap::new();
        for (index, change) in self.changes.iter().enumerate() {
            match change.cause.as_ref().and_then(|cause| lead_of.get(cause)) {
                Some(&lead) => folded.entry(lead).or_default().push(change),
                None => {
                    folded.entry(index).or_default();
                }
            }
        }
        let mut items: Vec<(usize, Item)> = folded
            .into_iter()
            .map(|(lead, consequences)| (lead, Item { lead: &self.changes[lead], consequences }))
            .collect();
        items.sort_by_key(|(lead, item)| (std::cmp::Reverse(item.severity()), *lead));
        items.into_iter().map(|(_, item)| item).collect()
    }

    /// Counts of the grouped items by severity (what text and markdown show).
    pub(crate) fn item_summary(&self) -> Summary {
        let mut summary = Summary::default();
        for item in self.items() {
            summary.add(item.severity());
        }
        summary
    }
}

/// Everything that changed, scripts sorted by name, changes in report order.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub scripts: Vec<ScriptDiff>,
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    pub breaking: usize,
    pub review: usize,
    pub info: usize,
}

impl Summary {
    pub(crate) fn add(&mut self, severity: Impact) {
        match severity {
            Impact::Breaking => self.breaking += 1,
            Impact::Review => self.review += 1,
            Impact::Info => self.info += 1,
        }
    }

    pub(crate) fn of<'c>(changes: impl IntoIterator<Item = &'c Change>) -> Summary {
        let mut summary = Summary::default();
        for change in changes {
            summary.add(change.severity());
        }
        summary
    }
}

impl Report {
    /// Counts of every change (JSON's summary).
    pub(crate) fn summary(&self) -> Summary {
        Summary::of(self.scripts.iter().flat_map(|script| &script.changes))
    }

    /// Counts of the grouped items (the summary of text and markdown): one edit and what
    /// followed from it count once, at its highest severity.
    pub(crate) fn item_summary(&self) -> Summary {
        let mut summary = Summary::default();
        for script in &self.scripts {
            let counts = script.item_summary();
            summary.breaking += counts.breaking;
            summary.review += counts.review;
            summary.info += counts.info;
        }
        summary
    }

    /// The highest severity of any change, if there is one.
    pub(crate) fn worst(&self) -> Option<Impact> {
        self.scripts.iter().flat_map(|script| &script.changes).map(Change::severity).max()
    }

    /// Sorts scripts by name and each script's changes into report order.
    pub(crate) fn sort(&mut self) {
        self.scripts.sort_by(|a, b| a.name.cmp(&b.name));
        for script in &mut self.scripts {
            script.changes.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            script.changes.dedup();
        }
    }
}

/// "1 breaking, 2 review, 0 info" and the like.
pub(crate) fn summary_line(summary: Summary) -> String {
    format!("{} breaking, {} review, {} info", summary.breaking, summary.review, summary.info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_the_severities_of_the_table() {
        let breaking: Vec<&str> =
            Kind::ALL.iter().filter(|k| k.severity() == Impact::Breaking).map(|k| k.as_str()).collect();
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
        let info: Vec<&str> = Kind::ALL.iter().filter(|k| k.severity() == Impact::Info).map(|k| k.as_str()).collect();
        assert_eq!(info, ["script-added", "node-added", "edge-added", "path-added", "diagnostic-fixed"]);
    }
}
