//! `defuse paths` for trainers: the listing in text and JSON, `--max`, `--cover`, `--outcome`,
//! `otherwise` steps, "first N of M" headers, each path's spoken seconds, and many branches.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::Defuse;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn json(args: &[&str]) -> Value {
    let run = Defuse::new(args).status(0);
    serde_json::from_str(&run.stdout).unwrap()
}

/// The steps (from, to, via) the paths of a JSON listing take together.
fn steps(listing: &Value) -> BTreeSet<(String, String, String)> {
    let mut steps = BTreeSet::new();
    for path in listing["paths"].as_array().unwrap() {
        let nodes: Vec<&str> = path["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        for (pair, via) in nodes.windows(2).zip(path["via"].as_array().unwrap()) {
            steps.insert((pair[0].to_owned(), pair[1].to_owned(), via.to_string()));
        }
    }
    steps
}

fn example_scripts() -> Vec<String> {
    let mut scripts: Vec<String> = std::fs::read_dir("scripts")
        .unwrap()
        .map(|entry| entry.unwrap().path().display().to_string())
        .filter(|path| path.ends_with(".defuse"))
        .collect();
    scripts.sort();
    scripts
}

#[test]
fn a_cover_takes_every_step_of_every_path_in_fewer_paths() {
    for script in example_scripts() {
        let every = json(&["paths", &script, "--format", "json"]);
        let cover = json(&["paths", &script, "--format", "json", "--cover"]);
        assert_eq!(every["complete"], true, "{script}");
        assert_eq!(cover["complete"], true, "{script}");
        assert_eq!(steps(&cover), steps(&every), "{script}: the cover leaves a step out");
        let (listed, covering) = (every["paths"].as_array().unwrap().len(), cover["paths"].as_array().unwrap().len());
        assert!(covering <= listed && covering <= 7, "{script}: {covering} of {listed}");
        // Every chosen path adds a step the paths before it did not take.
        let paths = cover["paths"].as_array().unwrap();
        for n in 1..paths.len() {
            let before = steps(&serde_json::json!({ "paths": paths[..n] }));
            let with = steps(&serde_json::json!({ "paths": paths[..=n] }));
            assert!(with.len() > before.len(), "{script}: path {} adds nothing", n + 1);
        }
    }
}

/// `choices` binary replies in a row: 2^choices paths.
fn wide(choices: usize) -> String {
    let mut text = String::from(
        "script wide {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"sorry\" -> m }\n  mirror m { ask \"right?\" reply \"yes\" -> q0 }\n",
    );
    for i in 0..choices {
        let next = if i + 1 < choices { format!("q{}", i + 1) } else { "done".to_owned() };
        text.push_str(&format!("  root-cause q{i} {{ ask \"?\" reply \"a\" -> {next} reply \"b\" -> {next} }}\n"));
    }
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    text
}

#[test]
fn twelve_binary_choices_are_covered_by_two_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.defuse", &wide(12));
    let run = Defuse::new(["paths", "wide.defuse", "--cover"]).dir(dir.path()).status(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "wide: 2 paths that together take all 27 edges on the paths from a trigger to a close");
    assert!(lines[2].contains("q11 —“a”→ done") && lines[3].contains("q11 —“b”→ done"), "{}", run.stdout);
    assert_eq!(lines.len(), 4, "{}", run.stdout);
}

#[test]
fn the_step_budget_bounds_counting_but_a_cover_is_complete() {
    // 2^24 paths: more than the search budget allows to count, and two cover them all.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.defuse", &wide(24));
    let run = Defuse::new(["paths", "wide.defuse", "--max", "2"]).dir(dir.path()).status(0);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("wide: first 2 of at least "), "{header}");
    let run = Defuse::new(["paths", "wide.defuse", "--cover"]).dir(dir.path()).status(0);
    assert!(run.stdout.starts_with("wide: 2 paths that together take all 51 edges on the paths"), "{}", run.stdout);
    assert!(!run.stdout.contains("left out"), "{}", run.stdout);
    let cover = json(&["paths", &dir.path().join("wide.defuse").display().to_string(), "--cover", "--format", "json"]);
    assert_eq!(cover["complete"], true);
}

