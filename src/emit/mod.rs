//! Emitters: what `defuse build --emit …` writes, each reading the checked [`ScriptGraph`].
//! Serialized formats come from their own types, never the AST. Grouped by family:
//! [`diagram`] (DOT, Mermaid, the trainer page's SVG, and the styles and labels they share),
//! [`callflow`] (SCXML, Twilio Studio, Amazon Connect: call-flow exports on the conversation
//! model), [`guide`] (agent-desktop guides: Amazon Connect's step-by-step guide), [`flow`] (the
//! versioned flow JSON, the data format) and [`html`] (the trainer page).
//! This file holds the format list ([`Emit`]), the build [`Options`] and the dispatch.

pub mod callflow;
pub mod diagram;
pub mod flow;
pub(crate) mod guide;
pub mod html;

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use callflow::{connect, scxml, twilio};
use diagram::{dot, mermaid};

/// What a build writes; the command line's mirror (`build --emit`) is `cli::choices::EmitArg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    /// An Amazon Connect step-by-step guide for the agent desktop: one CloudFormation template
    /// (views and a guide flow); deploy it with the instance ARN, then point the inbound
    /// flow's "Default flow for agent UI" at its GuideFlowArn output
    ConnectGuide,
    /// The trainer page: one self-contained HTML file (diagram, role-play cards, rehearsal)
    Html,
}

impl Emit {
    /// Every output, in the order `--help` lists them.
    pub const ALL: [Emit; 8] = [
        Emit::Json,
        Emit::Dot,
        Emit::Mermaid,
        Emit::Scxml,
        Emit::TwilioStudio,
        Emit::Connect,
        Emit::ConnectGuide,
        Emit::Html,
    ];
}

/// What a build can tune.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Spoken-time settings, for the flow JSON's seconds.
    pub timing: crate::config::timing::Timing,
    /// At most this many paths in formats that list them (the trainer page's cards).
    pub max_paths: usize,
    /// Which paths the trainer page makes cards of.
    pub cards: html::CardSet,
    /// The locale the project's text is in (`build --locale`), when not the source's.
    pub locale: Option<crate::config::locales::Locale>,
    /// The voice of phone exports in that locale (`[locales.L.export] voice`).
    pub voice: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timing: crate::config::timing::Timing::default(),
            max_paths: html::DEFAULT_MAX_PATHS,
            cards: html::CardSet::Cover,
            locale: None,
            voice: None,
        }
    }
}

/// What an export writes, and a warning for everything the target cannot express.
pub struct Output {
    pub text: String,
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl Emit {
    /// The file extension for `--out-dir`.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Emit::Json => "flow.json",
            Emit::Dot => "dot",
            Emit::Mermaid => "mmd",
            Emit::Scxml => "scxml",
            Emit::TwilioStudio => "twilio.json",
            Emit::Connect => "connect.json",
            Emit::ConnectGuide => "connect-guide.json",
            Emit::Html => "html",
        }
    }

    pub fn render(self, project: &Project, graph: &ScriptGraph) -> String {
        self.output(project, graph).text
    }

    /// The output with the default options.
    pub(crate) fn output(self, project: &Project, graph: &ScriptGraph) -> Output {
        self.output_with(project, graph, &Options::default())
    }

    /// The output with `options`: the `[timing]` for the flow JSON's seconds, and how many
    /// paths formats that list paths show (`build --max`: the trainer page's role-play cards).
    /// A guide over Amazon Connect's limits is empty here; [`Emit::try_output_with`] says why.
    pub(crate) fn output_with(self, project: &Project, graph: &ScriptGraph, options: &Options) -> Output {
        self.try_output_with(project, graph, options)
            .unwrap_or_else(|_| Output { text: String::new(), warnings: Vec::new() })
    }

    /// The output with `options`, or why the target refuses the script: only a guide can be
    /// refused, when the script exceeds one of Amazon Connect's limits (`build` reports it as
    /// an error and writes nothing).
    pub(crate) fn try_output_with(
        self,
        project: &Project,
        graph: &ScriptGraph,
        options: &Options,
    ) -> Result<Output, guide::connect::Refusal> {
        let Options { timing, max_paths, cards, locale, voice } = options;
        let speech = locale.as_ref().map(|locale| callflow::Speech { language: locale.bcp47(), voice: voice.clone() });
        let speech = speech.as_ref();
        let text = match self {
            Emit::Json => flow::render_in(project, graph, timing, locale.as_ref()),
            Emit::Dot => dot::render(project, graph),
            Emit::Mermaid => mermaid::render(project, graph),
            Emit::Scxml => scxml::render_in(project, graph, speech.map(|speech| speech.language.as_str())),
            Emit::TwilioStudio => return Ok(twilio::export(project, graph, speech)),
            Emit::Connect => return Ok(connect::export(project, graph, speech)),
            Emit::ConnectGuide => guide::connect::export(project, graph)?,
            Emit::Html => {
                let lang = locale.as_ref().map_or_else(|| "en".to_owned(), |locale| locale.bcp47());
                let page = html::Language { project, graph, stages: html::StageDiagram::Builtin, locale: None, lang };
                html::render_in(&[page], *cards, *max_paths).expect("the built-in diagram is always drawn")
            }
        };
        Ok(Output { text, warnings: Vec::new() })
    }
}
