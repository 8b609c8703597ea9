//! `defuse lsp`: the language server on stdin/stdout (spec section 9; see `crate::lsp`).

/// Serves until the client sends `exit`; the status is 0 after a proper `shutdown`.
pub fn run() -> u8 {
    crate::lsp::run()
}
