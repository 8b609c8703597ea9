//! `build --emit connect`: an Amazon Connect flow in the flow language (`Version`
//! "2019-10-30"), the JSON that `CreateContactFlow` takes as `Content` and the flow
//! designer imports.
//!
//! The call follows [`callflow::Plan`]: agent lines are a `MessageParticipant`; a node where the
//! caller chooses is a `GetParticipantInput` whose conditions match keypad digits (`Equals`
//! "N"), with `otherwise` taking no match, silence and errors (without one, the question is
//! asked again); transfers and escalated closes are `TransferContactToQueue` (to the contact's
//! working queue); a close ends with one shared `DisconnectParticipant`. Placeholders become
//! contact attributes: `{name}` → `$.Attributes.name`; a literal `$.` or `$[` gets a word joiner
//! after the `$`, so text a writer typed never reads the contact's data.
//!
//! Identifiers are the node ids where Connect allows them: at most 50 characters, none of
//! `% : ( \ / ) = $ , ; [ ] { }`, none of the reserved JavaScript names; otherwise the id is
//! shortened or changed and made unique with `_2`, `_3`….

use std::collections::BTreeMap;

use serde::Serialize;

use crate::emit::callflow::{self, Exit, Goal, NameClaimer, Plan, Speech, StageGrid, Step};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Str;

pub(crate) const VERSION: &str = "2019-10-30";
/// Connect refuses a flow with more actions than this.
pub(crate) const MAX_ACTIONS: usize = 250;
/// `GetParticipantInput` takes one key, so a menu can offer digits 1 to 9.
pub(crate) const MAX_DIGITS: usize = 9;
pub(crate) const MAX_IDENTIFIER: usize = 50;
pub(crate) const FORBIDDEN_CHARACTERS: &[char] =
    &['%', ':', '(', '\\', '/', ')', '=', '$', ',', ';', '[', ']', '{', '}'];
pub(crate) const FORBIDDEN_NAMES: &[&str] = &[
    "__proto__",
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "toString",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "valueOf",
];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Flow {
    pub version: &'static str,
    pub start_action: String,
    pub metadata: Metadata,
    pub actions: Vec<Action>,
}

#[derive(Serialize)]
pub struct Metadata {
    #[serde(rename = "EntryPointPosition")]
    pub entry_point_position: Position,
    #[serde(rename = "ActionMetadata")]
    pub action_metadata: BTreeMap<String, ActionMetadata>,
}

#[derive(Serialize)]
pub struct ActionMetadata {
    #[serde(rename = "Position")]
    pub position: Position,
}

#[derive(Clone, Copy, Serialize)]
pub struct Position {
    pub x: i64,
    pub y: i64,
}

/// A block: its identifier, then its type and parameters, then its transitions (in that
/// order, as the flow language writes them).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Action {
    pub identifier: String,
    #[serde(flatten)]
    pub kind: ActionKind,
    pub transitions: Transitions,
    #[serde(skip)]
    position: Position,
}

/// Each action type with its parameters; `Type` is the variant's name.
#[derive(Serialize)]
#[serde(tag = "Type", content = "Parameters", rename_all_fields = "PascalCase")]
pub enum ActionKind {
    MessageParticipant {
        text: String,
    },
    GetParticipantInput {
        text: String,
        store_input: &'static str,
        input_time_limit_seconds: &'static str,
    },
    TransferContactToQueue {},
    DisconnectParticipant {},
    /// The contact's language (the "Set voice" block's language), for a region-qualified tag.
    UpdateContactData {
        language_code: String,
    },
    /// The Amazon Polly voice that speaks every later prompt (the "Set voice" block).
    UpdateContactTextToSpeechVoice {
        text_to_speech_voice: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        text_to_speech_engine: Option<&'static str>,
    },
}

