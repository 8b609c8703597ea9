//! `build --emit json`: the versioned flow format for call-flow tools (spec section 5).
//!
//! These types are the format: `docs/flow.schema.json` is generated from them with
//! schemars (a test fails when the committed schema differs), so the schema cannot drift
//! from what is emitted. Keys are declared in a fixed order and maps are sorted, so the
//! output is byte-identical across runs and machines.
//!
//! The enums here (`StageName`, `OutcomeName`, `LineKind`, `NextKind`) mirror the AST's and
//! the conversation model's on purpose: they are defuse-flow/1, and a `From` per enum makes a
//! change inside the compiler a compile error here instead of a silent change of the format.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use petgraph::graph::NodeIndex;

use crate::call::{self, Call, ChoiceKind};
use crate::config::timing::Timing;
use crate::graph::analysis::BfsTree;
use crate::graph::timing::{fastest_to_close, node_seconds, round};
use crate::graph::trails::{for_each_trail, Stop};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{self, Stage};

/// How many paths `stats.paths` counts before it gives up (`paths_complete: false`).
pub(crate) const PATH_COUNT_LIMIT: usize = 100_000;

/// A compiled script.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "defuse flow", description = "A compiled de-escalation script (defuse-flow/1).")]
pub struct Flow {
    /// Always `defuse-flow/1`; a new major version means a breaking change.
    pub format: FormatVersion,
    pub script: ScriptInfo,
    /// Ids of the trigger nodes, where a call starts, in source order.
    pub entry: Vec<String>,
    /// Script nodes in source order, then the library nodes it reaches, in `use` order.
    pub nodes: Vec<FlowNode>,
    pub stats: Stats,
}

#[derive(Serialize, JsonSchema)]
pub enum FormatVersion {
    #[serde(rename = "defuse-flow/1")]
    V1,
}

#[derive(Serialize, JsonSchema)]
pub struct ScriptInfo {
    pub name: String,
    /// The human title, when the script has one.
    pub title: Option<String>,
    /// Free `meta` keys, each with its values in source order; keys sorted.
    pub meta: BTreeMap<String, Vec<String>>,
    /// Placeholders the texts may contain as `{name}`.
    pub vars: Vec<String>,
    /// The script's file, as given to `defuse build`.
    pub source: String,
    /// The locale of the texts (`build --locale`, as a directory name such as `fr_CA`); absent
    /// for the source language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct FlowNode {
    /// The node name; library nodes are `library.node`.
    pub id: String,
    pub stage: StageName,
    /// Close nodes only: how the call ends (default `resolved`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeName>,
    /// Close nodes only, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUp>,
    /// What is said on this step, in order. Placeholders stay as `{name}`.
    pub lines: Vec<Line>,
    /// Where the call can go next, in source order. Empty for a close.
    pub next: Vec<Next>,
    /// Estimated spoken time of this step (spec section 3, "Spoken time"): the agent's
    /// words, waiting for an answer, holds; rounded to one decimal.
    pub seconds: f64,
    pub source: SourcePosition,
}

/// The stage of a node, in call order.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StageName {
    Trigger,
    Acknowledge,
    Mirror,
    RootCause,
    Options,
    Close,
}

