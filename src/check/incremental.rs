//! `check` again after an edit, re-running only what the edit can change (the language server's
//! path; `defuse check` runs [`super::check`]).
//!
//! A [`Memo`] keeps, from the previous check of the same files with the same config:
//!
//! - per file (by identity, the path), its text and, per node, its span, its **structural
//!   fingerprint** and the findings of the node rules ([`super::Rule::node_check`]: `phrase`,
//!   `long-turn`, `hold`, …) on it;
//! - per script, the **signature** of everything the graph rules read, the script's graph and
//!   the findings of the graph rules ([`super::Rule::graph_check`]) on it.
//!
//! After an edit, each file's text is compared with the kept one: the common prefix and suffix
//! leave one changed region. A node lying wholly in the unchanged prefix or suffix has the
//! same text as a kept node at the same (prefix) or shifted (suffix) offset, so it parses to
//! that node moved, and its node-rule findings are the kept ones moved. Every other node is
//! fingerprinted and checked again. The file rules (about 1 ms at 10,000 nodes) run in full.
//!
//! A node's fingerprint hashes what graph rules (not node rules) can read of it: stage, name,
//! every statement's kind, targets, outcomes, every string but agent lines (`say`, `ask`,
//! `option` labels), of which only the placeholders and the spoken words count (what
//! `unused-var` and the timing rules read). A script's signature hashes, for every file of the
//! project, its identity, head (`use`s, item, title, meta, vars), resolution (`use`s, imports)
//! and its nodes' fingerprints. When the signature is unchanged, the graph is the same and so
//! are the graph rules' findings but for their offsets: they are reused, each span moved by the
//! edit's shift, provided no span touches the changed region (otherwise, and whenever the
//! signature changed, the graph is built and the graph rules run again). Typing in a `say`
//! line therefore costs the file rules, the node rules of one node, and the reuse.
//!
//! Suppression, levels, deduplication and sorting run on the assembled findings as `check`
//! runs them.
//!
//! **Invariant:** [`check`] returns exactly what [`super::check`] returns for the same project
//! and config, whatever the memo (a memo from another config or other files is only less
//! useful; an empty one gives a full check). The property test
//! `tests/suite/incremental_check.rs` compares the two after every edit of random sequences.
//! Fingerprints and signatures are 64-bit hashes: a collision (odds about 2⁻⁶⁴ per comparison)
//! would keep stale graph findings until the next structural edit.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{registry, rules, Rule};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::graph::ScriptGraph;
use crate::resolve::{NodeKey, Project};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, StmtKind};

/// What one check keeps for the next (see the module documentation).
#[derive(Default)]
pub struct Memo {
    /// [`Config::check_key`] of the config checked with.
    config: String,
    files: FxHashMap<PathBuf, FileMemo>,
    scripts: FxHashMap<PathBuf, ScriptMemo>,
    /// What the check that made this memo did again.
    pub work: Work,
}

/// What one [`check`] did again rather than reuse (for tests and benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Scripts whose graph was built and whose graph rules ran.
    pub graphs_built: usize,
    /// Nodes the node rules ran on.
    pub nodes_checked: usize,
}

impl Memo {
    /// Whether this memo was made with `config` (else it would be of no use to [`check`]).
    pub(crate) fn is_for(&self, config: &Config) -> bool {
        self.config == config.check_key()
    }
}

struct FileMemo {
    text: Arc<String>,
    /// The item's kind and name, which the qualified names of its nodes depend on.
    item: (ast::ItemKind, String),
    nodes: Vec<NodeMemo>,
}

struct NodeMemo {
    span: Span,
    fingerprint: Fingerprint,
    /// The node rules' findings on the node, each with its rule's index in
    /// [`registry::RULES`]; `None` until the node was in a checked script's graph, or when a
    /// finding strayed out of the node (then it is never reused).
    local: Option<Vec<(usize, Diagnostic)>>,
}

