//! `defuse paths FILE [--format text|json] [--max N]`: every way through a script, for
//! trainers. A path takes each loop at most once; listing stops at `--max` paths.
//!
//! The listing streams: each path is written as it is found, and a path borrows its labels
//! from the project, so memory does not grow with `--max` × label size (a 4 MB label on 1,024
//! paths once took 4 GB). Text numbers its paths and says how many there are before the
//! first, so it counts them in a first pass over the same (deterministic) search. All output
//! goes through [`write_listing`], the one place that writes to stdout.

use std::io::{self, Write};
use std::path::PathBuf;

use petgraph::graph::EdgeIndex;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::shared;
use crate::graph::trails::{for_each_trail, Stop, Trail};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Stage, StmtKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PathsFormat {
    Text,
    Json,
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
}

/// One path of the JSON listing (`{"script", "paths": [these], "complete"}`).
#[derive(Serialize)]
struct JsonPath<'p> {
    nodes: Vec<String>,
    /// One entry per step: the reply or option taken, `null` for `->` and `otherwise`.
    via: Vec<Option<&'p str>>,
    outcome: &'static str,
}

pub fn run(args: Args) -> u8 {
    let (project, file) = match shared::compile_one(&args.file, args.script.as_deref()) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let graph = ScriptGraph::build(&project, file);
    let max = usize::try_from(args.max).unwrap_or(usize::MAX);
    // Through the output layer: script text in the text listing shows control characters as
    // escapes (JSON escapes them itself), and a closed pipe (`defuse paths x | head`) ends the
    // listing quietly; `cli::main` reports any other write failure.
    let mut out = match args.format {
        PathsFormat::Text => crate::output::stdout(),
        PathsFormat::Json => crate::output::stdout().raw_writer(),
    };
    let _ = write_listing(&mut out, &project, &graph, args.format, max);
    0
}

/// Writes the listing of `graph`'s paths (at most `max`) to `out`, each path as it is found.
pub fn write_listing(
    out: &mut impl Write,
    project: &Project,
    graph: &ScriptGraph,
    format: PathsFormat,
    max: usize,
) -> io::Result<()> {
    let script = &project.item(graph.script).expect("compiled").name.name;
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
    match format {
        PathsFormat::Json => {
            write!(out, "{{\n  \"script\": {},\n  \"paths\": [", serde_json::to_string(script)?)?;
            let stop = for_each_trail(project, graph, |trail| {
                each(&mut |index| {
                    let path = serde_json::to_string_pretty(&json_path(project, graph, trail))?;
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
            let stop = for_each_trail(project, graph, |_| {
                count += 1;
                count < max
            });
            writeln!(out, "{script}: {count} path{} from a trigger to a close\n", if count == 1 { "" } else { "s" })?;
            let width = count.to_string().len();
            let mut labels = ShortLabels::default();
            for_each_trail(project, graph, |trail| {
                each(&mut |index| writeln!(out, "{:>width$}. {}", index + 1, labels.text_line(project, graph, trail)))
            });
            if let Some(error) = failure {
                return Err(error);
            }
            match stop {
                Stop::Complete => {}
                Stop::Enough => writeln!(out, "\nstopped after {count} paths; use --max N to list more")?,
                Stop::Budget => writeln!(out, "\nstopped after {count} paths: the script has too many to list")?,
            }
        }
    }
    Ok(())
}

/// The label of the reply or option an edge takes, borrowed from the script.
fn label<'p>(project: &'p Project, graph: &ScriptGraph, edge: EdgeIndex) -> Option<&'p str> {
    let weight = graph.graph[edge];
    match &project.node(weight.from).stmts[weight.stmt].kind {
        StmtKind::Reply(label, _) | StmtKind::Option(label, _) => Some(&label.value),
        _ => None,
    }
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

fn json_path<'p>(project: &'p Project, graph: &ScriptGraph, trail: &Trail) -> JsonPath<'p> {
    JsonPath {
        nodes: trail.nodes(graph).iter().map(|&n| project.qualified_name(graph.graph[n])).collect(),
        via: trail.edges.iter().map(|&edge| label(project, graph, edge)).collect(),
        outcome: outcome(project, graph, trail),
    }
}

/// Labels cut to 40 characters for the text listing, each cut once: a long label on many
/// paths costs its length once, not once per path.
#[derive(Default)]
struct ShortLabels {
    cut: FxHashMap<EdgeIndex, Option<String>>,
}

impl ShortLabels {
    fn text_line(&mut self, project: &Project, graph: &ScriptGraph, trail: &Trail) -> String {
        let nodes = trail.nodes(graph);
        let mut line = project.qualified_name(graph.graph[nodes[0]]);
        for (&node, &edge) in nodes[1..].iter().zip(&trail.edges) {
            let node = project.qualified_name(graph.graph[node]);
            let via = self
                .cut
                .entry(edge)
                .or_insert_with(|| label(project, graph, edge).map(|label| crate::emit::shorten(label, 40)));
            match via {
                Some(label) => line.push_str(&format!(" —“{label}”→ {node}")),
                None => line.push_str(&format!(" → {node}")),
            }
        }
        format!("{line}  ({})", outcome(project, graph, trail))
    }
}

#[cfg(test)]
mod tests {
    use super::{write_listing, PathsFormat};
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
            let error = write_listing(&mut reader, &project, &graph, format, usize::MAX).unwrap_err();
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
            write_listing(&mut out, &project, &graph, PathsFormat::Json, max).unwrap();
            let text = String::from_utf8(out).unwrap();
            // What the listing printed before it streamed: the whole document through serde.
            #[derive(serde::Serialize)]
            struct Listing<'p> {
                script: &'p str,
                paths: Vec<super::JsonPath<'p>>,
                complete: bool,
            }
            let mut paths = Vec::new();
            crate::graph::trails::for_each_trail(&project, &graph, |trail| {
                paths.push(super::json_path(&project, &graph, trail));
                paths.len() < max
            });
            let listing = Listing { script: "wide", paths, complete: false };
            assert_eq!(text, format!("{}\n", serde_json::to_string_pretty(&listing).unwrap()));
        }
    }
}
