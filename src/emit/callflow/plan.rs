//! The call plan of a phone export: each node the caller meets becomes a [`Step`]: the agent's
//! lines spoken in order, an optional transfer, and an [`Exit`]. Where the caller has more than
//! one way on, the ways are a numbered menu (keypad digit N = the N-th `reply`, `option` or `->`
//! in source order) and `otherwise` is what happens on no match or silence, the same choices
//! `defuse play` offers. Steps that say nothing and lead straight on are skipped.

use petgraph::graph::NodeIndex;

use crate::call::{Call, ChoiceKind, LineKind};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::{Node, Outcome, Str};

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

pub(crate) enum Exit<'p> {
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
pub(crate) enum Goal {
    /// The step of this node.
    Step(NodeIndex),
    /// The end of the call: a close that says nothing and transfers nowhere.
    End,
}

/// The call plan of one script: a step per node that does something, in model order.
pub(crate) struct Plan<'p> {
    pub steps: Vec<Step<'p>>,
    /// For every graph node, where arriving at it really leads.
    goals: Vec<Goal>,
    /// Where each trigger leads, in model order.
    pub starts: Vec<(NodeIndex, Goal)>,
    /// For every graph node, the position of its step in `steps`.
    positions: Vec<Option<usize>>,
    /// The language the export speaks (`build --locale`: a BCP 47 tag), for the words it adds
    /// itself ([`super::menu_line`]); `None` is English.
    pub language: Option<String>,
}

impl<'p> Plan<'p> {
    pub fn new(project: &'p Project, graph: &'p ScriptGraph) -> Plan<'p> {
        let call = Call::new(project, graph);
        let all: Vec<Step<'p>> = graph.nodes().map(|index| step(&call, index)).collect();
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
        Plan { steps, goals, starts, positions, language: None }
    }

    /// Where arriving at `node` leads.
    pub(crate) fn goal(&self, node: NodeIndex) -> Goal {
        self.goals[node.index()]
    }

    /// The position in `steps` of the step `goal` leads to; `None` for the end of the call.
    pub(crate) fn step_position(&self, goal: Goal) -> Option<usize> {
        match goal {
            Goal::Step(node) => self.positions[node.index()],
            Goal::End => None,
        }
    }
}

/// A node's step, read from the conversation model: its spoken lines, first transfer and ways on.
fn step<'p>(call: &Call<'p>, index: NodeIndex) -> Step<'p> {
    let key = call.graph.graph[index];
    let node = call.node(index);
    let prompt = call.lines(index).filter(|line| line.kind.is_agent()).map(|line| line.text).collect();
    let transfer = call.lines(index).find(|line| line.kind == LineKind::Transfer).map(|line| Some(line.text));
    let transfer = transfer.or((call.outcome(index) == Some(Outcome::Escalated)).then_some(None));
    let choices = call.choices(index);
    let exit = match choices.as_slice() {
        [] => Exit::End,
        [only] => Exit::Next(only.target),
        _ => {
            let mut menu = Vec::new();
            let mut fallback = None;
            for choice in &choices {
                match choice.kind {
                    ChoiceKind::Otherwise if fallback.is_none() => fallback = Some(choice.target),
                    _ => menu.push(Choice { label: choice.label, target: choice.target }),
                }
            }
            Exit::Menu { choices: menu, fallback }
        }
    };
    Step { index, node, file: key.file, name: call.id(index), prompt, transfer, exit }
}
