//! Which node of OLD looks like which node of NEW. Nodes are matched by qualified id
//! (contract section 8), so a renamed node is `node-removed` plus `node-added`, with every
//! path through it; a node of OLD whose id is gone **looks renamed** to a new id when exactly
//! one vanished node and exactly one new node have the same stage and the same lines (and
//! there are lines: two empty nodes of a stage say nothing about each other). That is only
//! said in the two changes' messages, for the reviewer.

use std::collections::{BTreeMap, HashMap};

use super::snapshot::{NodeSnapshot, ScriptSnapshot};
use crate::syntax::ast::Stage;

/// Old id → new id, for the nodes that look renamed.
#[derive(Debug, Default)]
pub(crate) struct Renames {
    old_to_new: BTreeMap<String, String>,
}

impl Renames {
    /// What the message of the removal of `old` adds: the id it looks renamed to, if any.
    pub(crate) fn hint_for_old(&self, old: &str) -> String {
        self.old_to_new.get(old).map_or_else(String::new, |new| format!(" (it looks renamed to `{new}`)"))
    }

    /// What the message of the addition of `new` adds: the id it looks renamed from, if any.
    pub(crate) fn hint_for_new(&self, new: &str) -> String {
        let old = self.old_to_new.iter().find(|(_, to)| *to == new).map(|(from, _)| from);
        old.map_or_else(String::new, |old| format!(" (it looks renamed from `{old}`)"))
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
    Renames { old_to_new }
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
        assert_eq!(found.hint_for_old("a"), " (it looks renamed to `sorry`)");
        assert_eq!(found.hint_for_new("sorry"), " (it looks renamed from `a`)");
        assert_eq!(found.hint_for_old("b"), "");

        // Two candidates with the same lines: no guess.
        let new = side(&OLD.replace("mirror b ", "mirror x ").replace("mirror b2", "mirror y"));
        assert!(renames(&old.scripts["s"], &new.scripts["s"]).old_to_new.is_empty());
        // Another stage is another node; empty nodes are never matched.
        let new = side(&OLD.replace("acknowledge a", "mirror z").replace("-> a", "-> z").replace("close d", "close e"));
        assert!(renames(&old.scripts["s"], &new.scripts["s"]).old_to_new.is_empty());
    }
}