#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Transitions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionalTransition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErrorTransition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConditionalTransition {
    pub next_action: String,
    pub condition: Condition,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Condition {
    pub operator: &'static str,
    pub operands: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorTransition {
    pub next_action: String,
    pub error_type: &'static str,
}

/// The contact flow, spoken in `speech` when a locale is chosen: the flow starts by setting the contact's language (when the
/// locale names a country: Connect's language codes all do) and the voice, when one is set.
/// Without a voice Connect reads every prompt with its default voice (Joanna, US English),
/// which the export warns about.
pub(crate) fn export(project: &Project, graph: &ScriptGraph, speech: Option<&Speech>) -> crate::emit::Output {
    let mut plan = Plan::new(project, graph);
    plan.language = speech.map(|speech| speech.language.clone());
    let mut flow = flow_of_plan(project, graph, &plan);
    if let Some(speech) = speech {
        speak_in(&mut flow, speech);
    }
    let mut text = serde_json::to_string_pretty(&flow).expect("flows serialize");
    text.push('\n');
    let mut warnings = callflow::left_out(project, graph, "Amazon Connect");
    if let Some(Speech { language, voice: None }) = speech {
        let script = project.item(graph.script).expect("exports are built for parsed scripts");
        warnings.push(callflow::warning(
            graph.script,
            script.name.span,
            format!(
                "the Amazon Connect flow in `{language}` sets no voice, so Connect reads its prompts with its default voice (Joanna, US English)"
            ),
            "set `voice` in the locale's `[locales.<locale>.export]` table to an Amazon Polly voice of the language, e.g. \"Lupe\" for Spanish",
        ));
    }
    for step in &plan.steps {
        if let Exit::Menu { choices, .. } = &step.exit {
            if choices.len() > MAX_DIGITS {
                warnings.push(callflow::warning(
                    step.file,
                    step.node.name.span,
                    format!(
                        "node `{}` offers {} choices; Amazon Connect reads one key, so choices after the {MAX_DIGITS}th are left out",
                        step.name,
                        choices.len()
                    ),
                    "split the choices over two nodes, at most 9 each",
                ));
            }
        }
    }
    let count = flow.actions.len();
    let message = format!("the Amazon Connect flow has {count} blocks; Connect accepts at most {MAX_ACTIONS}");
    warnings.extend(callflow::too_large(project, graph, count, MAX_ACTIONS, message));
    crate::emit::Output { text, warnings }
}

/// The flow of a call plan already built (`export` also reads the plan for its warnings).
fn flow_of_plan(project: &Project, graph: &ScriptGraph, plan: &Plan) -> Flow {
    let mut ids = NameClaimer::new(identifier);
    let start_menu = (plan.starts.len() > 1).then(|| ids.claim("start"));
    let main: Vec<String> = plan.steps.iter().map(|step| ids.claim(&step.name)).collect();
    let end = ids.claim("end");
    let main_of = |goal: Goal| plan.step_position(goal).map_or_else(|| end.clone(), |i| main[i].clone());

    let mut actions = Vec::new();
    let start_action = match &start_menu {
        Some(start) => {
            let choices: Vec<(String, String)> = plan
                .starts
                .iter()
                .map(|&(trigger, goal)| {
                    let key = graph.graph[trigger];
                    let node = project.node(key);
                    let label = crate::call::first_line(node)
                        .map_or_else(|| node.name.name.clone(), |line| attributes(project, key.file, line));
                    (label, main_of(goal))
                })
                .collect();
            let position = Position { x: 40, y: 300 };
            let question = callflow::start_question(plan.language.as_deref()).to_owned();
            actions.push(input(start.clone(), question, &choices, None, position, plan.language.as_deref()));
            start.clone()
        }
        None => plan.starts.first().map_or_else(|| end.clone(), |&(_, goal)| main_of(goal)),
    };
    let mut grid = StageGrid::default();
    for (step, id) in plan.steps.iter().zip(&main) {
        let (column, row) = grid.place(step);
        let position = Position { x: 300 + column * COLUMN, y: 40 + row * ROW };
        actions.extend(step_actions(project, plan, step, id, &mut ids, position, &main_of));
    }
    actions.push(Action {
        identifier: end.clone(),
        kind: ActionKind::DisconnectParticipant {},
        transitions: Transitions::default(),
        position: Position { x: grid.columns() * COLUMN + 300, y: 40 + 5 * ROW },
    });
    let action_metadata = actions
        .iter()
        .map(|action| (action.identifier.clone(), ActionMetadata { position: action.position }))
        .collect();
    Flow {
        version: VERSION,
        start_action,
        metadata: Metadata { entry_point_position: Position { x: 40, y: 40 }, action_metadata },
        actions,
    }
}

/// Puts the language and voice actions of `speech` in front of the flow's start.
fn speak_in(flow: &mut Flow, speech: &Speech) {
    let mut ids = NameClaimer::new(identifier);
    for action in &flow.actions {
        ids.claim(&action.identifier);
    }
    let mut next = flow.start_action.clone();
    let mut first = Vec::new();
    if let Some(voice) = &speech.voice {
        let (voice, engine) = polly_voice(voice);
        let id = ids.claim("set_voice");
        first.push(Action {
            identifier: id.clone(),
            kind: ActionKind::UpdateContactTextToSpeechVoice {
                text_to_speech_voice: voice,
                text_to_speech_engine: engine,
            },
            transitions: Transitions {
                next_action: Some(next.clone()),
                conditions: Vec::new(),
                errors: vec![ErrorTransition { next_action: next, error_type: "NoMatchingError" }],
            },
            position: Position { x: -240, y: 240 },
        });
        next = id;
    }
    // Connect's language codes are a language and a country (`es-US`, `fr-CA`); `es` or
    // `es-419` names none of them, and the voice alone gives the language.
    if speech.language.split_once('-').is_some_and(|(_, region)| region.chars().all(|c| c.is_ascii_uppercase())) {
        let id = ids.claim("set_language");
        first.push(Action {
            identifier: id.clone(),
            kind: ActionKind::UpdateContactData { language_code: speech.language.clone() },
            transitions: Transitions {
                next_action: Some(next.clone()),
                conditions: Vec::new(),
                errors: vec![ErrorTransition { next_action: next, error_type: "NoMatchingError" }],
            },
            position: Position { x: -240, y: 40 },
        });
        next = id;
    }
    for action in &first {
        flow.metadata.action_metadata.insert(action.identifier.clone(), ActionMetadata { position: action.position });
    }
    first.reverse();
    first.append(&mut flow.actions);
    flow.actions = first;
    flow.start_action = next;
}

/// The Amazon Polly voice and engine for a configured voice, which may be written as Twilio
/// names Polly voices (`Polly.Lupe-Neural`), so one `voice` serves both exports.
fn polly_voice(voice: &str) -> (String, Option<&'static str>) {
    let name = voice.strip_prefix("Polly.").unwrap_or(voice);
    for (suffix, engine) in [("-Neural", "Neural"), ("-Generative", "Generative")] {
        if let Some(name) = name.strip_suffix(suffix) {
            return (name.to_owned(), Some(engine));
        }
    }
    (name.to_owned(), None)
}

fn step_actions(
    project: &Project,
    plan: &Plan,
    step: &Step,
    id: &str,
    ids: &mut NameClaimer,
    position: Position,
    main_of: &dyn Fn(Goal) -> String,
) -> Vec<Action> {
    let text = |s: &Str| attributes(project, step.file, s);
    let prompt = step.prompt.iter().map(|s| text(s)).collect::<Vec<_>>().join(" ");
    let choices_of = |choices: &[callflow::Choice]| -> Vec<(String, String)> {
        choices.iter().map(|c| (c.label.map(text).unwrap_or_default(), main_of(plan.goal(c.target)))).collect()
    };
    let below = |n: i64| Position { x: position.x, y: position.y + n * SUB };
    let mut actions = Vec::new();
    match (&step.transfer, &step.exit) {
        (None, Exit::Menu { choices, fallback }) => {
            let fallback = fallback.map(|f| main_of(plan.goal(f)));
            actions.push(input(
                id.to_owned(),
                prompt,
                &choices_of(choices),
                fallback,
                position,
                plan.language.as_deref(),
            ));
        }
        (None, exit) => {
            let next = match exit {
                Exit::Next(next) => main_of(plan.goal(*next)),
                _ => main_of(Goal::End),
            };
            actions.push(message(id.to_owned(), prompt, next, position));
        }
        (Some(_), exit) => {
            let transfer_id = if prompt.is_empty() { id.to_owned() } else { ids.claim(&format!("{id}_transfer")) };
            if !prompt.is_empty() {
                actions.push(message(id.to_owned(), prompt, transfer_id.clone(), position));
            }
            // A transfer that fails goes on with the script; a close just ends.
            let (on_failure, menu) = match exit {
                Exit::End => (main_of(Goal::End), None),
                Exit::Next(next) => (main_of(plan.goal(*next)), None),
                Exit::Menu { choices, fallback } => {
                    let menu_id = ids.claim(&format!("{id}_menu"));
                    let fallback = fallback.map(|f| main_of(plan.goal(f)));
                    let language = plan.language.as_deref();
                    let menu =
                        input(menu_id.clone(), String::new(), &choices_of(choices), fallback, below(2), language);
                    (menu_id, Some(menu))
                }
            };
            actions.push(Action {
                identifier: transfer_id,
                kind: ActionKind::TransferContactToQueue {},
                transitions: Transitions {
                    next_action: None,
                    conditions: Vec::new(),
                    errors: vec![
                        ErrorTransition { next_action: on_failure.clone(), error_type: "QueueAtCapacity" },
                        ErrorTransition { next_action: on_failure, error_type: "NoMatchingError" },
                    ],
                },
                position: below(1),
            });
            actions.extend(menu);
        }
    }
    actions
}

fn message(identifier: String, text: String, next: String, position: Position) -> Action {
    Action {
        identifier,
        kind: ActionKind::MessageParticipant { text },
        transitions: Transitions {
            next_action: Some(next.clone()),
            conditions: Vec::new(),
            errors: vec![ErrorTransition { next_action: next, error_type: "NoMatchingError" }],
        },
        position,
    }
}

/// A `GetParticipantInput` that says `prompt` and offers `choices` (label, where it leads) on
/// keys 1–9. No match, silence and errors lead to `fallback`, else back to the question.
fn input(
    identifier: String,
    prompt: String,
    choices: &[(String, String)],
    fallback: Option<String>,
    position: Position,
    language: Option<&str>,
) -> Action {
    let again = fallback.unwrap_or_else(|| identifier.clone());
    let mut text = prompt;
    for (i, (label, _)) in choices.iter().enumerate().take(MAX_DIGITS) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&callflow::menu_line(i + 1, (!label.is_empty()).then(|| label.clone()), language));
    }
    let conditions = choices
        .iter()
        .take(MAX_DIGITS)
        .enumerate()
        .map(|(i, (_, target))| ConditionalTransition {
            next_action: target.clone(),
            condition: Condition { operator: "Equals", operands: vec![(i + 1).to_string()] },
        })
        .collect();
    Action {
        identifier,
        kind: ActionKind::GetParticipantInput { text, store_input: "False", input_time_limit_seconds: "5" },
        transitions: Transitions {
            next_action: Some(again.clone()),
            conditions,
            errors: ["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"]
                .into_iter()
                .map(|error_type| ErrorTransition { next_action: again.clone(), error_type })
                .collect(),
        },
        position,
    }
}

