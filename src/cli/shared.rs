//! Helpers the commands share: opening the workspace, the renderer, picking one script.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::error::{CliError, Problem, Status};
use crate::report::human::HumanRenderer;
use crate::resolve::Progress;
pub(crate) use crate::workspace::Workspace;

/// Runs with at least this many files show a progress bar (on a terminal only).
const PROGRESS_AT: u64 = 300;

/// Opens the workspace; a config error comes back as the command's error. A progress bar
/// shows on stderr while a large run is parsed, when stderr is a terminal.
pub fn open(paths: &[PathBuf], config: Option<&Path>) -> Result<Workspace, CliError> {
    let progress = |files: u64| -> Box<dyn Progress> {
        if files < PROGRESS_AT || !stderr_is_terminal() {
            return Box::new(indicatif::ProgressBar::hidden());
        }
        Box::new(
            indicatif::ProgressBar::new(files).with_style(
                indicatif::ProgressStyle::with_template("parsing {pos}/{len} files {wide_bar} {elapsed}")
                    .expect("the template is valid"),
            ),
        )
    };
    let workspace = Workspace::open_with_progress(paths, config, working_directory().as_deref(), progress)
        .map_err(|error| CliError::config(&error, &renderer(stderr_is_terminal())))?;
    for path in &workspace.project.empty_paths {
        crate::errln!("warning: `{}` {}", crate::output::terminal_name(path), crate::resolve::NO_SCRIPTS);
    }
    Ok(workspace)
}

/// The loader's progress drawn as a bar on stderr (hidden when the bar is).
impl Progress for indicatif::ProgressBar {
    fn advance(&self) {
        self.inc(1);
    }

    fn finish(&self) {
        self.finish_and_clear();
    }
}

/// The config alone (for commands that check nothing).
pub(crate) fn config(explicit: Option<&Path>) -> Result<crate::config::Config, CliError> {
    crate::workspace::find_config(Path::new("."), explicit)
        .map_err(|error| CliError::config(&error, &renderer(stderr_is_terminal())))
}

/// The renderer for a stream: colour as `--color` says (by default only on a terminal, and
/// never when NO_COLOR is set).
pub(crate) fn renderer(stream_is_terminal: bool) -> HumanRenderer {
    HumanRenderer::new(crate::output::use_color(stream_is_terminal), 100)
}

pub(crate) fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The directory the command runs in, which messages name paths relative to: read here,
/// in `cli/`, and given to the layers below (`None` when it is gone: paths are shown whole).
pub(crate) fn working_directory() -> Option<PathBuf> {
    std::env::current_dir().ok()
}

pub(crate) fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// [`compile_one_with_config`] in `locale` (`--locale L`; `None` or `none`: the source): the
/// script's text and the config's timing and phrases are the locale's.
pub(crate) fn compile_one_in(
    path: &Path,
    name: Option<&str>,
    locale: Option<&str>,
) -> Result<(crate::config::Config, crate::resolve::Project, crate::source::FileId), CliError> {
    let (config, mut project, file) = compile_one_with_config(path, name)?;
    let asked = locale.map(|locale| asked_locales(&[locale.to_owned()])).transpose()?;
    let Some(locale) = asked.and_then(|(locales, _)| locales.into_iter().next()) else {
        return Ok((config, project, file));
    };
    let localised = localise(&mut project, &config, path, &locale)?;
    Ok((config.for_locale(&locale), localised.project, file))
}

/// Loads and checks `path` and picks one script from it (by `name` when given), with the config
/// it checked with (e.g. for `[timing]`). Errors in the script come back as the command's error,
/// with their diagnostics (exit 1).
pub(crate) fn compile_one_with_config(
    path: &Path,
    name: Option<&str>,
) -> Result<(crate::config::Config, crate::resolve::Project, crate::source::FileId), CliError> {
    use crate::diagnostic::Severity;

    let Workspace { config, mut project } = open(&[path.to_path_buf()], None)?;
    let diagnostics = crate::check::check(&project, &config);
    if !project.load_errors.is_empty() {
        return Err(CliError::unreadable(std::mem::take(&mut project.load_errors)));
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.severity == Severity::Error).collect();
        let report = renderer(stderr_is_terminal()).render_all(&project, &errors);
        return Err(CliError::many(Status::Failed, vec![Problem::Report(report)]));
    }
    let scripts = project.requested_scripts();
    let names = || scripts.iter().map(|&f| format!("`{}`", project.item(f).unwrap().name.name)).collect::<Vec<_>>();
    let chosen = match name {
        Some(name) => scripts.iter().copied().find(|&f| project.item(f).is_some_and(|i| i.name.name == name)),
        None if scripts.len() == 1 => Some(scripts[0]),
        None => None,
    };
    match chosen {
        Some(file) => Ok((config, project, file)),
        None => Err(CliError::input(match (name, scripts.len()) {
            (_, 0) => format!("`{}` holds no script", path.display()),
            (Some(name), _) => format!("no script `{name}` in `{}`; it holds {}", path.display(), names().join(", ")),
            (None, _) => format!(
                "`{}` holds several scripts ({}); choose one with --script NAME",
                path.display(),
                names().join(", ")
            ),
        })),
    }
}

/// `--locale` values as asked: locale ids (`fr-CA` is read as `fr_CA`), or `none` (the source
/// only). Returns the locales and whether `none` was given.
pub(crate) fn asked_locales(values: &[String]) -> Result<(Vec<crate::config::locales::Locale>, bool), CliError> {
    let mut locales = Vec::new();
    let mut none = false;
    for value in values {
        if value == "none" {
            none = true;
            continue;
        }
        let locale = crate::config::locales::Locale::parse(value)
            .map_err(|message| CliError::input(format!("--locale: {message}")))?;
        if !locales.contains(&locale) {
            locales.push(locale);
        }
    }
    if none && !locales.is_empty() {
        return Err(CliError::input("--locale none cannot be combined with other locales"));
    }
    Ok((locales, none))
}

/// `project` in `locale`, for a command that emits or rehearses it. What keeps lines in the
/// source language is printed on stderr as warnings; an error (`placeholder-mismatch`,
/// `locale-file`) stops the command: nothing is written.
pub(crate) fn localise(
    project: &mut crate::resolve::Project,
    config: &crate::config::Config,
    checked: &Path,
    locale: &crate::config::locales::Locale,
) -> Result<crate::locale::localise::Localised, CliError> {
    let from = working_directory();
    let root = crate::workspace::root_of(checked, config, from.as_deref());
    let base = crate::workspace::shown_root(checked, config, from.as_deref());
    let (localised, diagnostics) =
        crate::check::locales::in_locale(project, config, &crate::files::read::Disk, (&root.path, &base), locale);
    if !diagnostics.is_empty() {
        let _ =
            renderer(stderr_is_terminal()).write_all(project, &diagnostics, &mut crate::output::stderr().raw_writer());
    }
    if diagnostics.iter().any(|d| d.severity == crate::diagnostic::Severity::Error) {
        return Err(CliError::failed(format!("the {locale} translation has errors; nothing was written")));
    }
    Ok(localised)
}
