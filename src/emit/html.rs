//! `build --emit html`: the trainer page, one self-contained HTML file per script.
//!
//! The page holds the stage diagram (drawn by [`super::diagram::svg`], or Graphviz's SVG made
//! safe by [`graphviz`] when the CLI ran `dot`: [`StageDiagram`]), every trigger-to-close path as a
//! role-play card (in `paths` order, at most `max_paths`), a click-through rehearsal and one
//! input per placeholder. The template, style sheet and script are the files in
//! `src/emit/html/`; this module fills the template in one pass.
//!
//! The rehearsal data comes from the conversation model ([`crate::call`]): each node's lines
//! as literal runs and placeholders, and its [`Turn`]: a close's outcome, the one target a
//! plain `->` moves on to (the page's Continue button), or the caller's choices. The page's
//! script only displays that data; it decides nothing about the call.
//!
//! **Invariant:** no script text can create an element or run code. Text in the markup goes
//! through [`escape`]; the rehearsal data is JSON in a `<script type="application/json">` with
//! `<`, `>`, `&`, U+2028 and U+2029 escaped ([`json_for_script`]); the page's script builds
//! elements with `textContent` only; a Graphviz diagram is rewritten from an allow-list of
//! elements and attributes. The Content-Security-Policy allows exactly the page's own style
//! sheet and script, by hash, and no request to anything.
//! **Invariant:** the output is a pure function of the project and the graph.

mod graphviz;

use std::fmt::Write;

use base64::Engine;
use petgraph::graph::NodeIndex;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::diagram::{Diagram, Layout};
use crate::call::{Call, ChoiceKind, LineKind, Turn};
use crate::graph::trails::{for_each_trail, Stop};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Stage;
use crate::syntax::strings::Piece;

/// The page with `{{name}}` slots, filled once by [`fill_template`].
const TEMPLATE: &str = include_str!("html/page.html");
const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

/// Role-play cards written when `build --max` is not given (as many as `paths` lists).
pub const DEFAULT_MAX_PATHS: usize = 1000;

/// Where the page's stage diagram comes from.
#[derive(Clone, Copy, Debug)]
pub enum StageDiagram<'a> {
    /// Drawn by defuse itself ([`super::diagram::svg`]): no other program needed.
    Builtin,
    /// Laid out by Graphviz: `svg` is what `dot -Tsvg` wrote for [`super::dot::render_with`]
    /// with `diagram` (its direction and highlighted path).
    Graphviz { svg: &'a str, diagram: &'a Diagram },
}

/// `text` safe anywhere in HTML text or a quoted attribute value.
pub use crate::output::html_text as escape;

/// JSON that can sit inside a `<script>` element: no `</script>`, `<!--` or `]]>` can
/// appear, and no line separator that older parsers treat as a line break. Each replaced
/// character only ever occurs inside a JSON string, where its `\u` escape means the same.
pub fn json_for_script(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("page data serializes");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The CSP source that allows exactly `content` as an inline `<style>` or `<script>`.
fn hash_source(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The page's Content-Security-Policy: nothing may be loaded or sent, and only the page's
/// own style sheet and script apply.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        hash_source(STYLE),
        hash_source(SCRIPT)
    )
}

/// `template` with each `{{name}}` replaced by its value, in one pass: a value is never
/// searched for slots, so script text that looks like `{{svg}}` stays text.
fn fill_template(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let end = start + rest[start..].find("}}").expect("template slots are closed");
        let name = &rest[start + 2..end];
        let value =
            values.iter().find(|(slot, _)| *slot == name).unwrap_or_else(|| panic!("no value for {{{{{name}}}}}"));
        out.push_str(&rest[..start]);
        out.push_str(value.1);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Writes `pieces` as HTML: escaped runs, placeholders as `<span data-fill="NAME">` that the
/// page's inputs fill.
fn write_pieces(out: &mut String, pieces: &[Piece]) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(&escape(text)),
            Piece::Var(name) => {
                let name = escape(name);
                let _ = write!(out, "<span class=\"var\" data-fill=\"{name}\">{{{name}}}</span>");
            }
        }
    }
}

// --- The rehearsal data: what the page's script reads -------------------------------------

#[derive(Serialize)]
struct PageData {
    starts: Vec<String>,
    nodes: Vec<NodeData>,
}

#[derive(Serialize)]
struct NodeData {
    id: String,
    stage: &'static str,
    lines: Vec<LineData>,
    turn: TurnData,
}

