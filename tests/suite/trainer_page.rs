//! The trainer page (`build --emit html`): snapshots, the CLI, and every page driven in a real
//! browser (Debian's chromium through `tests/browser/rehearse.mjs`), which clicks each path
//! `paths --format json` lists through the rehearsal. The browser test fails, never skips,
//! when the browser or the npm packages are missing: `bash .ci/run` installs both.

use std::path::{Path, PathBuf};
use std::process::Command;

use defuse::emit::Emit;
use defuse::graph::ScriptGraph;

use crate::support::{emitted_scripts, load_script, Defuse};

/// The HTML fixture: markup, scripts and template slots in every place a page shows text.
const HOSTILE_PAGE: &str = "tests/fixtures/emit/hostile_page.defuse";

fn page(path: &Path) -> String {
    let (workspace, script) = load_script(path);
    Emit::Html.render(&workspace.project, &ScriptGraph::build(&workspace.project, script))
}

/// The page without the bodies of its style sheet and script: those are the files in
/// `src/emit/html/`, the same for every page; the snapshot holds what defuse generates.
fn without_assets(page: &str) -> String {
    let mut out = page.to_owned();
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        let start = out.find(open).expect("the page has the asset") + open.len();
        let end = start + out[start..].find(close).expect("the asset is closed");
        out.replace_range(start..end, "…");
    }
    out
}

#[test]
fn snapshots_of_an_example_and_the_hostile_fixtures() {
    for (path, name) in [
        ("scripts/refund_missing.defuse", "html_refund_missing"),
        ("tests/fixtures/emit/hostile.defuse", "html_hostile"),
        (HOSTILE_PAGE, "html_hostile_page"),
    ] {
        insta::assert_snapshot!(name, without_assets(&page(Path::new(path))));
    }
}

/// Every element of the page's own markup; script text must add none.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "code", "kbd", "dl",
    "div", "dt", "dd", "nav", "a", "main", "section", "label", "span", "input", "ol", "li", "button", "noscript",
    "script", "article", "strong", "svg", "defs", "marker", "path", "g", "rect", "text", "tspan",
];

#[test]
fn every_page_is_deterministic_and_self_contained() {
    let mut scripts = emitted_scripts();
    scripts.push(HOSTILE_PAGE.into());
    for path in scripts {
        let first = page(&path);
        assert_eq!(first, page(&path), "{} is not deterministic", path.display());
        let head = &first[..first.find("<style>").unwrap()];
        assert!(head.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"), "{head}");
        // Outside the page's own style sheet and script, every `<` opens one of its own tags,
        // with no event handler, no source to load and no link off the page.
        let markup = without_assets(&first);
        for (at, _) in markup.match_indices('<') {
            let tag = &markup[at + 1..at + markup[at..].find('>').unwrap()];
            let name = tag.trim_start_matches('/').split([' ', '\n']).next().unwrap();
            assert!(TAGS.contains(&name), "{}: <{tag}>", path.display());
            for attribute in tag.split(' ').skip(1) {
                assert!(!attribute.starts_with("on") && !attribute.starts_with("src="), "{}: <{tag}>", path.display());
                assert!(
                    !attribute.starts_with("href=") || attribute.starts_with("href=\"#"),
                    "{}: <{tag}>",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn hostile_text_is_text_in_the_markup() {
    let text = page(Path::new(HOSTILE_PAGE));
    // Two scripts (the data and the page's own), one style sheet, one diagram: nothing else
    // that runs or styles, whatever the script text holds.
    assert_eq!(text.matches("<script").count(), 2);
    assert_eq!(text.matches("</script").count(), 2);
    assert_eq!(text.matches("<style").count(), 1);
    assert_eq!(text.matches("<svg").count(), 1);
    assert!(!text.contains("<img") && !text.contains("<!--"));
    assert!(text.contains("<h1>&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;"));
    // The cards hold node ids only: the line is in the diagram's label and the data block,
    // never once per card.
    assert_eq!(text.matches("window.pwned=4").count(), 2, "the line is on the page twice, not per card");
    // The data block is JSON that names the same text.
    let start = text.find("<script type=\"application/json\" id=\"call-data\">").unwrap();
    let json = &text[start..][text[start..].find('>').unwrap() + 1..];
    let json = &json[..json.find("</script>").unwrap()];
    assert!(!json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{json}");
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(data["nodes"][0]["lines"][0]["text"][0], "<img src=x onerror=\"window.pwned=4\"> I want ");
    assert_eq!(data["nodes"][0]["lines"][0]["text"][1]["var"], "name");
}

#[test]
fn build_writes_one_page_per_script_and_max_limits_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pages");
    let run = Defuse::new(["build", "scripts", "--emit", "html", "--out-dir", out.to_str().unwrap()]).status(0);
    let mut written: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    assert_eq!(written.len(), 9, "{written:?} {}", run.stderr);
    assert!(written.iter().all(|name| name.ends_with(".html")), "{written:?}");

    let limited =
        Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "--cards", "all", "--max", "2"])
            .status(0);
    assert_eq!(limited.stdout.matches("<article class=\"path\"").count(), 2);
    assert!(limited.stdout.contains("The first 2 paths are shown"), "the page says it is cut short");
    let all = Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "--cards", "all"]).status(0);
    assert_eq!(all.stdout.matches("<article class=\"path\"").count(), 12);
    let cover = Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html"]).status(0);
    assert_eq!(cover.stdout.matches("<article class=\"path\"").count(), 3, "the covering set by default");
    let cut = Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "--max", "2"]).status(0);
    assert_eq!(cut.stdout.matches("<article class=\"path\"").count(), 2);
    assert!(cut.stdout.contains("The first 2 of 3 covering cards are shown"), "{}", cut.stdout);
    Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "--max", "0"]).status(2);
    Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "--cards", "some"]).status(2);
}

