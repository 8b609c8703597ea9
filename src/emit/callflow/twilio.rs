//! `build --emit twilio-studio`: a Twilio Studio flow definition (the JSON the Studio REST
//! API takes as `definition`, and the editor imports).
//!
//! The call follows [`callflow::Plan`]: agent lines are spoken by `say-play`; a node where the
//! caller chooses is a `gather-input-on-call` (keypad digit or speech) followed by two
//! `split-based-on` widgets, one matching the digit and one matching the spoken words;
//! `otherwise` is where no match and silence lead (without one, the question is asked
//! again); transfers and escalated closes are `send-to-flex`; a close ends the execution
//! (a transition without `next`). Placeholders become Liquid: `{name}` → `{{flow.data.name}}`.
//!
//! Widget names are unique and `[a-z][a-z0-9_]*`: the node id lower-cased, `.` as `__`,
//! other characters as `_`, and `_2`, `_3`… on a clash. Canvas offsets put each stage on
//! its own row, top to bottom, so the flow opens readable in the editor.

use serde::Serialize;

use crate::emit::callflow::{self, Exit, Goal, NameClaimer, Plan, Speech, StageGrid, Step};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Str;

/// Twilio refuses a flow with more states than this (its schema's `maxItems`).
pub(crate) const MAX_STATES: usize = 1000;

/// The TaskRouter SIDs a `send-to-flex` needs; the importer picks real ones in the editor.
const WORKFLOW_PLACEHOLDER: &str = "WW00000000000000000000000000000000";
const CHANNEL_PLACEHOLDER: &str = "TC00000000000000000000000000000000";

#[derive(Serialize)]
pub struct Flow {
    pub description: String,
    pub flags: Flags,
    pub initial_state: String,
    pub states: Vec<Widget>,
}

#[derive(Serialize)]
pub struct Flags {
    pub allow_concurrent_calls: bool,
}

/// A widget: its name, then its type, transitions and properties (in that order, as Studio
/// writes them).
#[derive(Serialize)]
pub struct Widget {
    pub name: String,
    #[serde(flatten)]
    pub kind: WidgetKind,
}

/// Each widget type with its properties; `type` is the variant's name in kebab case.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum WidgetKind {
    Trigger { transitions: Vec<Transition>, properties: TriggerProperties },
    SayPlay { transitions: Vec<Transition>, properties: SayPlayProperties },
    GatherInputOnCall { transitions: Vec<Transition>, properties: GatherProperties },
    SplitBasedOn { transitions: Vec<Transition>, properties: SplitProperties },
    SendToFlex { transitions: Vec<Transition>, properties: SendToFlexProperties },
}

