//! Times the trainer page's diagram (layout and SVG, `emit::diagram::svg::render`) on
//! generated scripts of growing size ([`diagram_scripts`]), to show the layout stays near
//! n log n and draws 1,000 nodes well under a second.
//!
//! ```sh
//! cargo run --release --example diagram_layout            # 250 to 8,000 nodes
//! cargo run --release --example diagram_layout -- 1000    # given sizes
//! ```
//!
//! Prints one row per size: nodes, edges, the median of 5 runs after a warm-up, the time per
//! node, and the drawing's size.

#[path = "diagram_scripts.rs"]
#[allow(dead_code)] // `layered` is the print tests' shape
mod diagram_scripts;

use std::time::{Duration, Instant};

use defuse::call::Call;
use defuse::emit::diagram::svg;
use defuse::graph::ScriptGraph;
use defuse::resolve::load_text;
use defuse::source::FileId;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).map(|arg| arg.parse().expect("a number of nodes")).collect();
    let sizes = if sizes.is_empty() { vec![250, 500, 1000, 2000, 4000, 8000] } else { sizes };
    println!("| nodes | edges | median | per node | drawing (px) |");
    println!("|------:|------:|-------:|---------:|-------------:|");
    for nodes in sizes {
        let text = diagram_scripts::script("bench", nodes, nodes as u64);
        let project = load_text("bench.defuse".into(), &text);
        assert!(project.diagnostics.is_empty(), "the generated script parses");
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        let call = Call::new(&project, &graph);
        let _ = svg::render(&call);
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let start = Instant::now();
                let drawn = svg::render(&call);
                let took = start.elapsed();
                std::hint::black_box(drawn);
                took
            })
            .collect();
        times.sort();
        let median = times[2];
        let drawn = svg::render(&call);
        let size = drawn
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("?")
            .replace(' ', " × ");
        println!(
            "| {} | {} | {:.1} ms | {:.1} µs | {size} |",
            graph.graph.node_count(),
            graph.graph.edge_count(),
            median.as_secs_f64() * 1000.0,
            median.as_secs_f64() * 1e6 / graph.graph.node_count() as f64
        );
    }
}
