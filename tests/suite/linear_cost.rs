//! Adversarial input that used to cost quadratic time or unbounded memory (issue 15): the
//! outcomes stay right (unique names, the right events and diagnostics, a listing that stops
//! cleanly when its reader goes away). Timings are measured by `bench/run.sh`, not here.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::Defuse;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// trigger → acknowledge → mirror → a chain of root-cause nodes named `names` → close.
fn chain(names: &[String]) -> String {
    let mut text = format!(
        "script s {{\n  trigger t {{ customer \"x\" -> a }}\n  acknowledge a {{ say \"sorry\" -> m }}\n  mirror m {{ ask \"right?\" -> {} }}\n",
        names[0]
    );
    for (i, name) in names.iter().enumerate() {
        let next = names.get(i + 1).map_or("done", String::as_str);
        text.push_str(&format!("  root-cause {name} {{ ask \"?\" -> {next} }}\n"));
    }
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    text
}

fn build(text: &str, emit: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.defuse", text);
    Defuse::new(["build", "s.defuse", "--emit", emit]).dir(dir.path()).status(0).stdout
}

#[test]
fn twilio_names_equal_up_to_case_get_the_next_free_suffix() {
    // 2,048 names that are all "aaaaaaaaaaa" once lower-cased.
    let names: Vec<String> =
        (0..2048usize).map(|i| (0..11).map(|k| if i >> k & 1 == 1 { 'A' } else { 'a' }).collect()).collect();
    let flow: serde_json::Value = serde_json::from_str(&build(&chain(&names), "twilio-studio")).unwrap();
    let widgets: Vec<&str> = flow["states"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = widgets.iter().copied().collect();
    assert_eq!(unique.len(), widgets.len(), "widget names are unique");
    let mut expected: BTreeSet<String> = (2..=2048).map(|n| format!("aaaaaaaaaaa_{n}")).collect();
    expected.insert("aaaaaaaaaaa".to_owned());
    let claimed: BTreeSet<String> =
        widgets.iter().filter(|w| w.starts_with("aaaaaaaaaaa")).map(|w| w.to_string()).collect();
    assert_eq!(claimed, expected);
    // Source order decides who gets which suffix, as before.
    let position = |name: &str| widgets.iter().position(|w| *w == name).unwrap();
    assert!(
        position("aaaaaaaaaaa") < position("aaaaaaaaaaa_2") && position("aaaaaaaaaaa_2") < position("aaaaaaaaaaa_3")
    );
}

#[test]
fn connect_names_sharing_the_first_50_characters_stay_unique_and_short() {
    let prefix = "x".repeat(50);
    let names: Vec<String> = (0..1200).map(|i| format!("{prefix}_{i}")).collect();
    let flow: serde_json::Value = serde_json::from_str(&build(&chain(&names), "connect")).unwrap();
    let ids: Vec<&str> =
        flow["Actions"].as_array().unwrap().iter().map(|a| a["Identifier"].as_str().unwrap()).collect();
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "identifiers are unique");
    assert!(ids.iter().all(|id| id.chars().count() <= 50), "identifiers fit Connect's 50 characters");
    let claimed: BTreeSet<String> =
        ids.iter().filter(|id| id.starts_with("xxxxxxxxxx")).map(|id| id.to_string()).collect();
    // The suffix replaces the end of the name: 48 x's + `_2`, 47 + `_10`, 46 + `_100`, 46 + `_1000`.
    let mut expected: BTreeSet<String> =
        (2..=1200usize).map(|n| format!("{}_{n}", "x".repeat(50 - 1 - n.to_string().len()))).collect();
    expected.insert(prefix);
    assert_eq!(claimed, expected);
}

