//! One file per rule. Each holds the rule's code, default level, documentation (what
//! `defuse explain` prints) and its check. The table of all rules is `check::registry`.

pub mod close_has_next;
pub mod dead_end;
pub mod duplicate_node;
pub mod duplicate_script;
pub mod empty_node;
pub mod enters_trigger;
pub mod hold;
pub mod long_path;
pub mod long_turn;
pub mod misplaced_statement;
pub mod no_close;
pub mod no_exit;
pub mod no_follow_up;
pub mod no_trigger;
pub mod not_exported;
pub mod over_budget;
pub mod phrase;
pub mod single_option;
pub mod skip_acknowledge;
pub mod skip_mirror;
pub mod suppression;
pub mod syntax;
pub mod test;
pub mod unknown_library;
pub mod unknown_placeholder;
pub mod unknown_target;
pub mod unreachable;
pub mod unused_var;
pub mod use_cycle;
pub mod use_not_found;
pub mod use_outside_root;
