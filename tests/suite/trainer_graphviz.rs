//! The trainer page with Graphviz's diagram (`build --emit html --diagram graphviz`): the real
//! `dot -Tsvg` (CI installs Graphviz), what the page keeps of its SVG, the errors when `dot` is
//! missing or fails, and the rehearsal played through such pages in chromium. Snapshots hold
//! the diagram's structure and text, not Graphviz's coordinates, which vary between versions.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Defuse;
use crate::trainer_page::play_pages_in_chromium;

const REFUND: &str = "scripts/refund_missing.defuse";
const HOSTILE_PAGE: &str = "tests/fixtures/emit/hostile_page.defuse";

/// Labels that end a `<text>` or `<title>` early and open a script, in every place Graphviz
/// draws script text: the title, a node's first line, a reply and an option.
const CLOSING_TAGS: &str = r#"script closing_tags "</title></svg><script>window.pwned=1</script>" {
  vars name
  trigger t { customer "</text><script>alert(1)</script> {name}" -> a }
  acknowledge a {
    ask "]]></text><!-- x --><svg onload=alert(2)>"
    reply "</tspan></text><script>window.pwned=3</script>" -> o
    otherwise -> o
  }
  options o {
    say "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'x'>]>&e;"
    option "&lt;/text&gt; &#60;script&#62;" -> c
  }
  close c { say "bye {name}" }
}
"#;

/// Builds the trainer page of `script` with `extra` arguments, through the real `dot`.
fn graphviz_page(script: &str, extra: &[&str]) -> String {
    let mut args = vec!["build", script, "--emit", "html", "--diagram", "graphviz"];
    args.extend(extra);
    Defuse::new(args).status(0).stdout
}

/// The diagram's `<svg>…</svg>` of a page.
fn diagram(page: &str) -> &str {
    let start = page.find("<svg").expect("the page has a diagram");
    &page[start..start + page[start..].find("</svg>").expect("the diagram is closed") + "</svg>".len()]
}

/// What the diagram shows, without coordinates: each node's and edge's title and the markup of
/// its text lines (escapes and placeholders as written).
fn structure(svg: &str) -> String {
    let document = roxmltree::Document::parse(svg).expect("the diagram is well-formed XML");
    let root = document.root_element();
    let mut out = String::new();
    let attributes: Vec<String> = root
        .attributes()
        .filter(|a| !matches!(a.name(), "viewBox" | "width" | "height"))
        .map(|a| format!("{}={:?}", a.name(), a.value()))
        .collect();
    out.push_str(&format!("svg {}\n", attributes.join(" ")));
    for group in root.descendants().filter(|n| n.has_tag_name("g")) {
        let class = group.attribute("class").unwrap_or("");
        let title = group.children().find(|n| n.has_tag_name("title")).and_then(|t| t.text());
        match class {
            "node" | "edge" => {}
            _ => continue,
        }
        let node = group.attribute("data-node").map(|id| format!(" data-node={id:?}")).unwrap_or_default();
        out.push_str(&format!("{class}{node} title={title:?}\n"));
        for text in group.children().filter(|n| n.has_tag_name("text")) {
            let markup = &svg[text.range()];
            let inner = &markup[markup.find('>').unwrap() + 1..markup.rfind("</text>").unwrap()];
            out.push_str(&format!("  {inner}\n"));
        }
    }
    out
}

/// The elements a page with Graphviz's diagram may hold, as in `trainer_page.rs` plus the
/// shapes Graphviz draws.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "code", "kbd", "dl",
    "div", "dt", "dd", "nav", "a", "main", "section", "label", "span", "input", "ol", "li", "button", "noscript",
    "script", "article", "strong", "svg", "g", "text", "tspan", "path", "polygon", "polyline", "ellipse",
];

