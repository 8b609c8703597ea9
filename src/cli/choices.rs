//! The clap side of the choices the layers below define: `check --format`, `build --emit` and
//! `build --layout`. Each mirror has the same variants and help as its domain enum (so the
//! command line, `--help`, completions and the man page read the same), and turns into it
//! with `From`; clap stays in `cli/`.

use crate::emit::diagram::Layout;
use crate::emit::Emit;
use crate::report::Format;

/// How diagnostics are printed (`check --format`): [`Format`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

/// What `build --emit` writes: [`Emit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum EmitArg {
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

impl From<EmitArg> for Emit {
    fn from(emit: EmitArg) -> Emit {
        match emit {
            EmitArg::Json => Emit::Json,
            EmitArg::Dot => Emit::Dot,
            EmitArg::Mermaid => Emit::Mermaid,
            EmitArg::Scxml => Emit::Scxml,
            EmitArg::TwilioStudio => Emit::TwilioStudio,
            EmitArg::Connect => Emit::Connect,
            EmitArg::ConnectGuide => Emit::ConnectGuide,
            EmitArg::Html => Emit::Html,
        }
    }
}

/// The direction stages follow each other in (`build --layout`): [`Layout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LayoutArg {
    /// Left to right (the screen)
    Lr,
    /// Top to bottom (a printed page)
    Tb,
}

impl From<LayoutArg> for Layout {
    fn from(layout: LayoutArg) -> Layout {
        match layout {
            LayoutArg::Lr => Layout::Lr,
            LayoutArg::Tb => Layout::Tb,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::*;

    /// Every domain choice has its mirror, in the same order (the fuzz harness walks
    /// [`Format::ALL`] and [`Emit::ALL`]).
    #[test]
    fn each_mirror_covers_its_enum_in_order() {
        let formats: Vec<Format> = FormatArg::value_variants().iter().map(|&f| f.into()).collect();
        assert_eq!(formats, Format::ALL);
        let emits: Vec<Emit> = EmitArg::value_variants().iter().map(|&e| e.into()).collect();
        assert_eq!(emits, Emit::ALL);
        let layouts: Vec<Layout> = LayoutArg::value_variants().iter().map(|&l| l.into()).collect();
        assert_eq!(layouts, [Layout::Lr, Layout::Tb]);
    }
}
