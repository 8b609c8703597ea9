//! `defuse play` on the conversation model: a whole piped session, placeholders filled once,
//! the same turn rules as the trainer page and transcript tests, `back`, `--var`, `--vars FILE`,
//! `--transcript FILE`, and input that ends early.

use crate::support::{project, Defuse};

const SCRIPT: &str = r#"script s "Title" {
  vars name code
  trigger t1 { customer "Hi {name}" -> a }
  trigger t2 { customer "Hello" -> a }
  acknowledge a { say "Sorry, {name}. Your code \{name\} is {code}." -> m }
  mirror m {
    ask """First line
second line"""
    reply "yes" -> o
    otherwise -> m2
  }
  mirror m2 { ask "Once more?" reply "ok" -> o }
  options o {
    option "Refund {code}" -> done
    option "Call back" -> later
  }
  close done { say "Done" follow_up "48h" "Check on {name}" }
  close later { say "Later" outcome callback follow_up "1d" "Call" }
}
"#;

#[test]
fn fills_each_placeholder_once_and_leaves_escaped_braces() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse", "--var", "name={code}", "--var", "code=42"])
        .dir(dir.path())
        .stdin("1\n1\n1\n")
        .status(0);
    assert!(run.stdout.contains("Agent: Sorry, {code}. Your code {name} is 42."), "{}", run.stdout);
    assert!(run.stdout.contains("1) “Hi {code}”"), "the trigger menu is filled too: {}", run.stdout);
    assert!(run.stdout.contains("1) Refund 42"), "{}", run.stdout);
}

#[test]
fn multi_line_text_continues_under_its_first_line() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse"]).dir(dir.path()).stdin("1\n1\n1\n").status(0);
    assert!(run.stdout.contains("  Agent asks: First line\n              second line\n"), "{}", run.stdout);
}

#[test]
fn a_single_reply_is_the_callers_choice() {
    // m2 has one `reply`: a recorded rehearsal must answer it, so play asks for it too.
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse"]).dir(dir.path()).stdin("2\n2\n1\n2\n").status(0);
    assert!(run.stdout.contains("Once more?\n  The customer answers:\n    1) ok\n> 1\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("Path taken: t2 → a → m → m2 → o → later\n"), "{}", run.stdout);
}

#[test]
fn back_undoes_the_last_choice() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse"]).dir(dir.path()).stdin("1\n1\nback\nback\n1\n1\n").status(0);
    assert!(run.stdout.contains("  (back)\n\n── mirror · m ──"), "{}", run.stdout);
    assert!(run.stdout.contains("Nothing to undo yet."), "{}", run.stdout);
    assert!(run.stdout.ends_with("Path taken: t1 → a → m → o → done\n"), "{}", run.stdout);
}

#[test]
fn a_loop_that_asks_nothing_stops_at_once() {
    let text = "script s { trigger t { -> a } acknowledge a { say \"x\" -> b } mirror b { say \"y\" -> a } }";
    let dir = project(&[("s.defuse", text), ("defuse.toml", "[rules]\nno-exit = \"allow\"\nno-close = \"allow\"\n")]);
    let run = Defuse::new(["play", "s.defuse"]).dir(dir.path()).status(1);
    assert!(
        run.stdout.ends_with("Rehearsal stopped: the script goes round without asking anything.\n"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.matches("── mirror · b ──").count(), 1, "each node shows once: {}", run.stdout);
}

#[test]
fn vars_come_from_a_toml_file_and_var_wins() {
    let dir = project(&[("s.defuse", SCRIPT), ("vars.toml", "name = \"Sam\"\ncode = \"7\"\n")]);
    let run = Defuse::new(["play", "s.defuse", "--vars", "vars.toml", "--var", "code=9"])
        .dir(dir.path())
        .stdin("1\n1\n1\n")
        .status(0);
    assert!(run.stdout.contains("Agent: Sorry, Sam. Your code {name} is 9."), "{}", run.stdout);

    let dir = project(&[("s.defuse", SCRIPT), ("vars.toml", "name = 3\n")]);
    let run = Defuse::new(["play", "s.defuse", "--vars", "vars.toml"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("var `name` must be a string"), "{}", run.stderr);
    let run = Defuse::new(["play", "s.defuse", "--vars", "missing.toml"]).dir(dir.path()).status(2);
    assert!(run.stderr.contains("cannot read `missing.toml`"), "{}", run.stderr);
}

#[test]
fn transcript_is_markdown_with_script_text_escaped() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    Defuse::new(["play", "s.defuse", "--var", "name=<b>Sam</b>", "--transcript", "out.md"])
        .dir(dir.path())
        .stdin("1\n1\n1\n")
        .status(0);
    let markdown = std::fs::read_to_string(dir.path().join("out.md")).unwrap();
    assert!(markdown.starts_with("# Rehearsal: s — Title\n"), "{markdown}");
    // Only what Markdown would read as markup is escaped: the tags, not the full stop.
    assert!(markdown.contains("> **Agent:** Sorry, \\<b>Sam\\</b>. "), "{markdown}");
    assert!(markdown.contains("- The customer chose: **Refund {code}**"), "{markdown}");
    assert!(markdown.ends_with("**Call ended: resolved.**\n"), "{markdown}");
}

#[test]
fn transcript_target_is_refused_before_the_rehearsal() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse", "--transcript", "s.defuse"]).dir(dir.path()).status(2);
    assert!(run.stdout.is_empty(), "nothing was rehearsed: {}", run.stdout);
    assert_eq!(std::fs::read_to_string(dir.path().join("s.defuse")).unwrap(), SCRIPT, "the script is kept");
}

#[test]
fn play_a_whole_piped_session() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse", "--var", "customer_name=Sam"])
        .stdin("2\n1\nmaybe\n7\n2\n3\n")
        .status(0);
    insta::assert_snapshot!(run.stdout);
    assert!(run.stdout.contains("Agent: I'm sorry, Sam."));
    assert!(run.stdout.contains("Please type a number from 1 to 2, or the text of a choice (or `back`)."));
    assert!(run.stdout.ends_with(
        "Path taken: where_is_refund → hear_them → restate → clarify → restate → find_cause → offer → closings.supervisor\n"
    ));
}

#[test]
fn play_stops_when_input_ends() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse"]).stdin("1\n").status(1);
    assert!(run.stdout.ends_with("Rehearsal stopped: the input ended before the call was closed.\n"), "{}", run.stdout);
}

#[test]
fn play_rejects_unknown_vars_and_ambiguous_paths() {
    let run = Defuse::new(["play", "scripts/refund_missing.defuse", "--var", "nme=Sam"]).status(2);
    assert!(run.stderr.contains("`nme` is not a var"), "{}", run.stderr);
    let run = Defuse::new(["play", "scripts"]).status(2);
    assert!(run.stderr.contains("--script NAME"), "{}", run.stderr);
    let run = Defuse::new(["play", "scripts", "--script", "wrong_item"]).stdin("1\n1\n1\n").status(0);
    assert!(run.stdout.contains("Call ended: resolved."), "{}", run.stdout);
}
