//! A layered ("Sugiyama") layout for the trainer page's stage diagram, in the way of Graphviz's
//! `dot` and dagre, with stages as columns and edge labels as objects of their own.
//!
//! 1. **Ranks.** Each column (a stage) is a rank, and between two columns lies a gap rank, so
//!    ranks alternate column, gap, column, …, with one gap after the last column. An edge to an
//!    earlier column is *reversed*: laid out from its target, drawn back.
//! 2. **Items.** An edge between columns gets a dummy item in every rank it passes (dagre's
//!    approach); its label is the dummy in the gap next to the edge's source, sized like the
//!    label, so labels are laid out like nodes and never sit on each other. An edge within its
//!    column (or to its own node) is a *hook*: one item in the gap right of the column, a box
//!    round its label that the edge runs round, out of one node and back into the other.
//! 3. **Order.** Crossings are reduced by barycenter sweeps ([`order`]).
//! 4. **Position.** Heights keep each rank's order and spacing and pull every item towards
//!    its neighbours, long edges most ([`position`]).
//! 5. **Routes.** A rank is a band of its own width; between two bands lies a bend zone that
//!    holds nothing but curves. An edge runs level through each band at its dummy's height (a
//!    label's line is under its text) and bends only between bands, so no line crosses a box,
//!    and no label but its own.
//!
//! Why not sub-columns for a stage's own edges (Graphviz's flat edges get a rank of their
//! own): a chain of 900 questions in one stage would be 900 columns wide, with a dummy per
//! column for every edge that jumps it; hooks keep the work linear and a stage one column.
//!
//! **Invariant:** the result is a pure function of the input (integer output, no hashing).
//! **Invariant:** within a rank, items are stacked apart, and every box (node, label, hook)
//! lies inside its rank's band: boxes of different ranks are apart by construction, so no two
//! boxes overlap.

mod order;
mod position;

use std::collections::BTreeMap;
use std::fmt::Write;

/// A width and height in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Size {
    pub width: i64,
    pub height: i64,
}

/// A box in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rect {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

impl Rect {
    pub(crate) fn right(&self) -> i64 {
        self.x + self.width
    }

    pub(crate) fn bottom(&self) -> i64 {
        self.y + self.height
    }
}

/// What is laid out: nodes in columns, with edges between them.
pub struct Input {
    /// The column of each node (0, 1, …: no empty column in between), and its size (the
    /// width is a minimum: every node of a layer gets the layer's widest).
    pub nodes: Vec<(usize, Size)>,
    /// Edges (source, target, label size); at most one per ordered pair.
    pub edges: Vec<(usize, usize, Option<Size>)>,
    /// Where the drawing starts: the top-left corner of the first column.
    pub origin: (i64, i64),
}

/// An edge as drawn.
pub(crate) struct Route {
    /// SVG path data from the source to the target (the arrow's end).
    pub path: String,
    /// Where the label goes, when the edge has one.
    pub label: Option<Rect>,
}

/// The layout: boxes, routes, and each column's extent.
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub edges: Vec<Route>,
    /// The left and right x of each column.
    pub columns: Vec<(i64, i64)>,
    /// The right and bottom end of the drawing.
    pub right: i64,
    pub bottom: i64,
}

/// Vertical room between two nodes of a rank, and between edge dummies.
const NODE_SEP: f64 = 24.0;
const EDGE_SEP: f64 = 10.0;
/// The height of a dummy that carries no label.
const DUMMY_HEIGHT: i64 = 2;
/// The narrowest gap rank, and the room round a hook's label.
const MIN_GAP: i64 = 24;
const HOOK_PAD: i64 = 6;
/// The room between a label's text and its line.
const LABEL_LINE: i64 = 3;
/// The width of a bend zone between two bands: steeper curves get more room.
const MIN_BEND: i64 = 32;
const MAX_BEND: i64 = 96;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Node(usize),
    /// An edge passing through a rank.
    Dummy,
    /// An edge's label, its line under the text.
    Label,
    /// An edge within a column, from one node to another or to itself: the route runs
    /// round the label.
    Hook {
        from: usize,
        to: usize,
    },
}

