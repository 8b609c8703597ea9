//! Emitters: what `defuse build --emit …` writes, one file per format, each reading the
//! checked [`ScriptGraph`]. Serialized formats come from their own types, never the AST.

pub mod connect;
pub mod diagram;
pub mod dot;
pub mod flow;
pub mod html;
pub mod ivr;
pub mod label;
pub mod mermaid;
pub mod scxml;
pub mod svg;
pub mod twilio;

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Node, Outcome, Stage, StmtKind};
use crate::syntax::strings::Piece;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
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
    /// The trainer page: one self-contained HTML file (diagram, role-play cards, rehearsal)
    Html,
}

/// What a build can tune.
#[derive(Clone, Debug)]
pub struct Options {
    /// Spoken-time settings, for the flow JSON's seconds.
    pub timing: crate::graph::timing::Timing,
    /// At most this many paths in formats that list them (the trainer page's cards).
    pub max_paths: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { timing: crate::graph::timing::Timing::default(), max_paths: html::DEFAULT_MAX_PATHS }
    }
}

/// What an export writes, and a warning for everything the target cannot express.
pub struct Output {
    pub text: String,
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl Emit {
    /// The file extension for `--out-dir`.
    pub fn extension(self) -> &'static str {
        match self {
            Emit::Json => "flow.json",
            Emit::Dot => "dot",
            Emit::Mermaid => "mmd",
            Emit::Scxml => "scxml",
            Emit::TwilioStudio => "twilio.json",
            Emit::Connect => "connect.json",
            Emit::Html => "html",
        }
    }

    pub fn render(self, project: &Project, graph: &ScriptGraph) -> String {
        self.output(project, graph).text
    }

    /// The output with the default options.
    pub fn output(self, project: &Project, graph: &ScriptGraph) -> Output {
        self.output_with(project, graph, &Options::default())
    }

    /// The output with `options`: the `[timing]` for the flow JSON's seconds, and how many
    /// paths formats that list paths show (`build --max`: the trainer page's role-play cards).
    pub fn output_with(self, project: &Project, graph: &ScriptGraph, options: &Options) -> Output {
        let Options { timing, max_paths } = options;
        let text = match self {
            Emit::Json => flow::render(project, graph, timing),
            Emit::Dot => dot::render(project, graph),
            Emit::Mermaid => mermaid::render(project, graph),
            Emit::Scxml => scxml::render(project, graph),
            Emit::TwilioStudio => return twilio::export(project, graph),
            Emit::Connect => return connect::export(project, graph),
            Emit::Html => html::render(project, graph, *max_paths),
        };
        Output { text, warnings: Vec::new() }
    }
}

/// How a node looks in a diagram: a colour and shape per stage, and per outcome for closes.
pub struct Style {
    pub fill: &'static str,
    pub stroke: &'static str,
    pub dot_shape: &'static str,
    /// The class name in Mermaid and the legend's text.
    pub name: &'static str,
}

pub fn style(node: &Node) -> Style {
    stage_style(node.stage, node.outcome())
}

/// The style of a stage; `outcome` matters for a close only.
pub fn stage_style(stage: Stage, outcome: Outcome) -> Style {
    let (fill, stroke, dot_shape, name) = match stage {
        Stage::Trigger => ("#f8d7da", "#b02a37", "cds", "trigger"),
        Stage::Acknowledge => ("#fff3cd", "#b58105", "ellipse", "acknowledge"),
        Stage::Mirror => ("#d1ecf1", "#0c5460", "parallelogram", "mirror"),
        Stage::RootCause => ("#e2d9f3", "#59359a", "hexagon", "root_cause"),
        Stage::Options => ("#cfe2ff", "#084298", "box3d", "options"),
        Stage::Close => match outcome {
            Outcome::Resolved => ("#d1e7dd", "#0f5132", "doubleoctagon", "close_resolved"),
            Outcome::Escalated => ("#ffe5d0", "#984c0c", "doubleoctagon", "close_escalated"),
            Outcome::Callback => ("#cff4fc", "#055160", "doubleoctagon", "close_callback"),
            Outcome::Ended => ("#e2e3e5", "#41464b", "doubleoctagon", "close_ended"),
        },
    };
    Style { fill, stroke, dot_shape, name }
}

/// Every style a legend shows, with its text.
pub fn legend() -> Vec<(Style, &'static str)> {
    // The outcome is read for closes only.
    let stage = |stage| stage_style(stage, Outcome::Resolved);
    let close = |outcome| stage_style(Stage::Close, outcome);
    vec![
        (stage(Stage::Trigger), "trigger"),
        (stage(Stage::Acknowledge), "acknowledge"),
        (stage(Stage::Mirror), "mirror"),
        (stage(Stage::RootCause), "root-cause"),
        (stage(Stage::Options), "options"),
        (close(Outcome::Resolved), "close: resolved"),
        (close(Outcome::Escalated), "close: escalated"),
        (close(Outcome::Callback), "close: callback"),
        (close(Outcome::Ended), "close: ended"),
    ]
}

