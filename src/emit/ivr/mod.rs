//! What the two IVR exports (Twilio Studio, Amazon Connect) share: the call as the caller
//! hears it. Each node becomes a [`Step`]: the agent's lines spoken in order, an optional
//! transfer, and an [`Exit`]. Where the caller has more than one way on, the ways are a
//! numbered menu (keypad digit N = the N-th `reply`, `option` or `->` in source order) and
//! `otherwise` is what happens on no match or silence, the same choices `defuse play` offers.
//!
//! Statements a phone flow cannot carry out (`customer` examples, `note`, `hold`,
//! `follow_up`) are reported by [`left_out`] as `not-exported` warnings, never dropped silently.

use petgraph::graph::NodeIndex;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Node, Outcome, Stage, Stmt, StmtKind, Str};
use crate::syntax::strings::Piece;

pub struct Step<'p> {
    pub index: NodeIndex,
    pub node: &'p Node,
    pub file: FileId,
    /// The node's id (`restate`, `closings.thanks`).
    pub name: String,
    /// The agent's `say` and `ask` lines, in order.
    pub prompt: Vec<&'p Str>,
    /// The node's first `transfer`; an escalated close without one transfers with no reason.
    pub transfer: Option<Option<&'p Str>>,
    pub exit: Exit<'p>,
}

pub enum Exit<'p> {
    /// A close: the call ends here.
    End,
    /// The only way on.
    Next(NodeIndex),
    /// The caller chooses.
    Menu { choices: Vec<Choice<'p>>, fallback: Option<NodeIndex> },
}

pub struct Choice<'p> {
    /// The reply or option text; `None` for a `->` (or a second `otherwise`) offered as a choice.
    pub label: Option<&'p Str>,
    pub target: NodeIndex,
}

/// Where a transition leads once steps that do nothing are skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The step of this node.
    Step(NodeIndex),
    /// The end of the call: a close that says nothing and transfers nowhere.
    End,
}

/// The call plan of one script: a step per node that does something, in model order.
pub struct Plan<'p> {
    pub steps: Vec<Step<'p>>,
    /// For every graph node, where arriving at it really leads.
    goals: Vec<Goal>,
    /// Where each trigger leads, in model order.
    pub starts: Vec<(NodeIndex, Goal)>,
    /// For every graph node, the position of its step in `steps`.
    positions: Vec<Option<usize>>,
}

impl<'p> Plan<'p> {
    pub fn new(project: &'p Project, graph: &ScriptGraph) -> Plan<'p> {
        let all: Vec<Step<'p>> = graph.nodes().map(|index| step(project, graph, index)).collect();
        // A step that says nothing, transfers nowhere and has at most one way on is skipped:
        // arriving there leads straight on. A loop of such steps keeps one step, so it stays a loop.
        let mut kept: Vec<bool> = all
            .iter()
            .map(|step| !(step.prompt.is_empty() && step.transfer.is_none() && !matches!(step.exit, Exit::Menu { .. })))
            .collect();
        let mut goals: Vec<Option<Goal>> = vec![None; all.len()];
        let mut on_trail = vec![false; all.len()];
        for start in 0..all.len() {
            let mut trail = Vec::new();
            let mut at = start;
            let goal = loop {
                if let Some(goal) = goals[at] {
                    break goal;
                }
                if kept[at] {
                    break Goal::Step(all[at].index);
                }
                let Exit::Next(next) = all[at].exit else { break Goal::End };
                if on_trail[at] {
                    kept[at] = true;
                    break Goal::Step(all[at].index);
                }
                on_trail[at] = true;
                trail.push(at);
                at = next.index();
            };
            for visited in trail {
                goals[visited] = Some(goal);
                on_trail[visited] = false;
            }
            goals[start] = Some(goal);
        }
        let goals: Vec<Goal> = goals.into_iter().map(|goal| goal.unwrap_or(Goal::End)).collect();
        let starts = graph.triggers(project).map(|trigger| (trigger, goals[trigger.index()])).collect();
        let steps: Vec<Step> =
            all.into_iter().filter(|step| goals[step.index.index()] == Goal::Step(step.index)).collect();
        let mut positions = vec![None; goals.len()];
        for (position, step) in steps.iter().enumerate() {
            positions[step.index.index()] = Some(position);
        }
        Plan { steps, goals, starts, positions }
    }

    /// Where arriving at `node` leads.
    pub fn goal(&self, node: NodeIndex) -> Goal {
        self.goals[node.index()]
    }

    /// The position in `steps` of the step `goal` leads to; `None` for the end of the call.
    pub fn step_position(&self, goal: Goal) -> Option<usize> {
        match goal {
            Goal::Step(node) => self.positions[node.index()],
            Goal::End => None,
        }
    }
}

fn step<'p>(project: &'p Project, graph: &ScriptGraph, index: NodeIndex) -> Step<'p> {
    let key = graph.graph[index];
    let node = project.node(key);
    let prompt = node
        .stmts
        .iter()
        .filter_map(|stmt| match &stmt.kind {
            StmtKind::Say(text) | StmtKind::Ask(text) => Some(text),
            _ => None,
        })
        .collect();
    let transfer = node.stmts.iter().find_map(|stmt| match &stmt.kind {
        StmtKind::Transfer(reason) => Some(Some(reason)),
        _ => None,
    });
    let transfer = transfer.or((node.stage == Stage::Close && node.outcome() == Outcome::Escalated).then_some(None));
    let edges = graph.out_edges(index);
    let exit = match edges.as_slice() {
        [] => Exit::End,
        [(_, only)] => Exit::Next(*only),
        _ => {
            let mut choices = Vec::new();
            let mut fallback = None;
            for &(edge, target) in &edges {
                match &node.stmts[graph.graph[edge].stmt].kind {
                    StmtKind::Otherwise(_) if fallback.is_none() => fallback = Some(target),
                    StmtKind::Reply(label, _) | StmtKind::Option(label, _) => {
                        choices.push(Choice { label: Some(label), target })
                    }
                    _ => choices.push(Choice { label: None, target }),
                }
            }
            Exit::Menu { choices, fallback }
        }
    };
    Step { index, node, file: key.0, name: project.qualified_name(key), prompt, transfer, exit }
}

