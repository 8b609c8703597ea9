//! One side of a diff, reduced to what a change can be about: per script, its nodes by
//! qualified id (`restate`, `closings.thanks`) with their stage, lines, ways on, outcome and
//! follow-up; which nodes a trigger reaches; its trigger-to-close paths (bounded as `paths`
//! bounds them); its diagnostics as (code, node); its fastest call in seconds.
//!
//! Built from the shared pipeline: the graph ([`ScriptGraph`]), the conversation model
//! ([`Call`]) for lines and choices, the trails of `paths`, the check's diagnostics. Texts
//! are parsed values (escapes applied), so layout never counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::NodeIndex;

use crate::call::{Call, ChoiceKind, LineKind};
use crate::config::timing::Timing;
use crate::diagnostic::Diagnostic;
use crate::graph::trails::{for_each_trail, Stop};
use crate::graph::ScriptGraph;
use crate::resolve::{NodeKey, Project};
use crate::source::FileId;
use crate::syntax::ast::{ItemKind, Outcome, Stage};

/// How many trigger-to-close paths each side lists per script, as `paths` does by default.
pub(crate) const MAX_PATHS: usize = 1000;
/// How many nodes the listed paths may hold in all: a generated script's paths can each be
/// 100,000 nodes long, and memory must not grow with paths × length.
pub(crate) const MAX_PATH_NODES: usize = 1_000_000;

/// Every script of one side, by name.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub scripts: BTreeMap<String, ScriptSnapshot>,
}

