//! `defuse paths FILE [--format text|json] [--max N] [--cover] [--outcome OUTCOME]`: ways
//! through a script, for trainers. A path takes each loop at most once; listing stops at
//! `--max` paths. `--cover` lists a small set of paths that together take every edge on some
//! path ([`crate::graph::cover`]); `--outcome` keeps the paths that end in closes with that
//! outcome. Each path shows its spoken seconds (the `[timing]` model of the config).
//!
//! The listing streams: each path is written as it is found, so memory does not grow with
//! `--max` × label size (a 4 MB label on 1,024 paths once took 4 GB). Each step is read from
//! the conversation model ([`crate::call`]) and written out once per edge ([`Steps`]): a text
//! label is cut once, a JSON label escaped once, and every later path copies those bytes (the
//! same 4 MB label re-escaped for each path took 24 s). Text says how many paths there are
//! ("first N of M") before the first, so it counts them in a first pass over the same
//! (deterministic) search. All output goes through [`write_listing`], the one place that
//! writes to stdout.

use std::cell::{Cell, RefCell};
use std::io::{self, Write};
use std::path::PathBuf;

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;
use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;
use serde_json::value::RawValue;

use super::error::{self, Status};
use super::shared;
use crate::call::{Call, ChoiceKind};
use crate::config::timing::Timing;
use crate::graph::cover::{cover, Cover};
use crate::graph::timing;
use crate::graph::trails::{for_each_trail_to, Stop, Trail, STEP_BUDGET};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PathsFormat {
    Text,
    Json,
}

/// A close outcome on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutcomeArg {
    Resolved,
    Escalated,
    Callback,
    Ended,
}