/// Text with each placeholder written by `var` and each literal run by `literal`.
pub fn render_text(
    project: &Project,
    file: FileId,
    text: &Str,
    var: impl Fn(&str) -> String,
    literal: impl Fn(&str) -> String,
) -> String {
    let source = &project.sources.get(file).text;
    text.pieces(source)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => literal(&text),
            Piece::Var(name) => var(name),
        })
        .collect()
}

/// The sentence that offers choice `digit`, e.g. `Press 1 for “yes”.`
pub fn menu_line(digit: usize, label: Option<String>) -> String {
    match label {
        Some(label) => format!("Press {digit} for “{label}”."),
        None => format!("Press {digit} to go on."),
    }
}

/// One `not-exported` warning per kind of statement a phone flow cannot carry out, per file,
/// labelling every such statement the script reaches.
pub fn left_out(project: &Project, graph: &ScriptGraph, target: &str) -> Vec<Diagnostic> {
    let mut found: Vec<(FileId, &'static str, Vec<&Stmt>)> = Vec::new();
    for index in graph.nodes() {
        let key = graph.graph[index];
        let mut transfers = 0;
        for stmt in &project.node(key).stmts {
            let kind = match stmt.kind {
                StmtKind::Customer(_) | StmtKind::Note(_) | StmtKind::Hold(_) | StmtKind::FollowUp { .. } => {
                    stmt.keyword_text()
                }
                StmtKind::Transfer(_) => {
                    transfers += 1;
                    if transfers == 1 {
                        continue;
                    }
                    "transfer"
                }
                _ => continue,
            };
            match found.iter_mut().find(|(file, k, _)| *file == key.0 && *k == kind) {
                Some((_, _, stmts)) => stmts.push(stmt),
                None => found.push((key.0, kind, vec![stmt])),
            }
        }
    }
    found
        .into_iter()
        .map(|(file, kind, stmts)| {
            let (why, help) = match kind {
                "customer" => (
                    "an example of what the caller says; the flow listens instead",
                    "nothing to do: the caller's words come from the caller",
                ),
                "note" => (
                    "a trainer note, never spoken",
                    "nothing to do: keep notes for rehearsal (`defuse play`) and the flow JSON",
                ),
                "hold" => (
                    "the flow has no hold step",
                    "drop the hold from the script, or add a hold step in the tool after importing",
                ),
                "follow_up" => {
                    ("a follow-up is work for the agent after the call", "schedule follow-ups in your ticketing tool")
                }
                _ => ("only a node's first transfer becomes a transfer step", "keep one `transfer` per node"),
            };
            let count = stmts.len();
            let lines = if count == 1 { "line".to_owned() } else { format!("{count} lines") };
            let message = format!("`{kind}` {lines} left out of the {target} export: {why}");
            let mut diagnostic = warning(file, stmts[0].span, message, help).label(format!("not in the {target} flow"));
            for stmt in &stmts[1..] {
                diagnostic = diagnostic.with(file, stmt.span, "also left out");
            }
            diagnostic
        })
        .collect()
}

/// The warning for a flow of `count` parts (widgets, blocks) when the product imports at most `max`.
pub fn too_large(
    project: &Project,
    graph: &ScriptGraph,
    count: usize,
    max: usize,
    message: String,
) -> Option<Diagnostic> {
    (count > max).then(|| {
        let script = project.item(graph.script).expect("exports are built for parsed scripts");
        warning(graph.script, script.name.span, message, "split the script into smaller scripts before importing")
    })
}

/// A `not-exported` warning.
pub fn warning(file: FileId, span: Span, message: String, help: &str) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(Code::NotExported, file, span, message).help(help);
    diagnostic.severity = Severity::Warning;
    diagnostic
}

