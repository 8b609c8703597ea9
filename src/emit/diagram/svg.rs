//! The trainer page's stage diagram: inline SVG that defuse lays out itself, so the page needs
//! no other program and no other file.
//!
//! One column per stage in call order (stages without nodes are left out), nodes in model
//! order down each column. A node shows its id, a close its outcome, its first line wrapped at
//! word boundaries, and badges for `hold`, `transfer` and `note`. Forward edges are curves from
//! right to left; an edge back to an earlier stage, or up its own column, is dashed and red and
//! runs through the gaps between columns and a lane above them, so loops stand out.
//!
//! **Invariant:** the output is a pure function of the graph: integer coordinates, widths
//! estimated from character counts (never from fonts), so it is byte-identical everywhere.
//! **Invariant:** every piece of script text is HTML-escaped ([`crate::emit::html::escape`]); a
//! placeholder is a `<tspan data-fill="NAME">` the page's inputs fill.

use std::fmt::Write;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::label::{marks, Mark};
use super::style;
use super::wrap::{cells, piece_cells, quote_lines, wrap};
use crate::call::{Call, ChoiceKind};
use crate::emit::html::escape;
use crate::syntax::ast::Stage;
use crate::syntax::strings::Piece;

/// Average advance of one character of the 12px sans-serif text, in pixels.
const CHAR: i64 = 7;
/// Node ids are bold and a little wider.
const BOLD_CHAR: i64 = 8;
const LINE: i64 = 16;
const PAD: i64 = 10;
const BADGE_ROW: i64 = 22;
/// Between columns: room for curves, their labels and the back-edge lanes.
const GAP: i64 = 120;
const ROW_GAP: i64 = 24;
const MARGIN: i64 = 16;
const MIN_WIDTH: i64 = 150;
/// Characters per line of a node's text, and how many lines it may take.
const WRAP: usize = 26;
const MAX_LINES: usize = 4;
/// Characters of an edge label (one line).
const EDGE_LABEL: usize = 18;
/// Back edges run in up to this many lanes above the columns, `LANE` pixels apart.
const LANES: usize = 8;
const LANE: i64 = 12;
const HEADER: i64 = 26;

/// A line of text as the diagram draws it: literal runs and placeholders.
type TextLine<'s> = Vec<Piece<'s>>;

fn line_cells(line: &TextLine) -> usize {
    line.iter().map(piece_cells).sum()
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

/// A node as drawn: its box and what is written in it.
struct Placed<'s> {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    id: String,
    outcome: Option<&'static str>,
    text: Vec<TextLine<'s>>,
    badges: Vec<&'static str>,
}

impl Placed<'_> {
    fn right(&self) -> i64 {
        self.x + self.width
    }

    /// The y of port `i` of `count` spread along a side.
    fn port(&self, i: usize, count: usize) -> i64 {
        self.y + self.height * (i as i64 + 1) / (count as i64 + 1)
    }
}

/// How an edge is drawn.
enum Route {
    /// To a later stage: a curve from the source's right side to the target's left side.
    Forward,
    /// Down its own column: a curve on the right side.
    Down,
    /// Up its own column, or to itself: a dashed curve on the left side.
    Up,
    /// To an earlier stage: dashed, through the gaps and a lane above the columns.
    Back(usize),
}