impl From<OutcomeArg> for Outcome {
    fn from(outcome: OutcomeArg) -> Outcome {
        match outcome {
            OutcomeArg::Resolved => Outcome::Resolved,
            OutcomeArg::Escalated => Outcome::Escalated,
            OutcomeArg::Callback => Outcome::Callback,
            OutcomeArg::Ended => Outcome::Ended,
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The script file
    file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: PathsFormat,
    /// Stop after this many paths
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    max: u64,
    /// The script to list, when FILE is a directory with several
    #[arg(long, value_name = "NAME")]
    script: Option<String>,
    /// List a small set of paths that together take every edge on some path
    #[arg(long)]
    cover: bool,
    /// Only paths that end in a close with this outcome
    #[arg(long, value_enum, value_name = "OUTCOME")]
    outcome: Option<OutcomeArg>,
    /// Show the labels and seconds of this locale (from `locales/L/*.po`)
    #[arg(long, value_name = "L")]
    locale: Option<String>,
}

/// What to list and how.
pub(crate) struct Listing<'t> {
    pub format: PathsFormat,
    /// The most paths to write.
    pub max: usize,
    /// Only paths to closes with this outcome.
    pub outcome: Option<Outcome>,
    /// A covering set of paths instead of every path.
    pub cover: bool,
    pub timing: &'t Timing,
}

pub fn run(args: Args) -> error::CommandResult {
    let (config, project, file) = shared::compile_one_in(&args.file, args.script.as_deref(), args.locale.as_deref())?;
    let graph = ScriptGraph::build(&project, file);
    let listing = Listing {
        format: args.format,
        max: usize::try_from(args.max).unwrap_or(usize::MAX),
        outcome: args.outcome.map(Outcome::from),
        cover: args.cover,
        timing: &config.timing,
    };
    // Through the output layer: script text in the text listing shows control characters as
    // escapes (JSON escapes them itself), and a closed pipe (`defuse paths x | head`) ends the
    // listing quietly; `cli::main` reports any other write failure. The buffer gathers the
    // small pieces of a path into one write; a write larger than it (a long label) goes
    // through whole, so the output layer never sees a character cut in two.
    let sink = match args.format {
        PathsFormat::Text => crate::output::stdout(),
        PathsFormat::Json => crate::output::stdout().raw_writer(),
    };
    let mut out = io::BufWriter::with_capacity(64 * 1024, sink);
    let _ = write_listing(&mut out, &project, &graph, &listing).and_then(|()| out.flush());
    Ok(Status::Clean)
}

/// Where the listed paths come from: a (bounded) search for every path, or a cover.
enum Source {
    Every,
    Cover(Cover),
}

impl Source {
    /// Calls `visit` with each path in order, as [`for_each_trail_to`] does.
    fn each(
        &self,
        project: &Project,
        graph: &ScriptGraph,
        wanted: impl Fn(NodeIndex) -> bool,
        visit: &mut dyn FnMut(&Trail) -> bool,
    ) -> Stop {
        match self {
            Source::Every => for_each_trail_to(project, graph, wanted, &mut STEP_BUDGET.clone(), visit),
            Source::Cover(cover) => {
                for trail in &cover.trails {
                    if !visit(trail) {
                        return Stop::Enough;
                    }
                }
                if cover.complete {
                    Stop::Complete
                } else {
                    Stop::Budget
                }
            }
        }
    }
}

/// Writes the listing of `graph`'s paths (at most `listing.max`) to `out`, each path as it is
/// found.
pub(crate) fn write_listing(
    out: &mut impl Write,
    project: &Project,
    graph: &ScriptGraph,
    listing: &Listing,
) -> io::Result<()> {
    let call = Call::new(project, graph);
    let script = &project.item(graph.script).expect("compiled").name.name;
    let wanted = |n: NodeIndex| listing.outcome.is_none_or(|outcome| call.outcome(n) == Some(outcome));
    let source = if listing.cover { Source::Cover(cover(project, graph, wanted)) } else { Source::Every };
    let seconds = timing::node_seconds(project, graph, listing.timing);
    let max = listing.max;
    let mut written = 0usize;
    let mut failure = None;
    // Stops the search at `max` paths or at the first write error.
    let mut each = |write: &mut dyn FnMut(usize) -> io::Result<()>| match write(written) {
        Ok(()) => {
            written += 1;
            written < max
        }
        Err(error) => {
            failure = Some(error);
            false
        }
    };
    match listing.format {
        PathsFormat::Json => {
            let paths = JsonPaths {
                source: &source,
                call: &call,
                wanted: &wanted,
                seconds: &seconds,
                max,
                steps: RefCell::default(),
                stop: Cell::new(None),
            };
            let document = JsonListing { script, paths: &paths, complete: Complete(&paths.stop) };
            serde_json::to_writer_pretty(&mut *out, &document)?;
            out.write_all(b"\n")?;
        }
        PathsFormat::Text => {
            let mut count = 0usize;
            let counted = source.each(project, graph, wanted, &mut |_| {
                count += 1;
                true
            });
            writeln!(out, "{script}: {}\n", header(listing, &source, count, counted))?;
            let width = count.min(max).to_string().len();
            let mut steps = Steps::default();
            let stop = source.each(project, graph, wanted, &mut |trail| {
                each(&mut |index| writeln!(out, "{:>width$}. {}", index + 1, steps.text_line(&call, trail, &seconds)))
            });
            if let Some(error) = failure {
                return Err(error);
            }
            match stop {
                Stop::Complete => {}
                Stop::Enough if written < count => {
                    writeln!(out, "\nstopped after {written} paths; use --max N to list more")?
                }
                Stop::Enough => {}
                Stop::Budget if listing.cover => {
                    writeln!(out, "\nthe script has too many paths to search them all: some edges may be left out")?
                }
                Stop::Budget => writeln!(out, "\nstopped after {written} paths: the script has too many to list")?,
            }
        }
    }
    Ok(())
}

/// The line above the listing: how many paths there are, how many are shown, and to where.
/// `count` paths were found, all of them unless `counted` stopped at the budget.
fn header(listing: &Listing, source: &Source, count: usize, counted: Stop) -> String {
    let total = if counted == Stop::Budget && !listing.cover { format!("at least {count}") } else { count.to_string() };
    let shown = count.min(listing.max);
    let amount = if shown < count { format!("first {shown} of {total}") } else { total };
    let plural = if count == 1 && amount == "1" { "" } else { "s" };
    let close = match listing.outcome {
        None => "a close".to_owned(),
        Some(outcome) => {
            let keyword = outcome.keyword();
            let article = if keyword.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            format!("{article} {keyword} close")
        }
    };
    match source {
        Source::Every => format!("{amount} path{plural} from a trigger to {close}"),
        Source::Cover(cover) => {
            let edges = cover.covered;
            let all = if cover.complete { "all " } else { "" };
            let take = if plural.is_empty() { "takes" } else { "together take" };
            format!(
                "{amount} path{plural} that {take} {all}{edges} edge{} on the paths from a trigger to {close}",
                if edges == 1 { "" } else { "s" }
            )
        }
    }
}

/// How the call ends on `trail`: the outcome of its last node, or `none`.
fn outcome(call: &Call, trail: &Trail) -> &'static str {
    let last = trail.edges.last().map_or(trail.start, |&edge| call.choice(edge).target);
    call.outcome(last).map_or("none", Outcome::keyword)
}

