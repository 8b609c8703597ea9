//! `defuse paths FILE [--format text|json] [--max N] [--cover] [--outcome OUTCOME]`: ways
//! through a script, for trainers. A path takes each loop at most once; listing stops at
//! `--max` paths. `--cover` lists a small set of paths that together take every edge on some
//! path ([`crate::graph::cover`]); `--outcome` keeps the paths that end in closes with that
//! outcome. Each path shows its spoken seconds (the `[timing]` model of the config).
//!
//! The listing streams: each path is written as it is found, and a path borrows its labels
//! from the project, so memory does not grow with `--max` × label size (a 4 MB label on 1,024
//! paths once took 4 GB). Text says how many paths there are ("first N of M") before the
//! first, so it counts them in a first pass over the same (deterministic) search. All output
//! goes through [`write_listing`], the one place that writes to stdout.

use std::io::{self, Write};
use std::path::PathBuf;

use petgraph::graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::shared;
use crate::graph::cover::{cover, Cover};
use crate::graph::timing::{self, Timing};
use crate::graph::trails::{for_each_trail_to, Stop, Trail, STEP_BUDGET};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Outcome, Stage, StmtKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PathsFormat {
    Text,
    Json,
}

/// A close outcome on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeArg {
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
pub struct Args {
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
}

/// What to list and how.
pub struct Listing<'t> {
    pub format: PathsFormat,
    /// The most paths to write.
    pub max: usize,
    /// Only paths to closes with this outcome.
    pub outcome: Option<Outcome>,
    /// A covering set of paths instead of every path.
    pub cover: bool,
    pub timing: &'t Timing,
}

/// One path of the JSON listing (`{"script", "paths": [these], "complete"}`).
#[derive(Serialize)]
struct JsonPath<'p> {
    nodes: Vec<String>,
    /// One entry per step: the reply or option taken, `null` for `->` and `otherwise`.
    via: Vec<Option<&'p str>>,
    outcome: &'static str,
    /// Spoken seconds, one decimal place.
    seconds: f64,
}

pub fn run(args: Args) -> u8 {
    let (config, project, file) = match shared::compile_one_with_config(&args.file, args.script.as_deref()) {
        Ok(found) => found,
        Err(status) => return status,
    };
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
    // listing quietly; `cli::main` reports any other write failure.
    let mut out = match args.format {
        PathsFormat::Text => crate::output::stdout(),
        PathsFormat::Json => crate::output::stdout().raw_writer(),
    };
    let _ = write_listing(&mut out, &project, &graph, &listing);
    0
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
pub fn write_listing(
    out: &mut impl Write,
    project: &Project,
    graph: &ScriptGraph,
    listing: &Listing,
) -> io::Result<()> {
    let script = &project.item(graph.script).expect("compiled").name.name;
    let wanted = |n: NodeIndex| listing.outcome.is_none_or(|outcome| project.node(graph.graph[n]).outcome() == outcome);
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
            write!(out, "{{\n  \"script\": {},\n  \"paths\": [", serde_json::to_string(script)?)?;
            let stop = source.each(project, graph, wanted, &mut |trail| {
                each(&mut |index| {
                    let path = serde_json::to_string_pretty(&json_path(project, graph, trail, &seconds))?;
                    out.write_all(if index == 0 { b"\n" } else { b",\n" })?;
                    // Inside the array, two levels deep: JSON strings hold no raw line breaks.
                    for (i, line) in path.lines().enumerate() {
                        out.write_all(if i == 0 { b"    " } else { b"\n    " })?;
                        out.write_all(line.as_bytes())?;
                    }
                    Ok(())
                })
            });
            if let Some(error) = failure {
                return Err(error);
            }
            let close = if written == 0 { "]" } else { "\n  ]" };
            write!(out, "{close},\n  \"complete\": {}\n}}\n", stop == Stop::Complete)?;
        }
        PathsFormat::Text => {
            let mut count = 0usize;
            let counted = source.each(project, graph, wanted, &mut |_| {
                count += 1;
                true
            });
            writeln!(out, "{script}: {}\n", header(listing, &source, count, counted))?;
            let width = count.min(max).to_string().len();
            let mut labels = ShortLabels::default();
            let stop = source.each(project, graph, wanted, &mut |trail| {
                each(&mut |index| {
                    writeln!(out, "{:>width$}. {}", index + 1, labels.text_line(project, graph, trail, &seconds))
                })
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

/// The label of the reply or option an edge takes, borrowed from the script.
fn label<'p>(project: &'p Project, graph: &ScriptGraph, edge: EdgeIndex) -> Option<&'p str> {
    let weight = graph.graph[edge];
    match &project.node(weight.from).stmts[weight.stmt].kind {
        StmtKind::Reply(label, _) | StmtKind::Option(label, _) => Some(&label.value),
        _ => None,
    }
}

fn is_otherwise(project: &Project, graph: &ScriptGraph, edge: EdgeIndex) -> bool {
    let weight = graph.graph[edge];
    matches!(project.node(weight.from).stmts[weight.stmt].kind, StmtKind::Otherwise(_))
}

fn outcome(project: &Project, graph: &ScriptGraph, trail: &Trail) -> &'static str {
    let last = trail.edges.last().map_or(trail.start, |&edge| graph.graph.edge_endpoints(edge).expect("edge").1);
    let last = project.node(graph.graph[last]);
    if last.stage == Stage::Close {
        last.outcome().keyword()
    } else {
        "none"
    }
}

/// A path's spoken seconds from the seconds of each node (by index), rounded for output.
fn trail_seconds(graph: &ScriptGraph, trail: &Trail, seconds: &[f64]) -> f64 {
    timing::round(trail.nodes(graph).iter().map(|n| seconds[n.index()]).sum())
}

fn json_path<'p>(project: &'p Project, graph: &ScriptGraph, trail: &Trail, seconds: &[f64]) -> JsonPath<'p> {
    JsonPath {
        nodes: trail.nodes(graph).iter().map(|&n| project.qualified_name(graph.graph[n])).collect(),
        via: trail.edges.iter().map(|&edge| label(project, graph, edge)).collect(),
        outcome: outcome(project, graph, trail),
        seconds: trail_seconds(graph, trail, seconds),
    }
}

