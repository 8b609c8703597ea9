//! `build --emit connect-guide`: an Amazon Connect step-by-step guide (spec section 13), one
//! CloudFormation template per script. Each node is an `AWS::Connect::View` (its lines as
//! Cards, its ways on as Buttons) shown by one `ShowView` step of the guide flow, an
//! `AWS::Connect::ContactFlow`; a close records its outcome on the customer's contact
//! (`UpdateContactAttributes`, `TargetContact` `Related`) before the shared `end`.
//!
//! **Invariant:** script text appears only as JSON string values inside view templates (and
//! the follow-up's `after` as a contact attribute value, with `${` written `${!`): never in a
//! `Name`, a `Description` or a `TemplateString`, so any text makes a template the validators
//! accept. Ids come from [`super::ids`] only.

use petgraph::graph::NodeIndex;
use serde::ser::SerializeMap;
use serde::Serialize;

use super::ids::{self, ActionNames};
use crate::call::{Call, ChoiceKind, Entry, LineKind};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Stage, Str};

/// The flow language version of the guide's `Content`.
const FLOW_VERSION: &str = "2019-10-30";
/// The pattern of an instance ARN, as CloudFormation checks `InstanceArn`.
const INSTANCE_ARN_PATTERN: &str = "^arn:aws[-a-z0-9]*:connect:[-a-z0-9]*:[0-9]{12}:instance/[-a-zA-Z0-9]*$";
/// How long a step waits for the agent before it shows itself again.
const STEP_SECONDS: &str = "900";

/// Connect's limits on one guide (spec section 13, "Limits").
pub(crate) const MAX_FLOW_ACTIONS: usize = 250;
pub(crate) const MAX_RESOURCES: usize = 500;
pub(crate) const MAX_CONTENT_CHARACTERS: usize = 256_000;
pub(crate) const MAX_VIEW_BYTES: usize = 400_000;
pub(crate) const MAX_VIEW_ACTIONS: usize = 1000;
pub(crate) const MAX_TEMPLATE_BYTES: usize = 1_000_000;
/// A view ARN at its longest (CloudFormation's `ViewArn`), for the size of `Content` once
/// CloudFormation has put the ARNs in.
const MAX_VIEW_ARN: usize = 255;

/// Why a script's guide cannot be built: a Connect or CloudFormation limit it exceeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// Names the script and the limit.
    pub message: String,
}

impl Refusal {
    /// What to do about any limit.
    pub(crate) const HELP: &'static str =
        "split the script into smaller scripts, or move nodes that several scripts share \
         into a library (docs/export.md, \"Limits\")";
}