struct ScriptMemo {
    signature: u64,
    graph: ScriptGraph,
    /// The graph rules' findings, by rule index (empty for other rules), before the labels of
    /// library entries are added.
    structural: Vec<Vec<Diagnostic>>,
}

/// What graph rules can read of a node, hashed: its structure, and apart the words its agent
/// lines speak (which only the timing of a script with a budget reads).
#[derive(Clone, Copy)]
struct Fingerprint {
    structure: u64,
    spoken: u64,
}

/// How a file's text changed: `text[..prefix]` and the old text from `old_end` on are the
/// same in the new text, the latter shifted by `delta`.
#[derive(Clone, Copy)]
struct Change {
    prefix: usize,
    old_end: usize,
    delta: isize,
}

impl Change {
    /// Nothing is known of the old text: nothing is kept.
    const UNKNOWN: Change = Change { prefix: 0, old_end: usize::MAX, delta: 0 };
    /// The same text: everything is kept.
    const NONE: Change = Change { prefix: usize::MAX, old_end: usize::MAX, delta: 0 };

    fn between(old: &str, new: &str) -> Change {
        if old == new {
            return Change::NONE;
        }
        let (old, new) = (old.as_bytes(), new.as_bytes());
        let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let room = old.len().min(new.len()) - prefix;
        let suffix = old.iter().rev().zip(new.iter().rev()).take(room).take_while(|(a, b)| a == b).count();
        Change { prefix, old_end: old.len() - suffix, delta: new.len() as isize - old.len() as isize }
    }

    /// `span` (of the old text) in the new text, when it lies strictly outside the changed
    /// region (a span touching it may be a token the edit extended).
    fn map(&self, span: Span) -> Option<Span> {
        if span.end() < self.prefix {
            Some(span)
        } else if span.start() > self.old_end {
            let shift = |offset: usize| (offset as isize + self.delta) as usize;
            Some(Span::new(shift(span.start()), shift(span.end())))
        } else {
            None
        }
    }
}