#[derive(Serialize)]
pub struct Transition {
    pub event: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

#[derive(Serialize)]
pub struct Condition {
    pub friendly_name: String,
    pub arguments: Vec<String>,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: String,
}

#[derive(Clone, Copy, Serialize)]
pub struct Offset {
    pub x: i64,
    pub y: i64,
}

#[derive(Serialize)]
pub struct TriggerProperties {
    pub offset: Offset,
}

#[derive(Serialize)]
pub struct SayPlayProperties {
    pub say: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    #[serde(rename = "loop")]
    pub repeat: u32,
    pub offset: Offset,
}

#[derive(Serialize)]
pub struct GatherProperties {
    pub say: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voice: Option<String>,
    /// The language the caller's speech is recognised in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gather_language: Option<String>,
    #[serde(rename = "loop")]
    pub repeat: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_digits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_on_key: Option<&'static str>,
    pub stop_gather: bool,
    pub timeout: u32,
    pub speech_timeout: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hints: String,
    pub offset: Offset,
}

#[derive(Serialize)]
pub struct SplitProperties {
    pub input: String,
    pub offset: Offset,
}

#[derive(Serialize)]
pub struct SendToFlexProperties {
    pub workflow: &'static str,
    pub channel: &'static str,
    /// The task's attributes, a JSON object written as a string ([`FlexAttributes`]).
    pub attributes: String,
    pub offset: Offset,
}

/// The attributes of the task a transfer creates (keys in alphabetical order, as they have
/// always been written).
#[derive(Serialize)]
pub(crate) struct FlexAttributes {
    pub name: &'static str,
    pub reason: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The Studio flow, spoken in `speech` when a locale is chosen: every widget that speaks (`say-play`, and the question of a
/// `gather-input-on-call`) gets its `language` and, when set, its `voice`; a gather also
/// listens in that language (`gather_language`).
pub(crate) fn export(project: &Project, graph: &ScriptGraph, speech: Option<&Speech>) -> crate::emit::Output {
    let mut flow = flow(project, graph, speech.map(|speech| speech.language.as_str()));
    if let Some(speech) = speech {
        speak_in(&mut flow, speech);
    }
    let mut text = serde_json::to_string_pretty(&flow).expect("flows serialize");
    text.push('\n');
    let mut warnings = callflow::left_out(project, graph, "Twilio Studio");
    let count = flow.states.len();
    let message = format!("the Twilio Studio flow has {count} widgets; Studio accepts at most {MAX_STATES}");
    warnings.extend(callflow::too_large(project, graph, count, MAX_STATES, message));
    crate::emit::Output { text, warnings }
}

/// The flow, with the menus' own words in `language` (a BCP 47 tag; see
/// [`callflow::menu_line`]).
pub(crate) fn flow(project: &Project, graph: &ScriptGraph, language: Option<&str>) -> Flow {
    let script = project.item(graph.script).expect("exports are built for parsed scripts");
    let mut plan = Plan::new(project, graph);
    plan.language = language.map(str::to_owned);
    let mut names = NameClaimer::new(widget_name);
    names.claim("trigger");
    let mut start_name = None;
    if plan.starts.len() > 1 {
        start_name = Some(names.claim("start"));
    }
    let main: Vec<String> = plan.steps.iter().map(|step| names.claim(&step.name)).collect();
    let main_of = |goal: Goal| plan.step_position(goal).map(|i| main[i].clone());

    let mut grid = StageGrid::default();
    let mut states = vec![Widget {
        name: "trigger".to_owned(),
        kind: WidgetKind::Trigger {
            transitions: trigger_transitions(match &start_name {
                Some(start) => Some(start.clone()),
                None => plan.starts.first().and_then(|&(_, goal)| main_of(goal)),
            }),
            properties: TriggerProperties { offset: Offset { x: 0, y: 0 } },
        },
    }];
    if let Some(start) = start_name {
        let choices: Vec<MenuChoice> = plan
            .starts
            .iter()
            .map(|&(trigger, goal)| {
                let key = graph.graph[trigger];
                let node = project.node(key);
                match crate::call::first_line(node) {
                    Some(line) => MenuChoice {
                        said: liquid(project, key.file, line),
                        plain: line.value.clone(),
                        next: main_of(goal),
                    },
                    None => {
                        MenuChoice { said: node.name.name.clone(), plain: node.name.name.clone(), next: main_of(goal) }
                    }
                }
            })
            .collect();
        let offset = Offset { x: 0, y: ROW / 2 };
        let question = callflow::start_question(language).to_owned();
        states.extend(menu(&mut names, &start, question, &choices, None, offset, language));
    }
    for (step, name) in plan.steps.iter().zip(&main) {
        let (column, row) = grid.place(step);
        let offset = Offset { x: column * COLUMN, y: (row + 1) * ROW };
        states.extend(step_widgets(project, &plan, step, name, &mut names, offset, &main_of));
    }
    Flow {
        description: script.title.as_ref().map_or_else(|| script.name.name.clone(), |title| title.value.clone()),
        flags: Flags { allow_concurrent_calls: true },
        initial_state: "trigger".to_owned(),
        states,
    }
}

fn speak_in(flow: &mut Flow, speech: &Speech) {
    for widget in &mut flow.states {
        match &mut widget.kind {
            WidgetKind::SayPlay { properties, .. } => {
                properties.language = Some(speech.language.clone());
                properties.voice.clone_from(&speech.voice);
            }
            WidgetKind::GatherInputOnCall { properties, .. } => {
                properties.language = Some(speech.language.clone());
                properties.voice.clone_from(&speech.voice);
                properties.gather_language = Some(speech.language.clone());
            }
            _ => {}
        }
    }
}

fn trigger_transitions(call: Option<String>) -> Vec<Transition> {
    ["incomingMessage", "incomingCall", "incomingConversationMessage", "incomingRequest", "incomingParent"]
        .into_iter()
        .map(|event| Transition {
            event,
            next: if event == "incomingCall" { call.clone() } else { None },
            conditions: Vec::new(),
        })
        .collect()
}

fn step_widgets(
    project: &Project,
    plan: &Plan,
    step: &Step,
    name: &str,
    names: &mut NameClaimer,
    offset: Offset,
    main_of: &dyn Fn(Goal) -> Option<String>,
) -> Vec<Widget> {
    let text = |s: &Str| liquid(project, step.file, s);
    let prompt: Vec<String> = step.prompt.iter().map(|s| text(s)).collect();
    let prompt = prompt.join(" ");
    let mut widgets = Vec::new();

    // What the exit leads to: a goal's widget, or (for a menu) a gather of our own.
    let menu_choices = |choices: &[callflow::Choice]| -> Vec<MenuChoice> {
        choices
            .iter()
            .map(|choice| MenuChoice {
                said: choice.label.map(text).unwrap_or_default(),
                plain: choice.label.map(|label| label.value.clone()).unwrap_or_default(),
                next: main_of(plan.goal(choice.target)),
            })
            .collect()
    };
    match (&step.transfer, &step.exit) {
        (None, Exit::Menu { choices, fallback }) => {
            let fallback = fallback.map(|f| main_of(plan.goal(f)));
            widgets.extend(menu(
                names,
                name,
                prompt,
                &menu_choices(choices),
                fallback,
                offset,
                plan.language.as_deref(),
            ));
        }
        (None, exit) => {
            let next = match exit {
                Exit::Next(next) => main_of(plan.goal(*next)),
                _ => None,
            };
            widgets.push(say_play(name.to_owned(), prompt, next, offset));
        }
        (Some(reason), exit) => {
            let flex_name = if prompt.is_empty() { name.to_owned() } else { names.claim(&format!("{name}_transfer")) };
            if !prompt.is_empty() {
                widgets.push(say_play(name.to_owned(), prompt, Some(flex_name.clone()), offset));
            }
            // A transfer that fails goes on with the script; a close just ends.
            let (on_failure, menu_widgets) = match exit {
                Exit::End => (None, Vec::new()),
                Exit::Next(next) => (main_of(plan.goal(*next)), Vec::new()),
                Exit::Menu { choices, fallback } => {
                    let menu_name = names.claim(&format!("{name}_menu"));
                    let fallback = fallback.map(|f| main_of(plan.goal(f)));
                    let below = Offset { x: offset.x, y: offset.y + 2 * SUB };
                    let language = plan.language.as_deref();
                    let widgets =
                        menu(names, &menu_name, String::new(), &menu_choices(choices), fallback, below, language);
                    (Some(menu_name), widgets)
                }
            };
            let reason = reason.map(|r| r.value.clone()).unwrap_or_else(|| step.name.clone());
            let attributes = FlexAttributes { name: "{{trigger.call.From}}", reason, kind: "inbound" };
            widgets.push(Widget {
                name: flex_name,
                kind: WidgetKind::SendToFlex {
                    transitions: vec![
                        Transition { event: "callComplete", next: None, conditions: Vec::new() },
                        Transition { event: "failedToEnqueue", next: on_failure.clone(), conditions: Vec::new() },
                        Transition { event: "callFailure", next: on_failure, conditions: Vec::new() },
                    ],
                    properties: SendToFlexProperties {
                        workflow: WORKFLOW_PLACEHOLDER,
                        channel: CHANNEL_PLACEHOLDER,
                        attributes: serde_json::to_string(&attributes).expect("attributes serialize"),
                        offset: Offset { x: offset.x, y: offset.y + SUB },
                    },
                },
            });
            widgets.extend(menu_widgets);
        }
    }
    widgets
}

fn say_play(name: String, say: String, next: Option<String>, offset: Offset) -> Widget {
    Widget {
        name,
        kind: WidgetKind::SayPlay {
            transitions: vec![Transition { event: "audioComplete", next, conditions: Vec::new() }],
            properties: SayPlayProperties { say, language: None, voice: None, repeat: 1, offset },
        },
    }
}

/// How a split matches choice N: the condition type and value, if it can match it at all.
type Matcher = dyn Fn(usize, &MenuChoice) -> Option<(&'static str, String)>;

/// One choice of a menu: its label as Liquid (`said`) and as written (`plain`, for names and
/// speech hints, which Studio does not render), and the widget it leads to.
struct MenuChoice {
    said: String,
    plain: String,
    next: Option<String>,
}

/// A gather named `name` that says `prompt` and offers `choices`, with one split on the
/// keypad digits and one on the spoken words. No match and silence lead to `fallback` when
/// there is one (`Some(None)`: the call ends), else back to the gather.
fn menu(
    names: &mut NameClaimer,
    name: &str,
    prompt: String,
    choices: &[MenuChoice],
    fallback: Option<Option<String>>,
    offset: Offset,
    language: Option<&str>,
) -> Vec<Widget> {
    let keys = names.claim(&format!("{name}_keys"));
    let speech = names.claim(&format!("{name}_speech"));
    let again = fallback.unwrap_or_else(|| Some(name.to_owned()));
    let mut say = prompt;
    for (i, choice) in choices.iter().enumerate() {
        let line = callflow::menu_line(i + 1, (!choice.said.is_empty()).then(|| choice.said.clone()), language);
        if !say.is_empty() {
            say.push(' ');
        }
        say.push_str(&line);
    }
    let digits = format!("{{{{widgets.{name}.Digits}}}}");
    let words = format!("{{{{widgets.{name}.SpeechResult}}}}");
    let split = |split_name: &str, input: &str, matches: &Matcher, x| {
        let mut transitions = vec![Transition { event: "noMatch", next: again.clone(), conditions: Vec::new() }];
        for (i, choice) in choices.iter().enumerate() {
            if let Some((kind, value)) = matches(i + 1, choice) {
                transitions.push(Transition {
                    event: "match",
                    next: choice.next.clone(),
                    conditions: vec![Condition {
                        friendly_name: format!("{}: {}", i + 1, callflow::shorten(&choice.plain, 40)),
                        arguments: vec![input.to_owned()],
                        kind,
                        value,
                    }],
                });
            }
        }
        Widget {
            name: split_name.to_owned(),
            kind: WidgetKind::SplitBasedOn {
                transitions,
                properties: SplitProperties { input: input.to_owned(), offset: Offset { x, y: offset.y + SUB } },
            },
        }
    };
    let many = choices.len() > 9;
    let transitions = vec![
        Transition { event: "keypress", next: Some(keys.clone()), conditions: Vec::new() },
        Transition { event: "speech", next: Some(speech.clone()), conditions: Vec::new() },
        Transition { event: "timeout", next: again.clone(), conditions: Vec::new() },
    ];
    let properties = GatherProperties {
        say,
        language: None,
        voice: None,
        gather_language: None,
        repeat: 1,
        number_of_digits: (!many).then_some(1),
        finish_on_key: many.then_some("#"),
        stop_gather: true,
        timeout: 5,
        speech_timeout: "auto",
        hints: choices
            .iter()
            .filter(|choice| !choice.plain.is_empty())
            .map(|choice| callflow::shorten(&choice.plain.replace(',', " "), 100))
            .collect::<Vec<_>>()
            .join(", "),
        offset,
    };
    let gather = Widget { name: name.to_owned(), kind: WidgetKind::GatherInputOnCall { transitions, properties } };
    let by_digit = |digit: usize, _: &MenuChoice| Some(("equal_to", digit.to_string()));
    let by_words = |_: usize, choice: &MenuChoice| (!choice.said.is_empty()).then(|| ("contains", choice.said.clone()));
    vec![gather, split(&keys, &digits, &by_digit, offset.x), split(&speech, &words, &by_words, offset.x + COLUMN / 2)]
}

/// Text as Liquid: placeholders read the execution's data, and a literal `{` is written so
/// Liquid never takes it for the start of a tag.
fn liquid(project: &Project, file: crate::source::FileId, text: &Str) -> String {
    callflow::render_text(
        project,
        file,
        text,
        |name| format!("{{{{flow.data.{name}}}}}"),
        |literal| literal.replace('{', "{{ \"{\" }}"),
    )
}

const COLUMN: i64 = 800;
const ROW: i64 = 900;
const SUB: i64 = 250;

/// A widget name of the form Studio accepts (`[a-z][a-z0-9_]*`); it never needs shortening,
/// so `room` for a suffix is ignored.
fn widget_name(wanted: &str, _room: usize) -> String {
    let mut base: String = wanted
        .to_lowercase()
        .replace('.', "__")
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' { c } else { '_' })
        .collect();
    if !base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base.insert_str(0, "n_");
    }
    base
}
