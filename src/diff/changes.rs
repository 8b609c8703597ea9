//! Every change between two snapshots, one kind per comparison (spec section 8's table).
//!
//! Scripts pair by name; nodes by id through [`super::matching`]. Within a node, lines
//! compare as a sequence (an edit script of `similar`: a replaced line is `line-changed`,
//! the rest added or removed); ways on compare as a multiset: the same statement is no
//! change, the same kind and target with another label is `label-changed`, option labels in
//! another order are `option-order-changed`, the rest `edge-removed` / `edge-added`.
//!
//! Paths compare without enumerating both sides against each other: an OLD path is removed
//! when its node ids are no longer a trigger-to-close walk of NEW (each step an edge), and
//! the other way round for added ones. So a bound on the paths listed only limits which paths
//! are looked at, never makes a path that still exists look removed.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::matching::{renames, Renames};
use super::snapshot::{EdgeSnapshot, NodeSnapshot, ScriptSnapshot, Snapshot, MAX_PATHS, MAX_PATH_NODES};
use super::{Change, Kind, Place, Report, ScriptDiff, Status};
use crate::call::ChoiceKind;
use crate::syntax::ast::Stage;

/// The report between two sides, sorted.
pub fn compare(old: &Snapshot, new: &Snapshot) -> Report {
    let mut names: Vec<&String> = old.scripts.keys().chain(new.scripts.keys()).collect();
    names.sort();
    names.dedup();
    let mut report = Report::default();
    for name in names {
        let script = match (old.scripts.get(name), new.scripts.get(name)) {
            (Some(old), None) => ScriptDiff {
                name: name.clone(),
                status: Status::Removed,
                changes: vec![Change {
                    kind: Kind::ScriptRemoved,
                    node: None,
                    message: format!("script `{name}` is gone"),
                    old: Some(old.file.clone()),
                    new: None,
                    place: Some(Place { file: old.file.clone(), line: 1 }),
                }],
                paths_cut: None,
            },
            (None, Some(new)) => ScriptDiff {
                name: name.clone(),
                status: Status::Added,
                changes: vec![Change {
                    kind: Kind::ScriptAdded,
                    node: None,
                    message: format!("script `{name}` is new"),
                    old: None,
                    new: Some(new.file.clone()),
                    place: Some(Place { file: new.file.clone(), line: 1 }),
                }],
                paths_cut: None,
            },
            (Some(old), Some(new)) => compare_script(old, new),
            (None, None) => unreachable!("every name comes from a side"),
        };
        report.scripts.push(script);
    }
    report.sort();
    report
}

/// Changes collected for one script.
struct Found<'s> {
    changes: Vec<Change>,
    new: &'s ScriptSnapshot,
    old: &'s ScriptSnapshot,
}

impl Found<'_> {
    fn push(&mut self, kind: Kind, node: Option<&str>, message: String, old: Option<String>, new: Option<String>) {
        let place = node.and_then(|id| {
            let found = self.new.nodes.get(id).or_else(|| self.old.nodes.get(id))?;
            Some(Place { file: found.file.to_string(), line: found.line })
        });
        let place = place.or_else(|| Some(Place { file: self.new.file.clone(), line: 1 }));
        self.changes.push(Change { kind, node: node.map(str::to_owned), message, old, new, place });
    }
}

fn compare_script(old: &ScriptSnapshot, new: &ScriptSnapshot) -> ScriptDiff {
    let renames = renames(old, new);
    let mut found = Found { changes: Vec::new(), new, old };

    for (id, old_node) in &old.nodes {
        let new_id = renames.map(id);
        let Some(new_node) = new.nodes.get(new_id) else {
            let (kind, what) = match old_node.stage {
                Stage::Trigger => (Kind::TriggerRemoved, "trigger"),
                Stage::Close => (Kind::CloseRemoved, "close"),
                _ => (Kind::NodeRemoved, "node"),
            };
            found.push(kind, Some(id), format!("{what} `{id}` is gone"), Some(id.clone()), None);
            continue;
        };
        if new_id != id {
            found.push(
                Kind::NodeRemoved,
                Some(id),
                format!("`{id}` was renamed to `{new_id}`"),
                Some(id.clone()),
                Some(new_id.to_owned()),
            );
        }
        if old.reached.contains(id) && !new.reached.contains(new_id) {
            found.push(
                Kind::BecameUnreachable,
                Some(new_id),
                format!("no trigger reaches `{new_id}` any more"),
                None,
                None,
            );
        }
        compare_node(&mut found, new_id, old_node, new_node, &renames);
    }
    for id in new.nodes.keys() {
        if !old.nodes.contains_key(id) && !renames.is_renamed_to(id) {
            found.push(Kind::NodeAdded, Some(id), format!("`{id}` is new"), None, Some(id.clone()));
        }
    }
    compare_diagnostics(&mut found, &renames);
    let paths_cut = compare_paths(&mut found, &renames);
    compare_time(&mut found);

    let status = if found.changes.is_empty() { Status::Unchanged } else { Status::Changed };
    ScriptDiff { name: new.name.clone(), status, changes: found.changes, paths_cut }
}

