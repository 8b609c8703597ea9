//! Which node of OLD is which node of NEW. Nodes are matched by qualified id; a node of OLD
//! whose id is gone is taken as **renamed** to a new id when exactly one vanished node and
//! exactly one new node have the same stage and the same lines (and there are lines: two
//! empty nodes of a stage say nothing about each other).
//!
//! A rename is reported once (as `node-removed`, review, "renamed to …"); everything else
//! compares the renamed node with its new self, and edges and paths through it compare by
//! its new id, so a rename does not ripple into every edge that points at it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::snapshot::{NodeSnapshot, ScriptSnapshot};
use crate::syntax::ast::Stage;

/// Old id → new id, for renamed nodes only.
#[derive(Debug, Default)]
pub(crate) struct Renames {
    pub old_to_new: BTreeMap<String, String>,
    new_ids: HashSet<String>,
}

impl Renames {
    /// The id `old` has in NEW's terms.
    pub(crate) fn map<'a>(&'a self, old: &'a str) -> &'a str {
        self.old_to_new.get(old).map_or(old, String::as_str)
    }

    pub(crate) fn is_renamed_to(&self, new: &str) -> bool {
        self.new_ids.contains(new)
    }
}

type Key<'a> = (Stage, &'a [(&'static str, String)]);

fn key(node: &NodeSnapshot) -> Key<'_> {
    (node.stage, &node.lines)
}

/// The renames between two versions of a script.
pub(crate) fn renames(old: &ScriptSnapshot, new: &ScriptSnapshot) -> Renames {
    let vanished = old.nodes.iter().filter(|(id, node)| !new.nodes.contains_key(*id) && !node.lines.is_empty());
    let appeared = new.nodes.iter().filter(|(id, node)| !old.nodes.contains_key(*id) && !node.lines.is_empty());
    let mut by_key: HashMap<Key, (Vec<&String>, Vec<&String>)> = HashMap::new();
    for (id, node) in vanished {
        by_key.entry(key(node)).or_default().0.push(id);
    }
    for (id, node) in appeared {
        by_key.entry(key(node)).or_default().1.push(id);
    }
    let old_to_new: BTreeMap<String, String> = by_key
        .into_values()
        .filter_map(|(gone, came)| match (gone.as_slice(), came.as_slice()) {
            ([gone], [came]) => Some(((*gone).clone(), (*came).clone())),
            _ => None,
        })
        .collect();
    let new_ids = old_to_new.values().cloned().collect();
    Renames { old_to_new, new_ids }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::snapshot::{snapshot, Snapshot};

    fn side(text: &str) -> Snapshot {
        let project = crate::resolve::load_text("t.defuse".into(), text);
        snapshot(&project, &[], &crate::config::timing::Timing::default())
    }

    const OLD: &str = r#"script s {
  trigger t { -> a }
  acknowledge a { say "Sorry." -> b }
  mirror b { ask "Right?" reply "yes" -> c }
  mirror b2 { ask "Right?" reply "yes" -> c }
  close c { }
  close d { }
}"#;

    #[test]
    fn a_rename_needs_one_vanished_and_one_new_node_with_the_same_stage_and_lines() {
        let old = side(OLD);
        let new = side(&OLD.replace("acknowledge a", "acknowledge sorry").replace("-> a", "-> sorry"));
        let found = renames(&old.scripts["s"], &new.scripts["s"]);
        assert_eq!(found.map("a"), "sorry");
        assert!(found.is_renamed_to("sorry"));

        // Two candidates with the same lines: no guess.
        let new = side(&OLD.replace("mirror b ", "mirror x ").replace("mirror b2", "mirror y"));
        assert!(renames(&old.scripts["s"], &new.scripts["s"]).old_to_new.is_empty());
        // Another stage is another node; empty nodes are never matched.
        let new = side(&OLD.replace("acknowledge a", "mirror z").replace("-> a", "-> z").replace("close d", "close e"));
        assert!(renames(&old.scripts["s"], &new.scripts["s"]).old_to_new.is_empty());
    }
}