impl From<Stage> for StageName {
    fn from(stage: Stage) -> StageName {
        match stage {
            Stage::Trigger => StageName::Trigger,
            Stage::Acknowledge => StageName::Acknowledge,
            Stage::Mirror => StageName::Mirror,
            Stage::RootCause => StageName::RootCause,
            Stage::Options => StageName::Options,
            Stage::Close => StageName::Close,
        }
    }
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeName {
    Resolved,
    Escalated,
    Callback,
    Ended,
}

impl From<ast::Outcome> for OutcomeName {
    fn from(outcome: ast::Outcome) -> OutcomeName {
        match outcome {
            ast::Outcome::Resolved => OutcomeName::Resolved,
            ast::Outcome::Escalated => OutcomeName::Escalated,
            ast::Outcome::Callback => OutcomeName::Callback,
            ast::Outcome::Ended => OutcomeName::Ended,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct FollowUp {
    /// When, as written: `48h`, `2d`.
    pub after: String,
    pub note: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    Say,
    Ask,
    Customer,
    Note,
    Hold,
    Transfer,
}

impl From<call::LineKind> for LineKind {
    fn from(kind: call::LineKind) -> LineKind {
        match kind {
            call::LineKind::Say => LineKind::Say,
            call::LineKind::Ask => LineKind::Ask,
            call::LineKind::Customer => LineKind::Customer,
            call::LineKind::Note => LineKind::Note,
            call::LineKind::Hold => LineKind::Hold,
            call::LineKind::Transfer => LineKind::Transfer,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NextKind {
    Goto,
    Reply,
    Otherwise,
    Option,
}

impl From<ChoiceKind> for NextKind {
    fn from(kind: ChoiceKind) -> NextKind {
        match kind {
            ChoiceKind::Continue => NextKind::Goto,
            ChoiceKind::Reply => NextKind::Reply,
            ChoiceKind::Otherwise => NextKind::Otherwise,
            ChoiceKind::Option => NextKind::Option,
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct Next {
    pub kind: NextKind,
    /// The reply or option text (`reply` and `option` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The id of the node it leads to.
    pub target: String,
}

#[derive(Serialize, JsonSchema)]
pub struct SourcePosition {
    /// The file the node is written in (a library's file for library nodes).
    pub file: String,
    /// 1-based line of the node's stage keyword.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct Stats {
    pub nodes: usize,
    pub edges: usize,
    /// Paths from a trigger to a close, each loop taken at most once (as `defuse paths`).
    pub paths: usize,
    /// False when there were too many paths to count; `paths` is then a lower bound.
    pub paths_complete: bool,
    /// Steps (edges) on the shortest way from a trigger to a close; null when there is none.
    pub shortest_path: Option<usize>,
    /// Seconds of the fastest way from a trigger to a close (the sum of its nodes'
    /// `seconds`, computed before rounding, then rounded to one decimal); null when there is none.
    pub fastest_seconds: Option<f64>,
}

/// Compiles the script of `graph` to its flow.
pub(crate) fn flow(project: &Project, graph: &ScriptGraph, timing: &Timing) -> Flow {
    let script = project.item(graph.script).expect("flows are built for parsed scripts");
    let mut meta: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in &script.meta {
        meta.entry(entry.key.name.clone()).or_default().extend(entry.values.iter().map(|v| v.value.clone()));
    }
    let seconds = node_seconds(project, graph, timing);
    let call = Call::new(project, graph);
    let nodes = graph.nodes().map(|index| node(&call, index, seconds[index.index()])).collect();
    Flow {
        format: FormatVersion::V1,
        script: ScriptInfo {
            name: script.name.name.clone(),
            title: script.title.as_ref().map(|t| t.value.clone()),
            meta,
            vars: script.vars.iter().map(|v| v.name.clone()).collect(),
            source: project.sources.get(graph.script).display_path(),
            locale: None,
        },
        entry: graph.triggers(project).map(|n| project.qualified_name(graph.graph[n])).collect(),
        nodes,
        stats: stats(project, graph, &seconds),
    }
}

fn node(call: &Call, index: NodeIndex, seconds: f64) -> FlowNode {
    let key = call.graph.graph[index];
    let source = call.project.sources.get(key.file);
    let at = source.line_col(call.node(index).stage_span.start());
    let lines = call.lines(index).map(|line| Line { kind: line.kind.into(), text: line.text.value.clone() }).collect();
    let next = call
        .ways_on(index)
        .into_iter()
        .map(|way| Next {
            kind: way.kind.into(),
            label: way.label.map(|label| label.value.clone()),
            // A target that names no node (`unknown-target` allowed) is listed as written.
            target: way.leads.map_or_else(|| way.target.display(), |(_, target)| call.id(target)),
        })
        .collect();
    FlowNode {
        id: call.id(index),
        stage: call.node(index).stage.into(),
        outcome: call.outcome(index).map(OutcomeName::from),
        follow_up: call
            .follow_up(index)
            .map(|follow_up| FollowUp { after: follow_up.after.value.clone(), note: follow_up.note.value.clone() }),
        lines,
        next,
        seconds: round(seconds),
        source: SourcePosition { file: source.display_path(), line: at.line, column: at.column },
    }
}

fn stats(project: &Project, graph: &ScriptGraph, seconds: &[f64]) -> Stats {
    let mut paths = 0;
    let stop = for_each_trail(project, graph, |_| {
        paths += 1;
        paths < PATH_COUNT_LIMIT
    });
    let tree = BfsTree::new(&graph.graph, graph.triggers(project), |_| false);
    let shortest_path = tree
        .order
        .iter()
        .find(|&&n| graph.stage(project, n) == Stage::Close)
        .map(|&close| tree.path_to(close).len() - 1);
    Stats {
        nodes: graph.graph.node_count(),
        edges: graph.graph.edge_count(),
        paths,
        paths_complete: stop == Stop::Complete,
        shortest_path,
        fastest_seconds: fastest_to_close(project, graph, seconds)
            .fastest_trigger(project, graph)
            .map(|(_, seconds)| round(seconds)),
    }
}

/// The flow as pretty JSON, ending with a newline.
pub fn render(project: &Project, graph: &ScriptGraph, timing: &Timing) -> String {
    render_in(project, graph, timing, None)
}

/// [`render`] of a project localised to `locale` (its texts are that locale's already).
pub(crate) fn render_in(
    project: &Project,
    graph: &ScriptGraph,
    timing: &Timing,
    locale: Option<&crate::config::locales::Locale>,
) -> String {
    let mut flow = flow(project, graph, timing);
    flow.script.locale = locale.map(|locale| locale.as_str().to_owned());
    let mut text = serde_json::to_string_pretty(&flow).expect("flows serialize");
    text.push('\n');
    text
}

/// `docs/flow.schema.json`, generated from these types.
pub fn schema() -> String {
    let schema = schemars::schema_for!(Flow);
    let mut text = serde_json::to_string_pretty(&schema).expect("schemas serialize");
    text.push('\n');
    text
}