/// `text` (JSON) with every character YAML does not allow in a document written as a `\uXXXX`
/// escape: DEL, the C1 controls but NEL, U+FFFE and U+FFFF. cfn-lint and CloudFormation read
/// a JSON template as YAML, which refuses them even inside strings; serde_json writes them raw.
/// They can only stand in strings (JSON's own syntax is ASCII), where the escape means the same.
fn escape_outside_yaml(text: String) -> String {
    let refused = |c: char| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    if !text.contains(refused) {
        return text;
    }
    let mut escaped = String::with_capacity(text.len() + 64);
    for c in text.chars() {
        if refused(c) {
            escaped.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// The guide's CloudFormation template (pretty JSON, ending with a newline), or the first limit
/// the script exceeds. The counts are checked before anything is built, so a script far over
/// the limits is refused at once.
pub(crate) fn export(project: &Project, graph: &ScriptGraph) -> Result<String, Refusal> {
    let call = Call::new(project, graph);
    let script = &project.item(graph.script).expect("guides are built for parsed scripts").name.name;
    let nodes: Vec<NodeIndex> = graph.nodes().collect();
    let triggers = call.starts();
    let several = triggers.len() > 1;
    let closes = nodes.iter().filter(|&&node| call.outcome(node).is_some()).count();
    let flow_actions = nodes.len() + closes + usize::from(several) + 1;
    if flow_actions > MAX_FLOW_ACTIONS {
        return Err(Refusal {
            message: format!(
                "the guide of script `{script}` needs {flow_actions} flow actions (a step per node, an attribute step \
                 per close{}, the end); Amazon Connect allows at most {MAX_FLOW_ACTIONS}",
                if several { ", the start" } else { "" }
            ),
        });
    }
    let resources = nodes.len() + usize::from(several) + 1;
    if resources > MAX_RESOURCES {
        return Err(Refusal {
            message: format!(
                "the guide of script `{script}` needs {resources} resources; CloudFormation allows at most {MAX_RESOURCES}"
            ),
        });
    }

    let mut resources = Vec::with_capacity(resources);
    let mut steps = Vec::with_capacity(flow_actions);
    let start_action = match triggers.as_slice() {
        [] => END.to_owned(),
        [only] => ids::show_step(&call.id(*only)),
        _ => START.to_owned(),
    };
    for &node in &nodes {
        let (view, node_steps) = node_view(&call, script, node)?;
        resources.push(view);
        steps.extend(node_steps);
    }
    if several {
        let (view, step) = start_view(&call, script, &triggers);
        resources.push(view);
        steps.insert(0, step);
    }
    steps.push(Step {
        identifier: END.to_owned(),
        kind: StepKind::DisconnectParticipant {},
        transitions: Transitions::default(),
    });
    let views = resources.len();

    let flow = Flow { version: FLOW_VERSION, start_action, actions: steps };
    let content = serde_json::to_string(&flow).expect("flows serialize");
    let substituted = substituted_length(&content, views);
    let flow_bytes = content.len();
    if substituted > MAX_CONTENT_CHARACTERS {
        return Err(Refusal {
            message: format!(
                "the guide flow of script `{script}` is {substituted} characters long once CloudFormation puts the \
                 view ARNs in; Amazon Connect allows at most {MAX_CONTENT_CHARACTERS}"
            ),
        });
    }
    let description = format!("defuse step-by-step guide for script {}", ids::script_name_within(script, 400));
    resources.push((
        GUIDE.to_owned(),
        Resource {
            kind: "AWS::Connect::ContactFlow",
            metadata: None,
            properties: Properties::Flow(FlowProperties {
                instance_arn: InstanceRef::default(),
                name: format!("defuse {} guide", ids::script_name_within(script, 114)),
                description: description.clone(),
                kind: "CONTACT_FLOW",
                content: Sub { body: content },
            }),
        },
    ));
    let template = Template {
        version: "2010-09-09",
        description,
        parameters: Parameters {
            instance_arn: Parameter {
                kind: "String",
                description: "The ARN of the Amazon Connect instance the guide is for",
                allowed_pattern: INSTANCE_ARN_PATTERN,
            },
        },
        resources: Ordered(resources),
        outputs: Outputs {
            guide_flow_arn: FlowOutput {
                description: "Point the inbound flow's Set event flow block (Default flow for agent UI) at this flow",
                value: GetAtt { attribute: [GUIDE, "ContactFlowArn"] },
            },
        },
    };
    // Sized once: the pretty template is about three times the compact flow.
    let mut bytes = Vec::with_capacity(template.resources.0.len() * 2048 + flow_bytes * 3);
    serde_json::to_writer_pretty(&mut bytes, &template).expect("templates serialize");
    bytes.push(b'\n');
    let text = escape_outside_yaml(String::from_utf8(bytes).expect("serde_json writes UTF-8"));
    if text.len() > MAX_TEMPLATE_BYTES {
        return Err(Refusal {
            message: format!(
                "the guide template of script `{script}` is {} bytes; CloudFormation allows at most {MAX_TEMPLATE_BYTES}",
                text.len()
            ),
        });
    }
    Ok(text)
}

const START: &str = "start";
const END: &str = "end";
const GUIDE: &str = "Guide";

/// The length of `content` once CloudFormation has substituted it: each `${!` loses its `!`
/// and each of the `views` references `${View….ViewArn}` becomes an ARN, counted at its
/// longest.
fn substituted_length(content: &str, views: usize) -> usize {
    let escapes = content.matches("${!").count();
    let references: usize = content.match_indices("${View").map(|(at, _)| reference_length(&content[at..])).sum();
    debug_assert_eq!(content.matches("${View").count(), views);
    content.chars().count() - escapes - references + views * MAX_VIEW_ARN
}

/// The length of the reference `${…}` at the start of `text`.
fn reference_length(text: &str) -> usize {
    text.find('}').map_or(text.len(), |end| end + 1)
}

/// Text as a literal inside `Fn::Sub`: `${` is written `${!`.
fn sub_literal(text: &str) -> String {
    text.replace("${", "${!")
}

/// The Card heading of a stage.
fn stage_title(stage: Stage) -> &'static str {
    match stage {
        Stage::Trigger => "Trigger",
        Stage::Acknowledge => "Acknowledge",
        Stage::Mirror => "Mirror",
        Stage::RootCause => "Root cause",
        Stage::Options => "Options",
        Stage::Close => "Close",
    }
}

/// The Card heading of a line.
fn line_heading(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Say => "Say",
        LineKind::Ask => "Ask",
        LineKind::Customer => "Customer may say",
        LineKind::Note => "Trainer note",
        LineKind::Hold => "Hold (discouraged)",
        LineKind::Transfer => "Transfer to",
    }
}

/// A View of `node` and its steps (the `ShowView`, and a close's attribute step).
fn node_view(call: &Call, script: &str, node: NodeIndex) -> Result<((String, Resource), Vec<Step>), Refusal> {
    let qid = call.id(node);
    let found = call.node(node);
    let step = ids::show_step(&qid);
    let mut body = vec![card(stage_title(found.stage), &qid)];
    let mut used: Vec<&str> = Vec::new();
    for line in call.lines(node) {
        note_vars(line.text, &mut used);
        body.push(card(line_heading(line.kind), &line.text.value));
    }

    // (action, button label, where it leads)
    let mut ways: Vec<(String, String, String)> = Vec::new();
    let mut names = ActionNames::default();
    let mut no_match = step.clone();
    let mut attributes = None;
    if let Some(outcome) = call.outcome(node) {
        body.push(card("Outcome", outcome.keyword()));
        let mut first_after = None;
        for entry in call.entries(node) {
            if let Entry::FollowUp(follow_up) = entry {
                note_vars(follow_up.after, &mut used);
                note_vars(follow_up.note, &mut used);
                body.push(card(&format!("Follow up after {}", follow_up.after.value), &follow_up.note.value));
                first_after.get_or_insert(&follow_up.after.value);
            }
        }
        let close = ids::close_step(&qid);
        ways.push((names.claim("done".to_owned()), "Done".to_owned(), close.clone()));
        let mut values = vec![
            ("defuse_script".to_owned(), sub_literal(script)),
            ("defuse_close".to_owned(), sub_literal(&qid)),
            ("defuse_outcome".to_owned(), outcome.keyword().to_owned()),
        ];
        if let Some(after) = first_after {
            values.push(("defuse_follow_up_after".to_owned(), sub_literal(after)));
        }
        attributes = Some(Step {
            identifier: close,
            kind: StepKind::UpdateContactAttributes { target_contact: "Related", attributes: Ordered(values) },
            transitions: Transitions {
                next_action: Some(END.to_owned()),
                conditions: Vec::new(),
                errors: vec![ErrorTransition { next_action: END.to_owned(), error_type: "NoMatchingError" }],
            },
        });
    } else {
        for choice in call.choices(node) {
            let target = ids::show_step(&call.id(choice.target));
            let (wanted, label) = match (choice.kind, choice.label) {
                (ChoiceKind::Reply, Some(label)) => (ids::label_action(&label.value, "reply"), label.value.clone()),
                (ChoiceKind::Option, Some(label)) => (ids::label_action(&label.value, "option"), label.value.clone()),
                (ChoiceKind::Otherwise, _) => {
                    if no_match == step {
                        no_match = target.clone();
                    }
                    ("otherwise".to_owned(), "Something else".to_owned())
                }
                _ => ("continue".to_owned(), "Continue".to_owned()),
            };
            if let Some(label) = choice.label {
                note_vars(label, &mut used);
            }
            ways.push((names.claim(wanted), label, target));
        }
        if ways.is_empty() {
            // A node with no way on (`dead-end` allowed): a view needs an action, and the
            // agent ends the guide here.
            ways.push((names.claim("done".to_owned()), "End the guide".to_owned(), END.to_owned()));
        }
    }
    if ways.len() > MAX_VIEW_ACTIONS {
        return Err(Refusal {
            message: format!(
                "node `{qid}` of script `{script}` offers {} actions; an Amazon Connect view allows at most \
                 {MAX_VIEW_ACTIONS}",
                ways.len()
            ),
        });
    }
    for (action, label, _) in &ways {
        body.push(Component::Button { props: ButtonProps { action: action.clone() }, content: vec![label.clone()] });
    }
    let template = ViewTemplate { head: Head { title: qid.clone(), configuration: Configuration::default() }, body };
    let actions: Vec<String> = ways.iter().map(|(action, _, _)| action.clone()).collect();
    let mut measure = Measure::default();
    serde_json::to_writer(&mut measure, &template).expect("templates serialize");
    let holds_sub = measure.holds_sub;
    serde_json::to_writer(&mut measure, &actions).expect("actions serialize");
    let view_bytes = measure.bytes;
    if view_bytes > MAX_VIEW_BYTES {
        return Err(Refusal {
            message: format!(
                "the view of node `{qid}` in script `{script}` is {view_bytes} bytes (template and actions); Amazon \
                 Connect allows at most {MAX_VIEW_BYTES}"
            ),
        });
    }

    let logical_id = ids::view_logical_id(&qid);
    let mut view_data = vec![("defuse_node".to_owned(), sub_literal(&qid))];
    // A var named `defuse_node` would hide the join key: the key wins (docs/decisions.md).
    view_data.extend(
        used.iter()
            .filter(|&&name| name != "defuse_node")
            .map(|&name| (name.to_owned(), format!("$.Attributes.{name}"))),
    );
    let show = Step {
        identifier: step.clone(),
        kind: StepKind::ShowView {
            view_resource: ViewResource { id: format!("${{{logical_id}.ViewArn}}") },
            invocation_time_limit_seconds: STEP_SECONDS,
            view_data: Some(Ordered(view_data)),
        },
        transitions: show_transitions(&step, &ways, no_match),
    };
    let view = Resource::view(
        ViewProperties { instance_arn: InstanceRef::default(), name: ids::view_name(script, &qid), template, actions },
        lint_metadata(holds_sub),
    );
    let mut steps = vec![show];
    steps.extend(attributes);
    Ok(((logical_id, view), steps))
}

/// Adds the vars `text` names to `used`, each once, in order of first use.
fn note_vars<'a>(text: &'a Str, used: &mut Vec<&'a str>) {
    for name in text.placeholders.iter() {
        // A node names few vars, so a list is quicker than a set.
        if !used.contains(&name.name.as_str()) {
            used.push(&name.name);
        }
    }
}