/// The line a diagram shows under a node's name: its first agent line (`say`, `ask`,
/// `option`), or for a trigger its first customer line.
pub fn first_line(node: &Node) -> Option<&str> {
    first_line_literal(node).map(|text| text.value.as_str())
}

/// [`first_line`] as its literal, for targets that write placeholders their own way.
pub fn first_line_literal(node: &Node) -> Option<&crate::syntax::ast::Str> {
    node.stmts.iter().find_map(|stmt| match &stmt.kind {
        StmtKind::Customer(text) if node.stage == Stage::Trigger => Some(text),
        StmtKind::Say(text) | StmtKind::Ask(text) | StmtKind::Option(text, _) => Some(text),
        _ => None,
    })
}

/// Characters per line of a node's first line in DOT and Mermaid, and its most lines.
pub const NODE_LABEL_WIDTH: usize = 30;
pub const NODE_LABEL_LINES: usize = 3;
/// Characters per line of an edge label in DOT and Mermaid, and its most lines.
pub const EDGE_LABEL_WIDTH: usize = 24;
pub const EDGE_LABEL_LINES: usize = 2;

/// The lines a diagram writes in a node: its id, then its [`first_line`] in quotes, wrapped.
pub fn node_label(name: String, node: &Node) -> Vec<String> {
    let mut lines = vec![name];
    if let Some(line) = first_line(node) {
        let mut wrapped = wrap(&[Piece::Text(line.to_owned())], NODE_LABEL_WIDTH, NODE_LABEL_LINES);
        quote_lines(&mut wrapped);
        lines.extend(wrapped.iter().map(plain));
    }
    lines
}

/// What a diagram writes on an edge: the reply or option text (wrapped, in lines),
/// `(otherwise)` for a fallback, nothing for a plain `->`.
pub fn edge_label(project: &Project, edge: &crate::graph::Edge) -> Option<Vec<String>> {
    match &project.node(edge.from).stmts[edge.stmt].kind {
        StmtKind::Reply(text, _) | StmtKind::Option(text, _) => {
            Some(wrap_text(&text.value, EDGE_LABEL_WIDTH, EDGE_LABEL_LINES))
        }
        StmtKind::Otherwise(_) => Some(vec!["(otherwise)".to_owned()]),
        _ => None,
    }
}

/// `text` on one line, cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

// --- Labels: wrapped between words, never inside a word or a placeholder ------------------

/// A line of a label: literal runs and placeholders.
pub type LabelLine<'s> = Vec<Piece<'s>>;

/// A word: pieces with no whitespace between them, never split across lines.
#[derive(Default)]
struct Word<'s> {
    pieces: Vec<Piece<'s>>,
    width: usize,
}

/// The display width of `text` in character cells: East Asian wide characters and emoji take
/// two.
pub fn cells(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1FAFF
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

pub fn piece_cells(piece: &Piece) -> usize {
    match piece {
        Piece::Text(text) => cells(text),
        Piece::Var(name) => cells(name) + 2,
    }
}

fn words<'s>(pieces: &[Piece<'s>]) -> Vec<Word<'s>> {
    let mut words = Vec::new();
    let mut current = Word::default();
    for piece in pieces {
        match piece {
            Piece::Var(name) => {
                current.width += piece_cells(piece);
                current.pieces.push(Piece::Var(name));
            }
            Piece::Text(text) => {
                for (i, part) in text.split(char::is_whitespace).enumerate() {
                    if i > 0 && !current.pieces.is_empty() {
                        words.push(std::mem::take(&mut current));
                    }
                    if !part.is_empty() {
                        current.width += cells(part);
                        current.pieces.push(Piece::Text(part.to_owned()));
                    }
                }
            }
        }
    }
    if !current.pieces.is_empty() {
        words.push(current);
    }
    words
}

/// Appends `piece` to `line`, joining it with a literal run before it.
fn push_piece<'s>(line: &mut LabelLine<'s>, piece: Piece<'s>) {
    match (line.last_mut(), piece) {
        (Some(Piece::Text(last)), Piece::Text(text)) => last.push_str(&text),
        (_, piece) => line.push(piece),
    }
}

