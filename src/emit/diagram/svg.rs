//! The trainer page's stage diagram: inline SVG that defuse lays out itself ([`super::layout`]),
//! so the page needs no other program and no other file.
//!
//! One column per stage in call order (stages without nodes are left out; a stage whose nodes
//! lead to each other gets sub-columns). A node shows its id, a close its outcome, its first
//! line wrapped at word boundaries, and badges for `hold`, `transfer` and `note`. Edges that
//! share a source and a target are one edge, their labels joined ("Wi-Fi / cable"); a label
//! is the whole reply or option text, wrapped, in its own place between the columns. An edge
//! back to an earlier stage or within its stage is dashed and red, as the legend at the top says.
//!
//! **Invariant:** the output is a pure function of the graph: integer coordinates, widths
//! estimated from character widths (never from fonts on this machine), so it is byte-identical
//! everywhere. The estimates are those of DejaVu Sans, the widest common sans-serif, so text
//! fits its box with the narrower fonts (Arial, Helvetica, Segoe UI) too.
//! **Invariant:** every piece of script text is HTML-escaped ([`crate::emit::html::escape`]); a
//! placeholder is a `<tspan data-fill="NAME">` the page's inputs fill.

use std::fmt::Write;

use petgraph::graph::NodeIndex;

use super::label::{marks, Mark};
use super::layout::{self, Input, Size};
use super::style;
use super::wrap::{quote_lines, wrap};
use crate::call::{Call, ChoiceKind};
use crate::emit::html::escape;
use crate::syntax::ast::Stage;
use crate::syntax::strings::Piece;

/// Font sizes (as the page's style sheet sets them) and line heights, in pixels.
const TEXT_PX: i64 = 12;
const LABEL_PX: i64 = 11;
const BADGE_PX: i64 = 10;
const LINE: i64 = 16;
const LABEL_LINE: i64 = 13;
const PAD: i64 = 10;
const BADGE_ROW: i64 = 22;
const MARGIN: i64 = 16;
const MIN_WIDTH: i64 = 140;
/// Characters per line of a node's text, and how many lines it may take.
const WRAP: usize = 26;
const MAX_LINES: usize = 4;
/// Characters per line of an edge label; it takes as many lines as it needs.
const LABEL_WRAP: usize = 28;
/// The legend's row and the stage titles' row above the columns.
const LEGEND: i64 = 20;
const HEADER: i64 = 30;

/// A line of text as the diagram draws it: literal runs and placeholders.
type TextLine<'s> = Vec<Piece<'s>>;

/// The advance of `c` in thousandths of an em, as DejaVu Sans draws it (rounded up).
fn advance(c: char) -> u32 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' => 280,
        ' ' | '.' | ',' | ':' | ';' | '!' | 'I' | 'J' => 400,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' | '"' => 420,
        's' | 'c' | 'z' | '?' | '*' => 560,
        'm' | 'M' | 'W' | '%' => 1000,
        'w' | '@' | '&' | 'O' | 'Q' | 'G' | 'D' | 'H' | 'N' | 'U' | 'C' => 830,
        '…' | '—' => 1000,
        'A'..='Z' => 720,
        '0'..='9' | 'a'..='z' | '{' | '}' | '_' | '“' | '”' | '’' | '‘' => 640,
        c if super::wrap::cells(c.encode_utf8(&mut [0; 4])) == 2 => 1000,
        _ => 700,
    }
}

/// The estimated width in pixels of `text` at `px`, bold or not (DejaVu Sans Bold is up to a
/// quarter wider).
fn text_width(text: &str, px: i64, bold: bool) -> i64 {
    let thousandths: u64 = text.chars().map(|c| u64::from(advance(c))).sum();
    let scale = if bold { 125 } else { 100 };
    (thousandths * px as u64 * scale / 100).div_ceil(1000) as i64
}

fn line_text(line: &TextLine) -> String {
    line.iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Var(name) => format!("{{{name}}}"),
        })
        .collect()
}

/// Writes `line` as SVG text content: escaped runs, placeholders as fillable `<tspan>`s.
fn write_line(out: &mut String, line: &TextLine) {
    for piece in line {
        match piece {
            Piece::Text(text) => out.push_str(&escape(text)),
            Piece::Var(name) => {
                let name = escape(name);
                let _ = write!(out, "<tspan class=\"var\" data-fill=\"{name}\">{{{name}}}</tspan>");
            }
        }
    }
}

/// What a node shows.
struct Shown<'s> {
    id: String,
    outcome: Option<&'static str>,
    text: Vec<TextLine<'s>>,
    badges: Vec<&'static str>,
}

