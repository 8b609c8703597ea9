//! `defuse diff OLD NEW`, `defuse diff --base REV [PATH]...` and the git diff driver form
//! `defuse diff --git-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE` (also
//! recognised from its seven arguments alone): the semantic diff of spec section 8.
//!
//! Exit status: 1 when a change at or above `--fail-on` exists, else 0; 2 when a side cannot
//! be read, does not parse, or the arguments do not name two sides. As a git driver the
//! default is `--fail-on never`: git takes any other status as the driver failing.

use std::path::{Path, PathBuf};

use super::error::{CliError, CommandResult, ErrorFormat, Problem, Status};
use super::shared;
use crate::diff::side::{self, Spec};
use crate::diff::{self, snapshot, Impact};
use crate::output;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiffFormat {
    Text,
    Json,
    Markdown,
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Review,
    Never,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// OLD and NEW: each a file, a directory or REV:PATH (PATH at a git revision). With
    /// --base: the paths to compare with the revision. With --git-driver: git's seven
    /// arguments
    #[arg(value_name = "SIDE")]
    sides: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// Exit 1 when a change of this severity or higher exists [default: breaking; never as a
    /// git driver]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
    /// Compare the working tree's PATHs (default `.`) with the same paths at this revision
    #[arg(long, value_name = "REV", conflicts_with = "git_driver")]
    base: Option<String>,
    /// Run as git's external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE
    #[arg(long)]
    git_driver: bool,
    /// Use this config for both sides instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also list the translations of this locale that changed (`translation-changed`)
    #[arg(long, value_name = "L")]
    locale: Option<String>,
}

/// Git hands an external diff driver seven arguments.
const DRIVER_ARGS: usize = 7;

pub fn run(args: Args) -> CommandResult {
    let driver = args.git_driver || (args.base.is_none() && args.sides.len() == DRIVER_ARGS);
    let (old, new) = sides(&args, driver)?;
    let start = match &new {
        Spec::Disk(paths) => paths.first().cloned().unwrap_or_else(|| PathBuf::from(".")),
        Spec::Placed { placed, .. } => placed.clone(),
        Spec::Git { .. } => PathBuf::from("."),
    };
    let config = crate::workspace::find_config(&start, args.config.as_deref())
        .map_err(|error| CliError::config(&error, &shared::renderer(shared::stderr_is_terminal())))?;

    // The two sides load and check in parallel: each is a whole `check` run.
    // Git sides name paths relative to where the command runs; only cli reads the process.
    let cwd = std::env::current_dir().map_err(|error| error.to_string());
    let locale = match &args.locale {
        Some(locale) => shared::asked_locales(std::slice::from_ref(locale))?.0.into_iter().next(),
        None => None,
    };
    let locale = locale.as_ref();
    let explicit = args.config.as_deref();
    let (old_side, new_side) = rayon::join(
        || side::load(&old, &config, explicit, &cwd, locale),
        || side::load(&new, &config, explicit, &cwd, locale),
    );
    let (old_side, new_side) = match (old_side, new_side) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let problems = [old.err(), new.err()].into_iter().flatten().flat_map(|failed| match failed {
                side::SideError::Load(errors) => errors.into_iter().map(Problem::Unreadable).collect(),
                side::SideError::Message(message) => vec![Problem::line(message)],
            });
            return Err(CliError::many(Status::BadInput, problems.collect()));
        }
    };
    let (old_snapshot, new_snapshot) = rayon::join(
        || snapshot::snapshot(&old_side.project, &old_side.diagnostics, &config.timing),
        || snapshot::snapshot(&new_side.project, &new_side.diagnostics, &config.timing),
    );
    let mut report = diff::compare(&old_snapshot, &new_snapshot);
    if let (Some(locale), Some(old_translations), Some(new_translations)) =
        (locale, &old_side.translations, &new_side.translations)
    {
        let old =
            diff::translations::SideTranslations { translations: old_translations, sources: &old_side.project.sources };
        let new =
            diff::translations::SideTranslations { translations: new_translations, sources: &new_side.project.sources };
        diff::translations::add(&mut report, &old, &new, locale);
    }

    match args.format {
        DiffFormat::Text => {
            if let (true, [path, ..]) = (driver, args.sides.as_slice()) {
                crate::outln!("defuse diff a/{path} b/{path}");
            }
            output::stdout().text(&diff::text::render(&report));
        }
        DiffFormat::Json => output::stdout().raw(&diff::json::render(&report)),
        DiffFormat::Markdown => output::stdout().raw(&diff::markdown::render(&report)),
        DiffFormat::Github => output::stdout().raw(&diff::github::render(&report)),
    }

    let fail_on = args.fail_on.unwrap_or(if driver { FailOn::Never } else { FailOn::Breaking });
    let threshold = match fail_on {
        FailOn::Breaking => Some(Impact::Breaking),
        FailOn::Review => Some(Impact::Review),
        FailOn::Never => None,
    };
    let fails = threshold.is_some_and(|threshold| report.worst().is_some_and(|worst| worst >= threshold));
    Ok(Status::failed_if(fails))
}

impl Args {
    /// Under `--format github` every message is a workflow command, errors included.
    pub(crate) fn error_format(&self) -> ErrorFormat {
        ErrorFormat::github_if(self.format == DiffFormat::Github)
    }
}

/// The OLD and NEW sides the arguments name.
fn sides(args: &Args, driver: bool) -> Result<(Spec, Spec), CliError> {
    if let Some(rev) = &args.base {
        let paths = if args.sides.is_empty() { vec![".".to_owned()] } else { args.sides.clone() };
        let relative: Vec<String> = paths.iter().map(|path| relative_to_cwd(path)).collect();
        let old = Spec::Git { rev: rev.clone(), paths: relative };
        return Ok((old, Spec::Disk(paths.into_iter().map(PathBuf::from).collect())));
    }
    if driver {
        let [path, old_file, _old_hex, _old_mode, new_file, _new_hex, _new_mode] = args.sides.as_slice() else {
            return Err(CliError::input(format!(
                "--git-driver takes git's {DRIVER_ARGS} arguments: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE"
            )));
        };
        let placed = PathBuf::from(path);
        let old = Spec::Placed { placed: placed.clone(), text_from: PathBuf::from(old_file) };
        let new = Spec::Placed { placed, text_from: PathBuf::from(new_file) };
        return Ok((old, new));
    }
    match args.sides.as_slice() {
        [old, new] => Ok((Spec::parse(old), Spec::parse(new))),
        _ => Err(CliError::input(
            "`defuse diff` compares two sides: OLD NEW (each a file, a directory or REV:PATH), or --base REV [PATH]...",
        )),
    }
}

/// A working-tree path as `REV:PATH` wants it to mean the same file: `./path` is read
/// relative to the current directory (a bare path would be relative to the repository top).
fn relative_to_cwd(path: &str) -> String {
    if Path::new(path).is_absolute() || path.starts_with("./") || path.starts_with("../") {
        path.to_owned()
    } else if path == "." {
        "./".to_owned()
    } else {
        format!("./{path}")
    }
}
