//! Running one test: walk the script with the conversation model ([`crate::call`]) taking the
//! test's choices in order, then check its expectations at the close.
//!
//! A failure is a `test` diagnostic at the first point where the call and the test part ways:
//! labelled in the `.dtest`, with a related label at the node of the script where it happened.
//! **Invariant:** a run ends: the model halts at a loop of plain `->`, every choice consumes a
//! step of the test, and a walk longer than [`MAX_STEPS`] fails.

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::ast::{StepKind, Test};
use super::names::{plan, Expect, Labels, Script};
use super::seconds::{display, walk_seconds};
use super::{shown, CODE};
use crate::call::Call;
use crate::call::Vars;
use crate::call::{Choice, ChoiceKind, Halt, Walk};
use crate::config::timing::Timing;
use crate::diagnostic::{Diagnostic, Fix};
use crate::graph::timing::round;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Stage, Str, Target};

/// The longest walk a test may take, in steps (edges).
pub(crate) const MAX_STEPS: usize = 10_000;

/// What running one test found.
#[derive(Debug)]
pub struct TestRun {
    /// The nodes the call visited, in order (empty when the test could not start).
    pub walk: Vec<NodeIndex>,
    /// The edges it took, in order.
    pub edges: Vec<EdgeIndex>,
    /// `None` when the test passed.
    pub failure: Option<Diagnostic>,
}

/// What `expect under` times a walk with: a call (the script's own, or the same script in the
/// locale the test runs in) and its `[timing]`. Its node indices are the script's.
#[derive(Clone, Copy)]
pub struct Timed<'t, 'p> {
    pub call: &'t Call<'p>,
    pub timing: &'t Timing,
}

/// Runs `test`, written in the `.dtest` file `file`, against `script`, timing walks with
/// `timed`.
pub fn run(script: &Script, file: FileId, test: &Test, timed: Timed) -> TestRun {
    let plan = match plan(script, file, test, Labels::LeftToTheWalk) {
        Ok(plan) => plan,
        Err(diagnostic) => return TestRun { walk: Vec::new(), edges: Vec::new(), failure: Some(*diagnostic) },
    };
    let mut runner = Runner {
        script,
        file,
        vars: &plan.vars,
        timed,
        walk: Walk::start(plan.start),
        edges: Vec::new(),
        picked: Vec::new(),
    };
    let failure = runner.walk(test, &plan.choices).err().or_else(|| runner.expect(&plan).err());
    TestRun { walk: runner.walk.path, edges: runner.edges, failure: failure.map(|d| *d) }
}

