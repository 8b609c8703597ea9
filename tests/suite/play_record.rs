//! What `defuse play` writes down: what `--record` writes reads back as the
//! same file and a readable name, the `--transcript` handout is plain to read, and a reply
//! can be typed as its text as well as its number.

use crate::support::{project, Defuse};

const SCRIPT: &str = r#"script s {
  trigger where_is_refund { customer "Where is my refund?" -> sorry }
  acknowledge sorry { say "I'm sorry. That is annoying." -> check }
  mirror check { ask "It did not arrive, right?" reply "Yes, nothing yet" -> offer reply "No" -> offer }
  options offer {
    option "Refund today (full amount)" -> resolved_thanks
    option "Call back" -> later
  }
  close resolved_thanks { say "Thanks. Goodbye." follow_up "48h" "Check the refund" }
  close later { say "We will call." outcome callback follow_up "24h" "Call back" }
}
"#;

#[test]
fn record_writes_a_backslash_in_a_file_name_as_itself() {
    let dir = project(&[("team\\billing/s.defuse", SCRIPT)]);
    Defuse::new(["play", "team\\billing/s.defuse", "--record", "r.dtest"]).dir(dir.path()).stdin("1\n1\n").status(0);
    let text = std::fs::read_to_string(dir.path().join("r.dtest")).unwrap();
    assert!(text.starts_with("use \"team\\\\billing/s.defuse\"\n"), "{text}");
    Defuse::new(["test", "r.dtest"]).dir(dir.path()).status(0);
}

#[test]
fn record_names_the_test_after_its_path_and_outcome() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    Defuse::new(["play", "s.defuse", "--record", "r.dtest"]).dir(dir.path()).stdin("1\n1\n").status(0);
    let text = std::fs::read_to_string(dir.path().join("r.dtest")).unwrap();
    assert!(text.contains("\ntest \"where_is_refund to resolved_thanks (resolved)\" {\n"), "{text}");
    let run = Defuse::new(["test", "r.dtest"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("ok     where_is_refund to resolved_thanks (resolved)\n"), "{}", run.stdout);
}

#[test]
fn a_reply_or_option_can_be_typed_as_its_text() {
    let dir = project(&[("s.defuse", SCRIPT)]);
    let run = Defuse::new(["play", "s.defuse", "--record", "r.dtest"])
        .dir(dir.path())
        .stdin("  yes, NOTHING yet \nrefund\ncall back\n")
        .status(0);
    // "refund" is not a whole label: asked again, with the way to answer.
    assert!(
        run.stdout.contains("> refund\n  Please type a number from 1 to 2, or the text of a choice"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("Path taken: where_is_refund → sorry → check → offer → later\n"), "{}", run.stdout);
    let text = std::fs::read_to_string(dir.path().join("r.dtest")).unwrap();
    assert!(text.contains("  answer \"Yes, nothing yet\"\n  pick \"Call back\"\n"), "{text}");
}

#[test]
fn a_transcript_escapes_only_what_markdown_would_read_as_markup() {
    let script = r#"script s {
  trigger where_is_refund { customer "Where is my refund? It's 3.5 days late!" -> sorry }
  acknowledge sorry {
    say """I'm sorry. That is annoying (really).
1. First, the <b>refund</b> & AT&T fees &amp; more;
# not a heading, *not bold*, [not a link](x), snake_case, _not em_"""
    -> done
  }
  close done { say "Thanks. Goodbye - and sorry again." follow_up "48h" "Check the refund." }
}
"#;
    let dir = project(&[("s.defuse", script)]);
    Defuse::new(["play", "s.defuse", "--transcript", "out.md"]).dir(dir.path()).stdin("").status(0);
    let markdown = std::fs::read_to_string(dir.path().join("out.md")).unwrap();
    let expected = "# Rehearsal: s

### trigger · where_is_refund

> **Customer:** Where is my refund? It's 3.5 days late!

### acknowledge · sorry

> **Agent:** I'm sorry. That is annoying (really).  
> 1\\. First, the \\<b>refund\\</b> & AT&T fees \\&amp; more;  
> \\# not a heading, \\*not bold\\*, \\[not a link](x), snake_case, \\_not em\\_

### close · done

> **Agent:** Thanks. Goodbye - and sorry again.

Follow-up after 48h: Check the refund.

**Call ended: resolved.**
";
    assert_eq!(markdown, expected);
}

#[test]
fn a_rehearsal_recorded_to_standard_output_uses_the_script_from_here() {
    let dir = project(&[("scripts/s.defuse", SCRIPT)]);
    let output = std::process::Command::new("sh")
        .args(["-c", "printf '1\\n1\\n' | \"$DEFUSE\" play scripts/s.defuse --record /dev/stdout > log"])
        .env("DEFUSE", env!("CARGO_BIN_EXE_defuse"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let log = std::fs::read_to_string(dir.path().join("log")).unwrap();
    assert!(log.starts_with("Rehearsing s\n"), "the rehearsal is kept: {log}");
    assert!(log.contains("\nuse \"scripts/s.defuse\"\n"), "{log}");
}
