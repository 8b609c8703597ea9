//! `defuse play` at its edges (issues 26 and 27): what `--record` writes reads back as the
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
