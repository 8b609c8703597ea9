//! One file per rule. Each holds the rule's code, default level, documentation (what
//! `defuse explain` prints) and its check. The table of all rules is `check::registry`.

macro_rules! declare_rule_modules {
    ($($variant:ident, $code:literal, $module:ident;)*) => {
        $(pub mod $module;)*
    };
}

crate::with_code_table!(declare_rule_modules);
