//! `defuse diff` reads like a review: in text and markdown, the paths and unreachable nodes
//! that follow from one removed or added edge or node are one item under it, with counts;
//! JSON keeps every change. A removed edge counts every path through it, past the bound.

use crate::diff::kinds_in;
use crate::support::{project, Defuse};

const MENU: &str = r#"script support {
  trigger call { customer "I want to complain." -> sorry }
  acknowledge sorry { say "I'm sorry to hear that." -> menu }
  options menu {
    say "What would help?"
    option "Refund it" -> refunded
    option "Call me back" -> escalated
    option "Talk to a supervisor" -> boss
  }
  root-cause boss {
    ask "Is it about the product or the service?"
    reply "product" -> product
    reply "service" -> service
  }
  root-cause product {
    ask "Should we replace it?"
    reply "yes" -> refunded
    reply "no" -> escalated
  }
  root-cause service {
    ask "Shall I log it?"
    reply "yes" -> escalated
    reply "no" -> refunded
  }
  close refunded { say "Your refund is on its way." outcome resolved }
  close escalated { say "A supervisor will call you." outcome escalated }
}
"#;

fn without_supervisor() -> String {
    MENU.replace("    option \"Talk to a supervisor\" -> boss\n", "")
}

fn every_format(old: &str, new: &str) -> String {
    let dir = project(&[("old/s.defuse", old), ("new/s.defuse", new)]);
    let mut shown = String::new();
    for format in ["text", "markdown", "github", "json"] {
        let run = Defuse::new(["diff", "old/s.defuse", "new/s.defuse", "--format", format]).dir(dir.path()).run();
        assert!(run.stderr.is_empty(), "{format}: {}", run.stderr);
        shown.push_str(&format!("===== --format {format} (exit {})\n{}", run.status, run.stdout));
    }
    shown
}

#[test]
fn removing_one_option_is_one_item_with_its_paths_and_unreachable_nodes() {
    let shown = every_format(MENU, &without_supervisor());
    assert!(
        shown.contains(
            "  ! edge-removed: option \"Talk to a supervisor\" to `boss` removed from `menu`: 4 paths gone, `boss`, `product` and `service` unreachable\n"
        ),
        "{shown}"
    );
    let text = shown.split("===== --format markdown").next().unwrap();
    assert!(!text.contains("path-removed"), "{text}");
    assert!(text.contains("\n1 breaking, 0 review, 0 info\n"), "{text}");
    // JSON keeps every change, and counts them all.
    let json = shown.split("===== --format json (exit 1)\n").nth(1).unwrap();
    let kinds = kinds_in(json);
    assert_eq!(kinds.iter().filter(|kind| *kind == "path-removed").count(), 4, "{json}");
    assert_eq!(kinds.iter().filter(|kind| *kind == "became-unreachable").count(), 3, "{json}");
    assert!(json.contains("\"breaking\": 7"), "{json}");
    insta::assert_snapshot!("grouped_option_removed", shown);
}

#[test]
fn adding_one_reply_is_one_item_with_its_new_paths() {
    let new = MENU
        .replace("    reply \"no\" -> escalated\n", "    reply \"no\" -> escalated\n    reply \"maybe\" -> service\n");
    let shown = every_format(MENU, &new);
    assert!(
        shown.contains("  + edge-added: reply \"maybe\" to `service` added to `product`: 2 new paths\n"),
        "{shown}"
    );
    let text = shown.split("===== --format markdown").next().unwrap();
    assert!(!text.contains("path-added"), "{text}");
    insta::assert_snapshot!("grouped_reply_added", shown);
}

#[test]
fn github_annotations_for_removed_paths_land_on_the_node_that_lost_them() {
    let dir = project(&[("old/s.defuse", MENU), ("new/s.defuse", without_supervisor().as_str())]);
    let run = Defuse::new(["diff", "old/s.defuse", "new/s.defuse", "--format", "github"]).dir(dir.path()).status(1);
    let menu_line = without_supervisor().lines().position(|line| line.contains("options menu")).unwrap() + 1;
    let removed: Vec<&str> = run.stdout.lines().filter(|line| line.contains("path-removed")).collect();
    assert_eq!(removed.len(), 4, "{}", run.stdout);
    for line in removed {
        assert!(line.contains(&format!(",line={menu_line},")), "{line}");
    }
}

#[test]
fn a_new_diagnostic_shows_its_message() {
    let new = MENU.replace("I'm sorry to hear that.", "That is our policy.");
    let dir = project(&[("old/s.defuse", MENU), ("new/s.defuse", new.as_str())]);
    let run = Defuse::new(["diff", "old/s.defuse", "new/s.defuse"]).dir(dir.path()).status(0);
    let line = run.stdout.lines().find(|line| line.contains("diagnostic-added")).expect("a diagnostic-added");
    assert!(line.contains("our policy"), "{}", run.stdout);
}

/// 30 two-way questions: 2^30 paths. Each question's second reply goes through a node of
/// its own, so the first 1,000 paths listed all take the first replies early on.
fn questions(cut_first_detour: bool) -> String {
    let mut text = String::from("script many {\n  trigger t { customer \"Hello?\" -> q0 }\n");
    for i in 0..30 {
        let next = if i == 29 { "done".to_owned() } else { format!("q{}", i + 1) };
        text.push_str(&format!("  root-cause q{i} {{ ask \"Q{i}?\" reply \"a\" -> {next} reply \"b\" -> d{i} }}\n"));
        let way_on = if cut_first_detour && i == 0 { String::new() } else { format!(" -> {next}") };
        text.push_str(&format!("  acknowledge d{i} {{ say \"D{i}.\"{way_on} }}\n"));
    }
    text.push_str("  close done { say \"Bye.\" outcome resolved }\n}\n");
    text
}

#[test]
fn a_removed_edge_counts_every_path_through_it_whatever_the_bound() {
    let dir = project(&[("old.defuse", questions(false)), ("new.defuse", questions(true))]);
    let run = Defuse::new(["diff", "old.defuse", "new.defuse", "--format", "json"]).dir(dir.path()).status(1);
    let document: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = document["scripts"][0]["changes"].as_array().unwrap();
    let through: Vec<&serde_json::Value> = changes.iter().filter(|change| change["kind"] == "path-removed").collect();
    assert_eq!(through.len(), 1, "{}", run.stdout);
    assert_eq!(through[0]["severity"], "breaking");
    assert_eq!(through[0]["node"], "d0");
    assert!(
        through[0]["message"].as_str().unwrap().contains("536870912 paths that take `d0` → `q1`"),
        "{}",
        run.stdout
    );
    assert!(document["summary"]["breaking"].as_u64().unwrap() >= 1);

    let run = Defuse::new(["diff", "old.defuse", "new.defuse"]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("`->` to `q1` removed from `d0`: 536870912 paths gone"), "{}", run.stdout);
    assert!(run.stdout.contains("\n1 breaking,"), "{}", run.stdout);
}
