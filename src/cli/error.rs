//! Why a command stopped: the message for the user and the exit status, printed in one place
//! ([`super::main`]) so every command words, escapes and exits the same way.

use crate::output;

/// A command's failure. `status` is 1 or 2 (spec section 4); 0 is never an error.
#[derive(Debug)]
pub struct CliError {
    pub status: u8,
    /// One line (or a few), without the `error: ` prefix.
    pub message: String,
    /// The file the error is about, for `--format github` annotations.
    pub file: Option<String>,
    /// A full human report (a config error with its TOML excerpt) shown instead of the line.
    pub report: Option<String>,
}

impl CliError {
    /// Bad usage, unreadable input or bad config: exit 2.
    pub fn input(message: impl Into<String>) -> CliError {
        CliError { status: 2, message: message.into(), file: None, report: None }
    }

    /// A config error: its human report (excerpt, label, help) and its file for GitHub.
    pub fn config(error: &crate::config::ConfigError, renderer: &crate::report::human::HumanRenderer) -> CliError {
        let file = error.source_code.as_ref().map(|source| source.name().to_owned());
        CliError { status: 2, message: error.message.clone(), file, report: Some(renderer.render_config_error(error)) }
    }

    /// Prints the error on standard error: a human line (or report), or a GitHub workflow
    /// command when the run speaks GitHub's format.
    pub fn print(&self, github: bool) {
        if github {
            output::stderr().raw(&output::github_error(self.file.as_deref(), &self.message));
        } else if let Some(report) = &self.report {
            output::stderr().raw(report);
        } else {
            output::stderr().line(&format!("error: {}", self.message));
        }
    }
}

/// What a command returns: its exit status, or why it stopped.
pub type Outcome = Result<u8, CliError>;
