//! Writes transcript tests (`.dtest`) for every script in a directory, from the paths the
//! script has (each trigger-to-close trail, loops taken at most once).
//!
//! ```sh
//! # a covering set: the fewest listed paths that together walk every edge, one file per script
//! cargo run --example gen_dtests -- --scripts scripts --out scripts/tests --use-prefix ../
//! # a benchmark: 10,000 tests cycling through every path of every script
//! cargo run --release --example gen_dtests -- --scripts scripts --out /tmp/t --tests 10000
//! ```
//!
//! Output is deterministic for given arguments. Every test it writes passes (the round-trip
//! test in `tests/suite/dtest.rs` checks the same construction).

use std::path::PathBuf;

use clap::Parser;
use defuse::call::{Call, ChoiceKind, Turn, Vars};
use defuse::dtest::record;
use defuse::graph::trails::for_each_trail;
use defuse::graph::ScriptGraph;
use defuse::workspace::Workspace;

#[derive(Parser)]
struct Args {
    /// Directory of `.defuse` scripts (not recursive)
    #[arg(long)]
    scripts: PathBuf,
    /// Output directory (created)
    #[arg(long)]
    out: PathBuf,
    /// Write this many tests in all, cycling through every path; default: a covering set
    #[arg(long)]
    tests: Option<usize>,
    /// Write `use "PREFIX<file>"` instead of the script's absolute path
    #[arg(long)]
    use_prefix: Option<String>,
}

const TESTS_PER_FILE: usize = 100;

fn main() {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out).expect("the output directory can be created");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&args.scripts)
        .expect("the scripts directory is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "defuse"))
        .collect();
    scripts.sort();
    // Per script: its `use` path and every test block it can have.
    let mut blocks: Vec<(String, String, Vec<String>)> = Vec::new();
    for path in &scripts {
        let Workspace { project, .. } = Workspace::open(std::slice::from_ref(path), None).expect("config loads");
        let file = project.files().find(|&f| project.module(f).requested).expect("the script loads");
        let graph = ScriptGraph::build(&project, file);
        let call = Call::new(&project, &graph);
        let name = path.file_name().expect("a file name").to_string_lossy().into_owned();
        let used = match &args.use_prefix {
            Some(prefix) => format!("{prefix}{name}"),
            None => std::fs::canonicalize(path).expect("the script exists").to_string_lossy().into_owned(),
        };
        let mut walked = vec![false; graph.graph.edge_count()];
        let mut tests = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for_each_trail(&project, &graph, |trail| {
            let new_edge = trail.edges.iter().any(|e| !walked[e.index()]);
            if args.tests.is_none() && !new_edge {
                return true;
            }
            for edge in &trail.edges {
                walked[edge.index()] = true;
            }
            let chosen: Vec<String> = trail
                .edges
                .iter()
                .filter(|&&edge| {
                    let from = graph.graph.edge_endpoints(edge).expect("an edge of the graph").0;
                    matches!(call.turn(from), Turn::Chooses(_))
                })
                .map(|&edge| {
                    let choice = call.choice(edge);
                    match choice.kind {
                        ChoiceKind::Otherwise => "otherwise".to_owned(),
                        ChoiceKind::Continue => format!("go {}", call.id(choice.target)),
                        _ => choice.label.map_or(String::new(), |l| l.value.clone()),
                    }
                })
                .collect();
            let end = *trail.nodes(&graph).last().expect("a trail has nodes");
            let mut test_name = format!(
                "{} to {}",
                if chosen.is_empty() { "straight".to_owned() } else { chosen.join(" / ") },
                call.id(end)
            );
            let base = test_name.clone();
            let mut n = 2;
            while names.contains(&test_name) {
                test_name = format!("{base} ({n})");
                n += 1;
            }
            names.push(test_name.clone());
            tests.push(
                record::test(&call, &test_name, trail.start, &trail.edges, &Vars::default())
                    .expect("a trail is a walk to a close"),
            );
            true
        });
        blocks.push((name, used, tests));
    }
    match args.tests {
        None => {
            for (name, used, tests) in &blocks {
                let stem = name.trim_end_matches(".defuse");
                let text = format!(
                    "# Transcript tests for {name}: together they walk every edge (defuse test --coverage).\nuse {}\n\n{}",
                    record::quote(used),
                    tests.join("\n")
                );
                std::fs::write(args.out.join(format!("{stem}.dtest")), text).expect("the test file is written");
            }
        }
        Some(total) => {
            let all: Vec<(usize, &String)> =
                blocks.iter().enumerate().flat_map(|(i, (_, _, tests))| tests.iter().map(move |t| (i, t))).collect();
            let mut files: Vec<Vec<String>> = vec![Vec::new(); blocks.len()];
            let mut written = 0;
            for k in 0..total {
                let (script, test) = all[k % all.len()];
                // Names stay unique within a file: the cycle number is appended.
                let renamed = test.replacen("\" {", &format!(" #{}\" {{", k / all.len()), 1);
                files[script].push(renamed);
                written += 1;
            }
            for (script, tests) in files.iter().enumerate() {
                let (name, used, _) = &blocks[script];
                for (chunk, part) in tests.chunks(TESTS_PER_FILE).enumerate() {
                    let text = format!("use {}\n\n{}", record::quote(used), part.join("\n"));
                    let stem = name.trim_end_matches(".defuse");
                    std::fs::write(args.out.join(format!("{stem}_{chunk:04}.dtest")), text).expect("written");
                }
            }
            eprintln!("wrote {written} tests");
        }
    }
}
