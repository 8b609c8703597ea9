//! `build --emit dot`: a Graphviz digraph a trainer reads left to right (or top to bottom
//! with `--layout tb`, for print).
//!
//! One cluster per stage in call order, colours and shapes per stage and close outcome,
//! node labels with the name, the first line wrapped at word boundaries and hold/transfer/note
//! markers ([`super::label`]), edge labels from replies and options, an optional highlighted
//! path, and a legend. Node ids are generated (`n0`, `n1`, …); every piece of user text goes through
//! [`quote`], so any text yields DOT that `dot` accepts.

use std::fmt::Write;

use super::label::markers;
use super::{legend, merged_edges, node_label, style, Diagram, Layout, HIGHLIGHT};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;

const FONT: &str = "Helvetica";
/// The colour of an edge that goes back or stays in its stage, as on the trainer page.
const BACK: &str = "#b02a37";

/// A DOT quoted string. Backslashes are doubled so `\l`, `\N` and friends stay literal;
/// line breaks become `\n` (centred lines); other control characters become spaces; `&`
/// becomes `&amp;`, because Graphviz decodes entities in labels (`&#1;` would put a raw
/// control byte into the SVG).
pub(crate) fn quote(text: &str) -> String {
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
pub(crate) fn render_with(project: &Project, graph: &ScriptGraph, diagram: &Diagram) -> String {
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
            // `cds` draws its point over the right of the text box: room for it inside.
            let margin = if look.dot_shape == "cds" { ", margin=\"0.3,0.08\"" } else { "" };
            let _ = writeln!(
                out,
                "    n{} [label={}, shape={}, fillcolor=\"{}\", color=\"{}\"{margin}{bold}];",
                index.index(),
                quote(&label),
                look.dot_shape,
                look.fill,
                look.stroke
            );
        }
        let _ = writeln!(out, "  }}");
    }

    // Every edge between two nodes is one, its labels joined. An edge back to an earlier
    // stage is written from its target with `dir=back`, so `dot` ranks the call forward and
    // does not guess which edge of a loop to turn round.
    for edge in merged_edges(project, graph) {
        let mut attributes: Vec<String> = Vec::new();
        if let Some(lines) = &edge.label {
            attributes.push(format!("label={}", quote(&lines.join("\n"))));
        }
        let earlier = graph.stage(project, edge.to) < graph.stage(project, edge.from);
        if earlier {
            attributes.push("dir=back".to_owned());
        }
        if diagram.path.windows(2).any(|pair| pair[0] == edge.from && pair[1] == edge.to) {
            attributes.push(format!("color=\"{HIGHLIGHT}\", fontcolor=\"{HIGHLIGHT}\", penwidth=3"));
        } else if edge.back {
            attributes.push(format!("color=\"{BACK}\", fontcolor=\"{BACK}\""));
        }
        if edge.back {
            attributes.push("style=dashed".to_owned());
        }
        let attributes = if attributes.is_empty() { String::new() } else { format!(" [{}]", attributes.join(", ")) };
        let (tail, head) = if earlier { (edge.to, edge.from) } else { (edge.from, edge.to) };
        let _ = writeln!(out, "  n{} -> n{}{attributes};", tail.index(), head.index());
    }

    // The legend: one table, the colour of each stage and outcome and what a dashed edge means.
    let mut cells: Vec<String> = legend()
        .iter()
        .map(|(look, text)| format!("<td bgcolor=\"{}\" color=\"{}\">{text}</td>", look.fill, look.stroke))
        .collect();
    cells.push("<td border=\"0\">&#8212;&#8212;&gt; leads on</td>".to_owned());
    let rows: String = cells.chunks(2).map(|pair| format!("<tr>{}</tr>", pair.concat())).collect();
    let _ = writeln!(
        out,
        "  legend [shape=plain, style=\"\", fontsize=9, label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"3\" cellpadding=\"3\"><tr><td colspan=\"2\" border=\"0\"><b>legend</b></td></tr>{rows}<tr><td colspan=\"2\" border=\"0\"><font color=\"{BACK}\">- - -&gt; goes back, or stays in its stage</font></td></tr></table>>];"
    );
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
