//! The integration suite: one test binary, one file per feature.

mod check_cli;
mod edges_write;
mod edges_read;
mod cli_conventions;
mod emit;
mod examples;
mod export;
mod fixtures;
mod language_docs;
mod parser;
mod properties;
mod robustness;
mod rules_docs;
mod support;
mod tools;
