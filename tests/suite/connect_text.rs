//! Issue 26: literal script text in an Amazon Connect flow. Connect reads `$.Name…` and
//! `$['Name']` in a prompt as a reference to contact data (`$.CustomerEndpoint.Address`, the
//! caller's number; `$.Attributes.x`, any attribute), so text a writer typed must never form one:
//! only the script's own placeholders become references.

use crate::support::{project, Defuse};

/// Every prompt text of a Connect flow.
fn prompts(flow: &serde_json::Value) -> Vec<String> {
    flow["Actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|action| action["Parameters"]["Text"].as_str().map(str::to_owned))
        .collect()
}

/// The references Connect would resolve in `text`: each `$` directly followed by `.` or `[`.
fn references(text: &str) -> Vec<String> {
    text.match_indices('$')
        .filter(|(at, _)| matches!(text.as_bytes().get(at + 1), Some(b'.' | b'[')))
        .map(|(at, _)| text[at..].chars().take_while(|c| !c.is_whitespace() && *c != ',').collect())
        .collect()
}

#[test]
fn literal_attribute_references_are_not_resolved_by_connect() {
    let script = r#"script leak {
  vars customer_name
  trigger t { customer "Why was I charged $5?" -> hear }
  acknowledge hear { say "Sorry, {customer_name}. I see $.CustomerEndpoint.Address and $.Attributes.internal_notes." -> restate }
  mirror restate { ask "The region is $['AwsRegion'], and $$.External.x?" reply "yes" -> offer }
  options offer { option "Pay $.Attributes.card_number" -> done option "Keep $5" -> done }
  close done { say "Thanks, {customer_name}." }
}
"#;
    let dir = project(&[("leak.defuse", script)]);
    let run = Defuse::new(["build", "leak.defuse", "--emit", "connect"]).dir(dir.path()).status(0);
    let flow: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let texts = prompts(&flow).join("\n");
    let found = references(&texts);
    assert!(
        found.iter().all(|reference| reference == "$.Attributes.customer_name."),
        "only the placeholder is a reference: {found:?}\n{texts}"
    );
    assert_eq!(found.len(), 2, "both placeholders stay references: {texts}");
    // Readable, and spoken the same: the text is kept, with an invisible break after `$`.
    assert!(
        texts.contains("I see $\u{2060}.CustomerEndpoint.Address and $\u{2060}.Attributes.internal_notes."),
        "{texts}"
    );
    assert!(texts.contains("$\u{2060}['AwsRegion']") && texts.contains("$$\u{2060}.External.x"), "{texts}");
    assert!(texts.contains("“Pay $\u{2060}.Attributes.card_number”"), "menu labels too: {texts}");
    assert!(texts.contains("charged $5?") || texts.contains("“Keep $5”"), "prices are untouched: {texts}");
}
