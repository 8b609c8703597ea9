//! Checks: every rule of spec section 3, run over the resolved project.
//!
//! [`check`] runs the file rules on every parsed file, then builds the graph of every script
//! that has no parse or name error (the cascade: graph rules on a broken script would only
//! repeat the same mistake) and runs the graph rules on it. Files and scripts are checked in
//! parallel. Then `# defuse: allow` comments silence what they name (`rules::suppression`),
//! before levels, so a suppression's use does not depend on the configured level; where the
//! graph rules ran ([`GraphCoverage`]) tells a stale suppression from one whose check was
//! skipped. Last, the
//! configured levels apply: `allow` drops a diagnostic, the others set its
//! severity, and the result is deduplicated and sorted by file, line, column and code.
//!
//! **Architecture invariant:** rules never print and never stop the run; each returns its
//! diagnostics, and the order of the result does not depend on scheduling.

pub mod incremental;
pub mod locales;
pub mod registry;
pub(crate) mod rule;
pub(crate) mod rules;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::graph::ScriptGraph;
use crate::resolve::{NodeKey, Project};
use crate::source::FileId;
use crate::syntax::ast;
use petgraph::graph::NodeIndex;
pub(crate) use rule::{Level, Rule};

/// What a file rule sees: one parsed file of the project.
pub struct FileCtx<'a> {
    pub project: &'a Project,
    pub file: FileId,
    pub ast: &'a ast::File,
    pub config: &'a Config,
}

impl FileCtx<'_> {
    pub(crate) fn item(&self) -> &ast::Item {
        &self.ast.item
    }
}

/// What a graph rule sees: one script's graph.
pub struct GraphCtx<'a> {
    pub project: &'a Project,
    pub graph: &'a ScriptGraph,
    pub config: &'a Config,
}

impl GraphCtx<'_> {
    pub(crate) fn key(&self, node: NodeIndex) -> NodeKey {
        self.graph.graph[node]
    }

    pub fn node(&self, node: NodeIndex) -> &ast::Node {
        self.project.node(self.key(node))
    }

    pub fn file(&self, node: NodeIndex) -> FileId {
        self.key(node).file
    }

    pub(crate) fn name(&self, node: NodeIndex) -> String {
        self.project.qualified_name(self.key(node))
    }

    pub(crate) fn script(&self) -> &ast::Item {
        self.project.item(self.graph.script).expect("graphs are built for parsed scripts")
    }

    /// A diagnostic of `code` at the name of `node`, where the writer looks for that node.
    pub(crate) fn at_node(&self, code: Code, node: NodeIndex, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.file(node), self.node(node).name.span, message)
    }

    /// A diagnostic of `code` at the name of the script, for what the whole script lacks.
    pub(crate) fn at_script(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.graph.script, self.script().name.span, message)
    }

    /// Every node with its stage, in model order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIndex, &ast::Node)> + '_ {
        self.graph.nodes().map(|n| (n, self.node(n)))
    }

    /// "`a` → `b` → `c`", eliding the middle of very long paths.
    pub(crate) fn describe_path(&self, path: &[NodeIndex]) -> String {
        self.describe_path_ends(path, path.len(), &path[path.len().saturating_sub(PATH_ENDS)..])
    }

    /// The one way a message shows a path: "`a` → `b` → `c`" for a path of `len` nodes given
    /// by its first nodes `head` and its last [`PATH_ENDS`] nodes `tail`; whole when `head` is
    /// all of it and short, else its ends around "… (N more) …". The path rules pass the ends
    /// they kept, so a report never walks a whole long path.
    pub(crate) fn describe_path_ends(&self, head: &[NodeIndex], len: usize, tail: &[NodeIndex]) -> String {
        let names =
            |nodes: &[NodeIndex]| nodes.iter().map(|&n| format!("`{}`", self.name(n))).collect::<Vec<_>>().join(" → ");
        if len <= 2 * PATH_ENDS + 1 && head.len() == len {
            return names(head);
        }
        format!("{} → … ({} more) … → {}", names(&head[..PATH_ENDS.min(head.len())]), len - 2 * PATH_ENDS, names(tail))
    }

    /// The shortest path from a trigger to a node of a `targets` stage that passes no node
    /// of the `avoided` stage (the search simply never enters those nodes).
    pub(crate) fn path_avoiding(&self, avoided: ast::Stage, targets: &[ast::Stage]) -> Option<Vec<NodeIndex>> {
        let tree = crate::graph::analysis::BfsTree::new(&self.graph.graph, self.graph.triggers(self.project), |n| {
            self.node(n).stage == avoided
        });
        let end = tree.order.iter().find(|&&n| targets.contains(&self.node(n).stage))?;
        Some(tree.path_to(*end))
    }

    /// The report of `skip-acknowledge` and `skip-mirror`: the shortest way from a trigger to
    /// a node of a `targets` stage that passes no `skipped` node, with its nodes labelled.
    pub(crate) fn skipped_stage(
        &self,
        code: Code,
        skipped: ast::Stage,
        targets: &[ast::Stage],
        label: &str,
        help: &str,
    ) -> Option<Diagnostic> {
        let path = self.path_avoiding(skipped, targets)?;
        let end = *path.last().expect("paths are not empty");
        let article = if skipped == ast::Stage::Acknowledge { "an" } else { "a" };
        let message = format!(
            "{} reaches {} without {article} {} node",
            self.describe_path(&path),
            self.node(end).stage.keyword(),
            skipped.keyword()
        );
        let diagnostic = self.at_node(code, end, message).label(label);
        Some(self.label_path(diagnostic, &path, end).help(help))
    }

    /// Labels every node of `path` except `skip` with its step number.
    pub(crate) fn label_path(&self, mut diagnostic: Diagnostic, path: &[NodeIndex], skip: NodeIndex) -> Diagnostic {
        const MAX_LABELS: usize = 12;
        for (step, &node) in path.iter().enumerate().take(MAX_LABELS) {
            if node != skip {
                diagnostic = diagnostic.with(self.file(node), self.node(node).name.span, format!("step {}", step + 1));
            }
        }
        diagnostic
    }
}

