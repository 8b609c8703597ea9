//! `docs/language.md`, the writer's guide, cannot drift from the tool: every ```` ```defuse ````
//! block in it is checked by the real binary.
//!
//! Info-string attributes after `defuse`:
//! - none: the block checks with no diagnostic at all (`--deny warnings` exits 0);
//! - `expect=CODE`: the block is a deliberate mistake and the check reports CODE;
//! - `needs=CODE`: the block shows a feature whose check is CODE. Until the binary knows CODE
//!   (`defuse explain CODE` fails) the block must only have no errors; once it does, it must be
//!   clean like any block. The assertion tightens by itself when the feature lands.
//!
//! Each block is `scripts/example.defuse` in a fresh project that also holds this repository's
//! `scripts/lib/closings.defuse` and a copy at `lib/closings.defuse`, and is checked with
//! `defuse check scripts` (no `defuse.toml`, so `scripts/` is the project root).

use std::fs;

use crate::support::{project, Defuse};

struct Block {
    line: usize,
    attributes: Vec<String>,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    let mut in_other_block = false;
    for (index, line) in markdown.lines().enumerate() {
        let fence = line.trim_end() == "```";
        if in_other_block {
            in_other_block = !fence;
        } else if let Some(mut block) = open.take() {
            if fence {
                blocks.push(block);
            } else {
                block.text.push_str(line);
                block.text.push('\n');
                open = Some(block);
            }
        } else if let Some(info) = line.strip_prefix("```") {
            let mut words = info.split_whitespace();
            if words.next() == Some("defuse") {
                let attributes = words.map(str::to_owned).collect();
                open = Some(Block { line: index + 1, attributes, text: String::new() });
            } else {
                in_other_block = true;
            }
        }
    }
    assert!(open.is_none() && !in_other_block, "docs/language.md ends inside a code block");
    blocks
}

fn attribute<'a>(block: &'a Block, key: &str) -> Option<&'a str> {
    block.attributes.iter().find_map(|a| a.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
}

/// The codes a check reports for `text`, and how many of them are errors.
fn check(text: &str) -> (Vec<String>, usize) {
    let closings = fs::read_to_string("scripts/lib/closings.defuse").unwrap();
    let dir = project(&[
        ("scripts/example.defuse", text),
        ("scripts/lib/closings.defuse", closings.as_str()),
        ("lib/closings.defuse", closings.as_str()),
    ]);
    let run = Defuse::new(["check", "scripts", "--format", "json"]).dir(dir.path()).run();
    assert!(run.status == 0 || run.status == 1, "exit {}: {}{}", run.status, run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("check prints JSON");
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let codes = diagnostics.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect();
    let errors = diagnostics.iter().filter(|d| d["severity"] == "error").count();
    (codes, errors)
}

fn knows(code: &str) -> bool {
    Defuse::new(["explain", code]).run().status == 0
}

#[test]
fn every_defuse_block_in_the_language_guide_checks() {
    let guide = fs::read_to_string("docs/language.md").unwrap();
    let blocks = blocks(&guide);
    assert!(blocks.len() >= 10, "found only {} defuse blocks", blocks.len());
    for block in &blocks {
        let (codes, errors) = check(&block.text);
        let at = format!("docs/language.md:{} ({:?})", block.line, block.attributes);
        if let Some(code) = attribute(block, "expect") {
            assert!(codes.iter().any(|c| c == code), "{at}: expected `{code}`, got {codes:?}");
        } else if attribute(block, "needs").is_some_and(|code| !knows(code)) {
            assert_eq!(errors, 0, "{at}: errors in {codes:?}");
        } else {
            assert!(codes.is_empty(), "{at}: should check clean, got {codes:?}");
        }
    }
}

#[test]
fn every_attribute_is_understood() {
    let guide = fs::read_to_string("docs/language.md").unwrap();
    for block in blocks(&guide) {
        for attribute in &block.attributes {
            let (key, code) = attribute.split_once('=').unwrap_or((attribute, ""));
            assert!(matches!(key, "expect" | "needs"), "docs/language.md:{}: unknown `{attribute}`", block.line);
            assert!(!code.is_empty(), "docs/language.md:{}: `{attribute}` names no code", block.line);
        }
    }
}

/// The README's example `use` path is the one this repository's layout needs.
#[test]
fn readme_links_the_guide_and_stays_in_the_repository() {
    let readme = fs::read_to_string("README.md").unwrap();
    assert!(readme.contains("(docs/language.md)"), "the README links the guide");
    assert!(!readme.contains("shared/spec"), "the README points at nothing outside the repository");
    let examples = fs::read_dir("scripts").unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count();
    assert!(
        readme.contains(&format!("holds {} example scripts", words(examples))),
        "the README counts {examples} examples"
    );
}

fn words(n: usize) -> &'static str {
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        .get(n)
        .copied()
        .unwrap_or("many")
}