/// One thing placed in a rank.
struct Item {
    rank: usize,
    kind: Kind,
    width: i64,
    height: i64,
}

/// The layered graph: items and the segments between adjacent ranks.
pub(crate) struct Layered {
    items: Vec<Item>,
    /// Per item: the items of the rank before (predecessors) and after (successors) it is
    /// joined to, with a weight (long edges pull harder: Graphviz's 1, 2, 8).
    preds: Vec<Vec<(usize, f64)>>,
    succs: Vec<Vec<(usize, f64)>>,
    ranks: usize,
}

impl Layered {
    fn add(&mut self, rank: usize, kind: Kind, size: Size) -> usize {
        self.items.push(Item { rank, kind, width: size.width, height: size.height });
        self.preds.push(Vec::new());
        self.succs.push(Vec::new());
        self.items.len() - 1
    }

    fn join(&mut self, upper: usize, lower: usize) {
        let real = |item: &Item| matches!(item.kind, Kind::Node(_));
        let label = |item: &Item| item.kind == Kind::Label;
        let (a, b) = (&self.items[upper], &self.items[lower]);
        let weight = match (real(a), real(b)) {
            (true, true) => 1.0,
            (false, false) => 8.0,
            // A label sits beside its source, the only node it touches: it stays level with it
            // rather than halfway to the target.
            _ if label(a) || label(b) => 8.0,
            _ => 2.0,
        };
        self.succs[upper].push((lower, weight));
        self.preds[lower].push((upper, weight));
    }

    fn is_edge(&self, item: usize) -> bool {
        !matches!(self.items[item].kind, Kind::Node(_))
    }
}

/// The items of one edge, in the layout's direction (the source's node first, for a reversed
/// edge its target's).
struct Chain {
    items: Vec<usize>,
    reversed: bool,
    label: Option<usize>,
}

