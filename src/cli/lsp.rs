//! `defuse lsp`: the language server on stdin/stdout (spec section 9; see `crate::lsp`).

use super::error::{CommandResult, Status};

/// Serves until the client sends `exit`; the status is 0 after a proper `shutdown`.
pub fn run() -> CommandResult {
    Ok(match crate::lsp::run() {
        0 => Status::Clean,
        _ => Status::Failed,
    })
}
