//! The integration suite: one test binary, one file per feature.

mod check_cli;
mod checks_precise;
mod checks_v2;
mod cli_conventions;
mod diagrams;
mod dtest;
mod edges_output;
mod edges_read;
mod edges_write;
mod emit;
mod examples;
mod export;
mod fixtures;
mod fmt_comments;
mod language_docs;
mod layers;
mod linear_cost;
mod parser;
mod paths_cover;
mod play;
mod properties;
mod robustness;
mod rules_docs;
mod support;
mod tools;
mod trainer_page;