/// The start view and step of a script with several triggers: one Button per trigger,
/// labelled with its first `customer` line, its action the trigger's id.
fn start_view(call: &Call, script: &str, triggers: &[NodeIndex]) -> ((String, Resource), Step) {
    let item = call.project.item(call.graph.script).expect("guides are built for parsed scripts");
    let title = item.title.as_ref().map_or_else(|| script.to_owned(), |title| title.value.clone());
    let mut body = vec![card(&title, "How does the call start? Pick what the customer says first.")];
    let mut ways = Vec::with_capacity(triggers.len());
    let mut used = Vec::new();
    for &trigger in triggers {
        let qid = call.id(trigger);
        let first_customer_line = call.lines(trigger).find(|line| line.kind == LineKind::Customer);
        if let Some(line) = &first_customer_line {
            note_vars(line.text, &mut used);
        }
        let label = first_customer_line.map_or_else(|| qid.clone(), |line| line.text.value.clone());
        ways.push((qid.clone(), label, ids::show_step(&qid)));
    }
    // The labels' placeholders, filled from the contact's attributes as a node's are (the start
    // is no node: no `defuse_node`).
    let view_data = (!used.is_empty())
        .then(|| Ordered(used.iter().map(|&name| (name.to_owned(), format!("$.Attributes.{name}"))).collect()));
    for (action, label, _) in &ways {
        body.push(Component::Button { props: ButtonProps { action: action.clone() }, content: vec![label.clone()] });
    }
    let logical_id = "ViewStart".to_owned();
    let step = Step {
        identifier: START.to_owned(),
        kind: StepKind::ShowView {
            view_resource: ViewResource { id: format!("${{{logical_id}.ViewArn}}") },
            invocation_time_limit_seconds: STEP_SECONDS,
            view_data,
        },
        transitions: show_transitions(START, &ways, START.to_owned()),
    };
    let template = ViewTemplate { head: Head { title, configuration: Configuration::default() }, body };
    let mut measure = Measure::default();
    serde_json::to_writer(&mut measure, &template).expect("templates serialize");
    let metadata = lint_metadata(measure.holds_sub);
    let view = Resource::view(
        ViewProperties {
            instance_arn: InstanceRef::default(),
            name: ids::start_view_name(script),
            template,
            actions: ways.iter().map(|(action, _, _)| action.clone()).collect(),
        },
        metadata,
    );
    ((logical_id, view), step)
}