pub fn render(call: &Call) -> String {
    let graph = call.graph;
    let nodes: Vec<NodeIndex> = graph.nodes().collect();
    let columns: Vec<Stage> =
        Stage::ALL.into_iter().filter(|&stage| nodes.iter().any(|&n| call.node(n).stage == stage)).collect();
    let column_of =
        |n: NodeIndex| columns.iter().position(|&s| s == call.node(n).stage).expect("every stage has a column");

    // What each node shows, and the width of each column.
    let mut placed: Vec<Placed> = nodes
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
            Placed { x: 0, y: 0, width: 0, height: 0, id: call.id(n), outcome, text, badges }
        })
        .collect();
    let mut widths = vec![MIN_WIDTH; columns.len()];
    for (i, place) in placed.iter().enumerate() {
        let column = column_of(nodes[i]);
        let mut needed = cells(&place.id) as i64 * BOLD_CHAR;
        needed = needed.max(place.outcome.map_or(0, |o| cells(o) as i64 + 9) * CHAR);
        needed = needed.max(place.text.iter().map(|line| line_cells(line) as i64 * CHAR).max().unwrap_or(0));
        widths[column] = widths[column].max(needed + 2 * PAD);
    }

    // Back edges and their lanes, then the boxes below the lanes.
    let routes: Vec<Route> = {
        let mut back = 0;
        graph
            .graph
            .edge_references()
            .map(|edge| {
                let (from, to) = (column_of(edge.source()), column_of(edge.target()));
                if to > from {
                    Route::Forward
                } else if to < from {
                    back += 1;
                    Route::Back((back - 1) % LANES)
                } else if edge.target().index() > edge.source().index() {
                    Route::Down
                } else {
                    Route::Up
                }
            })
            .collect()
    };
    let lanes_used = routes.iter().filter_map(|r| if let Route::Back(lane) = r { Some(lane + 1) } else { None }).max();
    let lanes_bottom = MARGIN + lanes_used.unwrap_or(0) as i64 * LANE;
    let header_y = lanes_bottom + 18;
    let top = header_y + HEADER;
    let mut lefts = Vec::with_capacity(columns.len());
    let mut x = MARGIN + GAP / 2;
    for width in &widths {
        lefts.push(x);
        x += width + GAP;
    }
    let total_width = x - GAP / 2 + MARGIN;
    let mut bottoms = vec![top; columns.len()];
    for (i, place) in placed.iter_mut().enumerate() {
        let column = column_of(nodes[i]);
        let lines = 1 + i64::from(place.outcome.is_some()) + place.text.len() as i64;
        place.x = lefts[column];
        place.width = widths[column];
        place.y = bottoms[column];
        place.height = 2 * PAD + lines * LINE + if place.badges.is_empty() { 0 } else { BADGE_ROW } - 4;
        bottoms[column] = place.y + place.height + ROW_GAP;
    }
    let total_height = bottoms.iter().max().copied().unwrap_or(top) + MARGIN;

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
    for (column, stage) in columns.iter().enumerate() {
        let center = lefts[column] + widths[column] / 2;
        let _ = writeln!(
            out,
            "<text class=\"stage\" x=\"{center}\" y=\"{header_y}\" text-anchor=\"middle\">{}</text>",
            stage.keyword()
        );
    }

    // Edges first, so boxes are drawn over their ends. Each edge's choice and its port on
    // either side are found in one pass over the edges, so a node with thousands of edges
    // costs no more than thousands of nodes.
    let edge_count = graph.graph.edge_count();
    let mut choices = vec![None; edge_count];
    let mut out_ports = vec![(0, 0); edge_count];
    for &n in &nodes {
        let all = call.choices(n);
        for (i, choice) in all.iter().enumerate() {
            out_ports[choice.edge.index()] = (i, all.len());
            choices[choice.edge.index()] = Some(*choice);
        }
    }
    let mut in_counts = vec![0; nodes.len()];
    let in_ports: Vec<usize> = graph
        .graph
        .edge_references()
        .map(|edge| {
            let count = &mut in_counts[edge.target().index()];
            *count += 1;
            *count - 1
        })
        .collect();
    for (edge, route) in graph.graph.edge_references().zip(&routes) {
        let (s, t) = (&placed[edge.source().index()], &placed[edge.target().index()]);
        let (out_port, outs) = out_ports[edge.id().index()];
        let (sy, ty) = (s.port(out_port, outs), t.port(in_ports[edge.id().index()], in_counts[edge.target().index()]));
        let (path, label_at) = match route {
            Route::Forward => {
                let (sx, tx) = (s.right(), t.x);
                let bend = (tx - sx) / 2;
                (format!("M{sx},{sy} C{},{sy} {},{ty} {tx},{ty}", sx + bend, tx - bend), ((sx + tx) / 2, (sy + ty) / 2))
            }
            Route::Down => {
                let (sx, tx) = (s.right(), t.right());
                (format!("M{sx},{sy} C{},{sy} {},{ty} {tx},{ty}", sx + 48, tx + 48), (sx + 36, (sy + ty) / 2))
            }
            Route::Up => {
                let (sx, tx) = (s.x, t.x);
                let ty = if std::ptr::eq(s, t) { s.y + s.height - (ty - s.y) } else { ty };
                (format!("M{sx},{sy} C{},{sy} {},{ty} {tx},{ty}", sx - 48, tx - 48), (sx - 36, (sy + ty) / 2))
            }
            Route::Back(lane) => {
                let lane = *lane as i64;
                let y = MARGIN + lane * LANE;
                let (out_x, in_x) = (s.x - 14 - lane * 4, t.right() + 14 + lane * 4);
                (format!("M{},{sy} H{out_x} V{y} H{in_x} V{ty} H{}", s.x, t.right()), ((out_x + in_x) / 2, y))
            }
        };
        let back = matches!(route, Route::Up | Route::Back(_));
        let (class, marker) = if back { ("edge back", "arrow-back") } else { ("edge", "arrow") };
        let choice = choices[edge.id().index()].expect("every edge leaves a node");
        let _ = write!(out, "<g class=\"{class}\">");
        if let Some(text) = choice.label {
            // The whole label as a tooltip: the drawn one may end in `…`.
            let _ = write!(out, "<title>{}</title>", escape(&text.value));
        }
        let _ = write!(out, "<path d=\"{path}\" marker-end=\"url(#{marker})\"/>");
        let label: Option<TextLine> = match (choice.kind, choice.label) {
            (ChoiceKind::Reply | ChoiceKind::Option, Some(text)) => {
                wrap(&call.pieces(edge.source(), text), EDGE_LABEL, 1).into_iter().next()
            }
            (ChoiceKind::Otherwise, _) => Some(vec![Piece::Text("(otherwise)".to_owned())]),
            _ => None,
        };
        if let Some(label) = label {
            let (lx, ly) = label_at;
            let _ = write!(out, "<text class=\"edge-label\" x=\"{lx}\" y=\"{}\" text-anchor=\"middle\">", ly - 3);
            write_line(&mut out, &label);
            out.push_str("</text>");
        }
        out.push_str("</g>\n");
    }

    for (i, place) in placed.iter().enumerate() {
        let look = style(call.node(nodes[i]));
        let id = escape(&place.id);
        let _ = write!(
            out,
            "<g class=\"node\" data-node=\"{id}\"><title>{id}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{}\" stroke=\"{}\"/>",
            place.x, place.y, place.width, place.height, look.fill, look.stroke
        );
        let text_x = place.x + PAD;
        let mut y = place.y + PAD + 12;
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
            let width = cells(badge) as i64 * 6 + 12;
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

    fn svg(text: &str) -> String {
        let project = load_text("t.defuse".into(), text);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let graph = ScriptGraph::build(&project, 0);
        render(&Call::new(&project, &graph))
    }

    /// The `d` of the first edge with class `class`.
    fn edge_path<'a>(svg: &'a str, class: &str) -> &'a str {
        let at = svg.find(&format!("<g class=\"{class}\">")).expect("the edge is drawn");
        let d = &svg[at..][svg[at..].find(" d=\"").unwrap() + 4..];
        &d[..d.find('"').unwrap()]
    }

    #[test]
    fn an_edge_to_an_earlier_stage_runs_dashed_above_the_columns() {
        let svg = svg(r#"script s {
  trigger t { customer "hi" -> a }
  acknowledge a { say "sorry" -> m }
  mirror m { ask "right?" reply "yes" -> r }
  root-cause r { ask "why?" reply "no, that's not it" -> m reply "ok" -> c }
  close c { say "bye" }
}"#);
        let back = edge_path(&svg, "edge back");
        // Out of r's left side, up to lane 0 (y = MARGIN), across, down into m's right side.
        let parts: Vec<&str> = back.split(' ').collect();
        assert_eq!(parts.len(), 6, "{back}");
        assert!(parts[0].starts_with('M') && parts[1].starts_with('H'), "{back}");
        assert_eq!(parts[2], format!("V{MARGIN}"), "{back}");
        assert!(parts[3].starts_with('H') && parts[4].starts_with('V') && parts[5].starts_with('H'), "{back}");
        let header = svg.find("class=\"stage\" x=\"").unwrap();
        let header_y: i64 = svg[header..].split("y=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(MARGIN < header_y, "the lane is above the stage headers");
        assert!(svg.contains("<title>no, that&#39;s not it</title>"), "the whole label is its tooltip");
        assert_eq!(svg.matches("class=\"edge back\"").count(), 1, "forward edges are not dashed");
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
}
