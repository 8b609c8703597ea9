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

use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::matching::renames;
use super::snapshot::{EdgeSnapshot, NodeSnapshot, ScriptSnapshot, Snapshot, MAX_PATHS, MAX_PATH_NODES};
use super::{Change, Edit, Kind, PathCount, Place, Report, ScriptDiff, Status};
use crate::call::ChoiceKind;
use crate::graph::timing::round;
use crate::syntax::ast::Stage;

/// The report between two sides, sorted.
pub(crate) fn compare(old: &Snapshot, new: &Snapshot) -> Report {
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
                    old: Some(old.file.clone()),
                    place: Some(Place { file: old.file.clone(), line: 1 }),
                    ..Change::new(Kind::ScriptRemoved, format!("script `{name}` is gone"))
                }],
                paths_cut: None,
            },
            (None, Some(new)) => ScriptDiff {
                name: name.clone(),
                status: Status::Added,
                changes: vec![Change {
                    new: Some(new.file.clone()),
                    place: Some(Place { file: new.file.clone(), line: 1 }),
                    ..Change::new(Kind::ScriptAdded, format!("script `{name}` is new"))
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
    /// Records a change; the returned change can be given an edit, a cause or a count.
    fn push(
        &mut self,
        kind: Kind,
        node: Option<&str>,
        message: String,
        old: Option<String>,
        new: Option<String>,
    ) -> &mut Change {
        let place = node.and_then(|id| self.place_of(id));
        let place = place.or_else(|| Some(Place { file: self.new.file.clone(), line: 1 }));
        self.changes.push(Change { node: node.map(str::to_owned), old, new, place, ..Change::new(kind, message) });
        self.changes.last_mut().expect("just pushed")
    }

    /// Where node `id` (NEW's id) is written: in NEW, else in OLD.
    fn place_of(&self, id: &str) -> Option<Place> {
        let found = self.new.nodes.get(id).or_else(|| self.old.nodes.get(id))?;
        Some(Place { file: found.file.to_string(), line: found.line })
    }

    /// Every edit recorded so far.
    fn edits(&self) -> HashSet<Edit> {
        self.changes.iter().filter_map(|change| change.edit.clone()).collect()
    }
}

/// Marks `change` as the edit `kind` of `node` (to `target`), named `headline` in a grouped item.
fn mark_edit(change: &mut Change, node: &str, target: Option<&str>, headline: String) {
    change.edit = Some(Edit { kind: change.kind, node: node.to_owned(), target: target.map(str::to_owned) });
    change.headline = Some(headline);
}

/// The change that removing a node of `stage` is.
fn removal(stage: Stage) -> (Kind, &'static str) {
    match stage {
        Stage::Trigger => (Kind::TriggerRemoved, "trigger"),
        Stage::Close => (Kind::CloseRemoved, "close"),
        _ => (Kind::NodeRemoved, "node"),
    }
}

fn compare_script(old: &ScriptSnapshot, new: &ScriptSnapshot) -> ScriptDiff {
    // Nodes are matched by qualified id (contract section 8): a renamed node is gone and a
    // new one came, and every path through it changed (its ids are what `paths`, transcript
    // tests and the exports' ids name). What looks like a rename is only said in the messages.
    let renames = renames(old, new);
    let mut found = Found { changes: Vec::new(), new, old };

    for (id, old_node) in &old.nodes {
        let Some(new_node) = new.nodes.get(id) else {
            let (kind, what) = removal(old_node.stage);
            let message = format!("{what} `{id}` is gone{}", renames.hint_for_old(id));
            let change = found.push(kind, Some(id), message, Some(id.clone()), None);
            mark_edit(change, id, None, format!("{what} `{id}` removed"));
            continue;
        };
        if old.reached.contains(id) && !new.reached.contains(id) {
            found.push(Kind::BecameUnreachable, Some(id), format!("no trigger reaches `{id}` any more"), None, None);
        }
        compare_node(&mut found, id, old_node, new_node);
    }
    for id in new.nodes.keys() {
        if !old.nodes.contains_key(id) {
            let message = format!("`{id}` is new{}", renames.hint_for_new(id));
            let change = found.push(Kind::NodeAdded, Some(id), message, None, Some(id.clone()));
            mark_edit(change, id, None, format!("`{id}` added"));
        }
    }
    compare_diagnostics(&mut found);
    let paths_cut = compare_paths(&mut found);
    compare_time(&mut found);
    attribute_unreachable(&mut found);

    let status = if found.changes.is_empty() { Status::Unchanged } else { Status::Changed };
    ScriptDiff { name: new.name.clone(), status, changes: found.changes, paths_cut }
}

fn compare_node(found: &mut Found, id: &str, old: &NodeSnapshot, new: &NodeSnapshot) {
    if old.stage != new.stage {
        let message = format!("`{id}` moved from stage `{}` to `{}`", old.stage.keyword(), new.stage.keyword());
        let change = found.push(
            Kind::StageChanged,
            Some(id),
            message.clone(),
            Some(old.stage.keyword().to_owned()),
            Some(new.stage.keyword().to_owned()),
        );
        mark_edit(change, id, None, message);
        // A trigger or close that is no longer one is gone as far as calls are concerned.
        let no_longer = match old.stage {
            Stage::Trigger => Some((Kind::TriggerRemoved, "trigger")),
            Stage::Close => Some((Kind::CloseRemoved, "close")),
            _ => None,
        };
        if let Some((kind, what)) = no_longer {
            let message = format!("`{id}` is no longer a {what}");
            let change = found.push(kind, Some(id), message.clone(), None, None);
            mark_edit(change, id, None, message);
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
    compare_edges(found, id, &old.edges, &new.edges);
}

fn compare_lines(found: &mut Found, id: &str, old: &[(&'static str, String)], new: &[(&'static str, String)]) {
    if old == new {
        return;
    }
    let removed = |found: &mut Found, (keyword, text): &(&str, String)| {
        let _ = found.push(
            Kind::LineRemoved,
            Some(id),
            format!("`{id}` no longer has {}", a_line(keyword)),
            Some(text.clone()),
            None,
        );
    };
    let added = |found: &mut Found, (keyword, text): &(&str, String)| {
        let _ = found.push(
            Kind::LineAdded,
            Some(id),
            format!("`{id}` has a new `{keyword}` line"),
            None,
            Some(text.clone()),
        );
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

fn compare_edges(found: &mut Found, id: &str, old: &[EdgeSnapshot], new: &[EdgeSnapshot]) {
    if old == new {
        return;
    }
    let option_labels = |edges: &[EdgeSnapshot]| -> Vec<String> {
        edges.iter().filter(|edge| edge.kind == ChoiceKind::Option).filter_map(|edge| edge.label.clone()).collect()
    };
    let (before, after) = (option_labels(old), option_labels(new));
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
        let change = found.push(Kind::EdgeRemoved, Some(id), message, Some(edge.describe()), None);
        mark_edit(change, id, Some(&edge.target), format!("{} removed from `{id}`", edge_name(edge)));
    }
    for edge in added {
        let message = format!("`{id}` now leads to `{}` ({})", edge.target, way(edge.kind));
        let change = found.push(Kind::EdgeAdded, Some(id), message, None, Some(edge.describe()));
        mark_edit(change, id, Some(&edge.target), format!("{} added to `{id}`", edge_name(edge)));
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

/// An edge as a grouped item names it: `option "Refund" to `refunded``, `` `otherwise` to `sorry` ``,
/// `` `->` to `done` ``.
fn edge_name(edge: &EdgeSnapshot) -> String {
    let way = match (edge.kind, &edge.label) {
        (ChoiceKind::Reply, Some(label)) => format!("reply {label:?}"),
        (ChoiceKind::Option, Some(label)) => format!("option {label:?}"),
        (ChoiceKind::Otherwise, _) => "`otherwise`".to_owned(),
        _ => "`->`".to_owned(),
    };
    format!("{way} to `{}`", edge.target)
}

/// "a `say` line", "an `ask` line".
fn a_line(keyword: &str) -> String {
    let article = if keyword.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} `{keyword}` line")
}

fn compare_diagnostics(found: &mut Found) {
    let old: BTreeMap<(String, String), &String> =
        found.old.diagnostics.iter().map(|((code, node), message)| ((code.clone(), node.clone()), message)).collect();
    let describe = |code: &str, node: &str, message: &str| {
        if node.is_empty() {
            format!("`{code}`: {message}")
        } else {
            format!("`{code}` at `{node}`: {message}")
        }
    };
    let mut changes = Vec::new();
    for ((code, node), message) in &found.new.diagnostics {
        if !old.contains_key(&(code.clone(), node.clone())) {
            let text = format!("new diagnostic {}", describe(code, node, message));
            changes.push((Kind::DiagnosticAdded, node.clone(), text, None, Some(code.clone())));
        }
    }
    for ((code, node), message) in &old {
        if !found.new.diagnostics.contains_key(&(code.clone(), node.clone())) {
            let text = format!("fixed diagnostic {}", describe(code, node, message));
            changes.push((Kind::DiagnosticFixed, node.clone(), text, Some(code.clone()), None));
        }
    }
    for (kind, node, message, before, after) in changes {
        let node = (!node.is_empty()).then_some(node.as_str());
        found.push(kind, node, message, before, after);
    }
}

/// `path-removed` / `path-added`; returns a note when a side's paths were cut.
fn compare_paths(found: &mut Found) -> Option<String> {
    let new = found.new;
    let old = found.old;
    // Everything in index space (positions in each side's `ids`), so checking a path of
    // 90,000 nodes is integer lookups, not string hashing.
    let new_index: FxHashMap<&str, u32> =
        new.ids.iter().enumerate().rev().map(|(i, id)| (id.as_str(), i as u32)).collect();
    let old_index: FxHashMap<&str, u32> =
        old.ids.iter().enumerate().rev().map(|(i, id)| (id.as_str(), i as u32)).collect();
    let old_in_new: Vec<Option<u32>> = old.ids.iter().map(|id| new_index.get(id.as_str()).copied()).collect();
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
    let old_edges = edges(old, &old_index, &|id| id.to_owned());
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
    let old_id = |i: u32| old.ids[i as usize].clone();
    let new_id = |i: u32| new.ids[i as usize].clone();
    let edits = found.edits();
    let known = |edit: Edit| edits.contains(&edit).then_some(edit);

    // The edit that ends an OLD path: its first node, step or last node NEW does not have.
    let removed_by = |path: &[u32]| -> Option<Edit> {
        let edit = |kind: Kind, i: u32, target: Option<u32>| Edit { kind, node: old_id(i), target: target.map(old_id) };
        let first = path[0];
        match old_in_new[first as usize] {
            None => return known(edit(removal(old_stages[first as usize]?).0, first, None)),
            Some(mapped) if new_stages[mapped as usize] != Some(Stage::Trigger) => {
                return known(edit(Kind::TriggerRemoved, first, None))
            }
            Some(_) => {}
        }
        for step in path.windows(2) {
            let mapped = (old_in_new[step[0] as usize], old_in_new[step[1] as usize]);
            let kept = matches!(mapped, (Some(from), Some(to)) if new_edges.contains(&(from, to)));
            if !kept {
                return known(edit(Kind::EdgeRemoved, step[0], Some(step[1])));
            }
        }
        let last = *path.last().expect("paths are not empty");
        known(edit(Kind::CloseRemoved, last, None))
    };
    // The edit that opens a NEW path: its first node, step or last node OLD did not have.
    let added_by = |path: &[u32]| -> Option<Edit> {
        let edit = |kind: Kind, i: u32, target: Option<u32>| Edit { kind, node: new_id(i), target: target.map(new_id) };
        let first = path[0];
        match new_in_old[first as usize] {
            None => return known(edit(Kind::NodeAdded, first, None)),
            Some(mapped) if old_stages[mapped as usize] != Some(Stage::Trigger) => {
                return known(edit(Kind::StageChanged, first, None))
            }
            Some(_) => {}
        }
        for step in path.windows(2) {
            let mapped = (new_in_old[step[0] as usize], new_in_old[step[1] as usize]);
            let existed = matches!(mapped, (Some(from), Some(to)) if old_edges.contains(&(from, to)));
            if !existed {
                return known(edit(Kind::EdgeAdded, step[0], Some(step[1])))
                    .or_else(|| known(edit(Kind::NodeAdded, step[1], None)));
            }
        }
        let last = *path.last().expect("paths are not empty");
        known(edit(Kind::StageChanged, last, None))
    };

    let mut changes: Vec<(Kind, Vec<String>, Option<Edit>)> = Vec::new();
    for path in &old.paths {
        if !walks(path, &old_in_new, &new_edges, &new_stages) {
            changes.push((Kind::PathRemoved, shown(old, path, &|id| id.to_owned()), removed_by(path)));
        }
    }
    for path in &new.paths {
        if !walks(path, &new_in_old, &old_edges, &old_stages) {
            changes.push((Kind::PathAdded, shown(new, path, &|id| id.to_owned()), added_by(path)));
        }
    }
    for (kind, path, cause) in changes {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let (full, short) = (path.join(" → "), shorten_path(&path));
        let (message, before, after) = match kind {
            Kind::PathRemoved => (format!("the path {short} is gone"), Some(full), None),
            _ => (format!("a new path {short}"), None, Some(full)),
        };
        let place = cause.as_ref().and_then(|cause| found.place_of(&cause.node));
        let change = found.push(kind, None, message, before, after);
        // An annotation lands on the node that lost (or gained) the way, not on line 1.
        if place.is_some() {
            change.place = place;
        }
        change.cause = cause;
    }

    // Past the bound, a removed edge still removes every OLD path through it: count them
    // over OLD's condensation (linear), whatever was listed.
    if !old.paths_complete {
        let counter = PathCounter::new(old.ids.len(), &old_edges, &old_stages);
        let removed_edges: Vec<Edit> = edits.iter().filter(|edit| edit.kind == Kind::EdgeRemoved).cloned().collect();
        let mut removed_edges = removed_edges;
        removed_edges.sort();
        for edit in removed_edges {
            let Some(target) = &edit.target else { continue };
            let (Some(&from), Some(&to)) = (old_index.get(edit.node.as_str()), old_index.get(target.as_str())) else {
                continue;
            };
            let still = matches!(
                (old_in_new[from as usize], old_in_new[to as usize]),
                (Some(a), Some(b)) if new_edges.contains(&(a, b))
            );
            if still || !old_edges.contains(&(from, to)) {
                continue;
            }
            let Some(count) = counter.through(from, to) else { continue };
            let (verb, gone) = if count.paths == 1 && !count.at_least { ("takes", "is") } else { ("take", "are") };
            let message = format!("{} that {verb} `{}` → `{target}` {gone} gone", count.describe(""), edit.node);
            let node = edit.node.clone();
            let change = found.push(Kind::PathRemoved, Some(&node), message, Some(format!("{node} → {target}")), None);
            change.paths = Some(count);
            change.cause = Some(edit);
        }
    }

    match (old.paths_complete, new.paths_complete) {
        (true, true) => None,
        _ => Some(format!(
            "paths were compared up to the first {MAX_PATHS} of each side (as `paths` lists them, and at most {MAX_PATH_NODES} nodes in all); later paths were not compared"
        )),
    }
}

/// How many trigger-to-close paths of one side take each edge, in linear time: over the
/// condensation (strongly connected components) of the side's graph, with closes as ends.
///
/// The count is of distinct sequences of edges between components, from a trigger to a
/// close. Each is at least one path (inside a component, any node reaches any other), so
/// the count is exact when the graph has no loop and a lower bound when it has one. An edge
/// inside a loop is not counted: whether a path can take it without reusing an edge is not a
/// question of reachability. Counts saturate at `u128::MAX`.
struct PathCounter {
    component: Vec<usize>,
    /// Per component: paths from a trigger into it.
    into: Vec<u128>,
    /// Per component: paths from it to a close.
    out_of: Vec<u128>,
    acyclic: bool,
}

impl PathCounter {
    fn new(nodes: usize, edges: &FxHashSet<(u32, u32)>, stages: &[Option<Stage>]) -> PathCounter {
        let mut graph = petgraph::graph::DiGraph::<(), ()>::with_capacity(nodes, edges.len());
        for _ in 0..nodes {
            graph.add_node(());
        }
        // A path ends at its first close, so nothing leaves a close.
        let mut kept: Vec<(u32, u32)> =
            edges.iter().copied().filter(|&(from, _)| stages[from as usize] != Some(Stage::Close)).collect();
        kept.sort_unstable();
        for &(from, to) in &kept {
            graph.add_edge(
                petgraph::graph::NodeIndex::new(from as usize),
                petgraph::graph::NodeIndex::new(to as usize),
                (),
            );
        }
        // Kosaraju lists components sinks first (reverse topological order), iteratively.
        let components = petgraph::algo::kosaraju_scc(&graph);
        let mut component = vec![0; nodes];
        for (index, members) in components.iter().enumerate() {
            for node in members {
                component[node.index()] = index;
            }
        }
        let acyclic = components.iter().all(|members| members.len() == 1) && kept.iter().all(|(from, to)| from != to);
        let mut leaving: Vec<Vec<usize>> = vec![Vec::new(); components.len()];
        for &(from, to) in &kept {
            let (a, b) = (component[from as usize], component[to as usize]);
            if a != b {
                leaving[a].push(b);
            }
        }
        let count_stage = |stage: Stage| {
            let mut counts = vec![0u128; components.len()];
            for (node, found) in stages.iter().enumerate() {
                if *found == Some(stage) {
                    counts[component[node]] = counts[component[node]].saturating_add(1);
                }
            }
            counts
        };
        // Into: sources first (highest index first), each pushing to the components it leads to.
        let mut into = count_stage(Stage::Trigger);
        for index in (0..components.len()).rev() {
            for &next in &leaving[index] {
                into[next] = into[next].saturating_add(into[index]);
            }
        }
        // Out of: sinks first, each summing the components it leads to.
        let mut out_of = count_stage(Stage::Close);
        for index in 0..components.len() {
            let onward = leaving[index].iter().fold(0u128, |sum, &next| sum.saturating_add(out_of[next]));
            out_of[index] = out_of[index].saturating_add(onward);
        }
        PathCounter { component, into, out_of, acyclic }
    }

    /// The paths that take the edge `from → to`, or `None` when none is counted.
    fn through(&self, from: u32, to: u32) -> Option<PathCount> {
        let (a, b) = (self.component[from as usize], self.component[to as usize]);
        if a == b {
            return None;
        }
        let paths = self.into[a].saturating_mul(self.out_of[b]);
        (paths > 0).then_some(PathCount { paths, at_least: !self.acyclic })
    }
}

/// Folds each `became-unreachable` node (and its `unreachable` diagnostic) under the one
/// edit that cut it off, when one does: the OLD edges that led into the now unreachable
/// nodes from nodes still reached were each removed (or their node was); each unreachable
/// node takes the edit whose edges reach it in OLD, or none when several do.
fn attribute_unreachable(found: &mut Found) {
    let cut: HashSet<String> = found
        .changes
        .iter()
        .filter(|change| change.kind == Kind::BecameUnreachable)
        .filter_map(|change| change.node.clone())
        .collect();
    if cut.is_empty() {
        return;
    }
    let edits = found.edits();
    let (old, new) = (found.old, found.new);

    #[derive(Clone, PartialEq)]
    enum Origin {
        One(Edit),
        Many,
    }
    let mut origin: HashMap<&str, Origin> = HashMap::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut successors: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut seeds: Vec<(&str, Option<Edit>)> = Vec::new();
    for (id, node) in &old.nodes {
        let from = id.as_str();
        if node.stage == Stage::Trigger && cut.contains(from) {
            let edit = Edit { kind: Kind::TriggerRemoved, node: from.to_owned(), target: None };
            seeds.push((from, edits.contains(&edit).then_some(edit)));
        }
        for edge in &node.edges {
            let to = edge.target.as_str();
            let Some(to) = cut.get(to) else { continue };
            if cut.contains(from) {
                successors.entry(from).or_default().push(to);
            } else if old.reached.contains(id) {
                let edit = if new.nodes.contains_key(from) {
                    Edit { kind: Kind::EdgeRemoved, node: from.to_owned(), target: Some(to.clone()) }
                } else {
                    Edit { kind: removal(node.stage).0, node: from.to_owned(), target: None }
                };
                seeds.push((to, edits.contains(&edit).then_some(edit)));
            }
        }
    }
    // Each node's origin changes at most twice (none → one → many): linear.
    for (node, edit) in seeds {
        let from = edit.map_or(Origin::Many, Origin::One);
        let node = cut.get(node).expect("seeds are cut nodes").as_str();
        if update(&mut origin, node, from) {
            pending.push(node);
        }
    }
    while let Some(node) = pending.pop() {
        let from = origin[node].clone();
        for &next in successors.get(node).map(Vec::as_slice).unwrap_or_default() {
            if update(&mut origin, next, from.clone()) {
                pending.push(next);
            }
        }
    }
    let cause_of = |node: &str| match origin.get(node) {
        Some(Origin::One(edit)) => Some(edit.clone()),
        _ => None,
    };
    let places: Vec<Option<(Edit, Option<Place>)>> = found
        .changes
        .iter()
        .map(|change| {
            let node = change.node.as_deref()?;
            let folds = change.kind == Kind::BecameUnreachable
                || (change.kind == Kind::DiagnosticAdded && change.new.as_deref() == Some("unreachable"));
            if !folds {
                return None;
            }
            let edit = cause_of(node)?;
            let place = found.place_of(&edit.node);
            Some((edit, place))
        })
        .collect();
    for (change, found) in found.changes.iter_mut().zip(places) {
        if let Some((edit, place)) = found {
            if change.kind == Kind::BecameUnreachable && place.is_some() {
                change.place = place;
            }
            change.cause = Some(edit);
        }
    }

    /// Merges `from` into `node`'s origin; whether it changed.
    fn update<'a>(origin: &mut HashMap<&'a str, Origin>, node: &'a str, from: Origin) -> bool {
        let merged = match origin.get(node) {
            None => from,
            Some(current) if *current == from => return false,
            Some(_) => Origin::Many,
        };
        if origin.get(node) == Some(&merged) {
            return false;
        }
        origin.insert(node, merged);
        true
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
    // Compared and shown as every output rounds them: one decimal place.
    let (before, after) = (round(before), round(after));
    if after > before {
        found.push(
            Kind::Slower,
            None,
            format!("the fastest call now takes {after:.1} s, not {before:.1} s"),
            Some(format!("{before:.1}s")),
            Some(format!("{after:.1}s")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stages by index: `t` for a trigger, `c` for a close, `.` for any other node.
    fn stages(layout: &str) -> Vec<Option<Stage>> {
        layout
            .chars()
            .map(|c| match c {
                't' => Some(Stage::Trigger),
                'c' => Some(Stage::Close),
                _ => Some(Stage::Acknowledge),
            })
            .collect()
    }

    fn edges(pairs: &[(u32, u32)]) -> FxHashSet<(u32, u32)> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn paths_through_an_edge_are_counted_exactly_without_loops() {
        // 0 → 1 | 2 → 3 → 4 (close), and 3 → 5 (close).
        let counter = PathCounter::new(6, &edges(&[(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (3, 5)]), &stages("t...cc"));
        assert_eq!(counter.through(0, 1), Some(PathCount { paths: 2, at_least: false }));
        assert_eq!(counter.through(3, 4), Some(PathCount { paths: 2, at_least: false }));
        assert_eq!(counter.through(2, 3), Some(PathCount { paths: 2, at_least: false }));
    }

    #[test]
    fn with_a_loop_the_count_is_a_lower_bound_and_an_edge_inside_it_is_not_counted() {
        // 0 → 1 ⇄ 2 → 3 (close); a close's own edges end nothing.
        let counter = PathCounter::new(4, &edges(&[(0, 1), (1, 2), (2, 1), (2, 3), (3, 0)]), &stages("t..c"));
        assert_eq!(counter.through(0, 1), Some(PathCount { paths: 1, at_least: true }));
        assert_eq!(counter.through(1, 2), None);
        assert_eq!(counter.through(2, 1), None);
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        // 200 diamonds in a row: 2^200 paths.
        let mut pairs = Vec::new();
        let mut layout = String::from("t");
        for i in 0..200u32 {
            let (from, a, b, to) = (3 * i, 3 * i + 1, 3 * i + 2, 3 * i + 3);
            pairs.extend([(from, a), (from, b), (a, to), (b, to)]);
            layout.push_str("...");
        }
        layout.pop();
        layout.push('c');
        let counter = PathCounter::new(layout.len(), &edges(&pairs), &stages(&layout));
        let count = counter.through(0, 1).unwrap();
        assert_eq!(count.paths, u128::MAX);
        assert_eq!(count.describe(""), "more than 10^38 paths");
    }
}
