//! The pest parser generated from `grammar/defuse.pest`.
//!
//! pest names the grammar's rules `Rule`; the syntax layer imports it as `GrammarRule`, so it is
//! never confused with a lint rule (`check::rule::Rule`).

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/defuse.pest"]
pub struct DefuseParser;
