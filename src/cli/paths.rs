//! `defuse paths FILE [--format text|json] [--max N]`: every way through a script, for
//! trainers. A path takes each loop at most once; listing stops at `--max` paths.

use std::path::PathBuf;

use serde::Serialize;

use super::workspace;
use crate::graph::trails::{for_each_trail, Stop, Trail};
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Stage, StmtKind};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PathsFormat {
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

#[derive(Serialize)]
struct Listing {
    script: String,
    paths: Vec<JsonPath>,
    /// False when `--max` or the search budget stopped the listing early.
    complete: bool,
}

#[derive(Serialize)]
struct JsonPath {
    nodes: Vec<String>,
    /// One entry per step: the reply or option taken, `null` for `->` and `otherwise`.
    via: Vec<Option<String>>,
    outcome: &'static str,
}

pub fn run(args: Args) -> u8 {
    let (project, file) = match workspace::compile_one(&args.file, args.script.as_deref()) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let graph = ScriptGraph::build(&project, file);
    let max = usize::try_from(args.max).unwrap_or(usize::MAX);
    let mut paths = Vec::new();
    let stop = for_each_trail(&project, &graph, |trail| {
        paths.push(describe(&project, &graph, trail));
        paths.len() < max
    });
    let script = project.item(file).expect("compiled").name.name.clone();
    let complete = stop == Stop::Complete;
    match args.format {
        PathsFormat::Json => {
            let listing = Listing { script, paths, complete };
            crate::outln!("{}", serde_json::to_string_pretty(&listing).expect("listings serialize"));
        }
        PathsFormat::Text => {
            let count = paths.len();
            crate::outln!("{script}: {count} path{} from a trigger to a close\n", if count == 1 { "" } else { "s" });
            let width = count.to_string().len();
            for (i, path) in paths.iter().enumerate() {
                crate::outln!("{:>width$}. {}", i + 1, text_line(path));
            }
            match stop {
                Stop::Complete => {}
                Stop::Enough => crate::outln!("\nstopped after {count} paths; use --max N to list more"),
                Stop::Budget => crate::outln!("\nstopped after {count} paths: the script has too many to list"),
            }
        }
    }
    0
}

fn describe(project: &Project, graph: &ScriptGraph, trail: &Trail) -> JsonPath {
    let nodes = trail.nodes(graph);
    let via = trail
        .edges
        .iter()
        .map(|&edge| {
            let weight = graph.graph[edge];
            match &project.node(weight.from).stmts[weight.stmt].kind {
                StmtKind::Reply(label, _) | StmtKind::Option(label, _) => Some(label.value.clone()),
                _ => None,
            }
        })
        .collect();
    let last = project.node(graph.graph[*nodes.last().expect("paths are not empty")]);
    let outcome = if last.stage == Stage::Close { last.outcome().keyword() } else { "none" };
    JsonPath { nodes: nodes.iter().map(|&n| project.qualified_name(graph.graph[n])).collect(), via, outcome }
}

fn text_line(path: &JsonPath) -> String {
    let mut line = path.nodes[0].clone();
    for (node, via) in path.nodes[1..].iter().zip(&path.via) {
        match via {
            Some(label) => line.push_str(&format!(" —“{}”→ {node}", crate::emit::shorten(label, 40))),
            None => line.push_str(&format!(" → {node}")),
        }
    }
    format!("{line}  ({})", path.outcome)
}
