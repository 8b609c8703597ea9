//! Diagrams measured as a trainer sees them (issue 28, section 6): the trainer page rendered
//! in chromium and Graphviz's drawing of `--emit dot`, for every example script and for
//! generated scripts of 20, 40, 60 and 120 nodes (several triggers, loops back to a mirror,
//! edges within a stage and to the node itself, parallel replies, long labels). Every box is
//! read back from the browser by `tests/browser/geometry.mjs`: no label on a label, a node or
//! a stage title, no node on a node, node text inside its shape, page labels whole.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{emitted_scripts, Defuse};
use crate::trainer_page::browser_tests;

#[path = "../../bench/diagram_scripts.rs"]
pub mod diagram_scripts;

/// The example scripts and generated ones of 20 to 120 nodes, the generated ones written to `dir`.
fn scripts(dir: &Path) -> Vec<PathBuf> {
    let mut scripts = emitted_scripts();
    for nodes in [20, 40, 60, 120] {
        let path = dir.join(format!("generated_{nodes}.defuse"));
        std::fs::write(&path, diagram_scripts::script(&format!("generated_{nodes}"), nodes, nodes as u64)).unwrap();
        scripts.push(path);
    }
    scripts
}

/// Runs `geometry.mjs` on `files`; the exit status, stdout and stderr.
fn measure(files: &[PathBuf]) -> (Option<i32>, String, String) {
    let browser = browser_tests();
    let output = Command::new("node")
        .arg(browser.join("geometry.mjs"))
        .args(files)
        .current_dir(&browser)
        .output()
        .expect("node runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn page(script: &Path, dir: &Path) -> PathBuf {
    let html = dir.join(format!("{}.html", script.file_stem().unwrap().to_str().unwrap()));
    Defuse::new(["build", script.to_str().unwrap(), "--emit", "html", "-o", html.to_str().unwrap()]).status(0);
    html
}

#[test]
fn trainer_pages_have_no_overlaps_and_whole_labels_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let pages: Vec<PathBuf> = scripts(dir.path()).iter().map(|script| page(script, dir.path())).collect();
    let (status, stdout, stderr) = measure(&pages);
    assert_eq!(status, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{} diagrams, 0 with failures", pages.len())), "{stdout}");
    // The 120-node page really was measured: its labels are there.
    let big = stdout.lines().find(|line| line.starts_with("generated_120.html")).expect("measured");
    assert!(big.contains("120 nodes, ") && !big.contains(" 0 labels"), "{big}");
}

#[test]
fn graphviz_draws_no_label_on_another_and_node_text_inside_its_shape() {
    let dir = tempfile::tempdir().unwrap();
    let mut drawings = Vec::new();
    for script in scripts(dir.path()) {
        let stem = script.file_stem().unwrap().to_str().unwrap().to_owned();
        let dot = Defuse::new(["build", script.to_str().unwrap(), "--emit", "dot"]).status(0).stdout;
        let source = dir.path().join(format!("{stem}.dot"));
        std::fs::write(&source, dot).unwrap();
        let svg = dir.path().join(format!("{stem}.svg"));
        let run =
            Command::new("dot").arg("-Tsvg").arg(&source).arg("-o").arg(&svg).output().expect("Graphviz `dot` runs");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        drawings.push(svg);
    }
    let (status, stdout, stderr) = measure(&drawings);
    assert_eq!(status, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{} diagrams, 0 with failures", drawings.len())), "{stdout}");
}

/// The measurement can fail: a label moved onto a node, and a label cut short, are caught.
#[test]
fn the_measurement_catches_a_label_on_a_node_and_a_cut_label() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(Path::new("scripts/refund_missing.defuse"), dir.path());
    let text = std::fs::read_to_string(&html).unwrap();
    let node = text.find("<g class=\"node\" data-node=\"restate\">").expect("the node is drawn");
    let rect = &text[node..][text[node..].find("<rect x=\"").unwrap() + 9..];
    let (x, rest) = rect.split_once("\" y=\"").unwrap();
    let y = rest.split('"').next().unwrap();
    let (x, y): (i64, i64) = (x.parse().unwrap(), y.parse().unwrap());
    // The first label, moved onto the node's box.
    let at =
        text.find("<text class=\"edge-label\" x=\"").expect("a label is drawn") + "<text class=\"edge-label\" ".len();
    let coordinate = |name: &str| -> i64 {
        let from = at + text[at..].find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        text[from..from + text[from..].find('"').unwrap()].parse().unwrap()
    };
    let shift = format!("transform=\"translate({},{})\" ", x + 40 - coordinate("x"), y + 20 - coordinate("y"));
    let broken = format!("{}{shift}{}", &text[..at], &text[at..]).replacen(">yes / no</tspan>", ">yes /…</tspan>", 1);
    assert_ne!(broken, text);
    std::fs::write(&html, broken).unwrap();
    let (status, stdout, stderr) = measure(&[html]);
    assert_eq!(status, Some(1), "{stdout}\n{stderr}");
    assert!(stderr.contains("lies on node restate"), "{stderr}");
    assert!(stderr.contains("label \"yes /…\" is not the whole text \"yes / no\""), "{stderr}");
}
