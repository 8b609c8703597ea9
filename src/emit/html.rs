//! `build --emit html`: the trainer page, one self-contained HTML file per script.
//!
//! The page holds the stage diagram (drawn by [`super::diagram::svg`], or Graphviz's SVG made
//! safe by [`graphviz`] when the CLI ran `dot`: [`StageDiagram`]), role-play cards (by default
//! the covering set of `paths --cover`, [`CardSet`]; in `paths` order, at most `max_paths`), a
//! click-through rehearsal and one input per placeholder. The template, style sheet and script
//! are the files in `src/emit/html/`; this module fills the template in one pass, into one
//! buffer.
//!
//! **Invariant:** the page holds each script text once, in the node table (the rehearsal
//! data): a card lists node ids and choice numbers, and the page's script writes the card's
//! lines from the table. So the page grows with the script plus the cards' ids, never with
//! paths × line length. A page built with several locales ([`render_in`]) holds each text
//! once per locale: a node table, a diagram and a title per locale, the cards once.
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

use std::fmt::Write as _;
use std::io::Write as _;

use base64::Engine;
use petgraph::graph::EdgeIndex;
use rustc_hash::FxHashMap;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::diagram::{Diagram, Layout};
use crate::call::{Call, ChoiceKind, Turn};
use crate::config::locales::Locale;
use crate::graph::cover::cover;
use crate::graph::trails::{for_each_trail, Stop, Trail};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::strings::Piece;

/// The page with `{{name}}` slots, filled once by [`fill_template`].
const TEMPLATE: &str = include_str!("html/page.html");
const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");
/// What the editor preview adds to the style sheet and the script (see [`Preview`]).
const PREVIEW_STYLE: &str = include_str!("html/preview.css");
const PREVIEW_SCRIPT: &str = include_str!("html/preview.js");

/// Role-play cards written when `build --max` is not given (as many as `paths` lists).
pub(crate) const DEFAULT_MAX_PATHS: usize = 1000;

/// Where the page's stage diagram comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum StageDiagram<'a> {
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
    let mut out = Vec::new();
    write_json_for_script(&mut out, value);
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// [`json_for_script`] written straight into `out`, without a copy of the whole JSON.
fn write_json_for_script(out: &mut Vec<u8>, value: &impl Serialize) {
    serde_json::to_writer(ScriptSafe(out), value).expect("page data serializes");
}

/// Escapes, as it writes, what [`json_for_script`] escapes. serde_json writes whole
/// characters in each call (it splits strings only at ASCII escapes), so U+2028 and U+2029
/// (three bytes each) are never cut between two writes.
struct ScriptSafe<'o>(&'o mut Vec<u8>);

impl std::io::Write for ScriptSafe<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut at = 0;
        while at < bytes.len() {
            let escaped: Option<(&[u8], usize)> = match bytes[at] {
                b'<' => Some((b"\\u003c", 1)),
                b'>' => Some((b"\\u003e", 1)),
                b'&' => Some((b"\\u0026", 1)),
                0xE2 if bytes[at..].starts_with("\u{2028}".as_bytes()) => Some((b"\\u2028", 3)),
                0xE2 if bytes[at..].starts_with("\u{2029}".as_bytes()) => Some((b"\\u2029", 3)),
                _ => None,
            };
            match escaped {
                Some((escape, length)) => {
                    self.0.extend_from_slice(escape);
                    at += length;
                }
                None => {
                    self.0.push(bytes[at]);
                    at += 1;
                }
            }
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The CSP source that allows exactly `content` as an inline `<style>` or `<script>`.
fn hash_source(content: &str) -> String {
    let digest = Sha256::digest(content.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The page's Content-Security-Policy: nothing may be loaded or sent, and only the page's
/// own style sheet and script apply.
pub fn content_security_policy() -> String {
    policy(STYLE, SCRIPT)
}

/// The policy allowing exactly `style` and `script` (the preview's page has its additions in
/// the same two elements, so its policy is as strict).
fn policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; base-uri 'none'; form-action 'none'",
        hash_source(style),
        hash_source(script)
    )
}

/// Writes `template` to `out` with each `{{name}}` written by `slot`, in one pass: a value is
/// never searched for slots, so script text that looks like `{{svg}}` stays text.
fn fill_template(out: &mut Vec<u8>, template: &str, mut slot: impl FnMut(&str, &mut Vec<u8>)) {
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let end = start + rest[start..].find("}}").expect("template slots are closed");
        out.extend_from_slice(&rest.as_bytes()[..start]);
        slot(&rest[start + 2..end], out);
        rest = &rest[end + 2..];
    }
    out.extend_from_slice(rest.as_bytes());
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

/// Which paths become role-play cards (`build --cards`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CardSet {
    /// The covering set of `paths --cover`: every step of the call on some card.
    #[default]
    Cover,
    /// Every path `paths` lists.
    All,
}