/// `pieces` in lines of at most `width` cells, broken only between words (whitespace runs
/// become one space), at most `max_lines` lines; text left over is replaced by `…` at the end
/// of the last line. A word wider than `width` gets a line of its own, whole: a word or a
/// placeholder is never cut.
pub fn wrap<'s>(pieces: &[Piece<'s>], width: usize, max_lines: usize) -> Vec<LabelLine<'s>> {
    let mut lines: Vec<(LabelLine<'s>, usize)> = Vec::new();
    for word in words(pieces) {
        let fits = lines.last().is_some_and(|(line, used)| !line.is_empty() && used + 1 + word.width <= width);
        if fits {
            let (line, used) = lines.last_mut().expect("checked above");
            push_piece(line, Piece::Text(" ".to_owned()));
            *used += 1 + word.width;
            word.pieces.into_iter().for_each(|piece| push_piece(line, piece));
        } else if lines.len() == max_lines {
            if let Some((line, _)) = lines.last_mut() {
                push_piece(line, Piece::Text("…".to_owned()));
            }
            break;
        } else {
            let mut line = Vec::new();
            word.pieces.into_iter().for_each(|piece| push_piece(&mut line, piece));
            lines.push((line, word.width));
        }
    }
    lines.into_iter().map(|(line, _)| line).collect()
}

/// Puts wrapped `lines` in curly quotes: `“` before the first, `”` after the last (after its
/// `…` too, so a cut quotation still closes).
pub fn quote_lines(lines: &mut [LabelLine]) {
    if let Some(first) = lines.first_mut() {
        match first.first_mut() {
            Some(Piece::Text(text)) => text.insert(0, '“'),
            _ => first.insert(0, Piece::Text("“".to_owned())),
        }
    }
    if let Some(last) = lines.last_mut() {
        push_piece(last, Piece::Text("”".to_owned()));
    }
}

/// A label line as plain text, placeholders written `{name}`.
pub fn plain(line: &LabelLine) -> String {
    line.iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Var(name) => format!("{{{name}}}"),
        })
        .collect()
}

/// [`wrap`] for plain text (a `{name}` in it has no space, so it is never cut either).
pub fn wrap_text(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    wrap(&[Piece::Text(text.to_owned())], width, max_lines).iter().map(plain).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(pieces: &[Piece], width: usize, max_lines: usize) -> Vec<String> {
        wrap(pieces, width, max_lines).iter().map(plain).collect()
    }

    #[test]
    fn wraps_between_words_only() {
        let pieces = [Piece::Text("one two  three\nfour".into())];
        assert_eq!(wrapped(&pieces, 8, 9), ["one two", "three", "four"]);
        assert_eq!(wrapped(&pieces, 100, 9), ["one two three four"]);
    }

    #[test]
    fn a_long_word_or_placeholder_is_never_cut() {
        let pieces =
            [Piece::Text("a ".into()), Piece::Var("customer_name"), Piece::Text(", verylongwordindeed b".into())];
        assert_eq!(wrapped(&pieces, 6, 9), ["a", "{customer_name},", "verylongwordindeed", "b"]);
        let lines = wrap(&pieces, 6, 9);
        assert_eq!(lines[1][0], Piece::Var("customer_name"), "the placeholder stays one piece");
    }

    #[test]
    fn text_beyond_the_last_line_becomes_an_ellipsis() {
        let pieces = [Piece::Text("one two three four".into())];
        assert_eq!(wrapped(&pieces, 7, 2), ["one two", "three…"]);
        assert_eq!(wrapped(&pieces, 3, 1), ["one…"]);
        assert!(wrapped(&[Piece::Text("  ".into())], 7, 2).is_empty());
    }

    #[test]
    fn wide_characters_take_two_cells() {
        assert_eq!(cells("日本"), 4);
        assert_eq!(cells("é🙂"), 3);
    }

    #[test]
    fn quotes_open_the_first_line_and_close_the_last() {
        let mut lines = wrap(&[Piece::Var("name"), Piece::Text(" one two three".into())], 10, 2);
        quote_lines(&mut lines);
        assert_eq!(lines.iter().map(plain).collect::<Vec<_>>(), ["“{name} one", "two three”"]);
        let mut cut = wrap(&[Piece::Text("one two three".into())], 3, 1);
        quote_lines(&mut cut);
        assert_eq!(cut.iter().map(plain).collect::<Vec<_>>(), ["“one…”"]);
    }

    #[test]
    fn wrap_text_keeps_placeholders_whole() {
        assert_eq!(wrap_text("Hi {customer_name}, sorry", 6, 3), ["Hi", "{customer_name},", "sorry"]);
        assert_eq!(wrap_text("one two three", 7, 1), ["one two…"]);
    }

    #[test]
    fn shorten_flattens_and_cuts() {
        assert_eq!(shorten("a\n  b", 10), "a b");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
    }
}