struct Runner<'s, 'p> {
    script: &'s Script<'p>,
    file: FileId,
    vars: &'s Vars,
    timed: Timed<'s, 'p>,
    walk: Walk,
    edges: Vec<EdgeIndex>,
    /// The option labels the caller picked, with the node they were picked at.
    picked: Vec<(NodeIndex, &'p Str)>,
}

type Failed = Box<Diagnostic>;

impl<'p> Runner<'_, 'p> {
    /// A failure labelled at `span` in the test and, when given, at `node` in the script.
    fn fail(&self, span: Span, message: String, label: &str, node: Option<(NodeIndex, &str)>) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(CODE, self.file, span, message).label(label);
        if let Some((node, label)) = node {
            let call = &self.script.call;
            diagnostic = diagnostic.with(call.graph.graph[node].file, call.node(node).name.span, label);
        }
        diagnostic
    }

    fn id(&self, node: NodeIndex) -> String {
        self.script.call.id(node)
    }

    /// Walks to a close, taking `choices` in order.
    fn walk(&mut self, test: &Test, choices: &[(&super::ast::Step, Option<NodeIndex>)]) -> Result<(), Failed> {
        let call = self.script.call;
        let mut choices = choices.iter();
        loop {
            let before = self.walk.path.len();
            let halt = self.walk.settle(&call, |_| {});
            for moved in before..self.walk.path.len() {
                self.edges.push(call.choices(self.walk.path[moved - 1])[0].edge);
            }
            let at = self.walk.at();
            if self.walk.path.len() > MAX_STEPS + 1 || matches!(halt, Halt::Loops) {
                return Err(self
                    .fail(
                        test.name.span,
                        format!("the walk is longer than {MAX_STEPS} steps"),
                        "this test never reaches a close",
                        Some((at, "the call goes round here")),
                    )
                    .into());
            }
            match halt {
                Halt::Ended(_) => {
                    return match choices.next() {
                        Some((step, _)) => Err(self
                            .fail(
                                step.span,
                                format!("the call ended at `{}`, but the test goes on", self.id(at)),
                                "the call has already ended",
                                Some((at, "the call ends here")),
                            )
                            .into()),
                        None => Ok(()),
                    }
                }
                Halt::Choose(options) => {
                    let Some((step, go)) = choices.next() else {
                        let end = Span::new(test.span.end() - 1, test.span.end());
                        let message = format!("the test's choices ran out at `{}`, before a close", self.id(at));
                        let failure = self.fail(
                            end,
                            message,
                            "the test ends here",
                            Some((at, "the call waits for a choice here")),
                        );
                        return Err(failure.help(format!("the caller can: {}", self.ways(&options))).into());
                    };
                    let choice = self.choose(at, &options, step, *go)?;
                    if choice.kind == ChoiceKind::Option {
                        self.picked.push((at, choice.label.expect("an option has a label")));
                    }
                    self.edges.push(choice.edge);
                    self.walk.choose(&choice);
                }
                Halt::Stuck | Halt::Loops => {
                    return Err(self
                        .fail(
                            test.name.span,
                            format!("the call is stuck at `{}`: it has no way on", self.id(at)),
                            "this test never reaches a close",
                            Some((at, "no way on from here")),
                        )
                        .into())
                }
            }
        }
    }

    /// The choice among `options` (at `at`) that `step` takes.
    fn choose(
        &self,
        at: NodeIndex,
        options: &[Choice<'p>],
        step: &super::ast::Step,
        go: Option<NodeIndex>,
    ) -> Result<Choice<'p>, Failed> {
        let call = self.script.call;
        let has = |kind| options.iter().any(|c| c.kind == kind);
        let with_label = |kind, text: &Str| {
            options.iter().find(|c| c.kind == kind && c.label.is_some_and(|l| l.value == text.value)).copied()
        };
        let (found, word) = match &step.kind {
            StepKind::Answer(Some(text)) => (with_label(ChoiceKind::Reply, text), "answer"),
            StepKind::Answer(None) => (options.iter().find(|c| c.kind == ChoiceKind::Otherwise).copied(), "answer"),
            StepKind::Pick(text) => (with_label(ChoiceKind::Option, text), "pick"),
            StepKind::Go(_) => (options.iter().find(|c| Some(c.target) == go).copied(), "go"),
            _ => unreachable!("only answer, pick and go are choices"),
        };
        if let Some(choice) = found {
            return Ok(choice);
        }
        let node = self.id(at);
        let is_options = call.node(at).stage == Stage::Options;
        let fits = match word {
            "answer" => has(ChoiceKind::Reply) || has(ChoiceKind::Otherwise),
            "pick" => has(ChoiceKind::Option),
            _ => true,
        };
        let message = match &step.kind {
            _ if !fits && word == "answer" && is_options => {
                format!("`answer` does not fit node `{node}`: it is an options node, where the customer picks")
            }
            _ if !fits && word == "answer" => format!("`answer` does not fit node `{node}`: it has no replies"),
            _ if !fits => format!("`pick` does not fit node `{node}`: it offers no options"),
            StepKind::Answer(Some(text)) => format!("node `{node}` has no reply \"{}\"", shown(&text.value)),
            StepKind::Answer(None) => format!("node `{node}` has no `otherwise`"),
            StepKind::Pick(text) => format!("node `{node}` has no option \"{}\"", shown(&text.value)),
            _ => format!("node `{node}` has no way on to `{}`", go.map(|n| self.id(n)).unwrap_or_default()),
        };
        let failure =
            self.fail(step.span, message, "the call and the test part ways here", Some((at, "the call is here")));
        // A misspelt label of this node: name the one meant first.
        let meant = match &step.kind {
            StepKind::Answer(Some(text)) => Some((text, ChoiceKind::Reply)),
            StepKind::Pick(text) => Some((text, ChoiceKind::Option)),
            _ => None,
        }
        .and_then(|(text, kind)| {
            let labels = options.iter().filter(|c| c.kind == kind).filter_map(|c| c.label.map(|l| l.value.as_str()));
            Some((text.span, format!("\"{}\"", shown(crate::suggest::closest(&text.value, labels)?))))
        });
        let ways = format!("the caller can: {}", self.ways(options));
        Err(match meant {
            Some((span, quoted)) => {
                let help = format!("did you mean {quoted}? {ways}");
                failure.suggest(Fix::replace(self.file, span, quoted), help)
            }
            None => failure.help(ways),
        }
        .into())
    }

    /// The steps a test could write at a node: `answer "yes", answer otherwise, go next`.
    fn ways(&self, options: &[Choice]) -> String {
        let quoted = |c: &Choice| format!("\"{}\"", shown(c.label.map_or("", |l| l.value.as_str())));
        options
            .iter()
            .map(|c| match c.kind {
                ChoiceKind::Reply => format!("answer {}", quoted(c)),
                ChoiceKind::Otherwise => "answer otherwise".to_owned(),
                ChoiceKind::Option => format!("pick {}", quoted(c)),
                ChoiceKind::Continue => format!("go {}", self.id(c.target)),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Checks the expectations at the close, in the test's order.
    fn expect(&self, plan: &super::names::Plan) -> Result<(), Failed> {
        let call = self.script.call;
        let end = self.walk.at();
        let close = call.node(end);
        for (step, expect) in &plan.expectations {
            match expect {
                Expect::Close(node, target) if *node != end => {
                    return Err(self.fail(
                        target.span,
                        format!("the call ended at `{}`, not at `{}`", self.id(end), target.display()),
                        "expected close",
                        Some((end, "the call ends here")),
                    ).into())
                }
                Expect::Outcome(outcome) if close.outcome() != *outcome => {
                    return Err(self.fail(
                        step.span,
                        format!(
                            "the call ended with outcome `{}`, not `{}`",
                            close.outcome().keyword(),
                            outcome.keyword()
                        ),
                        "expected outcome",
                        Some((end, "the call ends here")),
                    ).into())
                }
                Expect::Path(expected) => self.expect_path(step.span, expected)?,
                Expect::Says(text) if self.spoken().all(|(_, line)| !line.contains(&text.value)) => {
                    return Err(Box::new(
                        Diagnostic::new(
                            CODE,
                            self.file,
                            text.span,
                            format!("no agent line on the walk says \"{}\"", shown(&text.value)),
                        )
                        .label("never said")
                        .help("`says` looks at the say and ask lines of every node walked and the options picked, with the test's vars filled in"),
                    ))
                }
                Expect::NotSays(text) => {
                    if let Some((node, _)) = self.spoken().find(|(_, line)| line.contains(&text.value)) {
                        return Err(self.fail(
                            text.span,
                            format!("the agent says \"{}\" at `{}`", shown(&text.value), self.id(node)),
                            "expected never to be said",
                            Some((node, "said here")),
                        ).into());
                    }
                }
                Expect::FollowUp(text) => match close.follow_up() {
                    Some((after, _)) if after.value == text.value => {}
                    Some((after, _)) => {
                        return Err(self.fail(
                            text.span,
                            format!(
                                "the follow-up at `{}` is after \"{}\", not \"{}\"",
                                self.id(end),
                                shown(&after.value),
                                shown(&text.value)
                            ),
                            "expected follow-up",
                            Some((end, "the call ends here")),
                        ).into())
                    }
                    None => {
                        return Err(self.fail(
                            text.span,
                            format!("the close `{}` has no follow_up", self.id(end)),
                            "expected follow-up",
                            Some((end, "the call ends here")),
                        ).into())
                    }
                },
                Expect::Under(limit, text) => {
                    let seconds = walk_seconds(self.timed.call, &self.walk, self.timed.timing);
                    if round(seconds) > *limit {
                        return Err(self.fail(
                            text.span,
                            format!(
                                "the walk takes {}, over \"{}\" ({})",
                                display(seconds),
                                shown(&text.value),
                                display(*limit)
                            ),
                            "expected time",
                            None,
                        ).into());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn expect_path(&self, span: Span, expected: &[(NodeIndex, &Target)]) -> Result<(), Failed> {
        let walk = &self.walk.path;
        let Some(i) = (0..walk.len().max(expected.len())).find(|&i| walk.get(i) != expected.get(i).map(|(n, _)| n))
        else {
            return Ok(());
        };
        let walked = walk.iter().map(|&n| self.id(n)).collect::<Vec<_>>().join(" ");
        let failure = match (walk.get(i), expected.get(i)) {
            (Some(&node), Some((_, target))) => self.fail(
                target.span,
                format!(
                    "the walk parts from the expected path at step {}: `{}`, not `{}`",
                    i + 1,
                    self.id(node),
                    target.display()
                ),
                "expected here",
                Some((node, "the call is here")),
            ),
            (None, Some((_, target))) => self.fail(
                target.span,
                format!("the walk ended at `{}`, before `{}`", self.id(walk[i - 1]), target.display()),
                "the call has already ended",
                Some((walk[i - 1], "the call ends here")),
            ),
            (Some(&node), None) => self.fail(
                span,
                format!("the walk goes on past the expected path, to `{}`", self.id(node)),
                "the expected path ends here",
                Some((node, "the call goes on here")),
            ),
            (None, None) => unreachable!("i is below the longer length"),
        };
        Err(failure.help(format!("the walk: {walked}")).into())
    }

    /// Every agent line of the walk with the test's vars filled in, and the node it is said at:
    /// `say` and `ask` lines of the nodes walked, then the option labels picked.
    fn spoken(&self) -> impl Iterator<Item = (NodeIndex, String)> + '_ {
        let call = self.script.call;
        let vars = self.vars;
        let lines = self.walk.path.iter().flat_map(move |&node| {
            call.lines(node)
                .filter(|line| line.kind.is_agent())
                .map(move |line| (node, vars.fill(line.text, call.source(node))))
        });
        let picked = self.picked.iter().map(move |&(node, label)| (node, vars.fill(label, call.source(node))));
        lines.chain(picked)
    }
}