/// Every edge of a generated script (4 triggers, loops back to the mirror, many closes) is on
/// some covering path, at every size; each path starts at a trigger and ends at a close; and
/// the cover needs no more paths than there are edges into closes plus the triggers.
#[test]
fn a_cover_of_a_generated_script_takes_every_edge_at_every_size() {
    let dir = tempfile::tempdir().unwrap();
    for nodes in [20, 50, 60, 120, 400] {
        let path = dir.path().join(format!("g{nodes}.defuse"));
        std::fs::write(&path, crate::diagram_scripts::layered(nodes)).unwrap();
        let script = path.display().to_string();
        let cover = json(&["paths", &script, "--cover", "--format", "json"]);
        assert_eq!(cover["complete"], true, "{nodes} nodes");
        let flow = json(&["build", &script, "--emit", "json"]);
        let mut every = BTreeSet::new();
        let closes: BTreeSet<&str> = flow["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["stage"] == "close")
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        for node in flow["nodes"].as_array().unwrap() {
            for next in node["next"].as_array().unwrap() {
                let via = next.get("label").map_or("null".to_owned(), |label| label.to_string());
                let target = next["target"].as_str().unwrap().to_owned();
                every.insert((node["id"].as_str().unwrap().to_owned(), target, via));
            }
        }
        // Only edges from nodes a call can reach (a generated options node may be unreachable).
        let mut reached: BTreeSet<String> =
            flow["entry"].as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_owned()).collect();
        loop {
            let more: Vec<String> = every
                .iter()
                .filter(|(from, to, _)| reached.contains(from) && !reached.contains(to))
                .map(|e| e.1.clone())
                .collect();
            if more.is_empty() {
                break;
            }
            reached.extend(more);
        }
        every.retain(|(from, _, _)| reached.contains(from));
        let into_closes = every.iter().filter(|(_, to, _)| closes.contains(to.as_str())).count();
        assert_eq!(steps(&cover), every, "{nodes} nodes: the cover leaves an edge out");
        let paths = cover["paths"].as_array().unwrap();
        for path in paths {
            let nodes_on: Vec<&str> = path["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
            assert!(nodes_on[0].starts_with('t') && closes.contains(nodes_on.last().unwrap()), "{path}");
        }
        let triggers = flow["entry"].as_array().unwrap().len();
        assert!(paths.len() <= into_closes + triggers, "{nodes} nodes: {} paths", paths.len());
        assert!(paths.len() >= into_closes, "each path ends with one edge into a close");
    }
}

#[test]
fn outcome_keeps_the_paths_to_that_kind_of_close() {
    let script = "scripts/refund_missing.defuse";
    for cover in [false, true] {
        let mut args = vec!["paths", script, "--format", "json", "--outcome", "escalated"];
        if cover {
            args.push("--cover");
        }
        let listing = json(&args);
        let paths = listing["paths"].as_array().unwrap();
        assert!(!paths.is_empty());
        assert!(paths.iter().all(|p| p["outcome"] == "escalated"), "{listing}");
        let every = json(&["paths", script, "--format", "json"]);
        let escalated = every["paths"].as_array().unwrap().iter().filter(|p| p["outcome"] == "escalated").count();
        if cover {
            assert_eq!(paths.len(), 2, "the clarify loop and the `no` reply: {listing}");
        } else {
            assert_eq!(paths.len(), escalated);
        }
    }
    let run = Defuse::new(["paths", script, "--outcome", "escalated", "--max", "2"]).status(0);
    assert!(
        run.stdout.starts_with("refund_missing: first 2 of 4 paths from a trigger to an escalated close\n"),
        "{}",
        run.stdout
    );
    let run = Defuse::new(["paths", script, "--outcome", "hung-up"]).status(2);
    assert!(run.stderr.contains("hung-up"), "{}", run.stderr);
}

#[test]
fn text_marks_otherwise_steps_and_says_first_n_of_m() {
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--max", "8"]).status(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "refund_missing: first 8 of 12 paths from a trigger to a close");
    assert!(lines[9].contains("restate —(otherwise)→ clarify → restate"), "{}", lines[9]);
    assert_eq!(lines.last().unwrap(), &"stopped after 8 paths; use --max N to list more");
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--max", "12"]).status(0);
    assert!(run.stdout.starts_with("refund_missing: 12 paths from"), "{}", run.stdout);
    assert!(!run.stdout.contains("stopped after"), "{}", run.stdout);
}

#[test]
fn each_path_shows_the_seconds_of_its_nodes() {
    let flow = json(&["build", "scripts/refund_missing.defuse", "--emit", "json"]);
    let node_seconds = |id: &str| {
        flow["nodes"].as_array().unwrap().iter().find(|n| n["id"] == id).unwrap()["seconds"].as_f64().unwrap()
    };
    let listing = json(&["paths", "scripts/refund_missing.defuse", "--format", "json"]);
    for path in listing["paths"].as_array().unwrap() {
        let sum: f64 = path["nodes"].as_array().unwrap().iter().map(|n| node_seconds(n.as_str().unwrap())).sum();
        let seconds = path["seconds"].as_f64().unwrap();
        // Node seconds are rounded in the flow JSON; the path's sum is rounded once.
        assert!((seconds - sum).abs() < 0.05 * 8.0, "{seconds} vs {sum}");
    }
    let text = Defuse::new(["paths", "scripts/refund_missing.defuse"]).status(0).stdout;
    assert!(text.lines().nth(2).unwrap().ends_with("(resolved, 41.8 s)"), "{text}");
}

#[test]
fn seconds_follow_the_timing_of_the_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "s.defuse",
        "script s {\n  trigger t { customer \"x\" -> a }\n  acknowledge a { say \"one two three four five\" -> m }\n  mirror m { ask \"so the parcel is late?\" reply \"yes\" -> done otherwise -> m2 }\n  mirror m2 { say \"let me restate\" -> m }\n  close done { say \"bye\" follow_up \"1d\" \"call back\" }\n}\n",
    );
    // 11 words at 150 words a minute, and 3 s for the reply.
    let run = Defuse::new(["paths", "s.defuse"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("1. t → a → m —“yes”→ done  (resolved, 7.4 s)"), "{}", run.stdout);
    assert!(
        run.stdout.contains("2. t → a → m —(otherwise)→ m2 → m —“yes”→ done  (resolved, 13.6 s)"),
        "{}",
        run.stdout
    );
    write(dir.path(), "defuse.toml", "[timing]\nagent_wpm = 75\n");
    let run = Defuse::new(["paths", "s.defuse", "--format", "json"]).dir(dir.path()).status(0);
    let listing: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(listing["paths"][0]["seconds"], 11.8);
}

