//! `defuse completions SHELL` and the man pages, both generated from the one clap definition
//! of the command line (spec section 11), so they cannot disagree with `--help`.
//!
//! The man pages are committed under `docs/man/`; `tests/suite/cli_conventions.rs` fails when
//! they are stale, and `UPDATE_MAN=1 cargo test --test suite cli_conventions` rewrites them.

use clap::CommandFactory;

use super::error::{CommandResult, Status};
use super::Cli;

/// Prints the completion script for `shell` on standard output.
pub(crate) fn completions(shell: clap_complete::Shell) -> CommandResult {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "defuse", &mut out);
    // Through the output layer: a closed pipe (`defuse completions bash | head -1`) ends quietly.
    crate::output::stdout().raw(&String::from_utf8_lossy(&out));
    Ok(Status::Clean)
}

/// Every man page as (file name, roff text): `defuse.1`, then `defuse-CMD.1` per subcommand in
/// the order `--help` lists them.
pub fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut command = Cli::command();
    command.build();
    let mut pages = vec![("defuse.1".to_owned(), render(command.clone()))];
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set() && sub.get_name() != "help") {
        // After `build`, a subcommand's display name is `defuse-check`: the page's title.
        pages.push((format!("defuse-{}.1", sub.get_name()), render(sub.clone())));
    }
    pages
}

fn render(command: clap::Command) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    // Every page's footer names the program and its version, subcommands' pages too.
    let source = format!("defuse {}", env!("CARGO_PKG_VERSION"));
    let _ = clap_mangen::Man::new(command).source(source).render(&mut out);
    out
}
