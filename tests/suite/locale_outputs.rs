//! `build --locale`: the trainer page with a language switch (one page, every locale's text
//! in its `[data-locale]` elements, driven in chromium by `tests/browser/locales.mjs`), the
//! page's `lang`, and the phone exports in a locale (language and voice), against the fixture
//! `tests/fixtures/translated/two-locales` (Spanish and French translations of one script).

use std::path::Path;
use std::process::Command;

use crate::support::{project, Defuse};

const FIXTURE: &str = "tests/fixtures/translated/two-locales";
const SCRIPT: &str = "tests/fixtures/translated/two-locales/refund.defuse";

/// The page built with `args` after the script, from standard output.
fn page(args: &[&str]) -> String {
    let mut all = vec!["build", SCRIPT, "--emit", "html"];
    all.extend(args);
    Defuse::new(all).status(0).stdout
}

/// The msgstr texts of a PO file of the fixture (one line each there), header left out.
fn translations(locale: &str) -> Vec<String> {
    let po = std::fs::read_to_string(format!("{FIXTURE}/locales/{locale}/refund.po")).unwrap();
    po.lines()
        .filter_map(|line| line.strip_prefix("msgstr \"")?.strip_suffix('"'))
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words of `locale`'s translations that say it is that language: six letters or more,
/// in no other locale's translation and not in the source.
fn telltale_words(locale: &str, others: &[&str]) -> Vec<String> {
    let source = std::fs::read_to_string(SCRIPT).unwrap().to_lowercase();
    let other: String =
        others.iter().flat_map(|other| translations(other)).collect::<Vec<_>>().join(" ").to_lowercase();
    let mut words: Vec<String> = translations(locale)
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase).collect::<Vec<_>>())
        .filter(|word| word.chars().count() >= 6 && !source.contains(word.as_str()) && !other.contains(word.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// `page` without the elements whose `data-locale` is `locale` (each with its content).
fn without_locale(page: &str, locale: &str) -> String {
    let marker = format!(" data-locale=\"{locale}\"");
    let mut out = page.to_owned();
    while let Some(at) = out.find(&marker) {
        let start = out[..at].rfind('<').unwrap();
        let name: String = out[start + 1..].chars().take_while(char::is_ascii_alphanumeric).collect();
        let (open, close) = (format!("<{name}"), format!("</{name}>"));
        let (mut depth, mut at) = (0usize, start + 1);
        let end = loop {
            let next_close = at + out[at..].find(&close).expect("the element is closed");
            match out[at..].find(&open).map(|i| at + i) {
                Some(next_open) if next_open < next_close => {
                    depth += 1;
                    at = next_open + 1;
                }
                _ if depth == 0 => break next_close + close.len(),
                _ => {
                    depth -= 1;
                    at = next_close + 1;
                }
            }
        };
        out.replace_range(start..end, "");
    }
    out
}

#[test]
fn a_page_in_two_locales_has_the_switch_and_each_locales_text_in_its_elements() {
    let page = page(&["--locale", "es", "--locale", "fr"]);
    assert!(page.contains("<html lang=\"es\">"), "the first locale is shown");
    let select = &page[page.find("<select id=\"locale\"").expect("the language switch")..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(select.matches("<option ").count(), 2, "{select}");
    assert!(select.contains("<option value=\"es\" lang=\"es\" selected>es · español</option>"), "{select}");
    assert!(select.contains("<option value=\"fr\" lang=\"fr\">fr · français</option>"), "{select}");
    for locale in ["es", "fr"] {
        let marker = format!("data-locale=\"{locale}\"");
        // The title, the diagram and the node table; the `<title>` too for the shown locale.
        for element in ["<span ", "<div ", "<script type=\"application/json\" class=\"call-data\" "] {
            assert_eq!(page.matches(&format!("{element}{marker}")).count(), 1, "{element}{marker}");
        }
    }
    assert!(page.contains("<title data-locale=\"es\" lang=\"es\">Reembolso no recibido · trainer page</title>"));
    assert!(page.contains("<div data-locale=\"fr\" lang=\"fr\" hidden>"), "a hidden locale is hidden in print too");
    assert!(!page.contains("id=\"call-data\""), "one node table per locale");

    // Each locale's text, and only there. The check can fail: the words are on the page.
    for (locale, other) in [("es", "fr"), ("fr", "es")] {
        let words = telltale_words(locale, &[other]);
        assert!(words.len() >= 10, "{locale}: {words:?}");
        let rest = without_locale(&page, locale);
        for word in &words {
            assert!(page.to_lowercase().contains(word.as_str()), "{locale}: `{word}` is not on the page");
            assert!(
                !rest.to_lowercase().contains(word.as_str()),
                "{locale}: `{word}` is outside [data-locale=\"{locale}\"]"
            );
        }
        for text in translations(locale) {
            let plain = text.split('{').next().unwrap();
            if plain.chars().count() >= 6 {
                let escaped = defuse::emit::html::escape(plain);
                assert!(!rest.contains(plain) && !rest.contains(&escaped), "{locale}: `{plain}` outside its elements");
            }
        }
    }

    // Two diagrams on one page: every id is still unique.
    let ids: Vec<&str> = page.split(" id=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(ids.contains(&"arrow-fr") && ids.contains(&"diagram-svg-title-es"), "{ids:?}");
}

#[test]
fn the_helper_that_cuts_a_locale_out_cuts_whole_elements() {
    let page =
        "<p>a<span data-locale=\"es\">x<span>y</span>z</span>b<div data-locale=\"es\" hidden><div></div></div>c</p>";
    assert_eq!(without_locale(page, "es"), "<p>abc</p>");
}

#[test]
fn a_page_in_one_language_says_which() {
    assert!(page(&[]).contains("<html lang=\"en\">"));
    let french = page(&["--locale", "fr"]);
    assert!(french.contains("<html lang=\"fr\">"), "one locale: its tag");
    assert!(french.contains("<h1>Remboursement non reçu</h1>"), "one locale: the plain page");
    assert!(!french.contains("<select") && !french.contains(" data-locale=\""), "no switch for one locale");
    let canadian = page(&["--locale", "fr-CA"]);
    assert!(canadian.contains("<html lang=\"fr-CA\">"), "BCP 47: fr-CA");
    let script = std::fs::read_to_string(SCRIPT).unwrap();
    let dir = project(&[("defuse.toml", "[locales]\nsource = \"de\"\n"), ("refund.defuse", script.as_str())]);
    let run = Defuse::new(["build", "refund.defuse", "--emit", "html"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("<html lang=\"de\">"), "the source language");
}

#[test]
fn several_locales_make_one_page_per_script_in_a_file_or_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.html");
    let args = ["build", SCRIPT, "--emit", "html", "--locale", "es", "--locale", "fr"];
    Defuse::new(args.iter().copied().chain(["-o", file.to_str().unwrap()])).status(0);
    assert!(std::fs::read_to_string(&file).unwrap().contains("<select id=\"locale\""));
    let out = dir.path().join("out");
    Defuse::new(args.iter().copied().chain(["--out-dir", out.to_str().unwrap()])).status(0);
    let written: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(written, ["refund.html"]);
    // Other outputs still write a file per locale.
    let json = dir.path().join("json");
    Defuse::new([
        "build",
        SCRIPT,
        "--emit",
        "json",
        "--locale",
        "es",
        "--locale",
        "fr",
        "--out-dir",
        json.to_str().unwrap(),
    ])
    .status(0);
    let mut written: Vec<String> =
        std::fs::read_dir(&json).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    assert_eq!(written, ["refund.es.flow.json", "refund.fr.flow.json"]);
}

/// Builds the two-locale page (with the built-in diagram and with Graphviz's), rehearses two
/// choices in Spanish with a placeholder filled, switches to French and back in chromium
/// (`tests/browser/locales.mjs` says what it checks).
#[test]
fn the_language_switch_keeps_the_rehearsal_in_a_real_browser() {
    let browser = crate::trainer_page::browser_tests();
    let dir = tempfile::tempdir().unwrap();
    let texts = ["¿Dónde está mi reembolso?", "Où en est mon remboursement ?"];
    for diagram in ["builtin", "graphviz"] {
        let html = dir.path().join(format!("{diagram}.html"));
        let out = html.to_str().unwrap();
        let locales = ["--locale", "es", "--locale", "fr"];
        Defuse::new(["build", SCRIPT, "--emit", "html", "--diagram", diagram, "-o", out].into_iter().chain(locales))
            .status(0);
        let output = Command::new("node")
            .arg(browser.join("locales.mjs"))
            .arg(&html)
            .args(["es", "fr", "start", "Sí", "customer_name=Ana"])
            .args(texts)
            .current_dir(&browser)
            .output()
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "the browser test failed on the {diagram} page:\n{stdout}\n{stderr}");
        assert!(stdout.contains("checks hold on 1 page"), "{stdout}");
    }
}

fn schema(path: &str) -> jsonschema::JSONSchema {
    let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::JSONSchema::options().with_draft(jsonschema::Draft::Draft7).compile(&schema).unwrap()
}

fn assert_valid(schema: &jsonschema::JSONSchema, flow: &str, what: &str) {
    let flow: serde_json::Value = serde_json::from_str(flow).unwrap();
    if let Err(errors) = schema.validate(&flow) {
        let errors: Vec<String> = errors.map(|e| format!("{e} at {}", e.instance_path)).collect();
        panic!("{what} does not match its schema:\n{}", errors.join("\n"));
    };
}

#[test]
fn exports_in_a_locale_speak_its_language_with_its_voice() {
    let twilio = schema("tests/schemas/twilio-studio-flow-definition.json");
    let connect = schema("docs/connect-flow.schema.json");
    for (emit, locale, name) in [
        ("twilio-studio", "es", "twilio_refund_es"),
        ("connect", "es", "connect_refund_es"),
        ("connect", "fr_CA", "connect_refund_fr_CA"),
        ("scxml", "es", "scxml_refund_es"),
    ] {
        let run = Defuse::new(["build", SCRIPT, "--emit", emit, "--locale", locale]).status(0);
        match emit {
            "twilio-studio" => assert_valid(&twilio, &run.stdout, name),
            "connect" => assert_valid(&connect, &run.stdout, name),
            _ => assert!(run.stdout.contains("initial=\"start\" xml:lang=\"es\">"), "{}", run.stdout),
        }
        // What every export of this script leaves out, and no word about the voice.
        assert!(!run.stderr.contains("voice"), "{name}: {}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn a_connect_flow_in_a_locale_without_a_voice_says_so() {
    let run = Defuse::new(["build", SCRIPT, "--emit", "connect", "--locale", "fr"]).status(0);
    assert!(run.stderr.contains("not-exported"), "{}", run.stderr);
    assert!(run.stderr.contains("the Amazon Connect flow in `fr` sets no voice"), "{}", run.stderr);
    assert!(!run.stdout.contains("UpdateContact"), "no voice and no country: nothing to set");
    // Twilio picks a voice for the language itself.
    let run = Defuse::new(["build", SCRIPT, "--emit", "twilio-studio", "--locale", "fr"]).status(0);
    assert!(!run.stderr.contains("voice"), "{}", run.stderr);
    assert!(run.stdout.contains("\"language\": \"fr\"") && !run.stdout.contains("\"voice\""), "{}", run.stdout);
}

#[test]
fn the_fixture_checks_clean_in_both_locales() {
    let run = Defuse::new(["check", FIXTURE]).status(0);
    assert!(run.stdout.contains("0 errors, 0 warnings") || run.stderr.contains("0 errors, 0 warnings"), "{run:?}");
    assert!(Path::new(FIXTURE).join("locales/fr/refund.po").is_file());
}