/// A path's spoken seconds from the seconds of each node (by index), rounded for output.
fn trail_seconds(graph: &ScriptGraph, trail: &Trail, seconds: &[f64]) -> f64 {
    timing::round(trail.nodes(graph).iter().map(|n| seconds[n.index()]).sum())
}

/// How the text listing writes one step: a reply or option label cut to 40 characters at a
/// word boundary, `(otherwise)`, or a plain arrow.
enum TextStep {
    Plain,
    Otherwise,
    Label(String),
}

/// Each step and node written once, then copied into every path that takes it: a long label
/// on many paths costs its length once (to cut or to escape), not once per path.
#[derive(Default)]
struct Steps {
    text: FxHashMap<EdgeIndex, TextStep>,
    /// The JSON of the step's `via` entry: the label as a JSON string, or `null`.
    json: FxHashMap<EdgeIndex, Box<RawValue>>,
    /// The JSON string of each node's id.
    json_ids: FxHashMap<NodeIndex, Box<RawValue>>,
}

impl Steps {
    fn text_line(&mut self, call: &Call, trail: &Trail, seconds: &[f64]) -> String {
        let nodes = trail.nodes(call.graph);
        let mut line = call.id(nodes[0]);
        for (&node, &edge) in nodes[1..].iter().zip(&trail.edges) {
            let node = call.id(node);
            let step = self.text.entry(edge).or_insert_with(|| {
                let choice = call.choice(edge);
                match (choice.kind, choice.label) {
                    (_, Some(label)) => TextStep::Label(crate::emit::diagram::label::shorten(&label.value, 40)),
                    (ChoiceKind::Otherwise, None) => TextStep::Otherwise,
                    _ => TextStep::Plain,
                }
            });
            match step {
                TextStep::Label(label) => line.push_str(&format!(" —“{label}”→ {node}")),
                TextStep::Otherwise => line.push_str(&format!(" —(otherwise)→ {node}")),
                TextStep::Plain => line.push_str(&format!(" → {node}")),
            }
        }
        let seconds = timing::display(trail_seconds(call.graph, trail, seconds));
        format!("{line}  ({}, {seconds})", outcome(call, trail))
    }

    /// `trail` as one element of the `paths` array. Its ids and labels are JSON already
    /// (escaped the first time a path took them), so serde copies their bytes.
    fn json_path(&mut self, call: &Call, trail: &Trail, seconds: &[f64]) -> JsonPath<'_> {
        let nodes = trail.nodes(call.graph);
        for &node in &nodes {
            self.json_ids.entry(node).or_insert_with(|| raw_json(&call.id(node)));
        }
        for &edge in &trail.edges {
            self.json.entry(edge).or_insert_with(|| raw_json(&call.choice(edge).label.map(|label| &label.value)));
        }
        JsonPath {
            nodes: nodes.iter().map(|node| &*self.json_ids[node]).collect(),
            via: trail.edges.iter().map(|edge| &*self.json[edge]).collect(),
            outcome: outcome(call, trail),
            seconds: trail_seconds(call.graph, trail, seconds),
        }
    }
}

/// `value` as JSON text that serde writes as it is.
fn raw_json(value: &impl Serialize) -> Box<RawValue> {
    RawValue::from_string(serde_json::to_string(value).expect("a string or null")).expect("valid JSON")
}

