//! The guide's ids (spec section 13, "Stable ids"): each comes from the node's qualified id
//! (`node`, `lib.node`) and nothing else, so a node keeps its step, view and action names when
//! other nodes are added, removed, reordered or edited. They are a published interface: field
//! analytics join on them (ViewData `defuse_node`, the close attributes, Connect's flow logs).

use std::sync::OnceLock;

use regex::Regex;

/// Connect's longest flow action identifier.
const MAX_STEP_ID: usize = 50;
/// The API's longest view name (`ViewName` in botocore's model; CloudFormation allows 512).
const MAX_VIEW_NAME: usize = 255;
/// How long an action named after a label may be (the API allows 255, leaving room for `-N`).
const MAX_ACTION: usize = 200;

/// The first `digits` hex digits of the SHA-256 of `text`.
pub(crate) fn hash(text: &str, digits: usize) -> String {
    crate::digest::sha256_hex(&[text.as_bytes()], digits)
}

/// `prefix` + `qid`, shortened with a hash when the whole is over 50 characters.
fn step_id(prefix: &str, qid: &str) -> String {
    let whole = format!("{prefix}{qid}");
    if whole.chars().count() <= MAX_STEP_ID {
        return whole;
    }
    let head: String = qid.chars().take(35).collect();
    format!("{prefix}{head}-{}", hash(qid, 12))
}

/// The node's `ShowView` step: `s-<qid>`.
pub(crate) fn show_step(qid: &str) -> String {
    step_id("s-", qid)
}

/// A close's attribute step: `o-<qid>`.
pub(crate) fn close_step(qid: &str) -> String {
    step_id("o-", qid)
}

/// The CloudFormation logical id of the node's view: `View` + the letters and digits of the qid
/// (first 40) + 8 hex digits of its hash, so ids that differ only in `_` or `.` stay apart.
pub(crate) fn view_logical_id(qid: &str) -> String {
    let letters: String = qid.chars().filter(char::is_ascii_alphanumeric).take(40).collect();
    format!("View{letters}{}", hash(qid, 8))
}

/// The view's `Name`: `defuse.<script>.<qid>`, over 255 characters the first 240 + `.` + a hash
/// of the whole name.
pub(crate) fn view_name(script: &str, qid: &str) -> String {
    shorten_name(format!("defuse.{script}.{qid}"))
}

/// The start view's `Name`: `defuse.<script>:start` (a qid never holds `:`, so no node's view
/// takes it).
pub(crate) fn start_view_name(script: &str) -> String {
    shorten_name(format!("defuse.{script}:start"))
}

fn shorten_name(name: String) -> String {
    if name.chars().count() <= MAX_VIEW_NAME {
        return name;
    }
    let head: String = name.chars().take(240).collect();
    format!("{head}.{}", hash(&name, 12))
}

/// The script's name where a length limit applies (the flow's `Name`, descriptions): as is up
/// to `max` characters, else its first `max - 13` characters, `-` and 12 hex digits of its hash.
pub(crate) fn script_name_within(script: &str, max: usize) -> String {
    if script.chars().count() <= max {
        return script.to_owned();
    }
    let head: String = script.chars().take(max - 13).collect();
    format!("{head}-{}", hash(script, 12))
}

/// The action a reply or option label names: every character outside `[\p{L}\p{N}_.:/=+\-@]`
/// becomes a space, runs of spaces collapse, the ends are trimmed and the rest is cut to 200
/// characters; `fallback` (`reply`, `option`) when nothing is left. What remains matches the
/// API's and CloudFormation's action patterns.
pub(crate) fn label_action(label: &str, fallback: &str) -> String {
    static OUTSIDE: OnceLock<Regex> = OnceLock::new();
    let outside = OUTSIDE.get_or_init(|| Regex::new(r"[^\p{L}\p{N}_.:/=+\-@]+").expect("a valid pattern"));
    let spaced = outside.replace_all(label, " ");
    // Trimmed, then cut, as the spec orders it: a cut may end in a space, which the patterns
    // allow after the first character.
    let cut: String = spaced.trim().chars().take(MAX_ACTION).collect();
    if cut.is_empty() {
        fallback.to_owned()
    } else {
        cut
    }
}

/// Unique action names within one node: the second use of a name gets `-2`, the third `-3`,
/// counted in the node's order (and past any name a label already took).
#[derive(Default)]
pub(crate) struct ActionNames {
    uses: rustc_hash::FxHashMap<String, usize>,
    taken: rustc_hash::FxHashSet<String>,
}

impl ActionNames {
    pub(crate) fn claim(&mut self, wanted: String) -> String {
        let uses = self.uses.entry(wanted.clone()).or_insert(0);
        *uses += 1;
        let mut name = if *uses == 1 { wanted.clone() } else { format!("{wanted}-{uses}") };
        while !self.taken.insert(name.clone()) {
            *uses += 1;
            name = format!("{wanted}-{uses}");
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_ids_are_the_qid_or_a_hashed_cut() {
        assert_eq!(show_step("restate"), "s-restate");
        assert_eq!(close_step("closings.thanks"), "o-closings.thanks");
        let long = "a_node_name_that_is_far_too_long_for_amazon_connect_identifiers";
        let id = show_step(long);
        assert_eq!(id.chars().count(), 50);
        assert_eq!(id, format!("s-{}-{}", &long[..35], hash(long, 12)));
        assert_eq!(show_step(&"x".repeat(48)).len(), 50, "exactly 50 stays whole");
    }

    #[test]
    fn view_ids_keep_letters_and_digits_and_a_hash() {
        assert_eq!(
            view_logical_id("closings.resolved_thanks"),
            format!("Viewclosingsresolvedthanks{}", hash("closings.resolved_thanks", 8))
        );
        assert_ne!(view_logical_id("a_b"), view_logical_id("ab"));
        assert_eq!(view_name("s", "lib.n"), "defuse.s.lib.n");
        let name = view_name(&"s".repeat(300), "n");
        assert_eq!(name.chars().count(), 253);
    }

    #[test]
    fn label_actions_keep_only_allowed_characters() {
        assert_eq!(label_action("yes \"really\" <yes> | end", "reply"), "yes really yes end");
        assert_eq!(label_action("#1 & #2 <&>", "reply"), "1 2");
        assert_eq!(label_action("<>{}", "option"), "option");
        assert_eq!(label_action("Größe 日本 ok@x.y:z/=+-", "reply"), "Größe 日本 ok@x.y:z/=+-");
        assert_eq!(label_action(&"a ".repeat(300), "reply").len(), 200, "trimmed, then cut");
    }

    #[test]
    fn repeated_actions_are_numbered_in_order() {
        let mut names = ActionNames::default();
        let got: Vec<String> =
            ["yes", "yes", "continue", "yes-3", "yes"].iter().map(|n| names.claim((*n).to_owned())).collect();
        assert_eq!(got, ["yes", "yes-2", "continue", "yes-3", "yes-4"]);
    }
}
