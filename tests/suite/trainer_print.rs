//! The trainer page at the sizes teams write (generated scripts of 20 to 120 nodes, and every
//! example): printed to PDF in chromium (`tests/browser/print.mjs`), its page count is at
//! most the diagram's pages plus the cards two to a page; the diagram's print copy keeps its
//! text at 8 px or more; "Fit to width" fits and undoes; the page says when the drawing
//! scrolls; every card is filled from the node table. And the page's size stays linear in
//! the script, with a long line on many paths.

use std::path::Path;
use std::process::Command;

use crate::support::Defuse;
use crate::trainer_page::browser_tests;

/// The generated scripts the print tests use, written into `dir`: `generated_N.defuse`.
fn write_generated(dir: &Path) -> Vec<String> {
    [20, 40, 60, 120]
        .iter()
        .map(|&nodes| {
            let path = dir.join(format!("generated_{nodes}.defuse"));
            std::fs::write(&path, crate::diagram_scripts::layered(nodes)).unwrap();
            path.display().to_string()
        })
        .collect()
}

#[test]
fn generated_scripts_have_the_size_asked_and_no_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (script, nodes) in write_generated(dir.path()).iter().zip([20, 40, 60, 120]) {
        Defuse::new(["check", script]).status(0);
        let flow: serde_json::Value =
            serde_json::from_str(&Defuse::new(["build", script, "--emit", "json"]).status(0).stdout).unwrap();
        let count = flow["nodes"].as_array().unwrap().len();
        assert!(count.abs_diff(nodes) <= 2, "{script}: {count} nodes");
    }
}

/// What `print.mjs` reports of one page.
fn printed(pages: &[std::path::PathBuf]) -> Vec<serde_json::Value> {
    let browser = browser_tests();
    let output = Command::new("node")
        .arg(browser.join("print.mjs"))
        .args(pages)
        .current_dir(&browser)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "print.mjs failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[test]
fn printed_pages_hold_the_diagram_then_the_cards_two_to_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut scripts = write_generated(dir.path());
    scripts.extend(crate::support::emitted_scripts().iter().map(|path| path.display().to_string()));
    let mut pages = Vec::new();
    for script in &scripts {
        let stem = Path::new(script).file_stem().unwrap().to_str().unwrap().to_owned();
        let html = dir.path().join(format!("{stem}.html"));
        Defuse::new(["build", script, "--emit", "html", "-o", html.to_str().unwrap()]).status(0);
        pages.push(html);
    }
    // Graphviz's diagram has text sizes of its own.
    let graphviz = dir.path().join("refund_missing_graphviz.html");
    Defuse::new([
        "build",
        "scripts/refund_missing.defuse",
        "--emit",
        "html",
        "--diagram",
        "graphviz",
        "-o",
        graphviz.to_str().unwrap(),
    ])
    .status(0);
    pages.push(graphviz);
    for report in printed(&pages) {
        let name = report["page"].as_str().unwrap();
        let number = |key: &str| report[key].as_u64().unwrap_or_else(|| panic!("{name}: no {key}: {report}"));
        assert_eq!(report["errors"], serde_json::json!([]), "{name}: {report}");
        assert_eq!(report["cardsFilled"], true, "{name}: every card shows its lines: {report}");
        assert_eq!(report["scrolls"], report["hintShown"], "{name}: the page says when the drawing scrolls: {report}");
        assert_eq!(report["fit"]["widthFits"], true, "{name}: {report}");
        assert_eq!(report["fitUndone"], true, "{name}: {report}");
        assert!(report["smallestText"].as_f64().unwrap() >= 8.0, "{name}: diagram text under 8 px in print: {report}");
        let (parts, cards, pdf_pages) = (number("parts"), number("cards"), number("pdfPages"));
        assert!(parts >= 1, "{name}: {report}");
        assert!(
            pdf_pages <= parts + cards.div_ceil(2),
            "{name}: {pdf_pages} pages for {parts} diagram parts and {cards} cards: {report}"
        );
    }
}

/// Issue 26, item 8: one 256 KB line, then ten two-way questions (1,024 paths). Each card
/// once repeated the line, which made a 260 MB page; the page now holds it in the node table
/// (and the diagram's shortened label), so it stays within 3× the script plus the page's own
/// markup, with the covering cards and with a card for each of the 1,000 first paths.
#[test]
fn a_long_line_on_every_path_is_on_the_page_once() {
    let dir = tempfile::tempdir().unwrap();
    let line = format!("marker {}", "x".repeat(256 * 1024));
    let mut text = format!(
        "script long \"A long line\" {{\n  trigger t {{ customer \"again!\" -> a }}\n  acknowledge a {{ say \"sorry\" -> m }}\n  mirror m {{ ask \"right?\" -> big }}\n  root-cause big {{ say \"{line}\" ask \"?\" -> q0 }}\n"
    );
    for i in 0..10 {
        let next = if i < 9 { format!("q{}", i + 1) } else { "done".to_owned() };
        text += &format!("  root-cause q{i} {{ ask \"?\" reply \"a\" -> {next} reply \"b\" -> {next} }}\n");
    }
    text += "  close done { say \"bye\" follow_up \"48h\" \"check\" }\n}\n";
    let script = dir.path().join("long.defuse");
    std::fs::write(&script, &text).unwrap();
    // The page's own markup, style sheet and script, and the ids of 1,000 cards.
    const CONSTANT: usize = 400 * 1024;
    for cards in ["cover", "all"] {
        let page = dir.path().join(format!("{cards}.html"));
        Defuse::new([
            "build",
            script.to_str().unwrap(),
            "--emit",
            "html",
            "--cards",
            cards,
            "-o",
            page.to_str().unwrap(),
        ])
        .status(0);
        let size = std::fs::metadata(&page).unwrap().len() as usize;
        assert!(
            size <= 3 * text.len() + CONSTANT,
            "--cards {cards}: a {size}-byte page for a {}-byte script",
            text.len()
        );
        let html = std::fs::read_to_string(&page).unwrap();
        assert!(html.matches("marker xxxx").count() <= 2, "--cards {cards}: the line is on the page at most twice");
    }
}