/// How the page refers to each choice: a node's edge as its place among the node's choices in
/// the rehearsal data (`None` for a plain `->`), so a card lists numbers, never text.
fn choice_places(call: &Call) -> Vec<Option<usize>> {
    let mut places = vec![None; call.graph.graph.edge_count()];
    for node in call.graph.nodes() {
        if let Turn::Chooses(choices) = call.turn(node) {
            for (place, choice) in choices.iter().enumerate() {
                places[choice.edge.index()] = Some(place);
            }
        }
    }
    places
}

/// One role-play card. It holds node ids and choice numbers only: the page's script writes
/// each node's lines from the one node table, so a long line is on the page once, whatever
/// the number of cards (a 256 KB line on 1,000 cards once made a 260 MB page).
fn write_card(out: &mut Vec<u8>, call: &Call, places: &[Option<usize>], card: &Card) {
    let trail = card.trail;
    let nodes = trail.nodes(call.graph);
    let ids: Vec<String> = nodes.iter().map(|&n| escape(&call.id(n))).collect();
    let choices: Vec<String> =
        trail.edges.iter().map(|e| places[e.index()].map_or_else(|| "-".to_owned(), |p| p.to_string())).collect();
    let outcome = call.outcome(*nodes.last().expect("a path has a start")).map_or("none", |o| o.keyword());
    let number = card.number;
    let _ = writeln!(
        out,
        "<article class=\"path\" data-nodes=\"{}\" data-choices=\"{}\" aria-labelledby=\"card-{number}\">",
        ids.join(" "),
        choices.join(" ")
    );
    let mut edges = trail.edges.clone();
    edges.sort_unstable();
    edges.dedup();
    let listed = match card.listed {
        Some(listed) => format!("path {listed} of {}", card.of),
        None if edges.len() < trail.edges.len() => {
            "goes round a loop once more than a listed path, to take a step no listed path takes".to_owned()
        }
        // The search for every path ran out of budget before it reached this one.
        None => format!("a path listed after the first {}", card.of.trim_start_matches("at least ")),
    };
    let _ = writeln!(
        out,
        "<h3 id=\"card-{number}\">Card {number} <span class=\"tag outcome-{outcome}\">{outcome}</span> <span class=\"listed\">{listed}</span></h3>"
    );
    let _ = writeln!(out, "<p class=\"route\">{}</p>\n<ol class=\"turns\"></ol>\n</article>", ids.join(" → "));
}

/// A card: its path, its number on the page, and its number in the `paths` listing.
struct Card<'t> {
    trail: &'t Trail,
    number: usize,
    listed: Option<usize>,
    of: String,
}

