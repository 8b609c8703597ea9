//! The trainer page's stage diagram as Graphviz lays it out (`build --emit html --diagram
//! graphviz`): the SVG that `dot -Tsvg` made of defuse's own DOT ([`crate::emit::diagram::dot`]),
//! rewritten to sit in the page like the built-in diagram. The CLI runs `dot`; this module
//! only reads its output, so `emit` stays a pure function of its inputs.
//!
//! The SVG comes from another program, and its labels hold script text. So it is parsed as
//! XML and written back from an allow-list: only the elements and presentation attributes
//! Graphviz draws shapes and text with, every text and attribute value escaped again. The XML
//! prolog, the DOCTYPE, comments (Graphviz's version comment among them), ids, links, styles
//! and any element not on the list are left out. Whatever the SVG holds, it cannot add an
//! element or attribute of its own, clash with the page's ids, or break its CSP.
//!
//! Hooks, as in the built-in diagram: each node's group is `<g class="node" data-node="ID">`
//! (found by its `<title>`, the DOT name `nINDEX` that [`crate::emit::diagram::dot`] gives the graph's
//! node INDEX), which the page's script marks `current` and `visited`; a `{name}` in a node's
//! or an edge's text becomes a `<tspan data-fill="name">` the page's inputs fill, for every
//! declared placeholder that no literal text of the script spells out as `\{name\}` (Graphviz
//! draws both alike, so such a name stays text).
//!
//! **Invariant:** the output is a pure function of the SVG text and the graph; coordinates
//! and layout are Graphviz's, so they may differ between Graphviz versions.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use roxmltree::{Document, Node, NodeType, ParsingOptions};

use super::escape;
use crate::call::Call;
use crate::syntax::strings::Piece;

const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The elements kept: what Graphviz draws groups, shapes and text with. Anything else is
/// left out with all it holds.
const ELEMENTS: &[&str] = &["g", "title", "polygon", "polyline", "ellipse", "path", "text"];

/// The attributes kept: geometry and presentation, nothing that refers to anything.
const ATTRIBUTES: &[&str] = &[
    "transform",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "points",
    "d",
    "cx",
    "cy",
    "rx",
    "ry",
    "x",
    "y",
    "text-anchor",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-decoration",
    "baseline-shift",
];

/// The group classes Graphviz writes, kept so the page's style and script find nodes.
const CLASSES: &[&str] = &["graph", "cluster", "node", "edge"];

/// `svg`, the output of `dot -Tsvg` for this call's DOT, as the page's inline diagram, with
/// `description` as its accessible title. The error says why the SVG cannot be read.
pub(crate) fn inline(svg: &str, call: &Call, description: &str) -> Result<String, String> {
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let document = Document::parse_with_options(svg, options).map_err(|error| format!("it is not XML: {error}"))?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NAMESPACE) {
        return Err(format!("its root element is <{}>, not an SVG <svg>", root.tag_name().name()));
    }
    let mut writer = Writer {
        out: String::with_capacity(svg.len()),
        ids: call.graph.nodes().map(|n| (format!("n{}", n.index()), call.id(n))).collect(),
        fillable: fillable(call),
    };
    let out = &mut writer.out;
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graphviz\"");
    for name in ["viewBox", "width", "height"] {
        if let Some(value) = root.attribute(name) {
            let _ = write!(out, " {name}=\"{}\"", escape(value));
        }
    }
    let _ = write!(
        out,
        " role=\"img\" aria-labelledby=\"diagram-svg-title\">\n<title id=\"diagram-svg-title\">{}</title>\n",
        escape(description)
    );
    writer.children(root, false);
    writer.out.push_str("</svg>");
    Ok(writer.out)
}

/// The declared placeholders whose `{name}` in Graphviz's text is a placeholder for sure.
fn fillable(call: &Call) -> HashSet<String> {
    let script = call.project.item(call.graph.script).expect("pages are built for parsed scripts");
    let mut spelled_out = HashSet::new();
    for n in call.graph.nodes() {
        let labels = call.choices(n).into_iter().filter_map(|choice| choice.label);
        for text in call.lines(n).map(|line| line.text).chain(labels) {
            for piece in call.pieces(n, text) {
                if let Piece::Text(literal) = piece {
                    spelled_out.extend(braced_names(&literal).map(|(_, _, name)| name.to_owned()));
                }
            }
        }
    }
    script.vars.iter().map(|var| var.name.clone()).filter(|name| !spelled_out.contains(name)).collect()
}