pub(crate) fn layout(input: &Input) -> Layout {
    let column = |node: usize| input.nodes[node].0;
    let columns = input.nodes.iter().map(|&(c, _)| c + 1).max().unwrap_or(0);
    let mut graph = Layered { items: Vec::new(), preds: Vec::new(), succs: Vec::new(), ranks: 2 * columns };
    for (n, &(c, size)) in input.nodes.iter().enumerate() {
        graph.add(2 * c, Kind::Node(n), size);
    }
    let mut chains = Vec::with_capacity(input.edges.len());
    for &(from, to, label) in &input.edges {
        if column(from) == column(to) {
            let size = label.unwrap_or(Size { width: 8, height: 4 });
            let size = Size { width: size.width + 2 * HOOK_PAD, height: size.height + 2 * HOOK_PAD };
            let hook = graph.add(2 * column(from) + 1, Kind::Hook { from, to }, size);
            graph.join(from, hook);
            if to != from {
                graph.join(to, hook);
            }
            chains.push(Chain { items: vec![hook], reversed: false, label: label.map(|_| hook) });
            continue;
        }
        let reversed = column(to) < column(from);
        let (upper, lower) = if reversed { (to, from) } else { (from, to) };
        let (first, last) = (2 * column(upper) + 1, 2 * column(lower) - 1);
        // The label sits in the gap next to the edge's source, where a trainer reads on from.
        let label_rank = if reversed { last } else { first };
        let mut items = vec![upper];
        let mut label_item = None;
        for rank in first..=last {
            let item = match label {
                Some(size) if rank == label_rank => {
                    let item =
                        graph.add(rank, Kind::Label, Size { width: size.width, height: size.height + LABEL_LINE });
                    label_item = Some(item);
                    item
                }
                _ => graph.add(rank, Kind::Dummy, Size { width: 0, height: DUMMY_HEIGHT }),
            };
            graph.join(*items.last().expect("starts with a node"), item);
            items.push(item);
        }
        graph.join(*items.last().expect("starts with a node"), lower);
        items.push(lower);
        chains.push(Chain { items, reversed, label: label_item });
    }

    let ranks = order::order(&graph);
    let centers = position::centers(&graph, &ranks, |a, b| separation(&graph, a, b));

    // Bands: each rank as wide as its widest item; bend zones as wide as their steepest edge.
    let mut band_widths = vec![0i64; graph.ranks];
    for item in &graph.items {
        band_widths[item.rank] = band_widths[item.rank].max(item.width);
    }
    // Gaps between columns keep room for curves; the gap after the last is there for hooks.
    for (rank, width) in band_widths.iter_mut().enumerate() {
        if rank % 2 == 1 && rank + 1 < graph.ranks {
            *width = (*width).max(MIN_GAP);
        }
    }
    let mut bends = vec![MIN_BEND; graph.ranks];
    for (upper, succs) in graph.succs.iter().enumerate() {
        for &(lower, _) in succs {
            let rise = (centers[upper] - centers[lower]).abs() as i64;
            let bend = &mut bends[graph.items[upper].rank];
            *bend = (*bend).max((rise / 4).min(MAX_BEND));
        }
    }
    let mut lefts = Vec::with_capacity(graph.ranks);
    let mut x = input.origin.0;
    for rank in 0..graph.ranks {
        lefts.push(x);
        x += band_widths[rank] + bends[rank];
    }
    let right = lefts.last().map_or(x, |&left| left + band_widths[graph.ranks - 1]);

    // Boxes, moved down so the highest starts at the origin.
    let top = graph.items.iter().zip(&centers).map(|(item, &c)| c - item.height as f64 / 2.0).fold(f64::MAX, f64::min);
    let shift = if top == f64::MAX { 0.0 } else { input.origin.1 as f64 - top };
    let boxes: Vec<Rect> = graph
        .items
        .iter()
        .zip(&centers)
        .map(|(item, &center)| {
            let y = (center - item.height as f64 / 2.0 + shift).round() as i64;
            let band = (lefts[item.rank], band_widths[item.rank]);
            match item.kind {
                Kind::Node(_) => Rect { x: band.0, y, width: band.1, height: item.height },
                Kind::Hook { .. } => Rect { x: band.0, y, width: item.width, height: item.height },
                _ => Rect { x: band.0 + (band.1 - item.width) / 2, y, width: item.width, height: item.height },
            }
        })
        .collect();
    let bottom = boxes.iter().map(Rect::bottom).max().unwrap_or(input.origin.1);

    let ports = ports(&graph, &boxes);
    let bands: Vec<(i64, i64)> = lefts.iter().zip(&band_widths).map(|(&left, &width)| (left, left + width)).collect();
    let edges = chains
        .iter()
        .map(|chain| {
            let label = chain.label.map(|item| {
                let b = boxes[item];
                if let Kind::Hook { .. } = graph.items[item].kind {
                    Rect {
                        x: b.x + HOOK_PAD,
                        y: b.y + HOOK_PAD,
                        width: b.width - 2 * HOOK_PAD,
                        height: b.height - 2 * HOOK_PAD,
                    }
                } else {
                    Rect { height: b.height - LABEL_LINE, ..b }
                }
            });
            let path = match graph.items[chain.items[0]].kind {
                Kind::Hook { from, to } => {
                    let hook = chain.items[0];
                    hook_path(&boxes[hook], bands[2 * column(from)].1, ports[&(from, hook, 0)], ports[&(to, hook, 1)])
                }
                _ => route(&graph, &chain.items, &boxes, &ports, &bands, chain.reversed),
            };
            Route { path, label }
        })
        .collect();

    let mut columns: Vec<(i64, i64)> = Vec::new();
    for (n, &(column, _)) in input.nodes.iter().enumerate() {
        let b = boxes[n];
        if columns.len() <= column {
            columns.resize(column + 1, (i64::MAX, i64::MIN));
        }
        columns[column] = (columns[column].0.min(b.x), columns[column].1.max(b.right()));
    }
    Layout { nodes: boxes[..input.nodes.len()].to_vec(), edges, columns, right, bottom }
}

