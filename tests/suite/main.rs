//! The integration suite: one test binary, one file per feature.

mod check_cli;
mod cli_conventions;
mod diff;
mod edges_output;
mod edges_read;
mod edges_write;
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
