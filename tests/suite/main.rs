//! The integration suite: one test binary, one file per feature.

mod check_cli;
mod dtest;
mod edges_write;
mod emit;
mod examples;
mod export;
mod fixtures;
mod parser;
mod properties;
mod robustness;
mod rules_docs;
mod support;
mod tools;