/// The least distance between the centers of two items stacked in a rank.
fn separation(graph: &Layered, a: usize, b: usize) -> f64 {
    let half = (graph.items[a].height + graph.items[b].height) as f64 / 2.0;
    let gap = if graph.is_edge(a) && graph.is_edge(b) {
        EDGE_SEP
    } else if graph.is_edge(a) || graph.is_edge(b) {
        (NODE_SEP + EDGE_SEP) / 2.0
    } else {
        NODE_SEP
    };
    half + gap
}

/// The height of an edge's line through a dummy or label: a label's line runs under its text.
fn line(graph: &Layered, boxes: &[Rect], item: usize) -> i64 {
    let b = boxes[item];
    match graph.items[item].kind {
        Kind::Label => b.bottom() - 1,
        _ => b.y + b.height / 2,
    }
}

/// Where edges meet the nodes, keyed by (node, the item next to it on the edge, 0 where the
/// edge leaves the node and 1 where it arrives). A node spreads its edges along each side in
/// the order of the heights they come from, so they do not cross at the node. A hook is met
/// at its top by the higher of its nodes and at its bottom by the lower (a loop to the node
/// itself leaves at the top and comes back at the bottom).
type Ports = BTreeMap<(usize, usize, u8), i64>;

fn ports(graph: &Layered, boxes: &[Rect]) -> Ports {
    let mut ports = Ports::new();
    for (item, data) in graph.items.iter().enumerate() {
        if !matches!(data.kind, Kind::Node(_)) {
            continue;
        }
        for neighbours in [&graph.preds[item], &graph.succs[item]] {
            let mut ends: Vec<(i64, usize, u8)> = Vec::new();
            for &(other, _) in neighbours.iter() {
                if let Kind::Hook { from, to } = graph.items[other].kind {
                    let b = boxes[other];
                    let from_on_top = from == to || boxes[from].y <= boxes[to].y;
                    let (from_y, to_y) = if from_on_top { (b.y, b.bottom()) } else { (b.bottom(), b.y) };
                    if item == from {
                        ends.push((from_y, other, 0));
                    }
                    if item == to {
                        ends.push((to_y, other, 1));
                    }
                } else {
                    ends.push((line(graph, boxes, other), other, 0));
                }
            }
            ends.sort();
            let b = boxes[item];
            let count = ends.len() as i64;
            for (i, &(_, other, which)) in ends.iter().enumerate() {
                ports.insert((item, other, which), b.y + b.height * (i as i64 + 1) / (count + 1));
            }
        }
    }
    ports
}

/// A curve from `(x1, y1)` to `(x2, y2)` that leaves and arrives level.
fn curve(out: &mut String, (x1, y1): (i64, i64), (x2, y2): (i64, i64)) {
    if y1 == y2 {
        let _ = write!(out, " H{x2}");
    } else {
        let half = (x2 - x1) / 2;
        let _ = write!(out, " C{},{y1} {},{y2} {x2},{y2}", x1 + half, x2 - half);
    }
}