/// [`super::check`] of `project` (whose file `f` has the identity `paths[f]`), reusing what
/// `previous` kept; returns the diagnostics and what to keep for the next check.
pub fn check(project: &Project, config: &Config, paths: &[PathBuf], previous: Memo) -> (Vec<Diagnostic>, Memo) {
    let key = config.check_key();
    let mut previous = if previous.config == key { previous } else { Memo::default() };

    let mut found = project.diagnostics.clone();
    found.extend(super::file_rules(project, config, super::registry::RULES));

    // Each file's nodes: carried over where their text is unchanged, else fingerprinted anew.
    let mut changes: Vec<Change> = vec![Change::UNKNOWN; project.modules.len()];
    let mut files: Vec<Option<FileMemo>> = project
        .files()
        .map(|file| {
            let ast = project.module(file).ast.as_ref()?;
            let text = project.sources.get(file).text.clone();
            let item = (ast.item.kind, ast.item.name.name.clone());
            let old = previous.files.remove(&paths[file.index()]).filter(|old| old.item == item);
            changes[file.index()] = old.as_ref().map_or(Change::UNKNOWN, |old| Change::between(&old.text, &text));
            let nodes = carry_nodes(old, changes[file.index()], &ast.item.nodes, file, config);
            Some(FileMemo { text, item, nodes })
        })
        .collect();

    let (scripts, mut coverage) = super::graph_scope(project, &found);
    let file_hashes: Vec<u64> = project.files().map(|file| file_hash(project, file, paths, &files)).collect();
    let spoken_hashes: Vec<u64> = files
        .iter()
        .map(|memo| {
            let mut hasher = DefaultHasher::new();
            for node in memo.iter().flat_map(|memo| &memo.nodes) {
                node.fingerprint.spoken.hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect();

    // Each script's graph and graph-rule findings: kept when its signature is unchanged and
    // every kept span can be moved, else built and run again.
    let mut checked: Vec<(FileId, ScriptMemo)> = Vec::new();
    let mut work = Work::default();
    for &script in &scripts {
        let mut hasher = DefaultHasher::new();
        script.hash(&mut hasher);
        file_hashes.hash(&mut hasher);
        // The spoken words matter to `over-budget` only, which runs where there is a budget.
        let item = project.item(script).expect("checked scripts parse");
        let budget = rules::over_budget::meta_budget(item).ok().flatten().or(config.timing.budget);
        if budget.is_some() {
            spoken_hashes.hash(&mut hasher);
        }
        let signature = hasher.finish();
        let kept = previous.scripts.remove(&paths[script.index()]).filter(|kept| kept.signature == signature).and_then(
            |kept| {
                let structural = kept
                    .structural
                    .into_iter()
                    .map(|found| found.into_iter().map(|d| move_diagnostic(d, &changes)).collect())
                    .collect::<Option<Vec<Vec<Diagnostic>>>>()?;
                Some(ScriptMemo { signature, graph: kept.graph, structural })
            },
        );
        let memo = kept.unwrap_or_else(|| {
            work.graphs_built += 1;
            let graph = ScriptGraph::build(project, script);
            let structural = graph_rules(project, config, &graph);
            ScriptMemo { signature, graph, structural }
        });
        checked.push((script, memo));
    }

    // The node rules on every node of a checked graph that has no kept findings.
    let mut missing: Vec<NodeKey> = checked
        .iter()
        .flat_map(|(_, memo)| memo.graph.graph.node_weights().copied())
        .filter(|&NodeKey { file, index }| {
            files[file.index()].as_ref().is_some_and(|memo| memo.nodes[index].local.is_none())
        })
        .collect();
    missing.sort_unstable();
    missing.dedup();
    work.nodes_checked = missing.len();
    let computed: Vec<Option<Vec<(usize, Diagnostic)>>> =
        missing.par_iter().with_min_len(256).map(|&key| node_rules(project, config, key)).collect();
    for (&NodeKey { file, index }, local) in missing.iter().zip(computed) {
        if let Some(memo) = files[file.index()].as_mut() {
            memo.nodes[index].local = local;
        }
    }

    // Assembled in `check`'s order: per script, rule by rule, a node rule node by node.
    for (script, memo) in &checked {
        let graph = &memo.graph;
        let mut out: Vec<Diagnostic> = Vec::new();
        for (slot, rule) in registry::RULES.iter().enumerate() {
            out.extend(memo.structural[slot].iter().cloned());
            if rule.node_check.is_some() {
                for &key in graph.graph.node_weights() {
                    match files[key.file.index()].as_ref().and_then(|memo| memo.nodes[key.index].local.as_ref()) {
                        Some(local) => {
                            out.extend(local.iter().filter(|(of, _)| *of == slot).map(|(_, d)| d.clone()));
                        }
                        // Not kept (a finding outside its node): run on the spot.
                        None => {
                            if let Some(check) = rule.node_check {
                                super::run_node_check(project, config, key, check, &mut out);
                            }
                        }
                    }
                }
            }
        }
        super::label_library_entries(project, graph, &mut out);
        found.extend(out);
        let nodes: Vec<NodeKey> = graph.graph.node_weights().copied().collect();
        coverage.ran_on(*script, &nodes);
    }

    let found = rules::suppression::apply(project, found, &coverage);
    let diagnostics = super::finish(project, config, found);

    let memo = Memo {
        config: key,
        files: files.into_iter().enumerate().filter_map(|(file, memo)| Some((paths[file].clone(), memo?))).collect(),
        scripts: checked.into_iter().map(|(script, memo)| (paths[script.index()].clone(), memo)).collect(),
        work,
    };
    (diagnostics, memo)
}

/// The memo of each node of a file: the kept one where the node lies in the unchanged prefix
/// or suffix of the text (same text, so the same node, moved), else a new one.
fn carry_nodes(
    old: Option<FileMemo>,
    change: Change,
    nodes: &[ast::Node],
    file: FileId,
    config: &Config,
) -> Vec<NodeMemo> {
    let mut old_nodes = old.map(|old| old.nodes).unwrap_or_default();
    let new_end = change.old_end.saturating_add_signed(change.delta);
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let span = node.span;
        let old_span = if span.end() <= change.prefix && !old_nodes.is_empty() {
            Some(span)
        } else if span.start() >= new_end && !old_nodes.is_empty() {
            let back = |offset: usize| (offset as isize - change.delta) as usize;
            Some(Span::new(back(span.start()), back(span.end())))
        } else {
            None
        };
        let kept = old_span.and_then(|old_span| {
            let at = old_nodes.partition_point(|memo| memo.span.start() < old_span.start());
            let memo = old_nodes.get_mut(at).filter(|memo| memo.span == old_span)?;
            Some(NodeMemo {
                span,
                fingerprint: memo.fingerprint,
                local: memo.local.take().map(|local| {
                    local
                        .into_iter()
                        .map(|(slot, d)| (slot, shift_diagnostic(d, file, old_span.start(), span.start())))
                        .collect()
                }),
            })
        });
        out.push(kept.unwrap_or_else(|| NodeMemo { span, fingerprint: fingerprint(node, config), local: None }));
    }
    out
}

/// The graph rules ([`Rule::graph_check`]) on `graph`, by rule index.
fn graph_rules(project: &Project, config: &Config, graph: &ScriptGraph) -> Vec<Vec<Diagnostic>> {
    let ctx = super::GraphCtx { project, graph, config };
    let run = |rule: &&Rule| {
        let mut out = Vec::new();
        if let Some(check) = rule.graph_check {
            check(&ctx, &mut out);
        }
        out
    };
    if graph.graph.node_count() >= super::PARALLEL_RULES_AT {
        registry::RULES.par_iter().map(run).collect()
    } else {
        registry::RULES.iter().map(run).collect()
    }
}

/// The node rules on the node `key`, by rule index; `None` when a finding has a label outside
/// the node (so it cannot be moved with it).
fn node_rules(project: &Project, config: &Config, key: NodeKey) -> Option<Vec<(usize, Diagnostic)>> {
    let mut local = Vec::new();
    let span = project.node(key).span;
    for (slot, rule) in registry::RULES.iter().enumerate() {
        let Some(check) = rule.node_check else { continue };
        let mut out = Vec::new();
        super::run_node_check(project, config, key, check, &mut out);
        local.extend(out.into_iter().map(|d| (slot, d)));
    }
    let inside = |file: FileId, at: Span| file == key.file && span.start() <= at.start() && at.end() <= span.end();
    local.iter().all(|(_, d)| spans(d).all(|(file, at)| inside(file, at))).then_some(local)
}

/// Every place a diagnostic names.
fn spans(d: &Diagnostic) -> impl Iterator<Item = (FileId, Span)> + '_ {
    let labels = std::iter::once(&d.primary).chain(&d.secondary).map(|label| (label.file, label.span));
    labels.chain(d.fix.iter().flat_map(|fix| &fix.edits).map(|edit| (edit.file, edit.span)))
}

/// A node's finding moved with its node, from offset `from` to `to` of `file`.
fn shift_diagnostic(mut d: Diagnostic, file: FileId, from: usize, to: usize) -> Diagnostic {
    let shift = |span: Span| Span::new(span.start() - from + to, span.end() - from + to);
    for label in std::iter::once(&mut d.primary).chain(&mut d.secondary) {
        label.file = file;
        label.span = shift(label.span);
    }
    for edit in d.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
        edit.file = file;
        edit.span = shift(edit.span);
    }
    d
}

