//! Diagram readability (issue 18): labels wrapped at word boundaries, hold/transfer/note
//! markers, `--layout tb` for print and `--highlight` for one path, in DOT and Mermaid.

use std::path::Path;
use std::process::Command;

use crate::support::Defuse;

const REFUND: &str = "scripts/refund_missing.defuse";

/// Runs the real Graphviz on `dot_text`; fails (never skips) when `dot` is missing.
fn graphviz_accepts(dot_text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.dot");
    std::fs::write(&file, dot_text).unwrap();
    let output = Command::new("dot").arg("-Tsvg").arg(&file).output().expect("Graphviz `dot` is installed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.trim().is_empty(), "{stderr}\n{dot_text}");
}

/// The lines of every quoted label of a DOT text (`label="a\nb"` → `a`, `b`).
fn dot_label_lines(dot_text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let nodes_and_edges: String =
        dot_text.lines().filter(|line| line.trim_start().starts_with('n')).collect::<Vec<_>>().join("\n");
    for piece in nodes_and_edges.split("label=\"").skip(1) {
        let mut label = String::new();
        let mut chars = piece.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => label.push(chars.next().unwrap()),
                '"' => break,
                c => label.push(c),
            }
        }
        // `\n` was read as `n` after a backslash: split on the original escapes instead.
        let raw = &piece[..piece.find("\", ").or_else(|| piece.find("\"]")).or_else(|| piece.find("\";")).unwrap()];
        lines.extend(raw.split("\\n").map(str::to_owned));
    }
    lines
}

#[test]
fn labels_wrap_between_words_and_never_inside_a_placeholder() {
    let mut scripts: Vec<_> = std::fs::read_dir("scripts")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "defuse"))
        .collect();
    scripts.sort();
    for script in scripts {
        let run = Defuse::new(["build", script.to_str().unwrap(), "--emit", "dot"]).status(0);
        for line in dot_label_lines(&run.stdout) {
            let text = line.trim_start_matches('“').trim_end_matches('”').trim_end_matches('…');
            // 30 characters and the quote marks; a node name may be longer.
            assert!(line.chars().count() <= 32 || !line.contains(' '), "{}: {line:?}", script.display());
            assert_eq!(text.matches('{').count(), text.matches('}').count(), "{}: {line:?}", script.display());
        }
    }
}

#[test]
fn huge_words_and_long_replies_keep_placeholders_whole_and_dot_accepts_them() {
    let dir = tempfile::tempdir().unwrap();
    let word = "w".repeat(30);
    let script = format!(
        "script s {{\n  vars customer_name\n  trigger t {{ customer \"{}\" -> a }}\n  acknowledge a {{ say \"Sorry {word}{{customer_name}}{word} & more\" hold \"one moment\" transfer \"billing\" note \"be kind\" -> m }}\n  mirror m {{ ask \"right?\" reply \"{}\" -> done }}\n  close done {{ say \"bye\" follow_up \"1d\" \"c\" }}\n}}\n",
        "x".repeat(5000),
        "yes ".repeat(1000)
    );
    std::fs::write(dir.path().join("s.defuse"), script).unwrap();
    let run = Defuse::new(["build", "s.defuse", "--emit", "dot"]).dir(dir.path()).status(0);
    graphviz_accepts(&run.stdout);
    // A word is never cut: the long one gets a line of its own, the placeholder stays whole.
    assert!(run.stdout.contains(&format!("“{}”", "x".repeat(5000))), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("“Sorry\\n{word}{{customer_name}}{word}\\n&amp; more”")), "{}", run.stdout);
    assert!(run.stdout.contains("‖ hold  ↪ transfer  ✎ note"), "{}", run.stdout);
    assert!(run.stdout.contains("label=\"yes yes yes yes yes yes\\nyes yes yes yes yes yes…\""), "{}", run.stdout);
    let run = Defuse::new(["build", "s.defuse", "--emit", "mermaid"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("#8214; hold  #8618; transfer  #9998; note"), "{}", run.stdout);
    assert!(run.stdout.len() < 20_000, "a long text costs its shown part only");
}