/// A run of text (a JSON string) or a placeholder (`{"var": "name"}`).
#[derive(Serialize)]
#[serde(untagged)]
enum PieceData {
    Text(String),
    Var { var: String },
}

#[derive(Serialize)]
struct LineData {
    kind: &'static str,
    text: Vec<PieceData>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
enum TurnData {
    Ends { outcome: &'static str, follow_up: Option<FollowUpData> },
    MovesOn { target: String },
    Chooses { choices: Vec<ChoiceData> },
    Stuck,
}

#[derive(Serialize)]
struct FollowUpData {
    after: Vec<PieceData>,
    note: Vec<PieceData>,
}

#[derive(Serialize)]
struct ChoiceData {
    kind: &'static str,
    label: Option<Vec<PieceData>>,
    target: String,
}

fn piece_data(pieces: Vec<Piece>) -> Vec<PieceData> {
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) => PieceData::Text(crate::output::page_text(&text).into_owned()),
            Piece::Var(name) => PieceData::Var { var: name.to_owned() },
        })
        .collect()
}

fn choice_kind(kind: ChoiceKind) -> &'static str {
    match kind {
        ChoiceKind::Reply => "reply",
        ChoiceKind::Otherwise => "otherwise",
        ChoiceKind::Option => "option",
        ChoiceKind::Continue => "continue",
    }
}

fn page_data(call: &Call) -> PageData {
    let nodes = call
        .graph
        .nodes()
        .map(|n| {
            let lines = call
                .lines(n)
                .map(|line| LineData { kind: line.kind.keyword(), text: piece_data(call.pieces(n, line.text)) })
                .collect();
            let turn = match call.turn(n) {
                Turn::Ends(outcome) => TurnData::Ends {
                    outcome: outcome.keyword(),
                    follow_up: call.node(n).follow_up().map(|(after, note)| FollowUpData {
                        after: piece_data(call.pieces(n, after)),
                        note: piece_data(call.pieces(n, note)),
                    }),
                },
                Turn::MovesOn(choice) => TurnData::MovesOn { target: call.id(choice.target) },
                Turn::Chooses(choices) => TurnData::Chooses {
                    choices: choices
                        .iter()
                        .map(|choice| ChoiceData {
                            kind: choice_kind(choice.kind),
                            label: choice.label.map(|label| piece_data(call.pieces(n, label))),
                            target: call.id(choice.target),
                        })
                        .collect(),
                },
                Turn::Stuck => TurnData::Stuck,
            };
            NodeData { id: call.id(n), stage: call.node(n).stage.keyword(), lines, turn }
        })
        .collect();
    PageData { starts: call.starts().into_iter().map(|n| call.id(n)).collect(), nodes }
}

// --- The markup ---------------------------------------------------------------------------

/// How a line reads on a card and in the rehearsal (the page's script uses the same words).
fn line_lead(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Say => "Agent:",
        LineKind::Ask => "Agent asks:",
        LineKind::Customer => "Customer:",
        LineKind::Note => "Trainer note:",
        LineKind::Hold => "Hold:",
        LineKind::Transfer => "Transfer to:",
    }
}

fn write_node_lines(out: &mut String, call: &Call, node: NodeIndex) {
    for line in call.lines(node) {
        let kind = line.kind.keyword();
        let _ = write!(out, "<p class=\"line {kind}\"><span class=\"who\">{}</span> ", line_lead(line.kind));
        write_pieces(out, &call.pieces(node, line.text));
        out.push_str("</p>\n");
    }
}