#[derive(Debug)]
pub(crate) struct ScriptSnapshot {
    pub name: String,
    /// The script's file, as reports name it.
    pub file: String,
    pub nodes: BTreeMap<String, NodeSnapshot>,
    /// Ids of the nodes some trigger reaches.
    pub reached: HashSet<String>,
    /// Every node id, in model order: what `paths` index.
    pub ids: Vec<String>,
    /// Trigger-to-close paths as indices into `ids`, in `paths` order; at most [`MAX_PATHS`]
    /// paths and [`MAX_PATH_NODES`] nodes in all.
    pub paths: Vec<Vec<u32>>,
    /// Whether `paths` is every path (not cut by the bounds or the search budget).
    pub paths_complete: bool,
    /// Diagnostics as (code, node id or "" when not inside a node) → the first one's
    /// message. Matching is by the key; the message is what a report shows.
    pub diagnostics: BTreeMap<(String, String), String>,
    /// Seconds of the fastest trigger-to-close path, if there is one.
    pub fastest_seconds: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NodeSnapshot {
    pub stage: Stage,
    /// For a close: its outcome.
    pub outcome: Option<Outcome>,
    /// Agent and customer lines (`say`, `ask`, `customer`) in order, as (keyword, text).
    pub lines: Vec<(&'static str, String)>,
    pub edges: Vec<EdgeSnapshot>,
    /// `follow_up` as (when, what).
    pub follow_up: Option<(String, String)>,
    /// The node's file as reports name it (shared by every node of the file).
    pub file: std::sync::Arc<str>,
    pub line: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EdgeSnapshot {
    pub kind: ChoiceKind,
    /// The reply or option label.
    pub label: Option<String>,
    pub target: String,
}

impl EdgeSnapshot {
    /// The statement as written: `reply "yes" -> t`, `otherwise -> t`, `-> t`.
    pub(crate) fn describe(&self) -> String {
        let keyword = match self.kind {
            ChoiceKind::Reply => "reply ",
            ChoiceKind::Option => "option ",
            ChoiceKind::Otherwise => "otherwise ",
            ChoiceKind::Continue => "",
        };
        match &self.label {
            Some(label) => format!("{keyword}{label:?} -> {}", self.target),
            None => format!("{keyword}-> {}", self.target),
        }
    }
}

/// The snapshot of every script the user asked for in `project`, with `diagnostics` from
/// checking it and spoken time by `timing` (the config's `[timing]`).
pub(crate) fn snapshot(project: &Project, diagnostics: &[Diagnostic], timing: &Timing) -> Snapshot {
    let scripts: Vec<FileId> = project
        .files()
        .filter(|&file| {
            project.module(file).requested && project.item(file).is_some_and(|item| item.kind == ItemKind::Script)
        })
        .collect();
    let built: Vec<ScriptSnapshot> = {
        use rayon::prelude::*;
        scripts.par_iter().map(|&file| script_snapshot(project, file, diagnostics, timing)).collect()
    };
    let mut snapshot = Snapshot::default();
    for script in built {
        // A duplicate script name is a `duplicate-script` error already; the first file wins.
        snapshot.scripts.entry(script.name.clone()).or_insert(script);
    }
    snapshot
}

fn script_snapshot(project: &Project, file: FileId, diagnostics: &[Diagnostic], timing: &Timing) -> ScriptSnapshot {
    let graph = ScriptGraph::build(project, file);
    let call = Call::new(project, &graph);
    let ids: Vec<String> = graph.nodes().map(|node| call.id(node)).collect();
    let files: HashMap<FileId, std::sync::Arc<str>> = project
        .use_closure(file)
        .into_iter()
        .map(|used| (used, std::sync::Arc::from(project.sources.get(used).display_path())))
        .collect();
    let mut nodes = BTreeMap::new();
    for node in graph.nodes() {
        // A duplicate node id is a `duplicate-node` error; the first definition wins.
        nodes.entry(ids[node.index()].clone()).or_insert_with(|| node_snapshot(&call, node, &ids, &files));
    }
    let reached = reached_from_triggers(&call).into_iter().map(|node| ids[node.index()].clone()).collect();

    let mut paths: Vec<Vec<u32>> = Vec::new();
    let mut listed_nodes = 0;
    let stop = for_each_trail(project, &graph, |trail| {
        if listed_nodes + trail.edges.len() + 1 > MAX_PATH_NODES {
            return false;
        }
        listed_nodes += trail.edges.len() + 1;
        paths.push(trail.nodes(&graph).into_iter().map(|node| node.index() as u32).collect());
        paths.len() < MAX_PATHS
    });

    ScriptSnapshot {
        name: project.item(file).expect("a parsed script").name.name.clone(),
        file: project.sources.get(file).display_path(),
        nodes,
        reached,
        ids,
        paths,
        paths_complete: stop == Stop::Complete,
        diagnostics: script_diagnostics(project, file, diagnostics),
        fastest_seconds: super::timing::fastest_seconds(&call, timing),
    }
}

fn node_snapshot(
    call: &Call,
    node: NodeIndex,
    ids: &[String],
    files: &HashMap<FileId, std::sync::Arc<str>>,
) -> NodeSnapshot {
    let found = call.node(node);
    let lines = call
        .lines(node)
        .filter(|line| line.kind.is_agent() || line.kind == LineKind::Customer)
        .map(|line| {
            let keyword = match line.kind {
                LineKind::Say => "say",
                LineKind::Ask => "ask",
                _ => "customer",
            };
            (keyword, line.text.value.clone())
        })
        .collect();
    let edges = call
        .choices(node)
        .into_iter()
        .map(|choice| EdgeSnapshot {
            kind: choice.kind,
            label: choice.label.map(|label| label.value.clone()),
            target: ids[choice.target.index()].clone(),
        })
        .collect();
    let key = call.graph.graph[node];
    let source = call.project.sources.get(key.file);
    NodeSnapshot {
        stage: found.stage,
        outcome: (found.stage == Stage::Close).then(|| found.outcome()),
        lines,
        edges,
        follow_up: found.follow_up().map(|(after, note)| (after.value.clone(), note.value.clone())),
        file: files.get(&key.file).cloned().unwrap_or_else(|| source.display_path().into()),
        line: source.line_col(found.name.span.start()).line,
    }
}

/// Every node some trigger reaches (breadth first over the graph).
fn reached_from_triggers(call: &Call) -> Vec<NodeIndex> {
    let graph = &call.graph.graph;
    let mut seen = vec![false; graph.node_count()];
    let mut queue: Vec<NodeIndex> = call.starts();
    for node in &queue {
        seen[node.index()] = true;
    }
    let mut next = 0;
    while next < queue.len() {
        for target in graph.neighbors(queue[next]) {
            if !seen[target.index()] {
                seen[target.index()] = true;
                queue.push(target);
            }
        }
        next += 1;
    }
    queue
}

/// The diagnostics of the script's own file and the libraries it uses, as (code, node id)
/// and the message of the first (diagnostics come sorted, so "first" is deterministic).
fn script_diagnostics(
    project: &Project,
    script: FileId,
    diagnostics: &[Diagnostic],
) -> BTreeMap<(String, String), String> {
    let files: HashSet<FileId> = project.use_closure(script).into_iter().collect();
    let mut found = BTreeMap::new();
    for diagnostic in diagnostics.iter().filter(|diagnostic| files.contains(&diagnostic.file())) {
        let key =
            (diagnostic.code.as_str().to_owned(), node_at(project, diagnostic.file(), diagnostic.primary.span.start()));
        found.entry(key).or_insert_with(|| diagnostic.message.clone());
    }
    found
}

/// The qualified id of the node whose text holds `offset` in `file`, or "".
fn node_at(project: &Project, file: FileId, offset: usize) -> String {
    let Some(item) = project.item(file) else { return String::new() };
    // Nodes are in source order, so the last one starting at or before `offset` is the candidate.
    let index = item.nodes.partition_point(|node| node.span.start() <= offset);
    match index.checked_sub(1) {
        Some(index) if item.nodes[index].span.end() > offset => project.qualified_name(NodeKey { file, index }),
        _ => String::new(),
    }
}