/// A `ShowView` step's transitions: each action to its target; no match to `no_match`; the
/// time limit back to the step itself; any other error to the end.
fn show_transitions(step: &str, ways: &[(String, String, String)], no_match: String) -> Transitions {
    Transitions {
        next_action: None,
        conditions: ways
            .iter()
            .map(|(action, _, target)| ConditionalTransition {
                next_action: target.clone(),
                condition: Condition { operator: "Equals", operands: vec![action.clone()] },
            })
            .collect(),
        errors: vec![
            ErrorTransition { next_action: step.to_owned(), error_type: "TimeLimitExceeded" },
            ErrorTransition { next_action: no_match, error_type: "NoMatchingCondition" },
            ErrorTransition { next_action: END.to_owned(), error_type: "NoMatchingError" },
        ],
    }
}

fn card(heading: &str, description: &str) -> Component {
    Component::Card {
        props: CardProps { heading: heading.to_owned(), description: description.to_owned() },
        content: [],
    }
}

/// A map written in the order of its entries (serde_json's own map sorts its keys).
struct Ordered<T>(Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Template {
    #[serde(rename = "AWSTemplateFormatVersion")]
    version: &'static str,
    description: String,
    parameters: Parameters,
    resources: Ordered<Resource>,
    outputs: Outputs,
}

#[derive(Serialize)]
struct Parameters {
    #[serde(rename = "InstanceArn")]
    instance_arn: Parameter,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Parameter {
    #[serde(rename = "Type")]
    kind: &'static str,
    description: &'static str,
    allowed_pattern: &'static str,
}

#[derive(Serialize)]
struct Outputs {
    #[serde(rename = "GuideFlowArn")]
    guide_flow_arn: FlowOutput,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FlowOutput {
    description: &'static str,
    value: GetAtt,
}

#[derive(Serialize)]
struct GetAtt {
    #[serde(rename = "Fn::GetAtt")]
    attribute: [&'static str; 2],
}

/// `{"Ref": "InstanceArn"}`.
#[derive(Serialize)]
struct InstanceRef {
    #[serde(rename = "Ref")]
    parameter: &'static str,
}

impl Default for InstanceRef {
    fn default() -> InstanceRef {
        InstanceRef { parameter: "InstanceArn" }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Resource {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<LintMetadata>,
    properties: Properties,
}

impl Resource {
    fn view(properties: ViewProperties, metadata: Option<LintMetadata>) -> Resource {
        Resource { kind: "AWS::Connect::View", metadata, properties: Properties::View(properties) }
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Properties {
    View(ViewProperties),
    Flow(FlowProperties),
}

/// cfn-lint's own setting for one resource: `{"cfn-lint": {"config": {"ignore_checks": […]}}}`.
#[derive(Serialize)]
struct LintMetadata {
    #[serde(rename = "cfn-lint")]
    cfn_lint: LintConfig,
}

#[derive(Serialize)]
struct LintConfig {
    config: IgnoreChecks,
}

#[derive(Serialize)]
struct IgnoreChecks {
    ignore_checks: [&'static str; 1],
}

/// A view whose text holds `${…}` tells cfn-lint that E1029 ("Sub is required if a variable is
/// used in a string") does not apply: CloudFormation substitutes only inside `Fn::Sub`, and
/// the view's text must reach the agent byte for byte (docs/decisions.md).
fn lint_metadata(holds_sub: bool) -> Option<LintMetadata> {
    holds_sub.then_some(LintMetadata { cfn_lint: LintConfig { config: IgnoreChecks { ignore_checks: ["E1029"] } } })
}

/// Where a view's compact JSON is written to be measured without being kept: its bytes, and
/// whether it holds `${`.
#[derive(Default)]
struct Measure {
    bytes: usize,
    holds_sub: bool,
    after_dollar: bool,
}

impl std::io::Write for Measure {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        for &byte in chunk {
            self.holds_sub |= self.after_dollar && byte == b'{';
            self.after_dollar = byte == b'$';
        }
        self.bytes += chunk.len();
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ViewProperties {
    instance_arn: InstanceRef,
    name: String,
    template: ViewTemplate,
    actions: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FlowProperties {
    instance_arn: InstanceRef,
    name: String,
    description: String,
    #[serde(rename = "Type")]
    kind: &'static str,
    content: Sub,
}

#[derive(Serialize)]
struct Sub {
    #[serde(rename = "Fn::Sub")]
    body: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ViewTemplate {
    head: Head,
    body: Vec<Component>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Head {
    title: String,
    configuration: Configuration,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Configuration {
    layout: Layout,
}

impl Default for Configuration {
    fn default() -> Configuration {
        Configuration { layout: Layout { columns: ["12"] } }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Layout {
    columns: [&'static str; 1],
}

/// The only components a guide's view uses.
#[derive(Serialize)]
#[serde(tag = "Type", rename_all_fields = "PascalCase")]
enum Component {
    Card { props: CardProps, content: [String; 0] },
    Button { props: ButtonProps, content: Vec<String> },
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CardProps {
    heading: String,
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ButtonProps {
    action: String,
}

/// The guide flow, in the flow language.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Flow {
    version: &'static str,
    start_action: String,
    actions: Vec<Step>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Step {
    identifier: String,
    #[serde(flatten)]
    kind: StepKind,
    transitions: Transitions,
}

#[derive(Serialize)]
#[serde(tag = "Type", content = "Parameters", rename_all_fields = "PascalCase")]
enum StepKind {
    ShowView {
        view_resource: ViewResource,
        invocation_time_limit_seconds: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        view_data: Option<Ordered<String>>,
    },
    UpdateContactAttributes {
        target_contact: &'static str,
        attributes: Ordered<String>,
    },
    DisconnectParticipant {},
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ViewResource {
    id: String,
}

#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Transitions {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_action: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conditions: Vec<ConditionalTransition>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ErrorTransition>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ConditionalTransition {
    next_action: String,
    condition: Condition,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Condition {
    operator: &'static str,
    operands: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorTransition {
    next_action: String,
    error_type: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_counts_arns_at_their_longest_and_drops_escape_marks() {
        let content = r#"{"Id":"${ViewA1234.ViewArn}","X":"${!x}"}"#;
        let expected = content.chars().count() - 1 - "${ViewA1234.ViewArn}".len() + MAX_VIEW_ARN;
        assert_eq!(substituted_length(content, 1), expected);
        assert_eq!(sub_literal("a ${b} $c {d}"), "a ${!b} $c {d}");
    }
}
