//! How a command ends: its exit [`Status`], or the [`CliError`] that stopped it. Every command
//! returns a [`CommandResult`]; [`super::main`] prints the error, in the format the run speaks
//! ([`ErrorFormat`]), and exits with its status, so every command words, escapes and exits
//! the same way. [`print`] is the one place an `error:` line (or a GitHub workflow command)
//! is written.

use crate::output;
use crate::resolve::LoadError;

/// The exit status (spec section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// No errors.
    Clean = 0,
    /// Errors found, a test failed, or `fmt --check` would change something.
    Failed = 1,
    /// Bad usage, unreadable input or bad config.
    BadInput = 2,
}

impl Status {
    /// [`Status::Failed`] when `failed`, else [`Status::Clean`].
    pub(crate) fn failed_if(failed: bool) -> Status {
        if failed {
            Status::Failed
        } else {
            Status::Clean
        }
    }

    pub(crate) fn code(self) -> u8 {
        self as u8
    }
}

/// How a run writes its errors on standard error: `error:` lines, or GitHub workflow commands
/// when its report is in GitHub's format (`check`, `diff` and `test` with `--format github`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorFormat {
    Human,
    Github,
}

impl ErrorFormat {
    /// [`ErrorFormat::Github`] when the run's `--format` is `github`, else human.
    pub(crate) fn github_if(github: bool) -> ErrorFormat {
        if github {
            ErrorFormat::Github
        } else {
            ErrorFormat::Human
        }
    }
}

/// One thing a command has to say about why it stopped.
#[derive(Debug)]
pub(crate) enum Problem {
    /// `error: MESSAGE`; under GitHub a workflow command on `file`.
    Line { message: String, file: Option<String> },
    /// `  help: HINT` under the line before it (human only: a workflow command has no room).
    Help(String),
    /// A file that could not be read: `cannot read `PATH`: WHY`.
    Unreadable(LoadError),
    /// A bad config: its human report (TOML excerpt, label, help), or one workflow command.
    Config { message: String, file: Option<String>, report: String },
    /// Diagnostics rendered already (the errors that stop `play` or `paths`), shown as they are.
    Report(String),
}

impl Problem {
    pub(crate) fn line(message: impl Into<String>) -> Problem {
        Problem::Line { message: message.into(), file: None }
    }
}

/// A command's failure: its status ([`Status::Failed`] or [`Status::BadInput`]; never
/// [`Status::Clean`]) and what to say, in order.
#[derive(Debug)]
pub(crate) struct CliError {
    pub status: Status,
    pub problems: Vec<Problem>,
}

impl CliError {
    /// Bad usage, unreadable input or bad config, in one line: exit 2.
    pub(crate) fn input(message: impl Into<String>) -> CliError {
        CliError { status: Status::BadInput, problems: vec![Problem::line(message)] }
    }

    /// Errors in what was given (the script, the export), in one line: exit 1.
    pub(crate) fn failed(message: impl Into<String>) -> CliError {
        CliError { status: Status::Failed, problems: vec![Problem::line(message)] }
    }

    /// Several problems with one status.
    pub(crate) fn many(status: Status, problems: Vec<Problem>) -> CliError {
        CliError { status, problems }
    }

    /// Files that could not be read: exit 2.
    pub(crate) fn unreadable(errors: Vec<LoadError>) -> CliError {
        CliError::many(Status::BadInput, errors.into_iter().map(Problem::Unreadable).collect())
    }

    /// A config error: its human report and its file for GitHub; exit 2.
    pub(crate) fn config(
        error: &crate::config::ConfigError,
        renderer: &crate::report::human::HumanRenderer,
    ) -> CliError {
        let file = error.source_code.as_ref().map(|source| source.name.clone());
        let problem =
            Problem::Config { message: error.message.clone(), file, report: renderer.render_config_error(error) };
        CliError::many(Status::BadInput, vec![problem])
    }

    /// Prints the problems on standard error.
    pub(crate) fn print(&self, format: ErrorFormat) {
        print(&self.problems, format);
    }
}

/// Prints `problems` on standard error, as `error:` lines (and reports) or workflow commands.
/// Also for errors that do not stop a run (`test` naming a directory without tests).
pub(crate) fn print(problems: &[Problem], format: ErrorFormat) {
    let stderr = output::stderr();
    for problem in problems {
        match (problem, format) {
            (Problem::Line { message, .. }, ErrorFormat::Human) => stderr.line(&format!("error: {message}")),
            (Problem::Line { message, file }, ErrorFormat::Github) => {
                stderr.raw(&output::github_error(file.as_deref(), message));
            }
            (Problem::Help(hint), ErrorFormat::Human) => stderr.line(&format!("  help: {hint}")),
            (Problem::Help(_), ErrorFormat::Github) => {}
            (Problem::Unreadable(error), ErrorFormat::Human) => {
                let name = output::terminal_name(&error.path);
                stderr.line(&format!("error: cannot read `{name}`: {}", error.reason));
            }
            (Problem::Unreadable(error), ErrorFormat::Github) => {
                let message = format!("cannot read `{}`: {}", error.path, error.reason);
                stderr.raw(&output::github_error(Some(&error.path), &message));
            }
            (Problem::Config { report, .. }, ErrorFormat::Human) => stderr.raw(report),
            (Problem::Config { message, file, .. }, ErrorFormat::Github) => {
                stderr.raw(&output::github_error(file.as_deref(), message));
            }
            (Problem::Report(report), _) => stderr.raw(report),
        }
    }
}

/// What a command returns: its exit status, or why it stopped.
pub(crate) type CommandResult = Result<Status, CliError>;
