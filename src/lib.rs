//! defuse: a compiler and toolchain for call-center de-escalation scripts.
//!
//! The pipeline, one module per phase: [`syntax`] (text → AST with spans) → [`resolve`]
//! (files, `use`, names) → [`graph`] (petgraph model per script) → [`check`] (the rules) →
//! [`emit`] and [`report`] (outputs). [`cli`] wires them to the command line; [`output`] is
//! the one way anything is printed.

pub mod call;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod digest;
pub mod dtest;
pub mod emit;
pub mod files;
/// The fuzz harness: `fuzz/` and the property tests run every phase through it. Not API.
#[doc(hidden)]
pub mod fuzz_harness;
pub mod graph;
pub mod locale;
pub mod lsp;
pub mod output;
pub mod report;
pub mod resolve;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod workspace;
