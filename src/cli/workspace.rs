//! Helpers the commands share: opening the workspace, printing load errors, the renderer.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::report::human::HumanRenderer;
use crate::resolve::LoadError;
pub use crate::workspace::Workspace;

/// Opens the workspace, printing a config error (the caller exits 2 on `Err`).
pub fn open(paths: &[PathBuf], config: Option<&Path>) -> Result<Workspace, ()> {
    Workspace::open(paths, config).map_err(|error| eprintln!("{:?}", miette::Report::new(*error)))
}

/// The config alone (for commands that check nothing), printing a config error.
pub fn config(explicit: Option<&Path>) -> Result<crate::config::Config, ()> {
    crate::workspace::find_config(Path::new("."), explicit)
        .map_err(|error| eprintln!("{:?}", miette::Report::new(*error)))
}

pub fn print_load_errors(errors: &[LoadError]) {
    for error in errors {
        eprintln!("error: cannot read `{}`: {}", error.path, error.message);
    }
}

/// The renderer for a stream: colour only on a terminal, and never when NO_COLOR is set.
pub fn renderer(stream_is_terminal: bool) -> HumanRenderer {
    let color = stream_is_terminal && std::env::var_os("NO_COLOR").is_none();
    HumanRenderer::new(color, 100)
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
