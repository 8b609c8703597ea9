//! Emitters: what `defuse build --emit …` writes, one file per format, each reading the
//! checked [`ScriptGraph`]. Serialized formats come from their own types, never the AST.

pub mod connect;
pub mod dot;
pub mod flow;
pub mod ivr;
pub mod mermaid;
pub mod scxml;
pub mod twilio;

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Node, Outcome, Stage, StmtKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    /// The versioned flow JSON (defuse-flow/1)
    Json,
    /// A Graphviz digraph
    Dot,
    /// A Mermaid flowchart
    Mermaid,
    /// W3C SCXML 1.0 for call-flow engines
    Scxml,
    /// A Twilio Studio flow definition
    TwilioStudio,
    /// An Amazon Connect flow (flow language 2019-10-30)
    Connect,
}

/// What an export writes, and a warning for everything the target cannot express.
pub struct Output {
    pub text: String,
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl Emit {
    /// The file extension for `--out-dir`.
    pub fn extension(self) -> &'static str {
        match self {
            Emit::Json => "flow.json",
            Emit::Dot => "dot",
            Emit::Mermaid => "mmd",
            Emit::Scxml => "scxml",
            Emit::TwilioStudio => "twilio.json",
            Emit::Connect => "connect.json",
        }
    }

    pub fn render(self, project: &Project, graph: &ScriptGraph) -> String {
        self.output(project, graph).text
    }

    /// The output with the default `[timing]` (spoken seconds in the flow JSON).
    pub fn output(self, project: &Project, graph: &ScriptGraph) -> Output {
        self.output_with(project, graph, &crate::graph::timing::Timing::default())
    }

    /// The output, with `timing` for the flow JSON's seconds.
    pub fn output_with(self, project: &Project, graph: &ScriptGraph, timing: &crate::graph::timing::Timing) -> Output {
        let text = match self {
            Emit::Json => flow::render(project, graph, timing),
            Emit::Dot => dot::render(project, graph),
            Emit::Mermaid => mermaid::render(project, graph),
            Emit::Scxml => scxml::render(project, graph),
            Emit::TwilioStudio => return twilio::export(project, graph),
            Emit::Connect => return connect::export(project, graph),
        };
        Output { text, warnings: Vec::new() }
    }
}

/// How a node looks in a diagram: a colour and shape per stage, and per outcome for closes.
pub struct Style {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub dot_shape: &'static str,
    /// The class name in Mermaid and the legend's text.
    pub name: &'static str,
}

pub fn style(node: &Node) -> Style {
    stage_style(node.stage, node.outcome())
}

/// The style of a stage; `outcome` matters for a close only.
pub fn stage_style(stage: Stage, outcome: Outcome) -> Style {
    let (fill, stroke, dot_shape, name) = match stage {
        Stage::Trigger => ("#f8d7da", "#b02a37", "cds", "trigger"),
        Stage::Acknowledge => ("#fff3cd", "#b58105", "ellipse", "acknowledge"),
        Stage::Mirror => ("#d1ecf1", "#0c5460", "parallelogram", "mirror"),
        Stage::RootCause => ("#e2d9f3", "#59359a", "hexagon", "root_cause"),
        Stage::Options => ("#cfe2ff", "#084298", "box3d", "options"),
        Stage::Close => match outcome {
            Outcome::Resolved => ("#d1e7dd", "#0f5132", "doubleoctagon", "close_resolved"),
            Outcome::Escalated => ("#ffe5d0", "#984c0c", "doubleoctagon", "close_escalated"),
            Outcome::Callback => ("#cff4fc", "#055160", "doubleoctagon", "close_callback"),
            Outcome::Ended => ("#e2e3e5", "#41464b", "doubleoctagon", "close_ended"),
        },
    };
    Style { fill, stroke, dot_shape, name }
}

/// Every style a legend shows, with its text.
pub fn legend() -> Vec<(Style, &'static str)> {
    // The outcome is read for closes only.
    let stage = |stage| stage_style(stage, Outcome::Resolved);
    let close = |outcome| stage_style(Stage::Close, outcome);
    vec![
        (stage(Stage::Trigger), "trigger"),
        (stage(Stage::Acknowledge), "acknowledge"),
        (stage(Stage::Mirror), "mirror"),
        (stage(Stage::RootCause), "root-cause"),
        (stage(Stage::Options), "options"),
        (close(Outcome::Resolved), "close: resolved"),
        (close(Outcome::Escalated), "close: escalated"),
        (close(Outcome::Callback), "close: callback"),
        (close(Outcome::Ended), "close: ended"),
    ]
}

/// The line a diagram shows under a node's name: its first agent line (`say`, `ask`,
/// `option`), or for a trigger its first customer line.
pub fn first_line(node: &Node) -> Option<&str> {
    first_line_literal(node).map(|text| text.value.as_str())
}

/// [`first_line`] as its literal, for targets that write placeholders their own way.
pub fn first_line_literal(node: &Node) -> Option<&crate::syntax::ast::Str> {
    node.stmts.iter().find_map(|stmt| match &stmt.kind {
        StmtKind::Customer(text) if node.stage == Stage::Trigger => Some(text),
        StmtKind::Say(text) | StmtKind::Ask(text) | StmtKind::Option(text, _) => Some(text),
        _ => None,
    })
}

/// What a diagram writes on an edge: the reply or option text (shortened), `(otherwise)`
/// for a fallback, nothing for a plain `->`.
pub fn edge_label(project: &Project, edge: &crate::graph::Edge) -> Option<String> {
    match &project.node(edge.from).stmts[edge.stmt].kind {
        StmtKind::Reply(text, _) | StmtKind::Option(text, _) => Some(shorten(&text.value, 30)),
        StmtKind::Otherwise(_) => Some("(otherwise)".to_owned()),
        _ => None,
    }
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\n  b", 10), "a b");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
    }
}