/// How many paths `paths` lists ("at least N" when the search budget ran out), and the number
/// each of `cards` has in that listing (`None` for a covering path that is no listed path).
fn listing_numbers(project: &Project, graph: &ScriptGraph, cards: &[Trail]) -> (String, Vec<Option<usize>>) {
    let mut numbers = vec![None; cards.len()];
    let mut by_end: FxHashMap<(usize, Option<EdgeIndex>), Vec<usize>> = FxHashMap::default();
    for (index, card) in cards.iter().enumerate() {
        by_end.entry((card.edges.len(), card.edges.last().copied())).or_default().push(index);
    }
    let mut count = 0usize;
    let stop = for_each_trail(project, graph, |trail| {
        count += 1;
        if let Some(candidates) = by_end.get(&(trail.edges.len(), trail.edges.last().copied())) {
            for &index in candidates {
                if cards[index] == *trail {
                    numbers[index] = Some(count);
                }
            }
        }
        true
    });
    let total = if stop == Stop::Complete { count.to_string() } else { format!("at least {count}") };
    (total, numbers)
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Writes the cards section's content; returns how many paths the script has (as the header
/// says it) and how many cards were written.
fn write_cards(out: &mut Vec<u8>, project: &Project, call: &Call, set: CardSet, max_paths: usize) -> (String, usize) {
    let places = choice_places(call);
    match set {
        CardSet::All => {
            let mut cards = Vec::new();
            let stop = for_each_trail(project, call.graph, |trail| {
                cards.push(trail.clone());
                cards.len() < max_paths
            });
            let (total, _) = if stop == Stop::Enough {
                listing_numbers(project, call.graph, &[])
            } else {
                (
                    if stop == Stop::Complete { cards.len().to_string() } else { format!("at least {}", cards.len()) },
                    Vec::new(),
                )
            };
            let _ = writeln!(
                out,
                "<p class=\"card-count\">The script has {total} path{} from a trigger to a close; one card per path, in the order <code>defuse paths</code> lists them.</p>",
                if total == "1" { "" } else { "s" }
            );
            if cards.len().to_string() != total {
                let _ = writeln!(
                    out,
                    "<p class=\"notice\">The first {} are shown; build with <code>--max N</code> for more, or leave out <code>--cards all</code> for a few cards that take every step.</p>",
                    plural(cards.len(), "path", "paths")
                );
            }
            for (index, trail) in cards.iter().enumerate() {
                let card = Card { trail, number: index + 1, listed: Some(index + 1), of: total.clone() };
                write_card(out, call, &places, &card);
            }
            (total, cards.len())
        }
        CardSet::Cover => {
            let found = cover(project, call.graph, |_| true);
            let (total, numbers) = listing_numbers(project, call.graph, &found.trails);
            let shown = found.trails.len().min(max_paths);
            let listed: Vec<String> = numbers[..shown].iter().flatten().map(usize::to_string).collect();
            let which = match listed.len() {
                0 => String::new(),
                1 => format!(" The card is path {} of that listing.", listed[0]),
                _ => {
                    let (last, first) = listed.split_last().expect("two or more");
                    format!(" The cards are paths {} and {last} of that listing.", first.join(", "))
                }
            };
            let _ = writeln!(
                out,
                "<p class=\"card-count\">The script has {total} path{} from a trigger to a close (<code>defuse paths</code> lists them). {}: each reply, option and way on is on some card.{which} <code>--cards all</code> gives a card per path.</p>",
                if total == "1" { "" } else { "s" },
                if found.trails.len() == 1 {
                    "This card takes every step of the call".to_owned()
                } else {
                    format!("These {} cards together take every step of the call", found.trails.len())
                },
            );
            if shown < found.trails.len() {
                let _ = writeln!(
                    out,
                    "<p class=\"notice\">The first {shown} of {} covering cards are shown; build with <code>--max N</code> for more.</p>",
                    found.trails.len()
                );
            }
            if !found.complete {
                let _ = writeln!(out, "<p class=\"notice\">The script is too large to cover every step.</p>");
            }
            for (index, trail) in found.trails[..shown].iter().enumerate() {
                let card = Card { trail, number: index + 1, listed: numbers[index], of: total.clone() };
                write_card(out, call, &places, &card);
            }
            (total, shown)
        }
    }
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

/// The trainer page of the script `graph` was built for, with the `cards` set (at most
/// `max_paths` cards) and the diagram defuse draws itself.
pub fn render(project: &Project, graph: &ScriptGraph, cards: CardSet, max_paths: usize) -> String {
    render_with(project, graph, cards, max_paths, StageDiagram::Builtin).expect("the built-in diagram is always drawn")
}

/// The trainer page with the stage diagram from `stages`, in English. The error says why
/// Graphviz's SVG cannot be used (the built-in diagram never fails).
pub(crate) fn render_with(
    project: &Project,
    graph: &ScriptGraph,
    cards: CardSet,
    max_paths: usize,
    stages: StageDiagram,
) -> Result<String, String> {
    render_in(&[Language { project, graph, stages, locale: None, lang: "en".to_owned() }], cards, max_paths)
}

/// One language of a trainer page: the script's project in that language (for a locale, the
/// localised copy, with the same file ids and node names), its graph and its stage diagram.
pub(crate) struct Language<'a> {
    pub project: &'a Project,
    pub graph: &'a ScriptGraph,
    pub stages: StageDiagram<'a>,
    /// The locale (`fr_CA`) on a page with a language switch; `None` for the source text.
    pub locale: Option<&'a Locale>,
    /// The BCP 47 tag of the text, for `lang` (`fr-CA`).
    pub lang: String,
}

/// The stage diagram of `call` as the page inlines it, and the hint above it.
fn stage_diagram(call: &Call, stages: StageDiagram) -> Result<(String, String), String> {
    Ok(match stages {
        StageDiagram::Builtin => (
            super::diagram::svg::render(call),
            "The call moves left to right. Dashed red arrows go back, or stay in their stage: a loop the caller can take.".to_owned(),
        ),
        StageDiagram::Graphviz { svg, diagram } => {
            let direction = match diagram.layout {
                Layout::Lr => "left to right",
                Layout::Tb => "top to bottom",
            };
            let description = format!("The call's stages, {direction}, as Graphviz laid them out");
            let svg = graphviz::inline(svg, call, &description)
                .map_err(|reason| format!("Graphviz's SVG cannot be used: {reason}"))?;
            let mut hint = format!("Laid out by Graphviz: one box per stage, the call moves {direction}.");
            if !diagram.path.is_empty() {
                hint.push_str(" The path drawn in bold is the one this page was built to show.");
            }
            (svg, hint)
        }
    })
}

/// The trainer page in `languages`, the first one shown. With one language it is the plain
/// page (`<html lang>` its tag). With several, a language switch (`<select id="locale">`)
/// picks the locale, and each locale's text sits in elements with its `data-locale`: the
/// title, the diagram and the node table (one JSON per locale); the cards hold ids only and
/// the page's script writes them in the shown locale. The page is written once, into one
/// buffer: each slot of the template is written in place, never built apart and copied.
pub(crate) fn render_in(languages: &[Language], cards: CardSet, max_paths: usize) -> Result<String, String> {
    render_page(languages, cards, max_paths, None)
}

/// The page as an editor shows it beside the script (`defuse/preview`, spec section 9).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Preview<'a> {
    /// The node under the writer's cursor (an id as the diagram's `data-node` has it): its
    /// diagram element carries `data-selected`.
    pub selected: Option<&'a str>,
}

