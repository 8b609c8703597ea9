//! Times the parse alone (pest + lowering to the AST) of every `.defuse` file under a
//! directory, on one core: the floor `defuse check` is measured against. (`check` also
//! parses the nodes of one large file on every core; here they run on one.)
//!
//! ```sh
//! cargo run --release --example parse_only -- /tmp/corpus
//! ```

use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: parse_only DIR");
    let (files, _) = defuse::resolve::walk::defuse_files(std::path::Path::new(&dir));
    let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).expect("readable")).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let one_core = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a thread pool");
    let (nodes, seconds) = one_core.install(|| {
        let start = Instant::now();
        let mut nodes = 0;
        for text in &texts {
            let parsed = defuse::syntax::parse(defuse::source::FileId::from_index(0), text);
            nodes += parsed.ast.map_or(0, |ast| ast.item.nodes.len());
        }
        (nodes, start.elapsed().as_secs_f64())
    });
    println!(
        "parse_only files={} bytes={} nodes={nodes} seconds={seconds:.3} MB/s={:.1}",
        texts.len(),
        bytes,
        bytes as f64 / 1e6 / seconds
    );
}