/// By default the cards are the covering set of `paths --cover`, in that order, and the page
/// says how many paths there are and which of them the cards are.
#[test]
fn the_cards_are_the_covering_set_and_the_page_says_which_paths_they_are() {
    let mut scripts = emitted_scripts();
    scripts.push(HOSTILE_PAGE.into());
    for path in scripts {
        let script = path.to_str().unwrap();
        let html = Defuse::new(["build", script, "--emit", "html"]).status(0).stdout;
        let cover: serde_json::Value =
            serde_json::from_str(&Defuse::new(["paths", script, "--cover", "--format", "json"]).status(0).stdout)
                .unwrap();
        let every: serde_json::Value =
            serde_json::from_str(&Defuse::new(["paths", script, "--format", "json"]).status(0).stdout).unwrap();
        let cards: Vec<String> = html
            .split("<article class=\"path\" data-nodes=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].replace("&#39;", "'"))
            .collect();
        let covering: Vec<String> = cover["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(cards, covering, "{script}");
        let listed: Vec<String> = every["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join(" "))
            .collect();
        let total = listed.len();
        assert!(html.contains(&format!("The script has {total} path")), "{script}: the page says how many paths");
        // Each card that `paths` lists says its number there: "path N of TOTAL".
        let numbers: Vec<Option<usize>> = html
            .split("<span class=\"listed\">")
            .skip(1)
            .map(|rest| rest.strip_prefix("path ").map(|rest| rest[..rest.find(" of ").unwrap()].parse().unwrap()))
            .collect();
        assert_eq!(numbers.len(), cards.len(), "{script}");
        assert!(numbers.iter().all(Option::is_some), "{script}: every covering path of an example is listed");
        for (card, number) in cards.iter().zip(&numbers) {
            if let Some(number) = number {
                assert_eq!(&listed[number - 1], card, "{script}: path {number}");
            }
        }
    }
}

/// `node` and the npm packages of `tests/browser`, or a panic that says how to get them.
pub fn browser_tests() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|output| output.status.success()),
        "Node.js must be installed to run the trainer page's browser test (bash .ci/run installs what is missing)"
    );
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "run `npm ci` in tests/browser (bash .ci/run does) to run the trainer page's browser test"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("DEFUSE_CHROMIUM").is_some(),
        "Debian's chromium must be installed (apt-get install chromium; bash .ci/run does) to run the browser test"
    );
    dir
}

/// Builds the page of every example and both hostile fixtures, with what `paths --format
/// json` lists beside each, and plays every path in chromium.
#[test]
fn every_path_plays_through_in_a_real_browser() {
    let mut scripts = emitted_scripts();
    scripts.push(HOSTILE_PAGE.into());
    let pages: Vec<(&str, &str, &[&str])> = scripts
        .iter()
        .map(|path| (path.to_str().unwrap(), path.file_stem().unwrap().to_str().unwrap(), &["--emit", "html"][..]))
        .collect();
    play_pages_in_chromium(&pages);
}

/// Builds each page (`build SCRIPT ARGS… -o STEM.html`), writes what `paths --format json`
/// lists beside it (`STEM.paths.json`, which the browser test walks), and plays every path of
/// every page in chromium with `tests/browser/rehearse.mjs`.
pub fn play_pages_in_chromium(pages: &[(&str, &str, &[&str])]) {
    let browser = browser_tests();
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for &(script, stem, build_args) in pages {
        let html = dir.path().join(format!("{stem}.html"));
        // Every path as a card, so the browser test can hold the cards to `paths`.
        let mut args = vec!["build", script, "--cards", "all"];
        args.extend(build_args);
        args.extend(["-o", html.to_str().unwrap()]);
        Defuse::new(args).status(0);
        let paths = Defuse::new(["paths", script, "--format", "json"]).status(0);
        std::fs::write(dir.path().join(format!("{stem}.paths.json")), paths.stdout).unwrap();
        files.push(html);
    }
    let output = Command::new("node")
        .arg(browser.join("rehearse.mjs"))
        .args(&files)
        .current_dir(&browser)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{} pages", files.len())), "{stdout}");
}

/// The browser test can fail: a page whose escaping is broken on purpose (one line of the
/// hostile fixture written as raw markup) must make it exit 1, naming what it found.
#[test]
fn the_browser_test_catches_markup_from_script_text() {
    let browser = browser_tests();
    let dir = tempfile::tempdir().unwrap();
    // The title, written raw into the page's heading (in `<title>` it stays text).
    let escaped = "&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;";
    let broken = page(Path::new(HOSTILE_PAGE)).replace(escaped, "<img src=x onerror=\"window.pwned=1\">");
    assert!(broken.contains("<img"), "the fixture has the line this test breaks");
    std::fs::write(dir.path().join("broken.html"), broken).unwrap();
    let paths = Defuse::new(["paths", HOSTILE_PAGE, "--format", "json"]).status(0);
    std::fs::write(dir.path().join("broken.paths.json"), paths.stdout).unwrap();
    let output = Command::new("node")
        .arg(browser.join("rehearse.mjs"))
        .arg(dir.path().join("broken.html"))
        .current_dir(&browser)
        .output()
        .expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("script text made markup: <img>, img[onerror]"), "{stderr}");
}