/// What a node rule ([`Rule::node_check`]) sees: one node of a script's graph.
pub struct NodeCtx<'a> {
    pub project: &'a Project,
    pub key: NodeKey,
    pub node: &'a ast::Node,
    pub config: &'a Config,
}

impl NodeCtx<'_> {
    pub fn file(&self) -> FileId {
        self.key.file
    }

    pub(crate) fn name(&self) -> String {
        self.project.qualified_name(self.key)
    }

    /// A diagnostic of `code` at the name of the node, where the writer looks for it.
    pub(crate) fn at_node(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, self.file(), self.node.name.span, message)
    }
}

/// Runs the node rule `check` on the node `key`.
pub(crate) fn run_node_check(
    project: &Project,
    config: &Config,
    key: NodeKey,
    check: rule::NodeCheck,
    out: &mut Vec<Diagnostic>,
) {
    check(&NodeCtx { project, key, node: project.node(key), config }, out);
}

/// Files and scripts with this many nodes run their rules in parallel.
const PARALLEL_RULES_AT: usize = 5_000;

/// How many nodes at each end of a long path a message shows.
pub(crate) const PATH_ENDS: usize = crate::graph::timing::TAIL;

/// Checks the whole project with `config`; returns the diagnostics to report, in order.
pub fn check(project: &Project, config: &Config) -> Vec<Diagnostic> {
    let (found, coverage) = run_rules(project, config, registry::RULES);
    let found = rules::suppression::apply(project, found, &coverage);
    finish(project, config, found)
}

/// What every rule finds in the project, before suppression comments and levels apply, and
/// where the graph rules ran: a check with locales silences the source's and the locales'
/// diagnostics together (`check::locales`).
pub(crate) fn check_unsuppressed(project: &Project, config: &Config) -> (Vec<Diagnostic>, GraphCoverage) {
    run_rules(project, config, registry::RULES)
}

/// Runs `rules` over the project: what they find (no suppression or level applied yet), and
/// where the graph rules ran.
fn run_rules(project: &Project, config: &Config, rules: &[&Rule]) -> (Vec<Diagnostic>, GraphCoverage) {
    let mut found = project.diagnostics.clone();
    found.extend(file_rules(project, config, rules));
    let (scripts, mut coverage) = graph_scope(project, &found);
    let per_script: Vec<(Vec<Diagnostic>, Vec<NodeKey>)> = scripts
        .par_iter()
        .map(|&file| {
            let graph = ScriptGraph::build(project, file);
            let ctx = GraphCtx { project, graph: &graph, config };
            let run = |rule: &&Rule| {
                let mut out = Vec::new();
                if let Some(check) = rule.graph_check {
                    check(&ctx, &mut out);
                }
                if let Some(check) = rule.node_check {
                    for node in graph.nodes() {
                        run_node_check(project, config, graph.graph[node], check, &mut out);
                    }
                }
                out
            };
            // A very large script is checked rule by rule in parallel; for ordinary scripts
            // the parallelism across scripts is enough and cheaper.
            let mut found: Vec<Diagnostic> = if graph.graph.node_count() >= PARALLEL_RULES_AT {
                rules.par_iter().flat_map_iter(run).collect()
            } else {
                rules.iter().flat_map(run).collect()
            };
            label_library_entries(project, &graph, &mut found);
            (found, graph.nodes().map(|n| graph.graph[n]).collect())
        })
        .collect();
    for (script, (diagnostics, nodes)) in scripts.iter().zip(per_script) {
        found.extend(diagnostics);
        coverage.ran_on(*script, &nodes);
    }
    (found, coverage)
}