/// The markup of `page` holds only the page's own elements, no handler, link or reference out.
fn assert_own_markup(page: &str, what: &str) {
    let start = page.find("</head>").unwrap();
    let end = page.find("<script type=\"application/json\"").unwrap();
    let markup = &page[start..end];
    for (at, _) in markup.match_indices('<') {
        let tag = &markup[at + 1..at + markup[at..].find('>').unwrap()];
        let name = tag.trim_start_matches('/').split([' ', '\n']).next().unwrap();
        assert!(TAGS.contains(&name.trim_end_matches('/')), "{what}: <{tag}>");
        for attribute in tag.split(' ').skip(1) {
            assert!(
                !attribute.starts_with("on")
                    && !attribute.starts_with("style=")
                    && !attribute.starts_with("src=")
                    && (!attribute.contains("href") || attribute.starts_with("href=\"#")),
                "{what}: <{tag}>"
            );
        }
    }
    let svg = diagram(page);
    for gone in ["<?xml", "<!DOCTYPE", "<!--", "xlink", "<script", "<a "] {
        assert!(!svg.contains(gone), "{what}: the diagram holds {gone}");
    }
    assert_eq!(svg.matches(" id=").count(), 1, "{what}: only the diagram's own title has an id");
    assert_eq!(page.matches("<script").count(), 2, "{what}");
    assert_eq!(page.matches("<svg").count(), 1, "{what}");
}

fn closing_tags_script(dir: &Path) -> PathBuf {
    let path = dir.join("closing_tags.defuse");
    std::fs::write(&path, CLOSING_TAGS).unwrap();
    path
}

#[test]
fn script_text_in_graphviz_labels_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let script = closing_tags_script(dir.path());
    let page = graphviz_page(script.to_str().unwrap(), &[]);
    assert_own_markup(&page, "closing_tags");
    let svg = diagram(&page);
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "{svg}");
    assert!(svg.contains("&lt;/title&gt;&lt;/svg&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;"), "{svg}");
    // Entities in script text are shown as written, not decoded by Graphviz or the browser.
    assert!(svg.contains(">&amp;lt;/text&amp;gt;</text>") && svg.contains(">&amp;#60;script&amp;#62;</text>"), "{svg}");
    insta::assert_snapshot!("graphviz_closing_tags", structure(svg));
}

#[test]
fn the_hostile_fixture_and_an_example_with_graphviz_diagrams() {
    for (script, name) in [(HOSTILE_PAGE, "graphviz_hostile_page"), (REFUND, "graphviz_refund_missing")] {
        let page = graphviz_page(script, &[]);
        assert_own_markup(&page, script);
        assert_eq!(page, graphviz_page(script, &[]), "{script}: the page is the same on every run");
        insta::assert_snapshot!(name, structure(diagram(&page)));
    }
}

#[test]
fn the_page_is_the_same_but_for_the_diagram() {
    let builtin = Defuse::new(["build", REFUND, "--emit", "html"]).status(0).stdout;
    let graphviz = graphviz_page(REFUND, &[]);
    let without = |page: &str| {
        let svg = diagram(page);
        let hint_start = page.find("<h2 id=\"diagram-title\">").unwrap();
        let hint_end = hint_start + page[hint_start..].find("</p>").unwrap();
        page.replacen(svg, "SVG", 1).replacen(&page[hint_start..hint_end], "HINT", 1)
    };
    assert_eq!(without(&builtin), without(&graphviz));
    // Every node is in the diagram, with the hook the page's script and tests use.
    let structure = structure(diagram(&graphviz));
    for id in ["where_is_refund", "hear_them", "restate", "clarify", "find_cause", "offer", "closings.resolved_thanks"]
    {
        assert!(structure.contains(&format!("node data-node=\"{id}\" title=Some(\"{id}\")")), "{id}: {structure}");
    }
    // Placeholders in Graphviz's text are filled like everywhere else on the page.
    assert!(diagram(&graphviz).contains("<tspan class=\"var\" data-fill=\"customer_name\">{customer_name}</tspan>"));
}