/// The `paths --format json` document. Its `paths` are written as the search finds them, and
/// `complete` (after them) says how the search ended.
#[derive(Serialize)]
struct JsonListing<'a> {
    script: &'a str,
    paths: &'a JsonPaths<'a>,
    complete: Complete<'a>,
}

/// One path: node ids, the label taken out of each node (`null` for a plain arrow or an
/// `otherwise`), how the call ends and its spoken seconds.
#[derive(Serialize)]
struct JsonPath<'s> {
    nodes: Vec<&'s RawValue>,
    via: Vec<&'s RawValue>,
    outcome: &'static str,
    seconds: f64,
}

/// The `paths` array, streamed: serializing it runs the search, writes each path as it is
/// found (at most `max`), stops at the first write error, and records how the search ended.
struct JsonPaths<'a> {
    source: &'a Source,
    call: &'a Call<'a>,
    wanted: &'a dyn Fn(NodeIndex) -> bool,
    seconds: &'a [f64],
    max: usize,
    steps: RefCell<Steps>,
    stop: Cell<Option<Stop>>,
}

impl Serialize for JsonPaths<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut array = serializer.serialize_seq(None)?;
        let mut steps = self.steps.borrow_mut();
        let (mut written, mut failure) = (0usize, None);
        let stop = self.source.each(self.call.project, self.call.graph, self.wanted, &mut |trail| match array
            .serialize_element(&steps.json_path(self.call, trail, self.seconds))
        {
            Ok(()) => {
                written += 1;
                written < self.max
            }
            Err(error) => {
                failure = Some(error);
                false
            }
        });
        if let Some(error) = failure {
            return Err(error);
        }
        self.stop.set(Some(stop));
        array.end()
    }
}

/// Whether the search behind the `paths` before it listed every path.
struct Complete<'a>(&'a Cell<Option<Stop>>);

impl Serialize for Complete<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(self.0.get() == Some(Stop::Complete))
    }
}

#[cfg(test)]
mod tests {
    use super::{write_listing, Listing, PathsFormat};
    use crate::config::timing::Timing;
    use crate::graph::ScriptGraph;
    use crate::source::FileId;

    /// A reader that takes `room` bytes and then goes away.
    struct Closing {
        room: usize,
        taken: Vec<u8>,
        writes_after_failure: usize,
    }

    impl std::io::Write for Closing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.taken.len() >= self.room {
                self.writes_after_failure += 1;
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.taken.extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Twelve binary choices: 4,096 paths.
    fn wide() -> String {
        let mut text = String::from(
            "script wide {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"right?\" -> q0 }\n",
        );
        for i in 0..12 {
            let next = if i < 11 { format!("q{}", i + 1) } else { "done".to_owned() };
            text.push_str(&format!("  root-cause q{i} {{ ask \"?\" reply \"a\" -> {next} reply \"b\" -> {next} }}\n"));
        }
        text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
        text
    }

    #[test]
    fn each_path_is_written_as_it_is_found_and_a_write_error_stops_the_search() {
        let project = crate::resolve::load_text("wide.defuse".into(), &wide());
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        for format in [PathsFormat::Json, PathsFormat::Text] {
            // Room for the header and the first path, not for 4,096 paths.
            let mut reader = Closing { room: 300, taken: Vec::new(), writes_after_failure: 0 };
            let listing = Listing { format, max: usize::MAX, outcome: None, cover: false, timing: &Timing::default() };
            let error = write_listing(&mut reader, &project, &graph, &listing).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe);
            let taken = String::from_utf8(reader.taken).unwrap();
            assert!(taken.contains("\"t\",") || taken.contains("1. t → a → m"), "the first path came first: {taken}");
            assert_eq!(reader.writes_after_failure, 1, "nothing more is written after the reader went away");
        }
    }