/// The file rules' diagnostics of every parsed file, in file order, then rule order.
pub(crate) fn file_rules(project: &Project, config: &Config, rules: &[&Rule]) -> Vec<Diagnostic> {
    let parsed: Vec<(FileId, &ast::File)> =
        project.files().zip(&project.modules).filter_map(|(file, m)| m.ast.as_ref().map(|ast| (file, ast))).collect();
    let per_file: Vec<Vec<Diagnostic>> = parsed
        .par_iter()
        .map(|&(file, ast)| {
            let ctx = FileCtx { project, file, ast, config };
            let run = |rule: &&Rule| {
                let mut out = Vec::new();
                if let Some(check) = rule.file_check {
                    check(&ctx, &mut out);
                }
                out
            };
            if ast.item.nodes.len() >= PARALLEL_RULES_AT {
                rules.par_iter().flat_map_iter(run).collect()
            } else {
                rules.iter().flat_map(run).collect()
            }
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

/// The scripts whose graph rules run (the requested scripts that neither have nor use a file
/// with a parse or name error among `found`), and the coverage of the others.
pub(crate) fn graph_scope(project: &Project, found: &[Diagnostic]) -> (Vec<FileId>, GraphCoverage) {
    let broken = broken_files(project, found);
    let (scripts, skipped): (Vec<FileId>, Vec<FileId>) = project
        .requested_scripts()
        .into_iter()
        .partition(|&file| !project.use_closure(file).iter().any(|f| broken[f.index()]));
    let coverage = GraphCoverage::new(project, &skipped);
    (scripts, coverage)
}

/// Where the graph rules ran: a suppression of a rule that did not run where it stands may
/// still be needed, so it is never reported as silencing nothing (spec section 2).
pub(crate) struct GraphCoverage {
    /// Per file, per node: whether the graph of a checked script held the node.
    checked: Vec<Vec<bool>>,
    /// Per file: a requested script that is the file or uses it skipped the graph rules (the
    /// cascade), so a problem it would find there may not have been looked for.
    skipped: Vec<bool>,
    /// Per file: the graph rules ran on this script.
    script_checked: Vec<bool>,
}

impl GraphCoverage {
    fn new(project: &Project, skipped_scripts: &[FileId]) -> GraphCoverage {
        let nodes = |file: FileId| project.item(file).map_or(0, |item| item.nodes.len());
        let mut skipped = vec![false; project.modules.len()];
        for &script in skipped_scripts {
            for file in project.use_closure(script) {
                skipped[file.index()] = true;
            }
        }
        GraphCoverage {
            checked: project.files().map(|file| vec![false; nodes(file)]).collect(),
            skipped,
            script_checked: vec![false; project.modules.len()],
        }
    }

    pub(crate) fn ran_on(&mut self, script: FileId, nodes: &[NodeKey]) {
        self.script_checked[script.index()] = true;
        for &NodeKey { file, index } in nodes {
            self.checked[file.index()][index] = true;
        }
    }

    /// Whether the graph rules ran on node `index` of `file` for every script that reaches it.
    pub fn node(&self, file: FileId, index: usize) -> bool {
        !self.skipped[file.index()] && self.checked[file.index()].get(index).copied().unwrap_or(false)
    }

    /// Whether the graph rules ran on the whole of `file`: the script itself, or every node
    /// of the library.
    pub fn file(&self, project: &Project, file: FileId) -> bool {
        let is_script = project.item(file).is_some_and(|item| item.kind == ast::ItemKind::Script);
        !self.skipped[file.index()]
            && self.checked[file.index()].iter().all(|&c| c)
            && (!is_script || self.script_checked[file.index()])
    }
}

/// Gives every diagnostic of a script's graph rules whose primary label lies in a library a
/// related label at the script's edge into the library (spec section 3), so a CI annotation
/// also lands in the script whose change caused it. The edge is the first of the script's
/// edges (model order) from which the labelled library node is nearest.
pub(crate) fn label_library_entries(project: &Project, graph: &ScriptGraph, found: &mut [Diagnostic]) {
    if found.iter().all(|diagnostic| diagnostic.file() == graph.script) {
        return;
    }
    let entries = LibraryEntries::new(graph);
    let script = &project.item(graph.script).expect("graphs are built for parsed scripts").name.name;
    for diagnostic in found.iter_mut().filter(|diagnostic| diagnostic.file() != graph.script) {
        let Some(edge) = entries.for_label(project, &diagnostic.primary) else { continue };
        let (target, _) =
            project.node(edge.from).stmts[edge.stmt].edge().expect("graph edges come from edge statements");
        let library = target.library.as_ref().map_or("", |library| library.name.as_str());
        let label = format!("script `{script}` goes into library `{library}` here");
        if !diagnostic.secondary.iter().any(|l| l.file == graph.script && l.span == target.span) {
            diagnostic.secondary.push(crate::diagnostic::Label {
                file: graph.script,
                span: target.span,
                message: label,
            });
        }
    }
}

/// For each library node of a script's graph, the script edge it is entered through:
/// one breadth-first search from every edge of the script into a library, in model order,
/// through library nodes only (linear in the graph).
struct LibraryEntries {
    /// Indexed by graph node; `None` for script nodes.
    entry: Vec<Option<crate::graph::Edge>>,
    /// Graph index of each library node, by its key.
    index: rustc_hash::FxHashMap<crate::resolve::NodeKey, NodeIndex>,
    /// The first edge into each library file, for a label that is in no reached node.
    first_into: rustc_hash::FxHashMap<FileId, crate::graph::Edge>,
}

impl LibraryEntries {
    fn new(graph: &ScriptGraph) -> LibraryEntries {
        let model = &graph.graph;
        let in_script = |n: NodeIndex| model[n].file == graph.script;
        let mut entry = vec![None; model.node_count()];
        let mut queue = std::collections::VecDeque::new();
        for node in graph.nodes().filter(|&n| in_script(n)) {
            for (edge, target) in graph.out_edges(node) {
                if !in_script(target) && entry[target.index()].is_none() {
                    entry[target.index()] = Some(model[edge]);
                    queue.push_back(target);
                }
            }
        }
        while let Some(node) = queue.pop_front() {
            for (_, target) in graph.out_edges(node) {
                if !in_script(target) && entry[target.index()].is_none() {
                    entry[target.index()] = entry[node.index()];
                    queue.push_back(target);
                }
            }
        }
        let mut index = rustc_hash::FxHashMap::default();
        let mut first_into = rustc_hash::FxHashMap::default();
        for node in graph.nodes().filter(|&n| !in_script(n)) {
            index.insert(model[node], node);
            if let Some(edge) = entry[node.index()] {
                first_into.entry(model[node].file).or_insert(edge);
            }
        }
        LibraryEntries { entry, index, first_into }
    }

    /// The entry edge for a label in a library: that of the node holding it, else the first
    /// edge into its file.
    fn for_label(&self, project: &Project, label: &crate::diagnostic::Label) -> Option<crate::graph::Edge> {
        let nodes = project.item(label.file).map_or(&[][..], |item| &item.nodes[..]);
        // Nodes are in source order: the last one starting at or before the label holds it.
        let at = nodes.partition_point(|node| node.span.start() <= label.span.start());
        let holder = at.checked_sub(1).filter(|&i| nodes[i].span.end() >= label.span.end());
        holder
            .and_then(|i| self.index.get(&NodeKey { file: label.file, index: i }))
            .and_then(|node| self.entry[node.index()])
            .or_else(|| self.first_into.get(&label.file).copied())
    }
}

/// Files with a parse or name error, whose scripts skip the graph rules.
pub(crate) fn broken_files(project: &Project, diagnostics: &[Diagnostic]) -> Vec<bool> {
    let mut broken = vec![false; project.modules.len()];
    for module in project.files().zip(&project.modules).filter(|(_, m)| m.ast.is_none()) {
        broken[module.0.index()] = true;
    }
    for diagnostic in diagnostics {
        if registry::rule(diagnostic.code).stops_graph_rules {
            broken[diagnostic.file().index()] = true;
        }
    }
    broken
}

/// Applies levels, then deduplicates and sorts.
pub(crate) fn finish(project: &Project, config: &Config, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = apply_levels(config, found);
    sort(project, &mut out);
    out.dedup();
    out
}

/// Gives each diagnostic the severity `config` sets for its code, dropping those at `allow`.
fn apply_levels(config: &Config, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    found
        .into_iter()
        .filter_map(|mut diagnostic| {
            diagnostic.severity = match registry::level(config, diagnostic.code) {
                Level::Allow => return None,
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
            };
            Some(diagnostic)
        })
        .collect()
}

/// The report order: file path, position, code, locale (the source first), message.
pub(crate) fn sort(project: &Project, diagnostics: &mut [Diagnostic]) {
    // Each file's display path is built once, not twice per comparison.
    let paths: Vec<String> = project.sources.ids().map(|f| project.sources.get(f).display_path()).collect();
    diagnostics.sort_by(|a, b| {
        paths[a.file().index()]
            .cmp(&paths[b.file().index()])
            .then(a.primary.span.start().cmp(&b.primary.span.start()))
            .then(a.code.cmp(&b.code))
            .then(a.locale.cmp(&b.locale))
            .then(a.message.cmp(&b.message))
            .then(a.primary.span.end().cmp(&b.primary.span.end()))
    });
}