/// The path of an edge through its items. Built left to right; a reversed edge is written
/// right to left, so its arrow points at the earlier node.
fn route(
    graph: &Layered,
    items: &[usize],
    boxes: &[Rect],
    ports: &Ports,
    bands: &[(i64, i64)],
    reversed: bool,
) -> String {
    // Where the edge is level in each item's band: (enter x, leave x, y).
    let last = items.len() - 1;
    let mut stops: Vec<(i64, i64, i64)> = items
        .iter()
        .enumerate()
        .map(|(i, &item)| {
            let (left, right) = bands[graph.items[item].rank];
            if i == 0 {
                (right, right, ports[&(item, items[1], 0)])
            } else if i == last {
                (left, left, ports[&(item, items[i - 1], 0)])
            } else {
                (left, right, line(graph, boxes, item))
            }
        })
        .collect();
    if reversed {
        stops.reverse();
        for stop in &mut stops {
            *stop = (stop.1, stop.0, stop.2);
        }
    }
    let mut path = format!("M{},{}", stops[0].1, stops[0].2);
    for pair in stops.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        curve(&mut path, (from.1, from.2), (to.0, to.2));
        if to.1 != to.0 {
            let _ = write!(path, " H{}", to.1);
        }
    }
    path
}

/// An edge within a column: out of the node's right side to a corner of its hook, round the
/// hook's far side and back into the other node's right side, the label inside the hook.
fn hook_path(b: &Rect, column_right: i64, out_y: i64, in_y: i64) -> String {
    let (start, end) = if out_y <= in_y { (b.y, b.bottom()) } else { (b.bottom(), b.y) };
    let mut path = format!("M{column_right},{out_y}");
    curve(&mut path, (column_right, out_y), (b.x, start));
    let _ = write!(path, " H{} V{end} H{}", b.right(), b.x);
    curve(&mut path, (b.x, end), (column_right, in_y));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn no_box_overlaps_another_whatever_the_edges() {
        // Three columns; edges forward over one and two columns, back, within a column, to
        // the node itself, all with labels of different sizes, and one without.
        let size = |width, height| Size { width, height };
        let label = |width| Some(size(width, 15));
        let input = Input {
            nodes: vec![
                (0, size(150, 60)),
                (0, size(150, 40)),
                (1, size(180, 80)),
                (1, size(120, 40)),
                (1, size(120, 40)),
                (2, size(160, 50)),
            ],
            edges: vec![
                (0, 2, label(40)),
                (0, 5, label(120)),
                (1, 3, label(80)),
                (2, 0, label(60)),
                (2, 3, label(30)),
                (3, 4, None),
                (4, 4, label(50)),
                (3, 5, label(90)),
                (4, 5, label(90)),
                (5, 1, label(70)),
                (5, 5, label(20)),
            ],
            origin: (10, 20),
        };
        let placed = layout(&input);
        let mut boxes: Vec<Rect> = placed.nodes.clone();
        boxes.extend(placed.edges.iter().filter_map(|edge| edge.label));
        assert_eq!(boxes.len(), input.nodes.len() + 10, "every label has a place");
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.x >= 10 && a.y >= 20 && a.right() <= placed.right && a.bottom() <= placed.bottom, "{a:?}");
            for b in &boxes[i + 1..] {
                assert!(!overlap(a, b), "{a:?} and {b:?} overlap");
            }
        }
        // Columns in order, each node as wide as its column's widest.
        assert!(placed.columns[0].1 < placed.columns[1].0 && placed.columns[1].1 < placed.columns[2].0);
        assert_eq!((placed.nodes[3].width, placed.nodes[4].width), (180, 180));
        // A reversed edge is written from its source: it starts at the right column.
        assert!(placed.edges[3].path.starts_with(&format!("M{},", placed.nodes[2].x)), "{}", placed.edges[3].path);
        assert_eq!(
            layout(&input).edges.iter().map(|e| &e.path).collect::<Vec<_>>(),
            placed.edges.iter().map(|e| &e.path).collect::<Vec<_>>()
        );
    }

    #[test]
    fn an_empty_graph_is_an_empty_layout() {
        let placed = layout(&Input { nodes: Vec::new(), edges: Vec::new(), origin: (5, 5) });
        assert!(placed.nodes.is_empty() && placed.edges.is_empty());
        assert_eq!((placed.right, placed.bottom), (5, 5));
    }
}