#[test]
fn paths_for_trainers() {
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse"]).status(0);
    insta::assert_snapshot!("paths_text", run.stdout);
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--format", "json", "--max", "3"]).status(0);
    insta::assert_snapshot!("paths_json", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["paths"].as_array().unwrap().len(), 3);
    assert_eq!(json["complete"], false);
    let first = &json["paths"][0];
    assert_eq!(first["via"].as_array().unwrap().len() + 1, first["nodes"].as_array().unwrap().len());
}

#[test]
fn paths_stop_at_max_with_a_note() {
    let run = Defuse::new(["paths", "scripts/refund_missing.defuse", "--max", "2"]).status(0);
    assert!(run.stdout.contains("stopped after 2 paths; use --max N"), "{}", run.stdout);
}

#[test]
fn paths_of_a_broken_script_exit_1() {
    let run = Defuse::new(["paths", "tests/fixtures/rules/dead-end.defuse"]).status(1);
    assert!(run.stderr.contains("dead-end"));
}

#[test]
fn paths_explode_safely_on_many_branches() {
    // 12 binary choices in a row: 4,096 paths; --max keeps the listing short and quick.
    let mut text = String::from("script wide {\n  trigger t { customer \"x\" -> a0 }\n");
    text.push_str("  acknowledge a0 { say \"sorry\" -> m }\n  mirror m { ask \"right?\" -> q0 }\n");
    for i in 0..12 {
        text.push_str(&format!(
            "  root-cause q{i} {{ ask \"?\" reply \"a\" -> q{n} reply \"b\" -> q{n} }}\n",
            n = i + 1
        ));
    }
    text.push_str("  options q12 { option \"x\" -> done option \"y\" -> done }\n  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "wide.defuse", &text);
    let config = write(dir.path(), "defuse.toml", "[limits]\nmax_steps = 20\n");
    assert!(config.exists());
    let run = Defuse::new(["paths", "wide.defuse", "--format", "json"]).dir(dir.path()).status(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["paths"].as_array().unwrap().len(), 1000);
    let run = Defuse::new(["build", "wide.defuse", "--emit", "json"]).dir(dir.path()).status(0);
    let flow: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(flow["stats"]["paths"], 8192);
}