/// One role-play card: each node's lines, the caller's choice between nodes, the outcome.
fn write_card(out: &mut String, call: &Call, number: usize, start: NodeIndex, edges: &[petgraph::graph::EdgeIndex]) {
    let mut nodes = vec![start];
    nodes.extend(edges.iter().map(|&e| call.graph.graph.edge_endpoints(e).expect("an edge of this graph").1));
    let ids: Vec<String> = nodes.iter().map(|&n| call.id(n)).collect();
    let last = call.node(*nodes.last().expect("a path has a start"));
    let outcome = if last.stage == Stage::Close { last.outcome().keyword() } else { "none" };
    let _ = writeln!(
        out,
        "<article class=\"path\" data-nodes=\"{}\" aria-labelledby=\"path-{number}\">",
        escape(&ids.join(" "))
    );
    let _ = writeln!(
        out,
        "<h3 id=\"path-{number}\">Path {number} <span class=\"tag outcome-{outcome}\">{outcome}</span></h3>"
    );
    let _ = writeln!(out, "<p class=\"route\">{}</p>", escape(&ids.join(" → ")));
    out.push_str("<ol class=\"turns\">\n");
    for (step, &node) in nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><p class=\"where\">{} · <code>{}</code></p>",
            call.node(node).stage.keyword(),
            escape(&ids[step])
        );
        write_node_lines(out, call, node);
        if let Some(&edge) = edges.get(step) {
            let choice = call.choice(edge);
            match (choice.kind, choice.label) {
                (ChoiceKind::Reply, Some(label)) => {
                    out.push_str("<p class=\"pick\"><span class=\"who\">Customer answers:</span> “");
                    write_pieces(out, &call.pieces(node, label));
                    out.push_str("”</p>\n");
                }
                (ChoiceKind::Option, Some(label)) => {
                    out.push_str("<p class=\"pick\"><span class=\"who\">Customer picks:</span> “");
                    write_pieces(out, &call.pieces(node, label));
                    out.push_str("”</p>\n");
                }
                (ChoiceKind::Otherwise, _) => {
                    out.push_str("<p class=\"pick\"><span class=\"who\">Customer answers:</span> anything else</p>\n");
                }
                _ => {}
            }
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    let _ = write!(out, "<p class=\"end\">Outcome: <strong>{outcome}</strong>");
    if let Some((after, note)) = last.follow_up() {
        let close = *nodes.last().expect("a path has a start");
        out.push_str(" · Follow up after ");
        write_pieces(out, &call.pieces(close, after));
        out.push_str(": ");
        write_pieces(out, &call.pieces(close, note));
    }
    out.push_str("</p>\n</article>\n");
}

/// The cards section's content, and how many paths it holds.
fn cards(project: &Project, call: &Call, max_paths: usize) -> (String, usize) {
    let mut out = String::new();
    let mut count = 0;
    let stop = for_each_trail(project, call.graph, |trail| {
        count += 1;
        write_card(&mut out, call, count, trail.start, &trail.edges);
        count < max_paths
    });
    let note = match stop {
        Stop::Complete => String::new(),
        Stop::Enough => format!(
            "<p class=\"notice\">The first {count} paths are shown; build with <code>--max N</code> for more.</p>\n"
        ),
        Stop::Budget => {
            format!("<p class=\"notice\">The first {count} paths are shown: the script has too many to list.</p>\n")
        }
    };
    (note + &out, count)
}

fn vars_section(project: &Project, call: &Call) -> String {
    let script = project.item(call.graph.script).expect("pages are built for parsed scripts");
    if script.vars.is_empty() {
        return String::new();
    }
    let mut out = String::from(concat!(
        "<section id=\"vars\" aria-labelledby=\"vars-title\">\n<h2 id=\"vars-title\">Placeholders</h2>\n",
        "<p class=\"hint\">Type a value to fill the placeholder everywhere on this page.</p>\n<div class=\"fields\">\n"
    ));
    for var in &script.vars {
        let name = escape(&var.name);
        let _ = writeln!(
            out,
            "<label><span class=\"var-name\">{{{name}}}</span> <input type=\"text\" data-var=\"{name}\" autocomplete=\"off\" spellcheck=\"false\"></label>"
        );
    }
    out.push_str("</div>\n</section>\n");
    out
}

fn meta_list(project: &Project, call: &Call) -> String {
    let script = project.item(call.graph.script).expect("pages are built for parsed scripts");
    if script.meta.is_empty() {
        return String::new();
    }
    let mut out = String::from("<dl class=\"meta\">\n");
    for entry in &script.meta {
        let values: Vec<String> = entry.values.iter().map(|value| escape(&value.value)).collect();
        let _ = writeln!(out, "<div><dt>{}</dt><dd>{}</dd></div>", escape(&entry.key.name), values.join(", "));
    }
    out.push_str("</dl>\n");
    out
}

/// The trainer page of the script `graph` was built for, with at most `max_paths` cards and
/// the diagram defuse draws itself.
pub fn render(project: &Project, graph: &ScriptGraph, max_paths: usize) -> String {
    render_with(project, graph, max_paths, StageDiagram::Builtin).expect("the built-in diagram is always drawn")
}

