//! The pest parser generated from `grammar/defuse.pest` and the tokens it shares with `.dtest`
//! files, `grammar/common.pest`.
//!
//! pest names the grammar's rules `Rule`; the syntax layer imports it as `GrammarRule`, so it is
//! never confused with a lint rule (`check::rule::Rule`).

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/common.pest"]
#[grammar = "../grammar/defuse.pest"]
pub(crate) struct DefuseParser;
