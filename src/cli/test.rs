//! `defuse test [PATH]... [--format human|json|junit|github] [--coverage]`: run transcript
//! tests (spec section 7). Walks PATHs like `check` does, for `*.dtest` files.
//!
//! Exit status: 0 every test passes; 1 a test fails or a `.dtest` has an error; 2 bad usage,
//! unreadable input, bad config, or no `.dtest` file found.

use std::path::PathBuf;

use super::error::{self, CliError, CommandResult, ErrorFormat, Problem, Status};
use super::shared;
use crate::dtest::{report, Suite, EXTENSION};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TestFormat {
    Human,
    Json,
    Junit,
    Github,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// .dtest files and directories to run (default: the current directory)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: TestFormat,
    /// Also list, per tested script, the edges no test walks
    #[arg(long)]
    coverage: bool,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run every test in this locale (a file with `locale "L"` always runs in its own)
    #[arg(long, value_name = "L")]
    locale: Option<String>,
}

pub fn run(args: Args) -> CommandResult {
    let format = args.error_format();
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let start = paths[0].clone();
    let config = crate::workspace::find_config(&start, args.config.as_deref())
        .map_err(|error| CliError::config(&error, &shared::renderer(shared::stderr_is_terminal())))?;
    let mut files = Vec::new();
    let mut load_errors = Vec::new();
    for path in &paths {
        let (found, errors) = crate::resolve::walk::files(path, EXTENSION);
        // A file named on the command line comes back whatever its extension.
        if let Some(other) = found.iter().find(|f| f.extension().is_none_or(|e| e != EXTENSION)) {
            return Err(CliError::input(format!(
                "`{}` is not a transcript test: `defuse test` runs *.{EXTENSION} files (check scripts with `defuse check`)",
                crate::source::display_path(other)
            )));
        }
        if found.is_empty() && errors.is_empty() {
            // Not the end of the run: the other paths may hold tests.
            let message = format!("no .dtest file in `{}`", crate::source::display_path(path));
            error::print(&[Problem::line(message)], format);
        }
        let root = crate::workspace::root_of(path, &config, shared::working_directory().as_deref());
        files.extend(found.into_iter().map(|path| crate::resolve::Input { path, root: root.clone() }));
        load_errors.extend(errors);
    }
    if files.is_empty() {
        let mut problems: Vec<Problem> = load_errors.into_iter().map(Problem::Unreadable).collect();
        if problems.is_empty() {
            problems.push(Problem::line("no transcript test to run"));
        }
        return Err(CliError::many(Status::BadInput, problems));
    }
    let locale = match &args.locale {
        Some(locale) => shared::asked_locales(std::slice::from_ref(locale))?.0.into_iter().next(),
        None => None,
    };
    let mut suite = Suite::load_in(&files, &config, locale.as_ref());
    load_errors.append(&mut suite.load_errors);
    let results = suite.run();

    let out = match args.format {
        TestFormat::Human => {
            report::human(&suite, &results, &shared::renderer(shared::stdout_is_terminal()), args.coverage)
        }
        TestFormat::Json => report::json(&suite, &results, args.coverage),
        TestFormat::Junit => report::junit(&suite, &results),
        TestFormat::Github => report::github(&suite, &results),
    };
    if matches!(args.format, TestFormat::Json | TestFormat::Junit) && suite.has_errors() {
        let renderer = shared::renderer(shared::stderr_is_terminal());
        for diagnostic in &suite.diagnostics {
            crate::output::stderr().raw(&renderer.render(diagnostic, &suite.sources));
        }
    }
    // Through the output layer: a closed pipe ends quietly. The human report's script text is
    // neutralised by the renderer already (its colours must survive); the rest escape themselves.
    crate::output::stdout().raw(&out);
    if !load_errors.is_empty() {
        return Err(CliError::unreadable(load_errors));
    }
    Ok(Status::failed_if(suite.has_errors() || results.failed() > 0))
}

impl Args {
    /// Under `--format github` every message is a workflow command: a bad config, unreadable
    /// files and a path without tests included.
    pub(crate) fn error_format(&self) -> ErrorFormat {
        ErrorFormat::github_if(self.format == TestFormat::Github)
    }
}
