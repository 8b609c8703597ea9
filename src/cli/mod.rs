//! The command line (spec section 4). `main.rs` calls [`main`]; each command has its own file.
//!
//! Exit status: 0 no errors; 1 errors found (or `fmt --check` would change something);
//! 2 bad usage, unreadable input, bad config.

mod build;
mod check;
mod explain;
mod fmt;
mod init;
mod paths;
mod play;
mod test;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "defuse", version, about = "Check, draw and export call-center de-escalation scripts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (every *.defuse, recursively, respecting .gitignore)
    Check(check::Args),
    /// Compile scripts to flow JSON, a diagram (DOT, Mermaid) or a call-flow import (SCXML, Twilio Studio, Amazon Connect)
    Build(build::Args),
    /// Rewrite files in the canonical layout, keeping comments
    Fmt(fmt::Args),
    /// List every path from a trigger to a close (each loop taken at most once)
    Paths(paths::Args),
    /// Rehearse a script in the terminal, choosing the customer's answers
    Play(play::Args),
    /// Run transcript tests (*.dtest): replay conversations and check what comes out
    Test(test::Args),
    /// Create defuse.toml, an example script and a CI workflow
    Init(init::Args),
    /// Print the documentation of a check code
    Explain {
        /// A code such as `skip-acknowledge`
        code: String,
    },
    /// List every check code with its effective level
    Rules {
        /// Use this config instead of the nearest defuse.toml
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print docs/rules.md (every rule's documentation) instead of the table
        #[arg(long)]
        markdown: bool,
    },
}

/// The text of a file `defuse init` creates (for tests).
pub fn init_template(name: &str) -> &'static str {
    init::FILES.iter().find(|(file, _)| *file == name).map_or("", |(_, text)| text)
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let status = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Init(args) => init::run(args),
        Command::Paths(args) => paths::run(args),
        Command::Play(args) => play::run(args),
        Command::Test(args) => test::run(args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules { config, markdown } => explain::rules(config, markdown),
    };
    ExitCode::from(status)
}