fn compare_node(found: &mut Found, id: &str, old: &NodeSnapshot, new: &NodeSnapshot, renames: &Renames) {
    if old.stage != new.stage {
        found.push(
            Kind::StageChanged,
            Some(id),
            format!("`{id}` moved from stage `{}` to `{}`", old.stage.keyword(), new.stage.keyword()),
            Some(old.stage.keyword().to_owned()),
            Some(new.stage.keyword().to_owned()),
        );
        // A trigger or close that is no longer one is gone as far as calls are concerned.
        match old.stage {
            Stage::Trigger => {
                found.push(Kind::TriggerRemoved, Some(id), format!("`{id}` is no longer a trigger"), None, None)
            }
            Stage::Close => {
                found.push(Kind::CloseRemoved, Some(id), format!("`{id}` is no longer a close"), None, None)
            }
            _ => {}
        }
    }
    if let (Some(before), Some(after)) = (old.outcome, new.outcome) {
        if before != after {
            found.push(
                Kind::OutcomeChanged,
                Some(id),
                format!("`{id}` now ends the call as `{}`, not `{}`", after.keyword(), before.keyword()),
                Some(before.keyword().to_owned()),
                Some(after.keyword().to_owned()),
            );
        }
    }
    if old.follow_up != new.follow_up {
        let show =
            |follow_up: &Option<(String, String)>| follow_up.as_ref().map(|(when, what)| format!("{when}: {what}"));
        found.push(
            Kind::FollowUpChanged,
            Some(id),
            format!("the follow-up of `{id}` changed"),
            show(&old.follow_up),
            show(&new.follow_up),
        );
    }
    compare_lines(found, id, &old.lines, &new.lines);
    compare_edges(found, id, &old.edges, &new.edges, renames);
}

fn compare_lines(found: &mut Found, id: &str, old: &[(&'static str, String)], new: &[(&'static str, String)]) {
    if old == new {
        return;
    }
    let removed = |found: &mut Found, (keyword, text): &(&str, String)| {
        found.push(
            Kind::LineRemoved,
            Some(id),
            format!("`{id}` no longer has {}", a_line(keyword)),
            Some(text.clone()),
            None,
        )
    };
    let added = |found: &mut Found, (keyword, text): &(&str, String)| {
        found.push(Kind::LineAdded, Some(id), format!("`{id}` has a new `{keyword}` line"), None, Some(text.clone()))
    };
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { old_index, old_len, .. } => {
                old[old_index..old_index + old_len].iter().for_each(|line| removed(found, line));
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                new[new_index..new_index + new_len].iter().for_each(|line| added(found, line));
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let paired = old_len.min(new_len);
                for i in 0..paired {
                    let (before, after) = (&old[old_index + i], &new[new_index + i]);
                    let what = if before.0 == after.0 { a_line(after.0) } else { "a line".to_owned() };
                    found.push(
                        Kind::LineChanged,
                        Some(id),
                        format!("{what} of `{id}` changed"),
                        Some(before.1.clone()),
                        Some(after.1.clone()),
                    );
                }
                old[old_index + paired..old_index + old_len].iter().for_each(|line| removed(found, line));
                new[new_index + paired..new_index + new_len].iter().for_each(|line| added(found, line));
            }
        }
    }
}