/// The trainer page for an editor's preview: [`render`]'s page with the default cards and
/// the built-in diagram, the selected node marked, and the preview's script and style added
/// to the page's own (posting a click on a box to the editor, taking its selection, keeping
/// the scroll position across pages). Only this page has them: [`render`]'s is unchanged.
pub(crate) fn render_preview(project: &Project, graph: &ScriptGraph, preview: Preview) -> String {
    let language = Language { project, graph, stages: StageDiagram::Builtin, locale: None, lang: "en".to_owned() };
    render_page(&[language], CardSet::Cover, DEFAULT_MAX_PATHS, Some(preview))
        .expect("the built-in diagram is always drawn")
}

/// `svg` with `data-selected` on the element of node `id`, if it is drawn. Script text in the
/// drawing is escaped (no `"` in it), so only a node's own attribute can match.
fn mark_selected(svg: &mut String, id: &str) {
    let attribute = format!(" data-node=\"{}\"", escape(id));
    if let Some(at) = svg.find(&attribute) {
        svg.insert_str(at + attribute.len(), " data-selected=\"\"");
    }
}

/// [`render_in`], for an editor's preview when `preview` is given.
fn render_page(
    languages: &[Language],
    cards: CardSet,
    max_paths: usize,
    preview: Option<Preview>,
) -> Result<String, String> {
    let first = languages.first().expect("a page has a language");
    let (project, graph) = (first.project, first.graph);
    let switch = languages.len() > 1;
    let calls: Vec<Call> = languages.iter().map(|language| Call::new(language.project, language.graph)).collect();
    let call = &calls[0];
    let mut diagrams = Vec::with_capacity(languages.len());
    for (language, call) in languages.iter().zip(&calls) {
        diagrams.push(stage_diagram(call, language.stages)?);
    }
    let hint = diagrams[0].1.clone();
    if let Some(id) = preview.and_then(|preview| preview.selected) {
        for (svg, _) in &mut diagrams {
            mark_selected(svg, id);
        }
    }
    let (style, page_script) = match preview {
        None => (std::borrow::Cow::Borrowed(STYLE), std::borrow::Cow::Borrowed(SCRIPT)),
        Some(_) => (format!("{STYLE}{PREVIEW_STYLE}").into(), format!("{SCRIPT}{PREVIEW_SCRIPT}").into()),
    };
    let titles: Vec<String> = languages
        .iter()
        .map(|language| {
            let script = language.project.item(language.graph.script).expect("pages are built for parsed scripts");
            escape(script.title.as_ref().map_or(script.name.name.as_str(), |title| title.value.as_str()))
        })
        .collect();
    let script = project.item(graph.script).expect("pages are built for parsed scripts");
    // The cards come before the header's counts in the work, after them on the page.
    let mut card_markup = Vec::new();
    let (paths, shown) = write_cards(&mut card_markup, project, call, cards, max_paths);
    let nodes = graph.graph.node_count();
    let counts = format!(
        "{} · {paths} path{} · {}",
        plural(nodes, "node", "nodes"),
        if paths == "1" { "" } else { "s" },
        plural(shown, "card", "cards")
    );
    let svg_length: usize = diagrams.iter().map(|(svg, _)| svg.len()).sum();
    let mut out = Vec::with_capacity(TEMPLATE.len() + style.len() + page_script.len() + svg_length + card_markup.len());
    // Where each locale's text goes on a page with a switch: ` data-locale="L" lang="T"`,
    // and `hidden` on all but the first.
    let tagged = |index: usize| -> String {
        let language = &languages[index];
        let locale = language.locale.map_or_else(String::new, |locale| escape(locale.as_str()));
        let hidden = if index == 0 { "" } else { " hidden" };
        format!(" data-locale=\"{locale}\" lang=\"{}\"{hidden}", escape(&language.lang))
    };
    fill_template(&mut out, TEMPLATE, |slot, out| match slot {
        "csp" => out.extend_from_slice(policy(&style, &page_script).as_bytes()),
        "lang" => out.extend_from_slice(escape(&first.lang).as_bytes()),
        "title_locale" if switch => {
            let shown = tagged(0);
            out.extend_from_slice(shown.trim_end_matches(" hidden").as_bytes());
        }
        "title_locale" => {}
        "head_title" => out.extend_from_slice(titles[0].as_bytes()),
        "title" if switch => {
            for (index, title) in titles.iter().enumerate() {
                let _ = write!(out, "<span{}>{title}</span>", tagged(index));
            }
        }
        "title" => out.extend_from_slice(titles[0].as_bytes()),
        "name" => out.extend_from_slice(escape(&script.name.name).as_bytes()),
        "counts" => out.extend_from_slice(counts.as_bytes()),
        "locale_switch" if switch => write_locale_switch(out, languages),
        "locale_switch" => {}
        "meta" => out.extend_from_slice(meta_list(project, call).as_bytes()),
        "vars" => out.extend_from_slice(vars_section(project, call).as_bytes()),
        "diagram_hint" => out.extend_from_slice(hint.as_bytes()),
        "svg" if switch => {
            for (index, ((svg, _), language)) in diagrams.iter().zip(languages).enumerate() {
                let suffix = language.locale.map_or("", Locale::as_str);
                let _ = writeln!(out, "<div{}>\n{}\n</div>", tagged(index), with_id_suffix(svg, suffix));
            }
        }
        "svg" => out.extend_from_slice(diagrams[0].0.as_bytes()),
        "cards" => out.append(&mut card_markup),
        "data" if switch => {
            for (index, call) in calls.iter().enumerate() {
                let locale = languages[index].locale.map_or_else(String::new, |locale| escape(locale.as_str()));
                let _ = write!(out, "<script type=\"application/json\" class=\"call-data\" data-locale=\"{locale}\">");
                write_json_for_script(out, &page_data(call));
                out.extend_from_slice(if index + 1 < calls.len() { b"</script>\n" } else { b"</script>" });
            }
        }
        "data" => {
            out.extend_from_slice(b"<script type=\"application/json\" id=\"call-data\">");
            write_json_for_script(out, &page_data(call));
            out.extend_from_slice(b"</script>");
        }
        "style" => out.extend_from_slice(style.as_bytes()),
        "script" => out.extend_from_slice(page_script.as_bytes()),
        other => panic!("no value for {{{{{other}}}}}"),
    });
    Ok(String::from_utf8(out).expect("the page is built from UTF-8"))
}