/// Where each step goes on an editor's canvas: its stage's row (trigger at the top) and the
/// next free column of that row. Each product turns the cell into its own coordinates.
#[derive(Default)]
pub struct StageGrid {
    used: [i64; 6],
}

impl StageGrid {
    /// The (column, row) of `step`.
    pub fn place(&mut self, step: &Step) -> (i64, i64) {
        let row = step.node.stage.rank();
        self.used[row] += 1;
        (self.used[row] - 1, row as i64)
    }

    /// How many columns the widest row uses.
    pub fn columns(&self) -> i64 {
        self.used.iter().max().copied().unwrap_or(0)
    }
}

/// Unique names for the parts of an export (widgets, blocks): the wanted name if it is free,
/// else the first free of `{stem}_2`, `{stem}_3`, …, exactly as a retry from 2 would find.
///
/// Cost stays linear in the names claimed, however alike they are: for each stem and suffix
/// width the claimer remembers the next suffix that may be free, so no suffix is tried twice
/// (retrying from 2 made 16,384 names equal up to case take 15 s). The stem may depend on the
/// suffix width (Connect shortens a name to make room for its suffix); invariant: every
/// `{stem}_{n}` with a suffix of that width below the remembered one is taken.
#[derive(Default)]
pub struct NameClaimer {
    taken: rustc_hash::FxHashSet<String>,
    /// (stem, digits of the suffix number) → the next number to try.
    next: rustc_hash::FxHashMap<(String, u32), u64>,
}

impl NameClaimer {
    /// Claims `wanted`, or when it is taken `{stem}_{n}` for the smallest free n ≥ 2, where
    /// `stem(room)` is the stem when the suffix (`_` and the digits) takes `room` characters.
    pub fn claim(&mut self, wanted: String, stem: impl Fn(usize) -> String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        for digits in 1..u64::MAX.ilog10() {
            let (low, high) = (10u64.pow(digits - 1).max(2), 10u64.pow(digits));
            let stem = stem(digits as usize + 1);
            let next = self.next.entry((stem.clone(), digits)).or_insert(low);
            while *next < high {
                let name = format!("{stem}_{next}");
                *next += 1;
                if self.taken.insert(name.clone()) {
                    return name;
                }
            }
        }
        unreachable!("fewer than 10^18 names are claimed")
    }
}

#[cfg(test)]
mod tests {
    use super::NameClaimer;

    /// The reference: retry `_2`, `_3`, … from 2 for every name.
    fn retry_from_two(
        taken: &mut std::collections::HashSet<String>,
        wanted: &str,
        stem: &dyn Fn(usize) -> String,
    ) -> String {
        let mut name = wanted.to_owned();
        let mut n = 1;
        while !taken.insert(name.clone()) {
            n += 1;
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", stem(suffix.len()));
        }
        name
    }

    /// Connect's shape: at most 12 characters, the stem shortened to make room for the suffix.
    fn short(wanted: &str) -> impl Fn(usize) -> String + '_ {
        move |room| wanted.chars().take(12 - room).collect()
    }

    #[test]
    fn claims_the_same_names_as_retrying_from_two() {
        let mut wanted: Vec<String> = Vec::new();
        for i in 0..300 {
            wanted.push("step".to_owned());
            wanted.push(format!("step_{}", i % 13 + 2));
            wanted.push(format!("abcdefghij{}", i % 7));
            wanted.push(format!("abcdefghi_{}", i % 11));
            wanted.push("abcdefghijkl".to_owned());
        }
        let (mut claimer, mut reference) = (NameClaimer::default(), std::collections::HashSet::new());
        let mut seen = std::collections::HashSet::new();
        for name in &wanted {
            let wanted_name: String = name.chars().take(12).collect();
            let claimed = claimer.claim(wanted_name.clone(), short(name));
            assert_eq!(claimed, retry_from_two(&mut reference, &wanted_name, &short(name)), "claiming {name}");
            assert!(claimed.len() <= 12 && seen.insert(claimed.clone()), "{claimed} is short and new");
        }
        assert_eq!(seen.len(), wanted.len());
    }

    #[test]
    fn many_equal_names_get_consecutive_suffixes() {
        let mut claimer = NameClaimer::default();
        let names: Vec<String> = (0..20_000).map(|_| claimer.claim("a".to_owned(), |_| "a".to_owned())).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[1], "a_2");
        assert_eq!(names[19_999], "a_20000");
    }
}