fn compare_edges(found: &mut Found, id: &str, old: &[EdgeSnapshot], new: &[EdgeSnapshot], renames: &Renames) {
    let old: Vec<EdgeSnapshot> =
        old.iter().map(|edge| EdgeSnapshot { target: renames.map(&edge.target).to_owned(), ..edge.clone() }).collect();
    if old == new {
        return;
    }
    let option_labels = |edges: &[EdgeSnapshot]| -> Vec<String> {
        edges.iter().filter(|edge| edge.kind == ChoiceKind::Option).filter_map(|edge| edge.label.clone()).collect()
    };
    let (before, after) = (option_labels(&old), option_labels(new));
    if before != after {
        let (mut sorted_before, mut sorted_after) = (before.clone(), after.clone());
        sorted_before.sort();
        sorted_after.sort();
        if sorted_before == sorted_after {
            found.push(
                Kind::OptionOrderChanged,
                Some(id),
                format!("the options of `{id}` are in another order (keypad numbers change)"),
                Some(before.join(" | ")),
                Some(after.join(" | ")),
            );
        }
    }

    // Same statement: no change. Then same kind and target with another label.
    let mut left: Vec<Option<&EdgeSnapshot>> = old.iter().map(Some).collect();
    let mut unmatched_new = Vec::new();
    for edge in new {
        match left.iter_mut().find(|slot| slot.is_some_and(|o| o == edge)) {
            Some(slot) => *slot = None,
            None => unmatched_new.push(edge),
        }
    }
    let mut added = Vec::new();
    for edge in unmatched_new {
        let relabelled = left
            .iter_mut()
            .find(|slot| slot.is_some_and(|o| o.kind == edge.kind && o.target == edge.target && o.label.is_some()));
        match relabelled {
            Some(slot) => {
                let before = slot.take().expect("found as some");
                found.push(
                    Kind::LabelChanged,
                    Some(id),
                    format!("a label of `{id}` changed (it still leads to `{}`)", edge.target),
                    before.label.clone(),
                    edge.label.clone(),
                );
            }
            None => added.push(edge),
        }
    }
    for edge in left.into_iter().flatten() {
        let message = format!("`{id}` no longer leads to `{}` ({})", edge.target, way(edge.kind));
        found.push(Kind::EdgeRemoved, Some(id), message, Some(edge.describe()), None);
    }
    for edge in added {
        let message = format!("`{id}` now leads to `{}` ({})", edge.target, way(edge.kind));
        found.push(Kind::EdgeAdded, Some(id), message, None, Some(edge.describe()));
    }
}

/// How an edge is taken, in a message (messages hold ids and keywords, never script text).
fn way(kind: ChoiceKind) -> &'static str {
    match kind {
        ChoiceKind::Reply => "a reply",
        ChoiceKind::Option => "an option",
        ChoiceKind::Otherwise => "otherwise",
        ChoiceKind::Continue => "`->`",
    }
}

/// "a `say` line", "an `ask` line".
fn a_line(keyword: &str) -> String {
    let article = if keyword.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} `{keyword}` line")
}

fn compare_diagnostics(found: &mut Found, renames: &Renames) {
    let old: HashSet<(String, String)> =
        found.old.diagnostics.iter().map(|(code, node)| (code.clone(), renames.map(node).to_owned())).collect();
    let describe = |code: &str, node: &str| {
        if node.is_empty() {
            format!("`{code}`")
        } else {
            format!("`{code}` at `{node}`")
        }
    };
    for (code, node) in &found.new.diagnostics {
        if !old.contains(&(code.clone(), node.clone())) {
            let node = (!node.is_empty()).then_some(node.as_str());
            let message = format!("new diagnostic {}", describe(code, node.unwrap_or("")));
            found.push(Kind::DiagnosticAdded, node, message, None, Some(code.clone()));
        }
    }
    let new: HashSet<&(String, String)> = found.new.diagnostics.iter().collect();
    let fixed: Vec<(String, String)> = old.into_iter().filter(|key| !new.contains(key)).collect();
    for (code, node) in fixed {
        let message = format!("fixed diagnostic {}", describe(&code, &node));
        let node = (!node.is_empty()).then_some(node.as_str());
        found.push(Kind::DiagnosticFixed, node, message, Some(code), None);
    }
}

