//! Resolving a test against the script it tests, before it runs: every node, reply label,
//! option label, var and duration it names must exist. A name that does not is a `test`
//! diagnostic in the `.dtest`, with "did you mean" from the script's own names.

use std::collections::HashMap;

use petgraph::graph::NodeIndex;

use super::ast::{Expectation, Step, StepKind, Test};
use super::seconds::parse_duration;
use super::{shown, CODE};
use crate::call::{Call, ChoiceKind, Vars};
use crate::diagnostic::{Diagnostic, Fix};
use crate::source::FileId;
use crate::suggest::closest;
use crate::syntax::ast::{Stage, Str, Target};

/// One script under test: its call model and the names a test may use, looked up once.
pub struct Script<'p> {
    pub call: Call<'p>,
    /// Node id (`restate`, `closings.thanks`) → node.
    ids: HashMap<String, NodeIndex>,
    /// Node ids in model order, for suggestions.
    names: Vec<String>,
    /// Every reply and option label of the script's graph, each once, in model order.
    replies: Vec<String>,
    options: Vec<String>,
}

impl<'p> Script<'p> {
    pub fn new(call: Call<'p>) -> Script<'p> {
        let names: Vec<String> = call.graph.nodes().map(|n| call.id(n)).collect();
        let ids = call.graph.nodes().zip(&names).map(|(n, name)| (name.clone(), n)).collect();
        let (mut replies, mut options) = (Vec::new(), Vec::new());
        for node in call.graph.nodes() {
            for choice in call.choices(node) {
                let list = match choice.kind {
                    ChoiceKind::Reply => &mut replies,
                    ChoiceKind::Option => &mut options,
                    _ => continue,
                };
                let label = &choice.label.expect("replies and options have labels").value;
                if !list.contains(label) {
                    list.push(label.clone());
                }
            }
        }
        Script { call, ids, names, replies, options }
    }

    pub(crate) fn find(&self, id: &str) -> Option<NodeIndex> {
        self.ids.get(id).copied()
    }

    /// The name of the script, as `script NAME` declares it.
    pub(crate) fn name(&self) -> &str {
        self.call.project.item(self.call.graph.script).map_or("", |item| item.name.name.as_str())
    }
}

/// A test with its names resolved: what the runner walks.
pub(crate) struct Plan<'t> {
    pub start: NodeIndex,
    pub vars: Vars,
    /// `answer`, `pick` and `go` steps in order, with `go`'s node.
    pub choices: Vec<(&'t Step, Option<NodeIndex>)>,
    pub expectations: Vec<(&'t Step, Expect<'t>)>,
}

/// An expectation with its nodes and duration resolved.
pub(crate) enum Expect<'t> {
    Close(NodeIndex, &'t Target),
    Outcome(crate::syntax::ast::Outcome),
    Path(Vec<(NodeIndex, &'t Target)>),
    Says(&'t Str),
    NotSays(&'t Str),
    FollowUp(&'t Str),
    Under(f64, &'t Str),
}

/// Whether [`plan`] checks that each `answer` and `pick` label is one the script has.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Labels {
    /// `defuse check`, which does not walk: a label no node has is "script `s` has no option".
    Checked,
    /// A run: the walk reports a label at the node it is tried at ("node `offer` has no
    /// option"), where the call and the test part ways.
    LeftToTheWalk,
}

/// Resolves `test` (of the `.dtest` file `file`) against `script`; the first name that does
/// not resolve is the error.
pub(crate) fn plan<'t>(
    script: &Script,
    file: FileId,
    test: &'t Test,
    labels: Labels,
) -> Result<Plan<'t>, Box<Diagnostic>> {
    let node = |target: &Target| -> Result<NodeIndex, Box<Diagnostic>> {
        let id = target.display();
        script.find(&id).ok_or_else(|| {
            let diagnostic =
                Diagnostic::new(CODE, file, target.span, format!("script `{}` has no node `{id}`", script.name()))
                    .label("no such node");
            Box::new(match closest(&id, script.names.iter().map(String::as_str)) {
                Some(best) => diagnostic.did_you_mean(target.span, best),
                None => diagnostic,
            })
        })
    };
    let label = |text: &Str, kind: &str, known: &[String]| -> Result<(), Box<Diagnostic>> {
        if labels == Labels::LeftToTheWalk || known.contains(&text.value) {
            return Ok(());
        }
        let diagnostic = Diagnostic::new(
            CODE,
            file,
            text.span,
            format!("script `{}` has no {kind} \"{}\"", script.name(), shown(&text.value)),
        )
        .label(format!("no such {kind}"));
        Err(Box::new(match closest(&text.value, known.iter().map(String::as_str)) {
            Some(best) => {
                let quoted = format!("\"{}\"", shown(best));
                let help = format!("did you mean {quoted}?");
                diagnostic.suggest(Fix::replace(file, text.span, quoted), help)
            }
            None if known.is_empty() => diagnostic.help(format!("the script has no {}", plural(kind))),
            None => diagnostic.help(format!(
                "its {}: {}",
                plural(kind),
                known.iter().map(|k| format!("\"{}\"", shown(k))).collect::<Vec<_>>().join(", ")
            )),
        }))
    };

    let mut start: Option<(&Target, NodeIndex)> = None;
    let mut values = Vec::new();
    let mut choices = Vec::new();
    let mut expectations = Vec::new();
    let declared: Vec<&str> = script
        .call
        .project
        .item(script.call.graph.script)
        .map_or(Vec::new(), |item| item.vars.iter().map(|v| v.name.as_str()).collect());
    for step in &test.steps {
        match &step.kind {
            StepKind::Vars(vars) => {
                for (name, value) in vars {
                    if !declared.contains(&name.name.as_str()) {
                        let diagnostic = Diagnostic::new(
                            CODE,
                            file,
                            name.span,
                            format!("script `{}` has no var `{}`", script.name(), name.name),
                        )
                        .label("no such var");
                        return Err(Box::new(match closest(&name.name, declared.iter().copied()) {
                            Some(best) => diagnostic.did_you_mean(name.span, best),
                            None => diagnostic.help(format!("its vars: {}", declared.join(", "))),
                        }));
                    }
                    values.push((name.name.clone(), value.value.clone()));
                }
            }
            StepKind::Start(target) => {
                let found = node(target)?;
                if script.call.graph.stage(script.call.project, found) != Stage::Trigger {
                    return Err(Box::new(
                        Diagnostic::new(CODE, file, target.span, format!("`{}` is not a trigger", target.display()))
                            .label("a call starts at a trigger")
                            .help(format!("the triggers of `{}`: {}", script.name(), triggers(script))),
                    ));
                }
                if let Some((first, _)) = start {
                    let first: &Target = first;
                    return Err(Box::new(
                        Diagnostic::new(CODE, file, target.span, "a test has one `start`").label("second start").with(
                            file,
                            first.span,
                            "first start",
                        ),
                    ));
                }
                start = Some((target, found));
            }
            StepKind::Answer(Some(text)) => {
                label(text, "reply", &script.replies)?;
                choices.push((step, None));
            }
            StepKind::Pick(text) => {
                label(text, "option", &script.options)?;
                choices.push((step, None));
            }
            StepKind::Answer(None) => choices.push((step, None)),
            StepKind::Go(target) => choices.push((step, Some(node(target)?))),
            StepKind::Expect(expectation) => {
                let expect = match expectation {
                    Expectation::Close(target) => Expect::Close(node(target)?, target),
                    Expectation::Outcome(outcome) => Expect::Outcome(*outcome),
                    Expectation::Path(targets) => {
                        Expect::Path(targets.iter().map(|t| Ok((node(t)?, t))).collect::<Result<_, Box<Diagnostic>>>()?)
                    }
                    Expectation::Says(text) => Expect::Says(text),
                    Expectation::NotSays(text) => Expect::NotSays(text),
                    Expectation::FollowUp(text) => Expect::FollowUp(text),
                    Expectation::Under(text) => match parse_duration(&text.value) {
                        Ok(seconds) => Expect::Under(seconds, text),
                        Err(error) => {
                            return Err(Box::new(
                                Diagnostic::new(CODE, file, text.span, error.to_string()).label("not a duration"),
                            ))
                        }
                    },
                };
                expectations.push((step, expect));
            }
        }
    }
    let start = match start {
        Some((_, found)) => found,
        None => match script.call.starts().as_slice() {
            [only] => *only,
            starts => {
                return Err(Box::new(
                    Diagnostic::new(
                        CODE,
                        file,
                        test.name.span,
                        format!("script `{}` has {} triggers; say where the call starts", script.name(), starts.len()),
                    )
                    .label("this test has no `start`")
                    .help(format!("add `start TRIGGER` with one of: {}", triggers(script))),
                ))
            }
        },
    };
    Ok(Plan { start, vars: Vars::new(values), choices, expectations })
}

/// "replies", "options".
fn plural(kind: &str) -> String {
    match kind.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{kind}s"),
    }
}

fn triggers(script: &Script) -> String {
    script.call.starts().into_iter().map(|n| format!("`{}`", script.call.id(n))).collect::<Vec<_>>().join(", ")
}