/// A graph rule's finding in the edited texts, or `None` when one of its spans touches a
/// changed region.
fn move_diagnostic(mut d: Diagnostic, changes: &[Change]) -> Option<Diagnostic> {
    let map = |file: FileId, span: Span| changes.get(file.index())?.map(span);
    for label in std::iter::once(&mut d.primary).chain(&mut d.secondary) {
        label.span = map(label.file, label.span)?;
    }
    for edit in d.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
        edit.span = map(edit.file, edit.span)?;
    }
    Some(d)
}

/// What the graph rules can read of a file, hashed: its identity, resolution, head, and its
/// nodes' fingerprints.
fn file_hash(project: &Project, file: FileId, paths: &[PathBuf], files: &[Option<FileMemo>]) -> u64 {
    let mut hasher = DefaultHasher::new();
    let module = &project.module(file);
    paths[file.index()].hash(&mut hasher);
    module.requested.hash(&mut hasher);
    module.uses.hash(&mut hasher);
    module.imports.hash(&mut hasher);
    if let Some(ast) = &module.ast {
        let ast::Item { kind, name, title, meta, meta_blocks, vars, vars_blocks, nodes: _, span } = &ast.item;
        // Debug text: spans included (the head's spans only move when the head is edited).
        format!(
            "{:?}{kind:?}{name:?}{title:?}{meta:?}{meta_blocks:?}{vars:?}{vars_blocks:?}{}",
            ast.uses,
            span.start()
        )
        .hash(&mut hasher);
    }
    if let Some(memo) = &files[file.index()] {
        for node in &memo.nodes {
            node.fingerprint.structure.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// What graph rules can read of a node, hashed (see the module documentation). Spans are
/// left out: a kept finding's spans are moved instead.
fn fingerprint(node: &ast::Node, config: &Config) -> Fingerprint {
    let mut hasher = DefaultHasher::new();
    let mut spoken = DefaultHasher::new();
    let h = &mut hasher;
    let ast::Node { stage, stage_span: _, name, stmts, span: _ } = node;
    stage.hash(h);
    name.name.hash(h);
    stmts.len().hash(h);
    let placeholders = |text: &ast::Str, h: &mut DefaultHasher| {
        let ast::Str { value: _, span: _, placeholders, triple, escaped } = text;
        placeholders.len().hash(h);
        for placeholder in placeholders.iter() {
            placeholder.name.hash(h);
        }
        triple.hash(h);
        escaped.hash(h);
    };
    let whole = |text: &ast::Str, h: &mut DefaultHasher| {
        text.value.hash(h);
        placeholders(text, h);
    };
    let mut agent = |text: &ast::Str, h: &mut DefaultHasher| {
        crate::graph::timing::str_words(text, config.timing.placeholder_words).to_bits().hash(&mut spoken);
        placeholders(text, h);
    };
    let target = |target: &ast::Target, h: &mut DefaultHasher| {
        target.library.as_ref().map(|library| &library.name).hash(h);
        target.node.name.hash(h);
    };
    for stmt in stmts {
        std::mem::discriminant(&stmt.kind).hash(h);
        match &stmt.kind {
            StmtKind::Say(text) | StmtKind::Ask(text) => agent(text, h),
            StmtKind::Option(text, to) => {
                agent(text, h);
                target(to, h);
            }
            StmtKind::Customer(text) | StmtKind::Note(text) | StmtKind::Hold(text) | StmtKind::Transfer(text) => {
                whole(text, h)
            }
            StmtKind::Reply(text, to) => {
                whole(text, h);
                target(to, h);
            }
            StmtKind::Goto(to) | StmtKind::Otherwise(to) => target(to, h),
            StmtKind::Outcome(outcome) => outcome.hash(h),
            StmtKind::FollowUp { after, note } => {
                whole(after, h);
                whole(note, h);
            }
        }
    }
    Fingerprint { structure: hasher.finish(), spoken: spoken.finish() }
}