#[test]
fn top_to_bottom_layout_for_print() {
    let dot = Defuse::new(["build", REFUND, "--emit", "dot", "--layout", "tb"]).status(0).stdout;
    assert!(dot.contains("graph [rankdir=TB,"), "{dot}");
    assert!(dot.contains("  legend [shape=plain, ") && !dot.contains("legend_0"), "the legend is one table: {dot}");
    graphviz_accepts(&dot);
    let default = Defuse::new(["build", REFUND, "--emit", "dot"]).status(0).stdout;
    assert!(default.contains("graph [rankdir=LR,") && !default.contains("style=invis"), "{default}");
    assert_eq!(default, Defuse::new(["build", REFUND, "--emit", "dot", "--layout", "lr"]).status(0).stdout);
    let mermaid = Defuse::new(["build", REFUND, "--emit", "mermaid", "--layout", "tb"]).status(0).stdout;
    assert!(mermaid.starts_with("flowchart TB\n") && mermaid.contains("    direction LR\n"), "{mermaid}");
}

/// Contract section 6: "`--emit mermaid`: a `flowchart LR` with a `subgraph` per stage", and
/// every diagram draws a back edge dashed "as in the legend": the chart starts with its kind
/// (the title is its accessible title) and has a legend of the stages and both edges.
#[test]
fn mermaid_starts_with_the_flowchart_and_has_a_legend() {
    let mermaid = Defuse::new(["build", REFUND, "--emit", "mermaid"]).status(0).stdout;
    assert!(mermaid.starts_with("flowchart LR\n  accTitle: Refund has not arrived\n"), "{mermaid}");
    let legend = &mermaid[mermaid.find("  subgraph legend[").expect("a legend")..];
    for shown in ["trigger", "close: escalated", "leads on", "goes back, or stays in its stage"] {
        assert!(legend.contains(shown), "{shown}: {legend}");
    }
    assert!(legend.contains("-.->"), "the dashed edge is in the legend: {legend}");
}

#[test]
fn one_path_is_highlighted() {
    let path = "where_is_refund hear_them restate clarify";
    let dot = Defuse::new(["build", REFUND, "--emit", "dot", "--highlight", path]).status(0).stdout;
    graphviz_accepts(&dot);
    let bold: Vec<&str> =
        dot.lines().filter(|line| line.contains(" -> ") && line.contains("penwidth=3")).map(str::trim).collect();
    assert_eq!(bold.len(), 3, "{dot}");
    assert!(bold[0].starts_with("n0 -> n1 ") && bold[1].starts_with("n1 -> n2 "), "{bold:?}");
    assert!(bold[2].starts_with("n2 -> n3 [label=\"(otherwise)\""), "{bold:?}");
    assert!(
        dot.contains("  n3 -> n2 [color=\"#b02a37\", fontcolor=\"#b02a37\", style=dashed];\n"),
        "the way back is not on the path, and dashed: {dot}"
    );
    let bold_nodes = dot.lines().filter(|line| line.contains("shape=") && line.contains("penwidth=3")).count();
    assert_eq!(bold_nodes, 4, "{dot}");

    let mermaid = Defuse::new(["build", REFUND, "--emit", "mermaid", "--highlight", path]).status(0).stdout;
    assert!(mermaid.contains("\n  linkStyle 0,1,3 stroke:#d63384,stroke-width:4px\n"), "{mermaid}");
    assert!(mermaid.contains("\n  style n3 stroke-width:4px\n"), "{mermaid}");
}

#[test]
fn a_highlight_that_is_not_a_path_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.dot");
    let out = out.to_str().unwrap();
    for (highlight, message) in [
        ("where_is_refund hear_thme", "`hear_thme`, which is not a node of script `refund_missing`"),
        ("where_is_refund restate", "from `where_is_refund` to `restate`, but no edge joins them"),
        ("  ", "names no node"),
    ] {
        let run = Defuse::new(["build", REFUND, "--emit", "dot", "--highlight", highlight, "-o", out]).status(2);
        assert!(run.stderr.contains(message), "{}", run.stderr);
        assert!(!Path::new(out).exists(), "nothing is written");
    }
    let run = Defuse::new(["build", REFUND, "--emit", "json", "--layout", "tb"]).status(2);
    assert!(run.stderr.contains("--emit dot and --emit mermaid only"), "{}", run.stderr);
}