/// Every `{name}` in `text` (no brace or space inside): its start, its end, and the name.
fn braced_names(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let open = from + text[from..].find('{')?;
        let close = open + text[open..].find('}')?;
        let name = &text[open + 1..close];
        if name.is_empty() || name.contains(['{', ' ']) {
            from = open + 1;
            continue;
        }
        from = close + 1;
        return Some((open, close + 1, name));
    })
}

struct Writer {
    out: String,
    /// DOT node name (`n3`) → node id.
    ids: HashMap<String, String>,
    fillable: HashSet<String>,
}

impl Writer {
    /// Writes the kept children of `parent`; `fill` marks placeholders in text. Only a
    /// `<text>` keeps its text; between elements, each kept one ends its line.
    fn children(&mut self, parent: Node, fill: bool) {
        let in_text = parent.has_tag_name((SVG_NAMESPACE, "text"));
        for child in parent.children() {
            match child.node_type() {
                NodeType::Element if !in_text => self.element(child, fill),
                NodeType::Text if in_text => {
                    let text = child.text().unwrap_or_default();
                    if fill {
                        self.filled_text(text);
                    } else {
                        self.out.push_str(&escape(text));
                    }
                }
                // Comments, processing instructions, the layout's whitespace, and elements
                // inside text (Graphviz writes none) are left out.
                _ => {}
            }
        }
    }

    /// Writes `element`, on a line of its own, if it is kept.
    fn element(&mut self, element: Node, fill: bool) {
        let name = element.tag_name().name();
        if element.tag_name().namespace() != Some(SVG_NAMESPACE) || !ELEMENTS.contains(&name) {
            return;
        }
        if name == "title" {
            // A group writes the title it keeps itself (see `group`); others say nothing useful.
            return;
        }
        if name == "g" {
            self.group(element, fill);
            self.out.push('\n');
            return;
        }
        let _ = write!(self.out, "<{name}");
        self.attributes(element);
        if element.has_children() {
            self.out.push('>');
            self.children(element, fill);
            let _ = write!(self.out, "</{name}>");
        } else {
            self.out.push_str("/>");
        }
        self.out.push('\n');
    }

    /// A `<g>`: a node's group gets its `data-node` and its id as title, an edge's group the
    /// ids it joins.
    fn group(&mut self, group: Node, fill: bool) {
        let class = group.attribute("class").filter(|class| CLASSES.contains(class));
        let title = group
            .children()
            .find(|child| child.has_tag_name((SVG_NAMESPACE, "title")))
            .and_then(|title| title.text())
            .unwrap_or_default();
        let (node, title) = match class {
            Some("node") => match self.ids.get(title) {
                Some(id) => (Some(id.clone()), Some(id.clone())),
                None => (None, None), // a legend entry
            },
            Some("edge") => {
                let ends = title.split_once("->").and_then(|(from, to)| Some((self.ids.get(from)?, self.ids.get(to)?)));
                (None, ends.map(|(from, to)| format!("{from} → {to}")))
            }
            _ => (None, None),
        };
        self.out.push_str("<g");
        if let Some(class) = class {
            let _ = write!(self.out, " class=\"{class}\"");
        }
        if let Some(node) = &node {
            let _ = write!(self.out, " data-node=\"{}\"", escape(node));
        }
        self.attributes(group);
        self.out.push('>');
        if let Some(title) = title {
            let _ = write!(self.out, "<title>{}</title>", escape(&title));
        }
        self.out.push('\n');
        let fill = fill || matches!(class, Some("node" | "edge"));
        self.children(group, fill);
        self.out.push_str("</g>");
    }

    fn attributes(&mut self, element: Node) {
        for attribute in element.attributes() {
            let name = attribute.name();
            let kept = match attribute.namespace() {
                None => ATTRIBUTES.contains(&name),
                Some(XML_NAMESPACE) => name == "space",
                Some(_) => false,
            };
            if kept {
                let prefix = if attribute.namespace().is_some() { "xml:" } else { "" };
                let _ = write!(self.out, " {prefix}{name}=\"{}\"", escape(attribute.value()));
            }
        }
    }