/// The language switch: one option per locale, labelled with its id and, for the languages
/// defuse knows, the language's own name; the first is selected.
fn write_locale_switch(out: &mut Vec<u8>, languages: &[Language]) {
    out.extend_from_slice(
        b"<p class=\"locale-switch\"><label for=\"locale\">Language</label> <select id=\"locale\" autocomplete=\"off\">",
    );
    for (index, language) in languages.iter().enumerate() {
        let id = language.locale.map_or("", Locale::as_str);
        let label = match native_name(id.split('_').next().unwrap_or(id)) {
            Some(name) => format!("{id} · {name}"),
            None => id.to_owned(),
        };
        let selected = if index == 0 { " selected" } else { "" };
        let _ = write!(
            out,
            "<option value=\"{}\" lang=\"{}\"{selected}>{}</option>",
            escape(id),
            escape(&language.lang),
            escape(&label)
        );
    }
    out.extend_from_slice(b"</select></p>\n");
}

/// A language's name in that language, for the few defuse ships phrase lists or examples for.
fn native_name(language: &str) -> Option<&'static str> {
    Some(match language {
        "de" => "Deutsch",
        "en" => "English",
        "es" => "español",
        "fr" => "français",
        "it" => "italiano",
        "pt" => "português",
        _ => return None,
    })
}