#[test]
fn scxml_numbers_many_replies_of_one_node_in_order() {
    let mut text = String::from(
        "script s {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"right?\" -> q }\n  root-cause q {\n    ask \"which?\"\n",
    );
    for r in 0..3000 {
        text.push_str(&format!("    reply \"choice {r}\" -> {}\n", if r % 2 == 0 { "done" } else { "other" }));
    }
    text.push_str("  }\n  close done { say \"bye\" follow_up \"1d\" \"c\" }\n  close other { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    let document = build(&text, "scxml");
    let state = &document[document.find("<state id=\"q\">").unwrap()..];
    let state = &state[..state.find("</state>").unwrap()];
    let transitions: Vec<&str> = state.lines().filter(|line| line.contains("<transition")).map(str::trim).collect();
    let expected: Vec<String> = (1..=3000)
        .map(|n| format!("<transition event=\"reply.{n}\" target=\"{}\"/>", if n % 2 == 1 { "done" } else { "other" }))
        .collect();
    assert_eq!(transitions, expected);
}

#[test]
fn many_vars_are_checked_by_name() {
    // 20,000 vars, each used once, and one placeholder that is a typo.
    let count = 20_000;
    let names: Vec<String> = (0..count).map(|i| format!("v{i}")).collect();
    let mut text = format!(
        "script s {{\n  vars {}\n  trigger t {{ customer \"x\" -> a }}\n  acknowledge a {{ say \"sorry {{v1999x}}\" -> m }}\n  mirror m {{ ask \"right?\" -> q0 }}\n",
        names.join(" ")
    );
    let nodes = count / 100;
    for n in 0..nodes {
        let next = if n + 1 < nodes { format!("q{}", n + 1) } else { "done".to_owned() };
        let used: Vec<String> = names[n * 100..(n + 1) * 100].iter().map(|v| format!("{{{v}}}")).collect();
        text.push_str(&format!("  root-cause q{n} {{ ask \"{}\" -> {next} }}\n", used.join(" ")));
    }
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.defuse", &text);
    // Each node asks 100 placeholders: a monologue, which is not what this test counts.
    let config = "[rules]\nlong-path = \"allow\"\nlong-turn = \"allow\"\n";
    write(dir.path(), "defuse.toml", config);
    let run = Defuse::new(["check", "s.defuse", "--format", "json"]).dir(dir.path()).run();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown-placeholder"], "{}", run.stdout);
    assert!(run.stdout.contains("did you mean `{v1999}`?"), "{}", run.stdout);
}

/// Ten binary choices after a reply with a long label: 1,024 paths, each through the label.
fn many_paths_with_a_long_label(label_bytes: usize) -> String {
    let mut text = format!(
        "script s {{\n  trigger t {{ customer \"x\" -> a }}\n  acknowledge a {{ say \"sorry\" -> m }}\n  mirror m {{ ask \"right?\" reply \"{}\" -> q0 }}\n",
        "y".repeat(label_bytes)
    );
    for i in 0..10 {
        let next = if i < 9 { format!("q{}", i + 1) } else { "done".to_owned() };
        text.push_str(&format!("  root-cause q{i} {{ ask \"?\" reply \"a\" -> {next} reply \"b\" -> {next} }}\n"));
    }
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    text
}

#[test]
fn paths_stop_quietly_when_the_reader_goes_away() {
    // The JSON listing would be 1,024 × 1 MB; the reader takes one line and closes the pipe.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.defuse", &many_paths_with_a_long_label(1 << 20));
    let mut child = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(["paths", "s.defuse", "--format", "json"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 2];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"{\n");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "no panic, no message: {}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn paths_text_cuts_a_long_label_on_every_path() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "s.defuse", &many_paths_with_a_long_label(1 << 20));
    let run = Defuse::new(["paths", "s.defuse", "--max", "2000"]).dir(dir.path()).status(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "s: 1024 paths from a trigger to a close");
    assert_eq!(lines.len(), 2 + 1024, "{}", &run.stdout[..500]);
    let cut = format!("“{}…”", "y".repeat(39));
    assert!(lines[2..].iter().all(|line| line.contains(&cut)), "{}", lines[2]);
    assert!(lines[2].starts_with("   1. t → a → m —“"), "{}", lines[2]);
    assert!(lines[1025].starts_with("1024. t"), "{}", lines[1025]);
}