/// `path-removed` / `path-added`; returns a note when a side's paths were cut.
fn compare_paths(found: &mut Found, renames: &Renames) -> Option<String> {
    let new = found.new;
    let old = found.old;
    // Everything in index space (positions in each side's `ids`), so checking a path of
    // 90,000 nodes is integer lookups, not string hashing.
    let new_index: FxHashMap<&str, u32> =
        new.ids.iter().enumerate().rev().map(|(i, id)| (id.as_str(), i as u32)).collect();
    let old_index: FxHashMap<&str, u32> =
        old.ids.iter().enumerate().rev().map(|(i, id)| (renames.map(id), i as u32)).collect();
    let old_in_new: Vec<Option<u32>> = old.ids.iter().map(|id| new_index.get(renames.map(id)).copied()).collect();
    let new_in_old: Vec<Option<u32>> = new.ids.iter().map(|id| old_index.get(id.as_str()).copied()).collect();
    let edges = |side: &ScriptSnapshot, index: &FxHashMap<&str, u32>, map: &dyn Fn(&str) -> String| {
        let mut edges: FxHashSet<(u32, u32)> = FxHashSet::default();
        for (from, node) in &side.nodes {
            let Some(&from) = index.get(map(from).as_str()) else { continue };
            for edge in &node.edges {
                if let Some(&to) = index.get(map(&edge.target).as_str()) {
                    edges.insert((from, to));
                }
            }
        }
        edges
    };
    let old_edges = edges(old, &old_index, &|id| renames.map(id).to_owned());
    let new_edges = edges(new, &new_index, &|id| id.to_owned());
    let stages = |side: &ScriptSnapshot| -> Vec<Option<Stage>> {
        side.ids.iter().map(|id| side.nodes.get(id).map(|node| node.stage)).collect()
    };
    let (old_stages, new_stages) = (stages(old), stages(new));

    // Whether `path` (indices of one side) is a trigger → edges → close walk of the other side.
    let walks = |path: &[u32], into: &[Option<u32>], edges: &FxHashSet<(u32, u32)>, stages: &[Option<Stage>]| {
        let mapped: Option<Vec<u32>> = path.iter().map(|&i| into[i as usize]).collect();
        let Some(mapped) = mapped else { return false };
        stages[mapped[0] as usize] == Some(Stage::Trigger)
            && stages[*mapped.last().expect("paths are not empty") as usize] == Some(Stage::Close)
            && mapped.windows(2).all(|step| edges.contains(&(step[0], step[1])))
    };
    let shown = |side: &ScriptSnapshot, path: &[u32], map: &dyn Fn(&str) -> String| -> Vec<String> {
        path.iter().map(|&i| map(&side.ids[i as usize])).collect()
    };
    let mut changes: Vec<(Kind, Vec<String>)> = Vec::new();
    for path in &old.paths {
        if !walks(path, &old_in_new, &new_edges, &new_stages) {
            changes.push((Kind::PathRemoved, shown(old, path, &|id| renames.map(id).to_owned())));
        }
    }
    for path in &new.paths {
        if !walks(path, &new_in_old, &old_edges, &old_stages) {
            changes.push((Kind::PathAdded, shown(new, path, &|id| id.to_owned())));
        }
    }
    for (kind, path) in changes {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let (full, short) = (path.join(" → "), shorten_path(&path));
        let (message, before, after) = match kind {
            Kind::PathRemoved => (format!("the path {short} is gone"), Some(full), None),
            _ => (format!("a new path {short}"), None, Some(full)),
        };
        found.push(kind, None, message, before, after);
    }
    match (old.paths_complete, new.paths_complete) {
        (true, true) => None,
        _ => Some(format!(
            "paths were compared up to the first {MAX_PATHS} of each side (as `paths` lists them, and at most {MAX_PATH_NODES} nodes in all); later paths were not compared"
        )),
    }
}

/// A path for a message: every node when it is short, else its ends and its length (the
/// full path is the change's `old` / `new`).
fn shorten_path(path: &[&str]) -> String {
    const ENDS: usize = 4;
    if path.len() <= 2 * ENDS + 1 {
        return path.join(" → ");
    }
    format!("{} → … → {} ({} nodes)", path[..ENDS].join(" → "), path[path.len() - ENDS..].join(" → "), path.len())
}

fn compare_time(found: &mut Found) {
    let (Some(before), Some(after)) = (found.old.fastest_seconds, found.new.fastest_seconds) else { return };
    let tenths = |seconds: f64| (seconds * 10.0).round() as i64;
    if tenths(after) > tenths(before) {
        found.push(
            Kind::Slower,
            None,
            format!("the fastest call now takes {after:.1} s, not {before:.1} s"),
            Some(format!("{before:.1}s")),
            Some(format!("{after:.1}s")),
        );
    }
}