    /// Labels JSON must escape (quotes, backslashes, a line break, a tab, non-ASCII), an
    /// `otherwise`, a plain `->` among choices, an option, and closes with two outcomes.
    const ESCAPES: &str = r#"script esc "Escaped \"title\"" {
  vars x
  trigger t { customer "x" -> a }
  acknowledge a { say "sorry" -> m }
  mirror m {
    ask "right?"
    reply "say \"hi\" \\ back\nnow\t☃ é" -> q
    otherwise -> q
    -> c2
  }
  root-cause q { ask "which?" option "one {x}" -> c option "two" -> c2 }
  close c { say "bye" follow_up "1d" "c" }
  close c2 { say "bye" outcome escalated }
}
"#;

    /// The listing as the whole document serde prints, built from the AST's labels (not from
    /// the listing's own per-edge cache), in the order of [`crate::graph::trails::for_each_trail`].
    fn serde_document(project: &crate::resolve::Project, graph: &ScriptGraph, max: usize) -> String {
        use crate::syntax::ast::StmtKind;
        #[derive(serde::Serialize)]
        struct JsonPath {
            nodes: Vec<String>,
            via: Vec<Option<String>>,
            outcome: &'static str,
            seconds: f64,
        }
        #[derive(serde::Serialize)]
        struct Document {
            script: String,
            paths: Vec<JsonPath>,
            complete: bool,
        }
        let seconds = crate::graph::timing::node_seconds(project, graph, &Timing::default());
        let mut paths = Vec::new();
        let stop = crate::graph::trails::for_each_trail(project, graph, |trail| {
            let via = trail.edges.iter().map(|&edge| {
                let weight = graph.graph[edge];
                match &project.node(weight.from).stmts[weight.stmt].kind {
                    StmtKind::Reply(label, _) | StmtKind::Option(label, _) => Some(label.value.clone()),
                    _ => None,
                }
            });
            let nodes = trail.nodes(graph);
            let last = project.node(graph.graph[*nodes.last().unwrap()]);
            paths.push(JsonPath {
                nodes: nodes.iter().map(|&n| project.qualified_name(graph.graph[n])).collect(),
                via: via.collect(),
                outcome: last.outcome().keyword(),
                seconds: crate::graph::timing::round(nodes.iter().map(|n| seconds[n.index()]).sum()),
            });
            paths.len() < max
        });
        let script = project.item(graph.script).unwrap().name.name.clone();
        let complete = stop == crate::graph::trails::Stop::Complete;
        format!("{}\n", serde_json::to_string_pretty(&Document { script, paths, complete }).unwrap())
    }

    #[test]
    fn json_listing_is_the_document_serde_would_print() {
        for (name, text) in [("wide", wide()), ("escapes", ESCAPES.to_owned())] {
            let project = crate::resolve::load_text(format!("{name}.defuse").into(), &text);
            assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
            let graph = ScriptGraph::build(&project, FileId::from_index(0));
            for max in [1, 3, 100] {
                let mut out = Vec::new();
                let listing =
                    Listing { format: PathsFormat::Json, max, outcome: None, cover: false, timing: &Timing::default() };
                write_listing(&mut out, &project, &graph, &listing).unwrap();
                let text = String::from_utf8(out).unwrap();
                assert_eq!(text, serde_document(&project, &graph, max), "{name}, --max {max}");
            }
        }
    }

    #[test]
    fn the_escapes_script_lists_every_kind_of_step() {
        let project = crate::resolve::load_text("escapes.defuse".into(), ESCAPES);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        let mut out = Vec::new();
        let listing =
            Listing { format: PathsFormat::Json, max: 100, outcome: None, cover: false, timing: &Timing::default() };
        write_listing(&mut out, &project, &graph, &listing).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let vias: Vec<&serde_json::Value> = json["paths"].as_array().unwrap().iter().map(|p| &p["via"]).collect();
        assert_eq!(vias.len(), 5, "{json}");
        assert!(vias.iter().any(|via| via[2] == "say \"hi\" \\ back\nnow\t☃ é"), "{json}");
        assert!(vias.iter().any(|via| via[2].is_null() && via[3] == "one {x}"), "otherwise, then an option: {json}");
        let outcomes: Vec<&str> =
            json["paths"].as_array().unwrap().iter().map(|p| p["outcome"].as_str().unwrap()).collect();
        assert!(outcomes.contains(&"escalated") && outcomes.contains(&"resolved"), "{outcomes:?}");
    }
}