/// Text with placeholders as contact attributes, which Connect fills in when it speaks.
fn attributes(project: &Project, file: crate::source::FileId, text: &Str) -> String {
    callflow::render_text(project, file, text, |name| format!("$.Attributes.{name}"), inert)
}

/// Invisible, and joins rather than breaks: text-to-speech reads "$" and what follows as before.
const WORD_JOINER: char = '\u{2060}';

/// Literal text that Connect speaks as written. Connect reads `$.Name` and `$['Name']` anywhere
/// in a prompt as a reference to contact data (`$.CustomerEndpoint.Address` is the caller's
/// number), so a word joiner goes between a literal `$` and a following `.` or `[`: only the
/// script's placeholders reach the caller's data. Prices (`$5`) are left alone.
fn inert(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '$' && matches!(chars.peek(), Some('.' | '[')) {
            out.push(WORD_JOINER);
        }
    }
    out
}

const COLUMN: i64 = 320;
const ROW: i64 = 600;
const SUB: i64 = 200;

/// An identifier Connect accepts, leaving `room` characters of [`MAX_IDENTIFIER`] for a suffix.
fn identifier(wanted: &str, room: usize) -> String {
    let mut base: String = wanted.chars().map(|c| if FORBIDDEN_CHARACTERS.contains(&c) { '_' } else { c }).collect();
    if FORBIDDEN_NAMES.contains(&base.as_str()) || base.is_empty() {
        base.push_str("_node");
    }
    base.chars().take(MAX_IDENTIFIER - room).collect()
}
