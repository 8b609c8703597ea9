//! The architecture invariant of docs/ARCHITECTURE.md: layers depend one way. Every
//! `crate::…` path in `src/` is read, and each top-level module may name only the modules
//! listed for it here; a new module that is not listed may name anything but `cli`.
//! The same holds for the outside world: the UI crates (`clap`, `indicatif`, `miette`, the
//! language server's `lsp_server`/`lsp_types`) are named only by the modules listed in
//! [`CRATES`], and the process (`current_dir`, `env::var`) is read only by `cli/`.
//! Also: `not-exported` is a code like the others, with its level from `[rules]`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{project, Defuse};

/// What the shared base types and leaves (`source`, `diagnostic`, `files`, `output`,
/// `suggest`, `digest`) may be named by: everyone.
const BASE: &[&str] = &["source", "diagnostic", "files", "output", "suggest", "digest"];

/// Each module and the modules it may name besides [`BASE`], lowest layer first.
const LAYERS: &[(&str, &[&str])] = &[
    ("source", &[]),
    ("suggest", &[]),
    ("digest", &[]),
    ("output", &["source"]),
    ("diagnostic", &["source"]),
    ("files", &["source"]),
    ("syntax", &[]),
    ("resolve", &["syntax"]),
    ("config", &["syntax", "resolve"]),
    ("graph", &["syntax", "resolve", "config"]),
    ("call", &["syntax", "resolve", "graph", "config"]),
    ("locale", &["syntax", "resolve", "graph", "config", "call"]),
    ("check", &["syntax", "resolve", "graph", "config", "call", "locale"]),
    ("workspace", &["syntax", "resolve", "graph", "config"]),
    ("emit", &["syntax", "resolve", "graph", "config", "call"]),
    ("report", &["syntax", "resolve", "graph", "config", "call", "check"]),
    ("dtest", &["syntax", "resolve", "graph", "config", "call", "locale", "check", "workspace", "report"]),
    ("diff", &["syntax", "resolve", "graph", "config", "call", "locale", "check", "workspace", "report"]),
    (
        "lsp",
        &["syntax", "resolve", "graph", "config", "call", "locale", "check", "workspace", "emit", "report", "dtest"],
    ),
    ("fuzz_harness", &["syntax", "resolve", "graph", "config", "call", "check", "emit", "report", "locale"]),
];

/// The external crates that only some top-level modules may name (`lib`, `main` and `cli`
/// may name every one). Every other crate is free to all.
const CRATES: &[(&str, &[&str])] = &[
    ("clap", &[]),
    ("indicatif", &[]),
    // miette draws the human report.
    ("miette", &["report"]),
    ("lsp_server", &["lsp"]),
    ("lsp_types", &["lsp"]),
];

/// The process's state that only `lib`, `main` and `cli` may read, as the words that read it.
/// `output.rs` may read `NO_COLOR` (below): colour is the terminal's, which output owns.
const PROCESS: &[&str] = &["current_dir", "env::var"];

/// Reads of the process outside `cli/` that are right where they are.
const PROCESS_ALLOWED: &[(&str, &str)] = &[("src/output.rs", "env::var")];

/// The text without its `//` comment lines.
fn code_of(text: &str) -> String {
    text.lines().filter(|line| !line.trim_start().starts_with("//")).map(|line| format!("{line}\n")).collect()
}

/// The restricted crates of [`CRATES`] a text names as `name::`, and the [`PROCESS`] words it
/// uses.
fn named_outside(text: &str) -> BTreeSet<String> {
    let code = code_of(text);
    let mut found = BTreeSet::new();
    let word_starts = |at: usize| at == 0 || !code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    for (name, _) in CRATES {
        let path = format!("{name}::");
        let used = code.match_indices(&path).any(|(at, _)| word_starts(at))
            || code.match_indices(&format!("use {name}")).any(|(at, _)| word_starts(at));
        if used {
            found.insert((*name).to_owned());
        }
    }
    for word in PROCESS {
        if code.match_indices(word).any(|(at, _)| word_starts(at)) {
            found.insert((*word).to_owned());
        }
    }
    found
}