#[test]
fn layout_and_highlight_reach_graphviz() {
    let path = "where_is_refund hear_them restate find_cause";
    let page = graphviz_page(REFUND, &["--layout", "tb", "--highlight", path]);
    assert!(page.contains("the call moves top to bottom. The path drawn in bold is the one"), "the hint says so");
    let svg = diagram(&page);
    let document = roxmltree::Document::parse(svg).unwrap();
    for group in document.descendants().filter(|n| n.attribute("data-node").is_some()) {
        let bold = group.children().any(|shape| shape.attribute("stroke-width") == Some("3"));
        let id = group.attribute("data-node").unwrap();
        assert_eq!(bold, path.split(' ').any(|p| p == id), "{id} is bold only when highlighted");
    }
    assert_ne!(structure(svg), "", "the diagram is drawn");
    assert_ne!(diagram(&graphviz_page(REFUND, &[])), svg, "left to right is another layout");
    // A highlight is checked as for `--emit dot`.
    let run =
        Defuse::new(["build", REFUND, "--emit", "html", "--diagram", "graphviz", "--highlight", "nowhere"]).status(2);
    assert!(run.stderr.contains("`nowhere`, which is not a node"), "{}", run.stderr);
}

#[test]
fn the_options_go_together() {
    let run = Defuse::new(["build", REFUND, "--emit", "json", "--diagram", "graphviz"]).status(2);
    assert!(run.stderr.contains("--diagram applies to --emit html only"), "{}", run.stderr);
    let run = Defuse::new(["build", REFUND, "--emit", "html", "--layout", "tb"]).status(2);
    assert!(run.stderr.contains("--emit mermaid only (and to --emit html with --diagram graphviz)"), "{}", run.stderr);
    let run = Defuse::new(["build", REFUND, "--emit", "html", "--diagram", "dot"]).status(2);
    assert!(run.stderr.contains("builtin") && run.stderr.contains("graphviz"), "{}", run.stderr);
    let builtin = Defuse::new(["build", REFUND, "--emit", "html", "--diagram", "builtin"]).status(0).stdout;
    assert_eq!(builtin, Defuse::new(["build", REFUND, "--emit", "html"]).status(0).stdout, "builtin is the default");
}

/// Runs `defuse ARGS` with `PATH` set to `path` only.
fn defuse_with_path(path: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("defuse runs");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// A `dot` in a directory of its own that runs `body` (a shell script).
fn fake_dot(body: &str) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let dot = dir.path().join("dot");
    std::fs::write(&dot, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&dot, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn without_a_working_dot_nothing_is_written_and_the_run_exits_2() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("page.html");
    std::fs::write(&target, "the page from before").unwrap();
    let args = ["build", REFUND, "--emit", "html", "--diagram", "graphviz", "-o", target.to_str().unwrap()];

    let empty = tempfile::tempdir().unwrap();
    let (status, stderr) = defuse_with_path(empty.path(), &args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("Graphviz's `dot` was not found on PATH; install Graphviz"), "{stderr}");
    assert!(stderr.contains("leave out `--diagram graphviz`"), "{stderr}");

    // `cat` is found through the fake's own line, which names it by its full path.
    let failing = fake_dot("/bin/cat >/dev/null; echo 'Error: <stdin>: syntax error in line 3' >&2; exit 1");
    let (status, stderr) = defuse_with_path(failing.path(), &args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("`dot -Tsvg` failed (exit status: 1): Error: <stdin>: syntax error in line 3"), "{stderr}");

    let garbage = fake_dot("/bin/cat >/dev/null; echo '<svg><g>'");
    let (status, stderr) = defuse_with_path(garbage.path(), &args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("Graphviz's SVG cannot be used: it is not XML"), "{stderr}");

    // A `dot` that exits without reading its input: the run still ends with a clear error.
    let early = fake_dot("exit 3");
    let (status, stderr) = defuse_with_path(early.path(), &args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("exit status: 3"), "{stderr}");

    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "the page from before");
}

/// Pages with Graphviz's diagram, played through in chromium: the rehearsal outlines the
/// current node in Graphviz's drawing as it does in the built-in one.
#[test]
fn graphviz_pages_play_through_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let closing_tags = closing_tags_script(dir.path());
    let graphviz: &[&str] = &["--emit", "html", "--diagram", "graphviz"];
    let top_down: &[&str] = &["--emit", "html", "--diagram", "graphviz", "--layout", "tb"];
    play_pages_in_chromium(&[
        (REFUND, "refund_missing", graphviz),
        ("scripts/double_charge.defuse", "double_charge_tb", top_down),
        (HOSTILE_PAGE, "hostile_page", graphviz),
        (closing_tags.to_str().unwrap(), "closing_tags", graphviz),
    ]);
}