    /// Text of a node or edge: escaped, each fillable `{name}` a placeholder the page fills.
    fn filled_text(&mut self, text: &str) {
        let mut at = 0;
        for (start, end, name) in braced_names(text) {
            if !self.fillable.contains(name) {
                continue;
            }
            self.out.push_str(&escape(&text[at..start]));
            let name = escape(name);
            let _ = write!(self.out, "<tspan class=\"var\" data-fill=\"{name}\">{{{name}}}</tspan>");
            at = end;
        }
        self.out.push_str(&escape(&text[at..]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ScriptGraph;
    use crate::resolve::load_text;
    use crate::source::FileId;

    const SCRIPT: &str = r#"script s {
  vars name code
  trigger t { customer "hi {name}" -> c }
  close c { say "bye {name}, \{code\} {code}" }
}"#;

    fn inlined(svg: &str) -> Result<String, String> {
        let project = load_text("t.defuse".into(), SCRIPT);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        inline(svg, &Call::new(&project, &graph), "the diagram")
    }

    #[test]
    fn only_listed_elements_and_attributes_are_kept() {
        let svg = r#"<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- Generated by graphviz version 9 -->
<svg width="10pt" height="20pt" viewBox="0 0 10 20" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1)" onload="x()"><title>s</title>
<g id="node1" class="node"><title>n0</title><a xlink:href="https://example.com/"><text>link</text></a>
<polygon fill="red" style="x" points="1,2"/><text x="1" font-size="11.00">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text></g>
<script>alert(2)</script><image href="x.png"/>
</g></svg>"#;
        let out = inlined(svg).unwrap();
        assert_eq!(
            out,
            concat!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graphviz\" viewBox=\"0 0 10 20\" width=\"10pt\" height=\"20pt\" role=\"img\" aria-labelledby=\"diagram-svg-title\">\n",
                "<title id=\"diagram-svg-title\">the diagram</title>\n",
                "<g class=\"graph\" transform=\"scale(1)\">\n",
                "<g class=\"node\" data-node=\"t\"><title>t</title>\n",
                "<polygon fill=\"red\" points=\"1,2\"/>\n",
                "<text x=\"1\" font-size=\"11.00\">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>\n",
                "</g>\n</g>\n</svg>"
            )
        );
    }

    #[test]
    fn edges_name_the_nodes_they_join_and_legend_entries_no_node() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><g class="edge"><title>n0&#45;&gt;n1</title><path d="M0,0"/></g><g class="node"><title>legend_0</title></g><g class="node"><title>n9</title></g></svg>"#;
        let out = inlined(svg).unwrap();
        assert!(out.contains("<g class=\"edge\"><title>t → c</title>\n<path d=\"M0,0\"/>\n</g>"), "{out}");
        assert!(out.contains("<g class=\"node\">\n</g>\n<g class=\"node\">\n</g>"), "{out}");
    }

    #[test]
    fn placeholders_in_node_text_are_fillable_unless_spelled_out() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><g class="node"><title>n1</title><text>bye {name}, {code} {code}</text></g><text>{name}</text></svg>"#;
        let out = inlined(svg).unwrap();
        assert!(
            out.contains("<text>bye <tspan class=\"var\" data-fill=\"name\">{name}</tspan>, {code} {code}</text>"),
            "`code` is also written as literal text, so it stays text: {out}"
        );
        assert!(out.ends_with("<text>{name}</text>\n</svg>"), "only nodes and edges hold placeholders: {out}");
    }

    #[test]
    fn what_is_not_an_svg_is_refused() {
        assert!(inlined("<svg").unwrap_err().starts_with("it is not XML"));
        assert!(inlined("<html/>").unwrap_err().contains("<html>"));
        assert!(inlined("<svg/>").unwrap_err().contains("not an SVG"), "no SVG namespace");
    }

    #[test]
    fn braced_names_skip_what_is_not_a_name() {
        let found: Vec<&str> = braced_names("{a} {} {b c} {{d}} {e").map(|(_, _, name)| name).collect();
        assert_eq!(found, ["a", "d"]);
    }
}
