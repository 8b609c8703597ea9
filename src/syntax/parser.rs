//! The pest parser generated from `grammar/defuse.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/defuse.pest"]
pub struct DefuseParser;