/// The top-level modules a text names through `crate::`, with `crate::{a, b::c}` groups
/// opened. The `outln!`/`errln!` macros are the output layer's; `with_code_table!` (the one
/// table of codes) is the diagnostic layer's.
fn named_modules(text: &str) -> BTreeSet<String> {
    let code = code_of(text);
    let mut found = BTreeSet::new();
    let ident = |rest: &str| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in code.match_indices("crate::") {
        if at > 0 && code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `$crate::`, `defuse_crate::`
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(end, _)| end);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices().chain([(end, ',')]) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(ident(group[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.remove("");
    for (name, layer) in [("outln", "output"), ("errln", "output"), ("with_code_table", "diagnostic")] {
        if found.remove(name) {
            found.insert(layer.to_owned());
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `(file, name)` in `src/` that breaks a rule: a module, crate or process word the
/// file's top-level module may not name.
fn violations() -> BTreeSet<(String, String)> {
    let src = Path::new("src");
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut wrong = BTreeSet::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap();
        let top = relative.components().next().unwrap().as_os_str().to_str().unwrap();
        let module = top.strip_suffix(".rs").unwrap_or(top);
        if matches!(module, "lib" | "main" | "cli") {
            continue; // the crate root and the command line may name every layer, crate and the process
        }
        let shown = format!("src/{}", relative.display()).replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        let allowed = LAYERS.iter().find(|(name, _)| *name == module).map(|(_, allowed)| *allowed);
        for named in named_modules(&text) {
            let ok = named == module
                || match allowed {
                    Some(allowed) => BASE.contains(&named.as_str()) || allowed.contains(&named.as_str()),
                    None => named != "cli",
                };
            if !ok {
                wrong.insert((shown.clone(), named));
            }
        }
        for named in named_outside(&text) {
            let ok = match CRATES.iter().find(|(name, _)| *name == named) {
                Some((_, users)) => users.contains(&module),
                None => PROCESS_ALLOWED.contains(&(shown.as_str(), named.as_str())),
            };
            if !ok {
                wrong.insert((shown.clone(), named));
            }
        }
    }
    wrong
}

#[test]
fn layers_depend_one_way() {
    let wrong: Vec<String> = violations().iter().map(|(file, named)| format!("{file} names {named}")).collect();
    assert!(wrong.is_empty(), "imports against the layering of docs/ARCHITECTURE.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_outside_reader_sees_crates_and_the_process() {
    let text = "use clap::ValueEnum;\n// miette:: in a comment\nlet d = std::env::current_dir();\nlet v = std::env::var_os(\"X\");\nlet p: &indicatif::ProgressBar;\nmy_clap::x();\n";
    let named: Vec<String> = named_outside(text).into_iter().collect();
    assert_eq!(named, ["clap", "current_dir", "env::var", "indicatif"]);
}

#[test]
fn the_import_reader_sees_groups_paths_and_macros() {
    let text = "use crate::{check::registry, emit::{dot, mermaid}};\n// crate::cli in a comment\nlet x = crate::graph::X;\ncrate::errln!(\"…\");\n";
    let named: Vec<String> = named_modules(text).into_iter().collect();
    assert_eq!(named, ["check", "emit", "graph", "output"]);
}

#[test]
fn the_base_layers_name_nothing_above_them() {
    for &(module, allowed) in LAYERS {
        if BASE.contains(&module) {
            assert!(allowed.iter().all(|name| BASE.contains(name)), "{module}");
        }
    }
}

const LEAVES_OUT_A_NOTE: &str = "script s \"S\" {
  trigger a { customer \"hi\" -> ack }
  acknowledge ack { say \"I hear you.\" note \"trainer only\" -> b }
  close b { say \"Bye.\" outcome resolved follow_up \"48h\" \"check\" }
}
";

/// `not-exported` takes its level from `[rules]`: a warning by default (the file is written),
/// nothing when allowed, and an error that writes nothing.
#[test]
fn not_exported_takes_its_level_from_the_config() {
    let dir = project(&[("s.defuse", LEAVES_OUT_A_NOTE)]);
    let build = || Defuse::new(["build", "s.defuse", "--emit", "connect", "-o", "out.json"]).dir(dir.path());

    let run = build().status(0);
    assert!(run.stderr.contains("⚠ `note` line left out") && run.stderr.contains("wrote out.json"), "{}", run.stderr);
    std::fs::remove_file(dir.path().join("out.json")).unwrap();

    std::fs::write(dir.path().join("defuse.toml"), "[rules]\nnot-exported = \"allow\"\n").unwrap();
    let run = build().status(0);
    assert!(!run.stderr.contains("not-exported") && run.stderr.contains("wrote out.json"), "{}", run.stderr);
    std::fs::remove_file(dir.path().join("out.json")).unwrap();

    std::fs::write(dir.path().join("defuse.toml"), "[rules]\nnot-exported = \"error\"\n").unwrap();
    let run = build().status(1);
    assert!(run.stderr.contains("× `note` line left out"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written because of the errors above"), "{}", run.stderr);
    assert!(!dir.path().join("out.json").exists(), "an error writes nothing");

    let rules = Defuse::new(["rules", "--config", "defuse.toml"]).dir(dir.path()).status(0);
    let line = rules.stdout.lines().find(|line| line.starts_with("not-exported ")).expect("listed").to_owned();
    assert!(line.contains("error") && line.contains("(default warning)"), "{line}");
}

/// The language server finds a file's config, its project root and a folder's scripts as
/// `check` does, through `workspace.rs`: it names none of the pieces itself.
#[test]
fn the_language_server_discovers_through_the_workspace() {
    let mut files = Vec::new();
    rust_files(Path::new("src/lsp"), &mut files);
    let mut found = Vec::new();
    for file in files.iter().filter(|file| !file.ends_with("tests.rs")) {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for piece in ["Config::discover", "Config::load", "walk::"] {
            if code.contains(piece) {
                found.push(format!("{} names {piece}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "use crate::workspace instead:\n{}", found.join("\n"));
}