impl Shown<'_> {
    fn size(&self) -> Size {
        let mut width = text_width(&self.id, TEXT_PX, true);
        if let Some(outcome) = self.outcome {
            width = width.max(text_width(&format!("outcome: {outcome}"), TEXT_PX, false));
        }
        for line in &self.text {
            width = width.max(text_width(&line_text(line), TEXT_PX, false));
        }
        let badges: i64 = self.badges.iter().map(|badge| badge_width(badge) + 6).sum();
        width = width.max(badges);
        let lines = 1 + i64::from(self.outcome.is_some()) + self.text.len() as i64;
        let height = 2 * PAD + lines * LINE + if self.badges.is_empty() { 0 } else { BADGE_ROW } - 4;
        Size { width: (width + 2 * PAD).max(MIN_WIDTH), height }
    }
}

fn badge_width(badge: &str) -> i64 {
    text_width(badge, BADGE_PX, false) + 12
}

/// One drawn edge: every edge from one node to another, their labels joined.
struct Drawn<'s> {
    from: NodeIndex,
    to: NodeIndex,
    /// The joined label in lines, and as one plain text for its tooltip.
    label: Vec<TextLine<'s>>,
    title: String,
}

/// The node's edges merged per target, in the order of their first choice.
fn merged_edges<'s>(call: &Call<'s>, node: NodeIndex) -> Vec<Drawn<'s>> {
    let mut drawn: Vec<(NodeIndex, Vec<Piece<'s>>, Vec<String>)> = Vec::new();
    for choice in call.choices(node) {
        let text: Option<(Vec<Piece<'s>>, String)> = match (choice.kind, choice.label) {
            (ChoiceKind::Reply | ChoiceKind::Option, Some(text)) => Some((call.pieces(node, text), text.value.clone())),
            (ChoiceKind::Otherwise, _) => Some((vec![Piece::Text("(otherwise)".to_owned())], "(otherwise)".to_owned())),
            _ => None,
        };
        let at = match drawn.iter().position(|(target, _, _)| *target == choice.target) {
            Some(at) => at,
            None => {
                drawn.push((choice.target, Vec::new(), Vec::new()));
                drawn.len() - 1
            }
        };
        if let Some((pieces, plain)) = text {
            let (_, joined, titles) = &mut drawn[at];
            if !joined.is_empty() {
                joined.push(Piece::Text(" / ".to_owned()));
            }
            joined.extend(pieces);
            titles.push(plain);
        }
    }
    drawn
        .into_iter()
        .map(|(to, pieces, titles)| Drawn {
            from: node,
            to,
            label: wrap(&pieces, LABEL_WRAP, usize::MAX),
            title: titles.join(" / "),
        })
        .collect()
}

