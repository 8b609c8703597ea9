//! Where the time of one language-server edit goes, phase by phase, on one script (not a test:
//! figures for docs/performance.md). Mirrors what `defuse lsp` does after a keystroke in a
//! `say` line: load the project through an overlay reusing the previous version's nodes,
//! then each phase of `check` timed on its own (file rules one by one, the graph, graph rules
//! one by one), then `check` as a whole (the remainder is suppression, levels and sorting),
//! then `check::incremental` after the keystroke, as the server now runs it.
//! Each figure is the median of `--runs` runs, on the default thread pool.
//!
//! ```sh
//! cargo run --release --example lsp_phases -- DIR/team_00/case_0.defuse
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use defuse::check::{registry, FileCtx, GraphCtx};
use defuse::files::read::{Disk, Overlay};
use defuse::resolve::{self, Input};
use defuse::source::FileId;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    values[values.len() / 2]
}

fn time<T>(runs: usize, mut run: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = run();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        last = Some(out);
    }
    (median(times), last.expect("at least one run"))
}

fn main() {
    let script = PathBuf::from(std::env::args().nth(1).expect("usage: lsp_phases SCRIPT"));
    let runs = 21;
    let script = std::fs::canonicalize(script).expect("the script exists");
    let root = script.parent().and_then(|dir| dir.parent()).expect("the corpus root").to_path_buf();
    let root = resolve::Root::absolute(root);
    let config = defuse::workspace::find_config(&script, None).expect("the config loads");
    let text = std::fs::read_to_string(&script).expect("readable");
    let at = text.find("say \"").expect("a say line") + 5;
    let edited = format!("{}x{}", &text[..at], &text[at..]);
    let load = |text: &str, reuse: defuse::syntax::Reuse| {
        let mut overlay = Overlay::new(Disk);
        overlay.insert(script.clone(), Arc::new(text.to_owned()));
        let inputs = vec![Input { path: script.clone(), root: root.clone() }];
        resolve::load_reusing(&overlay, inputs, &resolve::NoProgress, reuse)
    };
    let (full, previous) = time(runs, || load(&text, &|_, _| None));
    println!("load, every node parsed: {full:.2} ms");
    let mut by_text = std::collections::HashMap::new();
    for node in &previous.item(FileId::from_index(0)).expect("the script parses").nodes {
        by_text.insert(&text[node.span.start()..node.span.end()], node);
    }
    let reuse = |piece: &str, start: usize| {
        by_text.get(piece).map(|node| {
            let from = node.span.start();
            (*node).clone().moved(from, start)
        })
    };
    let (reusing, project) = time(runs, || load(&edited, &reuse));
    println!("load, unchanged nodes reused: {reusing:.2} ms");
    let mut file_rules = 0.0;
    for rule in registry::RULES {
        let Some(check) = rule.file_check else { continue };
        let (ms, _) = time(runs, || {
            let mut out = Vec::new();
            for (file, module) in project.files().zip(&project.modules) {
                if let Some(ast) = &module.ast {
                    check(&FileCtx { project: &project, file, ast, config: &config }, &mut out);
                }
            }
            out
        });
        file_rules += ms;
        println!("  file rule {}: {ms:.2} ms", rule.code);
    }
    println!("file rules, one after the other: {file_rules:.2} ms");
    let (graph_ms, graph) = time(runs, || defuse::graph::ScriptGraph::build(&project, FileId::from_index(0)));
    println!("graph build: {graph_ms:.2} ms");
    let mut graph_rules = 0.0;
    for rule in registry::RULES {
        let Some(check) = rule.graph_check else { continue };
        let (ms, _) = time(runs, || {
            let mut out = Vec::new();
            check(&GraphCtx { project: &project, graph: &graph, config: &config }, &mut out);
            out
        });
        graph_rules += ms;
        println!("  graph rule {}: {ms:.2} ms", rule.code);
    }
    println!("graph rules, one after the other: {graph_rules:.2} ms");
    let (check_ms, found) = time(runs, || defuse::check::check(&project, &config));
    println!("check (rules in parallel, suppression, levels, sort): {check_ms:.2} ms, {} diagnostics", found.len());
    // The language server's check: the memo of the previous version, then a letter typed.
    let paths: Vec<PathBuf> = project
        .sources
        .ids()
        .map(|file| std::fs::canonicalize(&project.sources.get(file).path).expect("the files exist"))
        .collect();
    let other = load(&text, &reuse);
    let (_, mut memo) = defuse::check::incremental::check(&other, &config, &paths, Default::default());
    let mut times = Vec::new();
    for run in 0..runs {
        let (checked, previous_memo) = if run % 2 == 0 { (&project, memo) } else { (&other, memo) };
        let start = Instant::now();
        let (found, next) = defuse::check::incremental::check(checked, &config, &paths, previous_memo);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(found.len(), 0);
        memo = next;
    }
    println!("incremental check after a letter typed: {:.2} ms ({:?})", median(times), memo.work);
    let (drop_ms, _) = time(runs, || drop(load(&edited, &reuse)));
    println!("load + drop of a project: {drop_ms:.2} ms (drop ≈ this − load)");
}
