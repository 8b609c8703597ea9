//! The language server's incremental check (`check::incremental`) against the full check:
//! random edit sequences on generated projects, compared after every edit; and what an edit
//! makes it do again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use defuse::check::incremental::{self, Memo, Work};
use defuse::config::Config;
use defuse::files::read::{Disk, FileSource, Overlay};
use defuse::resolve::{self, Input, Project};

/// A small deterministic generator (xorshift): every case is reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "I", "understand", "your", "order", "is", "late", "and", "that", "is", "frustrating", "let", "me",
    "check", "calm down", "relax", "our policy", "today", "right", "now", "sorry",
];
/// Rare in the generated text, so the first use of a var (which `unused-var` sees) is an edit.
const PLACEHOLDERS: &[&str] = &["{customer_name}", "{order}", "{ordr}", "{extra}"];
const STAGES: &[&str] = &["acknowledge", "mirror", "root-cause", "options", "close", "trigger"];

fn words(rng: &mut Rng, at_most: usize) -> String {
    let count = 1 + rng.below(at_most);
    (0..count)
        .map(|_| if rng.below(200) == 0 { rng.pick(PLACEHOLDERS) } else { rng.pick(WORDS) })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A target among the nodes (or the library's), or with `unknown`, sometimes none.
fn target(rng: &mut Rng, nodes: usize, unknown: bool) -> String {
    match rng.below(10) {
        0 => rng.pick(&["lib.done", "lib.up", "lib.back"]).to_owned(),
        1 if unknown => "nowhere".to_owned(),
        _ => format!("n{}", rng.below(nodes)),
    }
}

/// A script of `nodes` nodes (mostly clean, with some findings of every kind) using `lib`.
fn script(rng: &mut Rng, nodes: usize) -> String {
    let budget = if rng.chance(30) { " budget \"40s\"" } else { "" };
    let mut out = format!(
        "# defuse: allow relax \"generated\"\nuse \"lib.defuse\"\n\nscript main \"Generated\" {{\n  meta {{ owner \"team\"{budget} }}\n  vars customer_name order extra\n\n  trigger start {{\n    customer \"It broke again!\"\n    -> n0\n  }}\n"
    );
    for i in 0..nodes {
        let stage = if rng.chance(70) { STAGES[rng.below(3)] } else { rng.pick(STAGES) };
        out.push_str(&format!("\n  {stage} n{i} {{\n"));
        let next = if i + 1 < nodes { format!("n{}", i + 1) } else { "lib.done".to_owned() };
        let long = if rng.chance(5) { 40 } else { 8 };
        out.push_str(&format!("    say \"{}\"\n", words(rng, long)));
        for _ in 0..rng.below(3) {
            let line = match rng.below(9) {
                0 => format!("    ask \"{}\"\n", words(rng, 6)),
                1 => format!("    reply \"{}\" -> {}\n", words(rng, 2), target(rng, nodes, false)),
                2 => format!("    option \"{}\" -> {}\n", words(rng, 3), target(rng, nodes, false)),
                3 => "    hold \"checking\"\n".to_owned(),
                4 => "    transfer \"billing\"\n".to_owned(),
                5 => format!("    outcome {}\n", rng.pick(&["resolved", "callback", "escalated", "ended"])),
                6 => "    follow_up \"24h\" \"Call back\"\n".to_owned(),
                7 => format!("    note \"{}\"  # defuse: allow hold \"it is quick\"\n", words(rng, 3)),
                _ => format!("    customer \"{}\"\n", words(rng, 4)),
            };
            out.push_str(&line);
        }
        if stage != "close" || rng.chance(10) {
            out.push_str(&format!("    -> {next}\n"));
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}

const LIBRARY: &str = "library lib {\n  close done {\n    say \"Thank you for calling, {customer_name}.\"\n    follow_up \"48h\" \"Check it\"\n  }\n\n  close up {\n    say \"I'm bringing in my supervisor.\"\n    transfer \"supervisors\"\n    outcome escalated\n  }\n\n  mirror back {\n    ask \"So it is still broken? Just relax.\"\n    reply \"yes\" -> done\n    otherwise -> up\n  }\n}\n";

/// The line starts of `text`.
fn lines(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).filter(|&at| at < text.len()).collect()
}

/// Every match of `pattern` (a regex) in `text`, as byte ranges.
fn matches(text: &str, pattern: &str) -> Vec<std::ops::Range<usize>> {
    regex::Regex::new(pattern).unwrap().find_iter(text).map(|m| m.range()).collect()
}

/// One random edit of `text` (its name, and the new text), as a writer makes them.
fn edit(rng: &mut Rng, text: &str, nodes: usize, broken: &mut Option<String>) -> (&'static str, String) {
    let replace =
        |range: std::ops::Range<usize>, with: &str| format!("{}{with}{}", &text[..range.start], &text[range.end..]);
    let starts = lines(text);
    let any_line = |rng: &mut Rng| starts[rng.below(starts.len())];
    let pick = |rng: &mut Rng, pattern: &str| {
        let found = matches(text, pattern);
        (!found.is_empty()).then(|| found[rng.below(found.len())].clone())
    };
    loop {
        let done = match rng.below(16) {
            0 => {
                let at = any_line(rng);
                let line = format!("    say \"{}\"\n", words(rng, 5));
                Some(("insert a line", replace(at..at, &line)))
            }
            1 => {
                let at = rng.below(starts.len());
                let end = starts.get(at + 1).copied().unwrap_or(text.len());
                Some(("delete a line", replace(starts[at]..end, "")))
            }
            2 => pick(rng, r"\b(acknowledge|mirror|root-cause|options|close|trigger) n\d+ \{").map(|range| {
                let header = &text[range.clone()];
                let renamed = header.replacen(" {", "x {", 1);
                ("rename a node", replace(range, &renamed))
            }),
            3 => {
                let name = format!("n{}", rng.below(nodes));
                let pattern = format!(r"\b{name}\b");
                (!matches(text, &pattern).is_empty()).then(|| {
                    let renamed = regex::Regex::new(&pattern).unwrap().replace_all(text, format!("{name}r").as_str());
                    ("rename a node and its references", renamed.into_owned())
                })
            }
            4 => pick(rng, r"-> [a-z.]+\d*").map(|range| {
                let to = format!("-> {}", target(rng, nodes, false));
                ("change a target", replace(range, &to))
            }),
            5 => pick(rng, r"\b(acknowledge|mirror|root-cause|options|close|trigger) (n\d+|start) \{").map(|range| {
                let header = &text[range.clone()];
                let name_at = header.find(' ').unwrap();
                let changed = format!("{}{}", rng.pick(STAGES), &header[name_at..]);
                ("change a stage", replace(range, &changed))
            }),
            6 => pick(rng, r"\{\n").map(|range| {
                let outcome =
                    format!("{{\n    outcome {}\n", rng.pick(&["callback", "escalated", "ended", "resolved"]));
                ("add an outcome", replace(range, &outcome))
            }),
            7 => pick(rng, r#"say "[^"\n]*"#).map(|range| {
                let typed =
                    format!("{} {}", &text[range.clone()], rng.pick(&["calm down", "relax", "nothing I can do"]));
                ("type a phrase", replace(range, &typed))
            }),
            8 => pick(rng, r#"say "[^"\n]*"#).map(|range| {
                let typed = format!(
                    "{}{}",
                    &text[range.clone()],
                    rng.pick(&["x", " ", "s", "!", " {order}", " {ordr}", " {extra}", " {customer_name}"])
                );
                ("type in a say line", replace(range, &typed))
            }),
            9 if broken.is_none() => pick(rng, r#"[}"{]"#).map(|range| {
                *broken = Some(text.to_owned());
                let with = rng.pick(&["", "{", "\"", "}"]);
                ("break the syntax", replace(range, with))
            }),
            10 => broken.take().map(|before| ("fix the syntax", before)),
            11 => pick(rng, r"vars [a-z_ ]+\n").map(|range| {
                let vars =
                    rng.pick(&["vars customer_name\n", "vars customer_name order\n", "vars order ordr\n", "vars x\n"]);
                ("change the vars", replace(range, vars))
            }),
            12 => {
                let at = any_line(rng);
                let comment = rng.pick(&[
                    "  # defuse: allow phrase \"quoted\"\n",
                    "  # defuse: allow long-turn\n",
                    "  # a note\n",
                ]);
                Some(("add a comment", replace(at..at, comment)))
            }
            13 => pick(rng, r"(?s)\n  (acknowledge|mirror|root-cause|options|close) n\d+ \{.*?\n  \}\n").map(|range| {
                let node = text[range.clone()].to_owned();
                ("duplicate a node", replace(range.end..range.end, &node[1..]))
            }),
            14 => pick(rng, r#"budget "\d+s""#).map(|range| ("remove the budget", replace(range, ""))).or_else(|| {
                pick(rng, r#"owner "team""#)
                    .map(|range| ("add a budget", replace(range, r#"owner "team" budget "30s""#)))
            }),
            _ => pick(rng, r"(?s)\n  (acknowledge|mirror|root-cause|options|close) n\d+ \{.*?\n  \}\n").map(|range| {
                (
                    "move a node to the end",
                    format!(
                        "{}{}{}",
                        &text[..range.start],
                        &text[range.end..text.len() - 2],
                        &text[range.start..range.end]
                    ) + "}\n",
                )
            }),
        };
        if let Some((name, changed)) = done {
            if changed != text {
                return (name, changed);
            }
        }
    }
}

/// Loads the project of `script` and `library` (as buffers in `dir`) with their identities.
fn load(dir: &Path, script: &str, library: &str) -> (Project, Vec<PathBuf>) {
    let mut overlay = Overlay::new(Disk);
    overlay.insert(dir.join("main.defuse"), Arc::new(script.to_owned()));
    overlay.insert(dir.join("lib.defuse"), Arc::new(library.to_owned()));
    let inputs = vec![Input { path: dir.join("main.defuse"), root: resolve::Root::absolute(dir.to_path_buf()) }];
    let project = resolve::load_from(&overlay, inputs, &resolve::NoProgress);
    let paths = project
        .sources
        .ids()
        .map(|file| {
            let shown = &project.sources.get(file).path;
            overlay.canonicalize(shown).unwrap_or_else(|_| shown.clone())
        })
        .collect();
    (project, paths)
}

fn config(rng: &mut Rng) -> Config {
    let mut config = Config::default();
    if rng.chance(30) {
        config.max_steps = 4;
        config.timing.max_turn = 8.0;
    }
    config
}

/// Edits one generated project `edits` times, comparing the incremental check with the full
/// one after each edit; gives what the incremental checks did again, summed.
fn run(seed: u64, nodes: usize, edits: usize) -> Work {
    let dir = tempfile::tempdir().unwrap();
    let dir = std::fs::canonicalize(dir.path()).unwrap();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let config = config(&mut rng);
    let mut script = script(&mut rng, nodes);
    let mut library = LIBRARY.to_owned();
    let mut broken = None;
    let mut memo = Memo::default();
    let mut total = Work::default();
    // The last texts whose graph rules ran, and whether they run now: an edit that stops them
    // (a syntax or name error) is often undone, as a writer mends what they broke, so that
    // most checks reach the graph rules.
    let mut good = (script.clone(), library.clone());
    let mut stopped = false;
    for step in 0..=edits {
        let name = if step == 0 {
            "open"
        } else if stopped && rng.chance(60) {
            (script, library) = good.clone();
            broken = None;
            "mend the last error"
        } else if rng.chance(10) {
            let mut library_broken = None;
            let (name, changed) = edit(&mut rng, &library, 3, &mut library_broken);
            library = changed;
            name
        } else {
            let (name, changed) = edit(&mut rng, &script, nodes, &mut broken);
            script = changed;
            name
        };
        let (project, paths) = load(&dir, &script, &library);
        let full = defuse::check::check(&project, &config);
        stopped = full.iter().any(|d| defuse::check::registry::rule(d.code).stops_graph_rules);
        if !stopped {
            good = (script.clone(), library.clone());
        }
        if std::env::var("INCR_DEBUG").is_ok() {
            let codes: std::collections::BTreeSet<&str> = full.iter().map(|d| d.code.as_str()).collect();
            eprintln!("seed {seed} step {step} {name}: {codes:?}");
        }
        let (found, next) = incremental::check(&project, &config, &paths, memo);
        assert_eq!(
            found, full,
            "seed {seed}, step {step} ({name}): the incremental check differs from the full one\n--- script:\n{script}\n--- library:\n{library}"
        );
        total.graphs_built += next.work.graphs_built;
        total.nodes_checked += next.work.nodes_checked;
        memo = next;
    }
    total
}

#[test]
fn the_incremental_check_equals_the_full_check_after_every_random_edit() {
    let mut total = Work::default();
    for seed in 0..60 {
        let work = run(seed, 6 + seed as usize % 30, 40);
        total.graphs_built += work.graphs_built;
        total.nodes_checked += work.nodes_checked;
    }
    // The comparison would be empty if nothing were ever reused: 2,460 checks.
    assert!(total.graphs_built < 2_000, "graphs are reused after some edits: {total:?}");
}

#[test]
fn the_incremental_check_equals_the_full_check_on_a_large_script() {
    // Over 64 KiB, so the script is parsed in pieces as the language server's buffers are.
    run(1_000, 400, 25);
}

#[test]
fn typing_in_a_say_line_checks_one_node_and_builds_no_graph() {
    let dir = tempfile::tempdir().unwrap();
    let dir = std::fs::canonicalize(dir.path()).unwrap();
    let mut rng = Rng(7);
    // Without a budget: with one, a word more changes the timing `over-budget` checks.
    let script = script(&mut rng, 200).replace(" budget \"40s\"", "");
    let config = Config::default();
    let check = |text: &str, memo: Memo| {
        let (project, paths) = load(&dir, text, LIBRARY);
        let (found, memo) = incremental::check(&project, &config, &paths, memo);
        assert_eq!(found, defuse::check::check(&project, &config));
        memo
    };
    let memo = check(&script, Memo::default());
    assert_eq!(memo.work.graphs_built, 1, "the first check does everything");
    assert!(memo.work.nodes_checked > 200, "{:?}", memo.work);

    let at = script.find("n100 {").unwrap();
    let say = at + script[at..].find("say \"").unwrap() + 5;
    let typed = format!("{}Well, {}", &script[..say], &script[say..]);
    let memo = check(&typed, memo);
    assert_eq!(memo.work, Work { graphs_built: 0, nodes_checked: 1 }, "a word typed: one node again");

    let phrase = format!("{}calm down {}", &typed[..say], &typed[say..]);
    let memo = check(&phrase, memo);
    assert_eq!(memo.work, Work { graphs_built: 0, nodes_checked: 1 }, "a phrase typed: one node again");

    let retargeted = phrase.replacen("-> n101\n", "-> n150\n", 1);
    assert_ne!(retargeted, phrase);
    let memo = check(&retargeted, memo);
    assert_eq!(memo.work.graphs_built, 1, "an edge changed: the graph rules run again");
    assert_eq!(memo.work.nodes_checked, 1, "but the node rules only on the edited node");

    let placeholder = format!("{}{{ordr}} {}", &retargeted[..say], &retargeted[say..]);
    let memo = check(&placeholder, memo);
    assert_eq!(memo.work.graphs_built, 1, "a placeholder typed: `unused-var` and `unknown-placeholder` may change");
}