pub fn render(call: &Call) -> String {
    let graph = call.graph;
    let nodes: Vec<NodeIndex> = graph.nodes().collect();
    let columns: Vec<Stage> =
        Stage::ALL.into_iter().filter(|&stage| nodes.iter().any(|&n| call.node(n).stage == stage)).collect();
    let column_of =
        |n: NodeIndex| columns.iter().position(|&s| s == call.node(n).stage).expect("every stage has a column");

    let shown: Vec<Shown> = nodes
        .iter()
        .map(|&n| {
            let node = call.node(n);
            let mut text = Vec::new();
            if let Some(line) = call.first_line(n) {
                text = wrap(&call.pieces(n, line), WRAP, MAX_LINES);
                quote_lines(&mut text);
            }
            let badges = marks(node).into_iter().map(Mark::name).collect();
            let outcome = (node.stage == Stage::Close).then(|| node.outcome().keyword());
            Shown { id: call.id(n), outcome, text, badges }
        })
        .collect();
    let edges: Vec<Drawn> = nodes.iter().flat_map(|&n| merged_edges(call, n)).collect();

    let top = MARGIN + LEGEND + HEADER;
    let input = Input {
        nodes: nodes.iter().zip(&shown).map(|(&n, shown)| (column_of(n), shown.size())).collect(),
        edges: edges
            .iter()
            .map(|edge| {
                let label = (!edge.label.is_empty()).then(|| Size {
                    width: edge
                        .label
                        .iter()
                        .map(|line| text_width(&line_text(line), LABEL_PX, false))
                        .max()
                        .unwrap_or(0)
                        + 4,
                    height: edge.label.len() as i64 * LABEL_LINE + 2,
                });
                (edge.from.index(), edge.to.index(), label)
            })
            .collect(),
        origin: (MARGIN, top),
    };
    let placed = layout::layout(&input);
    let legend_width = 420;
    let total_width = (placed.right + MARGIN).max(MARGIN + legend_width);
    let total_height = placed.bottom + MARGIN;

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {total_width} {total_height}\" width=\"{total_width}\" height=\"{total_height}\" role=\"img\" aria-labelledby=\"diagram-svg-title\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"diagram-svg-title\">The call's stages, left to right, and how each node leads on</title>"
    );
    out.push_str(concat!(
        "<defs>",
        "<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#495057\"/></marker>",
        "<marker id=\"arrow-back\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b02a37\"/></marker>",
        "</defs>\n"
    ));
    // The legend: what a solid and a dashed edge mean.
    let legend_y = MARGIN + 10;
    let _ = writeln!(
        out,
        "<g class=\"legend\"><g class=\"edge\"><path d=\"M{MARGIN},{legend_y} H{}\" fill=\"none\" stroke=\"#495057\" marker-end=\"url(#arrow)\"/><text x=\"{}\" y=\"{}\">leads on</text></g><g class=\"edge back\"><path d=\"M{},{legend_y} H{}\" fill=\"none\" stroke=\"#b02a37\" stroke-dasharray=\"6 4\" marker-end=\"url(#arrow-back)\"/><text x=\"{}\" y=\"{}\">goes back, or stays in its stage</text></g></g>",
        MARGIN + 40,
        MARGIN + 48,
        legend_y + 4,
        MARGIN + 130,
        MARGIN + 170,
        MARGIN + 178,
        legend_y + 4
    );
    // Each stage: a tinted band behind its columns, its name on top.
    let header_y = MARGIN + LEGEND + 18;
    for (column, stage) in columns.iter().enumerate() {
        let (left, right) = placed.columns[column];
        let _ = writeln!(
            out,
            "<rect class=\"stage-band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"#f1f3f5\" fill-opacity=\"0.6\"/><text class=\"stage\" x=\"{}\" y=\"{header_y}\" text-anchor=\"middle\">{}</text>",
            left - 8,
            header_y - 18,
            right - left + 16,
            total_height - MARGIN - header_y + 26,
            (left + right) / 2,
            stage.keyword()
        );
    }

    // Edges first, so boxes are drawn over their ends.
    for (edge, route) in edges.iter().zip(&placed.edges) {
        let (from, to) = (column_of(edge.from), column_of(edge.to));
        let back = to <= from;
        let (class, marker, stroke, dashes) = if back {
            ("edge back", "arrow-back", "#b02a37", " stroke-dasharray=\"6 4\"")
        } else {
            ("edge", "arrow", "#495057", "")
        };
        let _ = write!(out, "<g class=\"{class}\">");
        if !edge.title.is_empty() {
            let _ = write!(out, "<title>{}</title>", escape(&edge.title));
        }
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"none\" stroke=\"{stroke}\"{dashes} marker-end=\"url(#{marker})\"/>",
            route.path
        );
        if let Some(at) = route.label {
            let center = at.x + at.width / 2;
            let _ =
                write!(out, "<text class=\"edge-label\" x=\"{center}\" y=\"{}\" text-anchor=\"middle\">", at.y + 10);
            for (n, line) in edge.label.iter().enumerate() {
                let dy = if n == 0 { 0 } else { LABEL_LINE };
                let _ = write!(out, "<tspan x=\"{center}\" dy=\"{dy}\">");
                write_line(&mut out, line);
                out.push_str("</tspan>");
            }
            out.push_str("</text>");
        }
        out.push_str("</g>\n");
    }

    for (i, place) in shown.iter().enumerate() {
        let look = style(call.node(nodes[i]));
        let b = placed.nodes[i];
        let id = escape(&place.id);
        let _ = write!(
            out,
            "<g class=\"node\" data-node=\"{id}\"><title>{id}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" stroke=\"{}\"/>",
            b.x, b.y, b.width, b.height, look.fill, look.stroke
        );
        let text_x = b.x + PAD;
        let mut y = b.y + PAD + 12;
        let _ = write!(out, "<text class=\"node-id\" x=\"{text_x}\" y=\"{y}\">{id}</text>");
        if let Some(outcome) = place.outcome {
            y += LINE;
            let _ = write!(out, "<text class=\"node-outcome\" x=\"{text_x}\" y=\"{y}\">outcome: {outcome}</text>");
        }
        if !place.text.is_empty() {
            let _ = write!(out, "<text class=\"node-text\" x=\"{text_x}\" y=\"{}\">", y + LINE);
            for (n, line) in place.text.iter().enumerate() {
                let dy = if n == 0 { 0 } else { LINE };
                let _ = write!(out, "<tspan x=\"{text_x}\" dy=\"{dy}\">");
                write_line(&mut out, line);
                out.push_str("</tspan>");
            }
            out.push_str("</text>");
            y += place.text.len() as i64 * LINE;
        }
        let mut badge_x = text_x;
        for badge in &place.badges {
            let width = badge_width(badge);
            let _ = write!(
                out,
                "<g class=\"badge badge-{badge}\"><rect x=\"{badge_x}\" y=\"{}\" width=\"{width}\" height=\"16\" rx=\"8\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{badge}</text></g>",
                y + 8,
                badge_x + width / 2,
                y + 20
            );
            badge_x += width + 6;
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ScriptGraph;
    use crate::resolve::load_text;
    use crate::source::FileId;

    fn svg(text: &str) -> String {
        let project = load_text("t.defuse".into(), text);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        render(&Call::new(&project, &graph))
    }

    /// The markup of every edge group with class `class` (the legend's samples left out).
    fn edges<'a>(svg: &'a str, class: &str) -> Vec<&'a str> {
        let svg = &svg[svg.find("<g class=\"legend\">").unwrap()..];
        let svg = &svg[svg.find('\n').unwrap()..];
        svg.match_indices(&format!("<g class=\"{class}\">"))
            .map(|(at, _)| &svg[at..at + svg[at..].find("</g>").unwrap()])
            .collect()
    }

    #[test]
    fn edges_back_or_within_a_stage_are_dashed_and_parallel_edges_are_one() {
        let svg = svg(r#"script s {
  trigger t { customer "hi" -> a }
  acknowledge a { say "sorry" -> m }
  mirror m { ask "right?" reply "yes" -> r otherwise -> m2 }
  mirror m2 { ask "what then?" -> m }
  root-cause r { ask "how?" reply "Wi-Fi" -> c reply "cable" -> c reply "no, that's not it" -> m reply "again" -> r }
  close c { say "bye" }
}"#);
        let back = edges(&svg, "edge back");
        // r -> m (an earlier stage), m -> m2 and m2 -> m (within mirror), r -> r (itself).
        assert_eq!(back.len(), 4, "{back:?}");
        assert!(back.iter().all(|edge| edge.contains("stroke-dasharray=\"6 4\"")), "{back:?}");
        let forward = edges(&svg, "edge");
        assert_eq!(forward.len(), 4, "t->a, a->m, m->r, r->c: {forward:?}");
        assert!(forward.iter().all(|edge| !edge.contains("stroke-dasharray")), "{forward:?}");
        let merged: Vec<&&str> = forward.iter().filter(|edge| edge.contains("Wi-Fi")).collect();
        assert_eq!(merged.len(), 1, "{forward:?}");
        assert!(
            merged[0].contains("<title>Wi-Fi / cable</title>") && merged[0].contains(">Wi-Fi / cable</tspan>"),
            "{merged:?}"
        );
        assert!(svg.contains(">goes back, or stays in its stage</text>"), "the legend says what a dashed edge is");
    }

    #[test]
    fn a_long_label_is_wrapped_whole() {
        let reply = "I already restarted it twice and the orange light is still flashing every few seconds";
        let svg = svg(&format!(
            "script s {{\n  trigger t {{ customer \"hi\" -> m }}\n  mirror m {{ ask \"right?\" reply \"{reply}\" -> c }}\n  close c {{ say \"bye\" }}\n}}"
        ));
        let edge = edges(&svg, "edge").into_iter().find(|edge| edge.contains("orange")).expect("the edge is drawn");
        let lines: Vec<&str> = edge
            .split("</tspan>")
            .filter(|part| part.contains("<tspan"))
            .map(|part| part.rsplit('>').next().unwrap())
            .collect();
        assert!(lines.len() > 2, "{edge}");
        assert_eq!(lines.join(" "), reply, "{edge}");
        assert!(!edge.contains('…'), "{edge}");
    }

    #[test]
    fn badges_mark_hold_transfer_and_note() {
        let svg = svg(r#"script s {
  trigger t { customer "hi" -> a }
  acknowledge a { say "sorry" hold "one moment" note "ask first" -> c }
  close c { say "bye" transfer "team" outcome escalated }
}"#);
        assert_eq!(svg.matches("class=\"badge badge-hold\"").count(), 1);
        assert_eq!(svg.matches("class=\"badge badge-note\"").count(), 1);
        assert_eq!(svg.matches("class=\"badge badge-transfer\"").count(), 1);
        assert!(svg.contains(">outcome: escalated</text>"));
    }

    #[test]
    fn text_widths_are_those_of_a_wide_font() {
        // DejaVu Sans at 12px: "restate" is about 45px, bold about 52px.
        assert!((44..=52).contains(&text_width("restate", 12, false)), "{}", text_width("restate", 12, false));
        assert!(text_width("restate", 12, true) > text_width("restate", 12, false));
        assert_eq!(text_width("日本", 10, false), 20);
    }
}
