//! `build --emit mermaid`: a `flowchart LR` (or `TB` with `--layout tb`) with a subgraph per
//! stage, labels wrapped and marked as in DOT ([`super::label`]), an optional highlighted path.
//!
//! Ids are generated (`n0`, `s_trigger`); every piece of user text is a quoted label in which
//! each character outside a small safe set is written as a Mermaid entity code (`#35;`),
//! so quotes, brackets, `#`, `<`, `>`, `%%{init}`, `click` or `end` cannot break the diagram
//! or inject directives.

use std::fmt::Write;

use super::label::markers;
use super::{legend, merged_edges, node_label, style, Diagram, Layout, HIGHLIGHT};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;

/// A Mermaid quoted label; `<br/>` is the only markup it contains (between lines we add).
pub(crate) fn label(lines: &[&str]) -> String {
    let encoded: Vec<String> = lines.iter().map(|line| encode(line)).collect();
    format!("\"{}\"", encoded.join("<br/>"))
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " .,:!?'()/-_*+=@$".contains(c) {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

/// The title as `accTitle` text, which runs to the end of its line: entity codes are not
/// decoded there and `%%`/`{` could be read as a directive, so anything but letters, digits and
/// plain punctuation becomes a space.
fn plain_title(title: &str) -> String {
    let safe: String =
        title.chars().map(|c| if c.is_alphanumeric() || " .,;:!?'()/-_".contains(c) { c } else { ' ' }).collect();
    safe.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn render(project: &Project, graph: &ScriptGraph) -> String {
    render_with(project, graph, &Diagram::default())
}

/// The flowchart with the trainer's choices: top-to-bottom for print, a path in bold.
pub(crate) fn render_with(project: &Project, graph: &ScriptGraph, diagram: &Diagram) -> String {
    let script = project.item(graph.script).expect("diagrams are built for parsed scripts");
    let title = script.title.as_ref().map_or(script.name.name.as_str(), |t| t.value.as_str());
    let mut out = String::new();
    // Stages follow each other in the chart's direction; a stage's nodes run across it.
    let (direction, inside) = match diagram.layout {
        Layout::Lr => ("LR", "TB"),
        Layout::Tb => ("TB", "LR"),
    };
    // The chart starts with its kind, as the contract names it; the title is its accessible
    // title (Mermaid's visible title needs front matter before the kind).
    let _ = writeln!(out, "flowchart {direction}");
    let _ = writeln!(out, "  accTitle: {}", plain_title(title));
    for stage in Stage::ALL {
        let members: Vec<_> = graph.nodes().filter(|&n| graph.stage(project, n) == stage).collect();
        if members.is_empty() {
            continue;
        }
        let id = stage.keyword().replace('-', "_");
        let _ = writeln!(out, "  subgraph s_{id}[{}]", label(&[stage.keyword()]));
        let _ = writeln!(out, "    direction {inside}");
        for index in members {
            let node = project.node(graph.graph[index]);
            let mut lines = node_label(project.qualified_name(graph.graph[index]), node);
            lines.extend(markers(node));
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let _ = writeln!(out, "    n{}[{}]:::{}", index.index(), label(&lines), style(node).name);
        }
        let _ = writeln!(out, "  end");
    }
    // Mermaid styles links by their position among the links written. Every edge between two
    // nodes is one link, its labels joined; one that goes back or stays in its stage is dotted.
    let mut bold_links = Vec::new();
    for (position, edge) in merged_edges(project, graph).iter().enumerate() {
        if diagram.path.windows(2).any(|pair| pair[0] == edge.from && pair[1] == edge.to) {
            bold_links.push(position.to_string());
        }
        let line = if edge.back { "-.->" } else { "-->" };
        let arrow = match &edge.label {
            Some(lines) => format!("{line}|{}|", label(&lines.iter().map(String::as_str).collect::<Vec<_>>())),
            None => line.to_owned(),
        };
        let _ = writeln!(out, "  n{} {arrow} n{}", edge.from.index(), edge.to.index());
    }
    write_legend(&mut out, inside);
    for (look, _) in legend() {
        let _ = writeln!(out, "  classDef {} fill:{},stroke:{},color:#212529", look.name, look.fill, look.stroke);
    }
    let _ = writeln!(out, "  classDef legend_point fill:none,stroke:none");
    if !bold_links.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:{HIGHLIGHT},stroke-width:4px", bold_links.join(","));
    }
    for node in graph.nodes().filter(|&n| diagram.is_highlighted(n)) {
        let _ = writeln!(out, "  style n{} stroke-width:4px", node.index());
    }
    out
}

/// The legend, as DOT's: a box per stage and outcome, then a forward and a dashed edge. Its
/// links come after the script's, so `linkStyle` positions stay those of the script's edges.
fn write_legend(out: &mut String, inside: &str) {
    let _ = writeln!(out, "  subgraph legend[{}]", label(&["legend"]));
    let _ = writeln!(out, "    direction {inside}");
    for (index, (look, name)) in legend().iter().enumerate() {
        let _ = writeln!(out, "    legend_{index}[{}]:::{}", label(&[name]), look.name);
    }
    let point = |name: &str| format!("legend_{name}[\" \"]:::legend_point");
    let _ = writeln!(out, "    {} -->|{}| {}", point("a"), label(&["leads on"]), point("b"));
    let _ = writeln!(out, "    {} -.->|{}| {}", point("c"), label(&["goes back, or stays in its stage"]), point("d"));
    let _ = writeln!(out, "  end");
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn hostile_text_is_entity_encoded() {
        assert_eq!(label(&["a \"b\" [c]"]), "\"a #34;b#34; #91;c#93;\"");
        assert_eq!(label(&["%%{init: x}%%", "end"]), "\"#37;#37;#123;init: x#125;#37;#37;<br/>end\"");
        assert_eq!(label(&["<script>#"]), "\"#60;script#62;#35;\"");
    }
}