/// The trainer page with the stage diagram from `stages`. The error says why Graphviz's SVG
/// cannot be used (the built-in diagram never fails).
pub fn render_with(
    project: &Project,
    graph: &ScriptGraph,
    max_paths: usize,
    stages: StageDiagram,
) -> Result<String, String> {
    let call = Call::new(project, graph);
    let (svg, hint) = match stages {
        StageDiagram::Builtin => (
            super::diagram::svg::render(&call),
            "The call moves left to right. Dashed red arrows go back: a loop the caller can take.".to_owned(),
        ),
        StageDiagram::Graphviz { svg, diagram } => {
            let direction = match diagram.layout {
                Layout::Lr => "left to right",
                Layout::Tb => "top to bottom",
            };
            let description = format!("The call's stages, {direction}, as Graphviz laid them out");
            let svg = graphviz::inline(svg, &call, &description)
                .map_err(|reason| format!("Graphviz's SVG cannot be used: {reason}"))?;
            let mut hint = format!("Laid out by Graphviz: one box per stage, the call moves {direction}.");
            if !diagram.path.is_empty() {
                hint.push_str(" The path drawn in bold is the one this page was built to show.");
            }
            (svg, hint)
        }
    };
    let script = project.item(graph.script).expect("pages are built for parsed scripts");
    let title = escape(script.title.as_ref().map_or(script.name.name.as_str(), |title| title.value.as_str()));
    let (cards, paths) = cards(project, &call, max_paths);
    let counts = format!(
        "{} node{} · {paths} path{}",
        graph.graph.node_count(),
        if graph.graph.node_count() == 1 { "" } else { "s" },
        if paths == 1 { "" } else { "s" }
    );
    Ok(fill_template(
        TEMPLATE,
        &[
            ("csp", &content_security_policy()),
            ("title", &title),
            ("name", &escape(&script.name.name)),
            ("counts", &counts),
            ("meta", &meta_list(project, &call)),
            ("vars", &vars_section(project, &call)),
            ("diagram_hint", &hint),
            ("svg", &svg),
            ("cards", &cards),
            ("data", &json_for_script(&page_data(&call))),
            ("style", STYLE),
            ("script", SCRIPT),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_text_and_attributes() {
        assert_eq!(
            escape(r#"<img src=x onerror="a('b')">&amp;"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;amp;"
        );
        assert_eq!(escape("nul\0 esc\u{1b} c1\u{9b}"), "nul\\u{0} esc\\u{1b} c1\\u{9b}");
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let text = "</script><!-- ]]> & \u{2028}\u{2029}";
        let json = json_for_script(&text);
        assert_eq!(json, r#""\u003c/script\u003e\u003c!-- ]]\u003e \u0026 \u2028\u2029""#);
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text, "the escapes mean the same text");
    }

    #[test]
    fn rehearsal_text_shows_control_characters_as_the_cards_do() {
        // The page's script sets this text with textContent, where a raw control character
        // would be invisible while the card beside it shows `\u{1b}`.
        let pieces = vec![Piece::Text("esc\u{1b} nul\0 c1\u{9b} tab\t".to_owned()), Piece::Var("name")];
        let json = json_for_script(&piece_data(pieces));
        assert_eq!(json, r#"["esc\\u{1b} nul\\u{0} c1\\u{9b} tab\t",{"var":"name"}]"#);
    }

    #[test]
    fn the_template_is_filled_once() {
        let filled = fill_template("<p>{{a}}|{{b}}</p>", &[("a", "{{b}}"), ("b", "x")]);
        assert_eq!(filled, "<p>{{b}}|x</p>");
    }

    #[test]
    fn every_slot_of_the_page_has_a_value() {
        let slots: std::collections::BTreeSet<&str> =
            TEMPLATE.split("{{").skip(1).map(|rest| &rest[..rest.find("}}").unwrap()]).collect();
        let mut known = [
            "csp",
            "title",
            "name",
            "counts",
            "meta",
            "vars",
            "diagram_hint",
            "svg",
            "cards",
            "data",
            "style",
            "script",
        ];
        known.sort_unstable();
        assert_eq!(slots.into_iter().collect::<Vec<_>>(), known);
    }

    #[test]
    fn the_policy_hashes_the_exact_assets() {
        // The SHA-256 of "" in base64, as CSP writes it, checks the encoding.
        assert_eq!(hash_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        let policy = content_security_policy();
        assert!(policy.starts_with("default-src 'none'; "), "{policy}");
        assert!(policy.contains(&hash_source(SCRIPT)) && policy.contains(&hash_source(STYLE)));
        assert!(!policy.contains("unsafe"), "{policy}");
    }
}
