//! A build with `unknown-target = "allow"`: the flow JSON lists a target that names no node as
//! written; SCXML leaves its transition out but keeps the other replies' numbers, so an event
//! never depends on another statement's target. (Both read the ways on from `call.rs`.)

use crate::support::{project, Defuse};

const SCRIPT: &str = r#"script s {
  trigger t { customer "Hi" -> a }
  acknowledge a { say "Sorry" reply "yes" -> nowhere reply "no" -> c }
  close c { say "Bye" }
}
"#;

fn build(format: &str) -> String {
    let dir = project(&[("defuse.toml", "[rules]\nunknown-target = \"allow\"\n"), ("s.defuse", SCRIPT)]);
    Defuse::new(["build", "s.defuse", "--emit", format]).dir(dir.path()).status(0).stdout
}

#[test]
fn the_flow_json_lists_a_target_that_names_no_node_as_written() {
    let flow: serde_json::Value = serde_json::from_str(&build("json")).unwrap();
    let next = &flow["nodes"][1]["next"];
    assert_eq!(
        next,
        &serde_json::json!([
            { "kind": "reply", "label": "yes", "target": "nowhere" },
            { "kind": "reply", "label": "no", "target": "c" },
        ])
    );
}

#[test]
fn scxml_leaves_the_transition_out_and_keeps_the_numbers() {
    let scxml = build("scxml");
    assert!(scxml.contains("<transition event=\"reply.2\" target=\"c\"/>"), "{scxml}");
    assert!(!scxml.contains("reply.1") && !scxml.contains("nowhere"), "{scxml}");
}
