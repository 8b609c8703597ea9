//! `defuse check [PATH]... [--format …] [--deny warnings] [--config FILE]`, and `defuse check -
//! [--stdin-filename NAME]`, which checks one file read from standard input.

use std::path::PathBuf;

use super::choices::FormatArg;
use super::error::{CliError, CommandResult, ErrorFormat, Status};
use super::shared;
use crate::check;
use crate::diagnostic::Severity;
use crate::{output, report};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files and directories to check (default: the current directory); `-` reads one file
    /// from standard input
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: FormatArg,
    /// Count warnings as errors (`--deny warnings`)
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    deny: Option<String>,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// With `-`: the path standard input stands for, in reports and for `use` and config
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Check this locale's translations (repeatable; default: every `[locales] targets` locale
    /// that has a directory); `none` checks the source only
    #[arg(long = "locale", value_name = "L")]
    locales: Vec<String>,
}

pub fn run(args: Args) -> CommandResult {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let (asked, no_locale) = shared::asked_locales(&args.locales)?;
    let timings = std::env::var_os("DEFUSE_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let reads_stdin = paths.iter().any(|path| path.as_os_str() == "-");
    let crate::workspace::Workspace { config, mut project } = if reads_stdin {
        if paths.len() > 1 {
            return Err(CliError::input("`-` (standard input) cannot be checked together with other paths"));
        }
        open_stdin(args.stdin_filename.as_deref(), args.config.as_deref())?
    } else if args.stdin_filename.is_some() {
        return Err(CliError::input("--stdin-filename names standard input, which is read only with `defuse check -`"));
    } else {
        shared::open(&paths, args.config.as_deref())?
    };
    let loaded = started.elapsed();
    let from = shared::working_directory();
    let root = crate::workspace::root_of(&paths[0], &config, from.as_deref());
    let mut diagnostics = check::locales::check_with_locales(
        &mut project,
        &config,
        &crate::files::read::Disk,
        (&root.path, &crate::workspace::shown_root(&paths[0], &config, from.as_deref())),
        &asked,
        no_locale,
    );
    crate::dtest::check::add_test_files(&mut project, &paths, &config, from.as_deref(), &mut diagnostics);
    if timings {
        let checked = started.elapsed() - loaded;
        crate::errln!("timings: load+parse {:.3}s, check {:.3}s", loaded.as_secs_f64(), checked.as_secs_f64());
    }
    if args.deny.is_some() {
        for diagnostic in &mut diagnostics {
            diagnostic.severity = Severity::Error;
        }
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();

    // The report streams: each diagnostic is written as it is rendered, and rendering stops
    // when the reader closes the pipe.
    match report::machine(args.format.into(), &project, &diagnostics) {
        Some(text) => output::stdout().raw(&text),
        None => {
            let renderer = shared::renderer(shared::stdout_is_terminal());
            let _ = renderer.write_all(&project, &diagnostics, &mut output::stdout().raw_writer());
        }
    }
    let load_errors = std::mem::take(&mut project.load_errors);
    // The process ends right after this: freeing every AST node one by one would only add
    // teardown time to large runs (about 5% on a 100,000-node script).
    std::mem::forget(project);
    if !load_errors.is_empty() {
        return Err(CliError::unreadable(load_errors));
    }
    Ok(Status::failed_if(errors > 0))
}

impl Args {
    /// Under `--format github` every message is a workflow command, errors included.
    pub(crate) fn error_format(&self) -> ErrorFormat {
        ErrorFormat::github_if(self.format == FormatArg::Github)
    }
}

/// The workspace of `check -`: standard input (at most the script size limit) placed at
/// `name`, `<stdin>` in the current directory by default.
fn open_stdin(
    name: Option<&std::path::Path>,
    config: Option<&std::path::Path>,
) -> Result<crate::workspace::Workspace, CliError> {
    let name = name.unwrap_or(std::path::Path::new("<stdin>"));
    let text = crate::files::read::read_stream(std::io::stdin().lock(), crate::files::read::MAX_SCRIPT_BYTES)
        .map_err(|message| CliError::input(format!("cannot read standard input: {message}")))?;
    crate::workspace::Workspace::open_text(name, text, config, shared::working_directory().as_deref())
        .map_err(|error| CliError::config(&error, &shared::renderer(shared::stderr_is_terminal())))
}
