//! The command line (spec section 4). `main.rs` calls [`main`]; each command has its own file.
//!
//! Every command's `run` returns an [`error::CommandResult`]: a named exit [`Status`] (0 no errors;
//! 1 errors found, or `fmt --check` would change something; 2 bad usage, unreadable input,
//! bad config), or a [`CliError`] saying why it stopped. The error is printed here, in one
//! place, in the format the run speaks ([`Command::error_format`]); every other byte goes
//! through [`crate::output`], so a closed pipe ends a command quietly with the status its run
//! had.

mod build;
mod check;
mod choices;
mod diff;
pub(crate) mod error;
mod explain;
mod fmt;
mod init;
mod lsp;
mod man;
mod paths;
mod play;
mod shared;
mod strings;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use error::{CliError, ErrorFormat, Status};

pub use man::man_pages;

#[derive(Parser)]
#[command(name = "defuse", version, about = "Check, draw and export call-center de-escalation scripts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour reports: on a terminal (auto, unless NO_COLOR is set), always or never
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (every *.defuse, recursively, respecting .gitignore)
    Check(check::Args),
    /// Compile scripts to flow JSON, a diagram (DOT, Mermaid), a call-flow import (SCXML, Twilio Studio, Amazon Connect) or a trainer page (HTML)
    Build(build::Args),
    /// Rewrite files in the canonical layout, keeping comments
    Fmt(fmt::Args),
    /// List every path from a trigger to a close (each loop taken at most once)
    Paths(paths::Args),
    /// Rehearse a script in the terminal, choosing the customer's answers
    Play(play::Args),
    /// Run transcript tests (*.dtest): replay conversations and check what comes out
    Test(test::Args),
    /// What changed between two versions of scripts, for callers (OLD NEW, each a path or REV:PATH)
    Diff(diff::Args),
    /// Create defuse.toml, an example script and a CI workflow
    Init(init::Args),
    /// Translation files: extract templates, merge, export for agencies (XLIFF), import, status
    Strings(strings::Args),
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
    /// Run the language server on stdin/stdout (for editors; see docs/lsp.md)
    Lsp,
    /// Print a shell completion script (e.g. `defuse completions bash > /etc/bash_completion.d/defuse`)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

/// The text of a file `defuse init` creates (for tests).
pub fn init_template(name: &str) -> &'static str {
    init::FILES.iter().find(|(file, _)| *file == name).map_or("", |(_, text)| text)
}

impl Command {
    /// How this run writes its errors. No wildcard: a new command must say.
    fn error_format(&self) -> ErrorFormat {
        match self {
            Command::Check(args) => args.error_format(),
            Command::Diff(args) => args.error_format(),
            Command::Test(args) => args.error_format(),
            Command::Build(_)
            | Command::Fmt(_)
            | Command::Paths(_)
            | Command::Play(_)
            | Command::Init(_)
            | Command::Strings(_)
            | Command::Explain { .. }
            | Command::Rules { .. }
            | Command::Lsp
            | Command::Completions { .. } => ErrorFormat::Human,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            let status = if error.use_stderr() { Status::BadInput } else { Status::Clean };
            return ExitCode::from(status.code());
        }
    };
    crate::output::set_color(match cli.color {
        ColorChoice::Auto => crate::output::Color::Auto,
        ColorChoice::Always => crate::output::Color::Always,
        ColorChoice::Never => crate::output::Color::Never,
    });
    let format = cli.command.error_format();
    let outcome = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Init(args) => init::run(args),
        Command::Strings(args) => strings::run(args),
        Command::Paths(args) => paths::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Play(args) => play::run(args),
        Command::Test(args) => test::run(args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules { config, markdown } => explain::rules(config, markdown),
        Command::Completions { shell } => man::completions(shell),
        Command::Lsp => lsp::run(),
    };
    let mut status = outcome.unwrap_or_else(|error| {
        error.print(format);
        error.status
    });
    let stdout = crate::output::stdout();
    stdout.flush();
    // A closed pipe is no error (the reader had enough); a full disk or a broken device is.
    if let Some(failure) = stdout.failure() {
        let error = CliError::input(format!("cannot write to standard output: {failure}"));
        error.print(format);
        status = error.status;
    }
    ExitCode::from(status.code())
}