/// `svg` with its ids (the title and the arrowheads, and every reference to them) suffixed
/// with `-suffix`, so that one page holds a diagram per locale without two elements sharing
/// an id. Each pattern includes the attribute's quotes, which escaped script text never holds.
fn with_id_suffix(svg: &str, suffix: &str) -> String {
    let mut out = svg.to_owned();
    for id in ["diagram-svg-title", "arrow-back", "arrow"] {
        for (before, after) in [("id=\"", "\""), ("aria-labelledby=\"", "\""), ("\"url(#", ")\"")] {
            out = out.replace(&format!("{before}{id}{after}"), &format!("{before}{id}-{suffix}{after}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

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
        let mut filled = Vec::new();
        fill_template(&mut filled, "<p>{{a}}|{{b}}</p>", |slot, out| {
            out.extend_from_slice(if slot == "a" { b"{{b}}" } else { b"x" })
        });
        assert_eq!(String::from_utf8(filled).unwrap(), "<p>{{b}}|x</p>");
    }

    #[test]
    fn every_slot_of_the_page_has_a_value() {
        let slots: std::collections::BTreeSet<&str> =
            TEMPLATE.split("{{").skip(1).map(|rest| &rest[..rest.find("}}").unwrap()]).collect();
        let mut known = [
            "csp",
            "lang",
            "title_locale",
            "head_title",
            "locale_switch",
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

    fn pages_of(text: &str, selected: Option<&str>) -> (String, String) {
        let project = crate::resolve::load_text("t.defuse".into(), text);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        let page = render(&project, &graph, CardSet::Cover, DEFAULT_MAX_PATHS);
        (page, render_preview(&project, &graph, Preview { selected }))
    }

    const SMALL: &str = r#"script s {
  trigger t { customer "hi" -> a }
  acknowledge a { say "sorry \"data-node=\"t\"" -> c }
  close c { say "bye" outcome resolved }
}"#;

    #[test]
    fn the_preview_marks_the_selected_node_and_nothing_else() {
        let (page, preview) = pages_of(SMALL, Some("a"));
        assert!(!page.contains("data-selected") && !page.contains("acquireVsCodeApi"));
        assert_eq!(preview.matches(r#"data-selected="""#).count(), 1);
        assert!(preview.contains(r#"<g class="node" data-node="a" data-selected="">"#));
        // A node that is not drawn marks nothing; script text never matches.
        let (_, preview) = pages_of(SMALL, Some("nowhere"));
        assert!(!preview.contains(r#"data-selected="""#));
        let (_, preview) = pages_of(SMALL, Some("t\""));
        assert!(!preview.contains(r#"data-selected="""#));
    }

    #[test]
    fn the_preview_page_has_its_additions_under_a_policy_as_strict() {
        let (page, preview) = pages_of(SMALL, None);
        let policy = policy(&format!("{STYLE}{PREVIEW_STYLE}"), &format!("{SCRIPT}{PREVIEW_SCRIPT}"));
        assert!(preview.contains(&policy) && !page.contains(&policy));
        assert!(policy.starts_with("default-src 'none'; ") && !policy.contains("unsafe"), "{policy}");
        // Without its two additions, the preview is the page itself.
        let stripped =
            preview.replace(PREVIEW_SCRIPT, "").replace(PREVIEW_STYLE, "").replace(&policy, &content_security_policy());
        assert_eq!(stripped, page);
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
