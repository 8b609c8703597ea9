//! `build --emit dot`: a Graphviz digraph a trainer reads left to right (or top to bottom
//! with `--layout tb`, for print).
//!
//! One cluster per stage in call order, colours and shapes per stage and close outcome,
//! node labels with the name, the first line wrapped at word boundaries and hold/transfer/note
//! markers ([`super::label`]), edge labels from replies and options, an optional highlighted
//! path, and a legend. Node ids are generated (`n0`, `n1`, …); every piece of user text goes through
//! [`quote`], so any text yields DOT that `dot` accepts.

use std::fmt::Write;

use petgraph::visit::EdgeRef;

use super::label::markers;
use super::{edge_label, legend, node_label, style, Diagram, Layout, HIGHLIGHT};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;

const FONT: &str = "Helvetica";

/// A DOT quoted string. Backslashes are doubled so `\l`, `\N` and friends stay literal;
/// line breaks become `\n` (centred lines); other control characters become spaces; `&`
/// becomes `&amp;`, because Graphviz decodes entities in labels (`&#1;` would put a raw
/// control byte into the SVG).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn render(project: &Project, graph: &ScriptGraph) -> String {
    render_with(project, graph, &Diagram::default())
}

/// The digraph with the trainer's choices: top-to-bottom for print, a path in bold.
pub fn render_with(project: &Project, graph: &ScriptGraph, diagram: &Diagram) -> String {
    let script = project.item(graph.script).expect("diagrams are built for parsed scripts");
    let title = script.title.as_ref().map_or(script.name.name.as_str(), |t| t.value.as_str());
    let rankdir = match diagram.layout {
        Layout::Lr => "LR",
        Layout::Tb => "TB",
    };
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&script.name.name));
    let _ = writeln!(
        out,
        "  graph [rankdir={rankdir}, fontname={FONT:?}, label={}, labelloc=t, fontsize=18];",
        quote(title)
    );
    let _ = writeln!(out, "  node [fontname={FONT:?}, fontsize=11, style=filled];");
    let _ = writeln!(out, "  edge [fontname={FONT:?}, fontsize=10];");

    for (rank, stage) in Stage::ALL.into_iter().enumerate() {
        let members: Vec<_> = graph.nodes().filter(|&n| graph.stage(project, n) == stage).collect();
        if members.is_empty() {
            continue;
        }
        let cluster = stage.keyword().replace('-', "_");
        let _ = writeln!(out, "  subgraph cluster_{rank}_{cluster} {{");
        let _ = writeln!(out, "    label={}; style=\"rounded,dashed\"; color=\"#adb5bd\";", quote(stage.keyword()));
        for index in members {
            let node = project.node(graph.graph[index]);
            let look = style(node);
            let mut lines = node_label(project.qualified_name(graph.graph[index]), node);
            lines.extend(markers(node));
            let label = lines.join("\n");
            let bold = if diagram.is_highlighted(index) { ", penwidth=3" } else { "" };
            let _ = writeln!(
                out,
                "    n{} [label={}, shape={}, fillcolor=\"{}\", color=\"{}\"{bold}];",
                index.index(),
                quote(&label),
                look.dot_shape,
                look.fill,
                look.stroke
            );
        }
        let _ = writeln!(out, "  }}");
    }

    for edge in graph.graph.edge_references() {
        let mut attributes: Vec<String> = Vec::new();
        if let Some(lines) = edge_label(project, edge.weight()) {
            attributes.push(format!("label={}", quote(&lines.join("\n"))));
        }
        if diagram.highlights_edge(graph, edge.id()) {
            attributes.push(format!("color=\"{HIGHLIGHT}\", fontcolor=\"{HIGHLIGHT}\", penwidth=3"));
        }
        let attributes = if attributes.is_empty() { String::new() } else { format!(" [{}]", attributes.join(", ")) };
        let _ = writeln!(out, "  n{} -> n{}{attributes};", edge.source().index(), edge.target().index());
    }

    let _ = writeln!(out, "  subgraph cluster_legend {{");
    let _ = writeln!(out, "    label=\"legend\"; style=\"rounded\"; color=\"#adb5bd\"; fontsize=10;");
    for (i, (look, text)) in legend().iter().enumerate() {
        let _ = writeln!(
            out,
            "    legend_{i} [label={}, shape={}, fillcolor=\"{}\", color=\"{}\", fontsize=9];",
            quote(text),
            look.dot_shape,
            look.fill,
            look.stroke
        );
    }
    if diagram.layout == Layout::Tb {
        // Top to bottom, nodes of one rank sit side by side: chained, the legend stays a
        // column beside the call instead of a row as wide as the page.
        let chain: Vec<String> = (0..legend().len()).map(|i| format!("legend_{i}")).collect();
        let _ = writeln!(out, "    {} [style=invis];", chain.join(" -> "));
    }
    let _ = writeln!(out, "  }}");
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quoting_escapes_everything_dot_interprets() {
        assert_eq!(quote(r#"a "b" \l c"#), r#""a \"b\" \\l c""#);
        assert_eq!(quote("x\ny\tz\u{7}"), "\"x\\ny z \"");
        assert_eq!(quote("<b>&{}</b>"), "\"<b>&amp;{}</b>\"");
        assert_eq!(quote("&#1;&amp;"), "\"&amp;#1;&amp;amp;\"");
    }
}