/// How the text listing writes one step: a reply or option label cut to 40 characters at a
/// word boundary, `(otherwise)`, or a plain arrow.
enum Step {
    Plain,
    Otherwise,
    Label(String),
}

/// Steps for the text listing, each label cut once: a long label on many paths costs its
/// length once, not once per path.
#[derive(Default)]
struct ShortLabels {
    cut: FxHashMap<EdgeIndex, Step>,
}

impl ShortLabels {
    fn text_line(&mut self, project: &Project, graph: &ScriptGraph, trail: &Trail, seconds: &[f64]) -> String {
        let nodes = trail.nodes(graph);
        let mut line = project.qualified_name(graph.graph[nodes[0]]);
        for (&node, &edge) in nodes[1..].iter().zip(&trail.edges) {
            let node = project.qualified_name(graph.graph[node]);
            let step = self.cut.entry(edge).or_insert_with(|| match label(project, graph, edge) {
                Some(label) => Step::Label(crate::emit::diagram::label::shorten(label, 40)),
                None if is_otherwise(project, graph, edge) => Step::Otherwise,
                None => Step::Plain,
            });
            match step {
                Step::Label(label) => line.push_str(&format!(" —“{label}”→ {node}")),
                Step::Otherwise => line.push_str(&format!(" —(otherwise)→ {node}")),
                Step::Plain => line.push_str(&format!(" → {node}")),
            }
        }
        let seconds = timing::display(trail_seconds(graph, trail, seconds));
        format!("{line}  ({}, {seconds})", outcome(project, graph, trail))
    }
}

#[cfg(test)]
mod tests {
    use super::{write_listing, Listing, PathsFormat};
    use crate::graph::timing::Timing;
    use crate::graph::ScriptGraph;

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
        let graph = ScriptGraph::build(&project, 0);
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

    #[test]
    fn json_listing_is_the_document_serde_would_print() {
        let project = crate::resolve::load_text("wide.defuse".into(), &wide());
        let graph = ScriptGraph::build(&project, 0);
        for max in [1, 3] {
            let mut out = Vec::new();
            let listing =
                Listing { format: PathsFormat::Json, max, outcome: None, cover: false, timing: &Timing::default() };
            write_listing(&mut out, &project, &graph, &listing).unwrap();
            let text = String::from_utf8(out).unwrap();
            // What the listing printed before it streamed: the whole document through serde.
            #[derive(serde::Serialize)]
            struct Document<'p> {
                script: &'p str,
                paths: Vec<super::JsonPath<'p>>,
                complete: bool,
            }
            let mut paths = Vec::new();
            let seconds = crate::graph::timing::node_seconds(&project, &graph, &Timing::default());
            crate::graph::trails::for_each_trail(&project, &graph, |trail| {
                paths.push(super::json_path(&project, &graph, trail, &seconds));
                paths.len() < max
            });
            let document = Document { script: "wide", paths, complete: false };
            assert_eq!(text, format!("{}\n", serde_json::to_string_pretty(&document).unwrap()));
        }
    }
}
