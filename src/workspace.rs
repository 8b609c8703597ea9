//! What one run works on: the effective config and the loaded project.
//!
//! Config: `--config FILE`, else the nearest `defuse.toml` in the first checked path or an
//! ancestor. Project root (for `use-outside-root`): the directory holding the config *as
//! found* — a `defuse.toml` that is a symlink does not move the root to its target's directory
//! — else each checked directory (a checked file's own directory). Roots are canonical.
//!
//! A checked path that holds no `*.defuse` file is reported (`Project::empty_paths`); a
//! run with no file at all is a load error (exit status 2), so CI never passes by checking
//! nothing.

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::files::read::{Disk, Overlay, ReadError};
use crate::resolve::{self, Input, Project, Root, Unloadable};

pub struct Workspace {
    pub config: Config,
    pub project: Project,
}

/// `from` in this module is the command's working directory, which messages name paths
/// relative to (`None`: whole); only `cli/` reads the process's.
impl Workspace {
    pub fn open(
        paths: &[PathBuf],
        explicit_config: Option<&Path>,
        from: Option<&Path>,
    ) -> Result<Workspace, Box<ConfigError>> {
        Workspace::open_with_progress(paths, explicit_config, from, |_| Box::new(resolve::NoProgress))
    }

    /// [`Workspace::open`], reporting progress: once the files are found, `progress` is
    /// called with their number and returns what to tell as each file is parsed.
    pub(crate) fn open_with_progress(
        paths: &[PathBuf],
        explicit_config: Option<&Path>,
        from: Option<&Path>,
        progress: impl FnOnce(u64) -> Box<dyn resolve::Progress>,
    ) -> Result<Workspace, Box<ConfigError>> {
        let start = paths.first().map(PathBuf::as_path).unwrap_or(Path::new("."));
        let config = find_config(start, explicit_config)?;
        let project = load(paths, &config, from, progress);
        Ok(Workspace { config, project })
    }

    /// One file read from standard input (`check -`), placed at `name`: reports show `name`,
    /// its `use`s resolve from `name`'s directory (which must exist), and its config is found
    /// from there. The text shadows any file at `name` through an in-memory overlay.
    pub(crate) fn open_text(
        name: &Path,
        text: std::sync::Arc<String>,
        explicit_config: Option<&Path>,
        from: Option<&Path>,
    ) -> Result<Workspace, Box<ConfigError>> {
        let config = find_config(name, explicit_config)?;
        let mut project = Project::default();
        let dir = directory_of_file(name);
        let placed = std::fs::canonicalize(dir).and_then(|dir| match name.file_name() {
            Some(file_name) => Ok(dir.join(file_name)),
            None => Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it names no file")),
        });
        match placed {
            Ok(placed) => {
                let root =
                    config_root(&config).unwrap_or_else(|| placed.parent().map(Path::to_path_buf).unwrap_or_default());
                let root = Root { shown: crate::source::display_relative(&root, from), path: root };
                let mut overlay = Overlay::new(Disk);
                overlay.insert(placed, text);
                let input = Input { path: name.to_path_buf(), root };
                project = resolve::load_from(&overlay, vec![input], &resolve::NoProgress);
            }
            Err(error) => project.load_errors.push(resolve::LoadError {
                path: crate::source::display_path(name),
                reason: Unloadable::CannotPlaceStdin(ReadError::io(&error)),
            }),
        }
        Ok(Workspace { config, project })
    }
}

/// `explicit` when given, else the nearest `defuse.toml` for `start`, else the defaults.
pub fn find_config(start: &Path, explicit: Option<&Path>) -> Result<Config, Box<ConfigError>> {
    match explicit.map(Path::to_path_buf).or_else(|| Config::discover(&directory_of(start))) {
        Some(path) => Config::load(&path),
        None => Ok(Config::default()),
    }
}

/// The nearest `defuse.toml` governing `file`: in its directory or an ancestor's.
pub(crate) fn config_path_of(file: &Path) -> Option<PathBuf> {
    Config::discover(file.parent()?)
}

/// The config at `path` (the defaults without one), and why it does not load when it does
/// not. Unlike [`find_config`], a broken config keeps its path: the project root stays its
/// directory while it is being fixed, as it is for `check` once it is (else `use "../lib"`
/// would escape the root meanwhile). For a caller that goes on with the defaults: the
/// language server.
pub(crate) fn config_or_defaults(path: Option<&Path>) -> (Config, Option<Box<ConfigError>>) {
    match path {
        None => (Config::default(), None),
        Some(path) => match Config::load(path) {
            Ok(config) => (config, None),
            Err(error) => {
                let mut config = Config::default();
                config.path = Some(path.to_path_buf());
                (config, Some(error))
            }
        },
    }
}

/// The project roots of the files under one config, its directory found once: the config's
/// directory, else each file's own (as `check FILE` has it). For files already canonical,
/// which the language server's are; [`root_of`] is the same for the paths a user names.
pub(crate) struct Roots {
    config_root: Option<PathBuf>,
}

impl Roots {
    pub(crate) fn of(config: &Config) -> Roots {
        Roots::under(config.path.as_deref())
    }

    /// The roots under the config at `config_path` (`None`: no config).
    pub(crate) fn under(config_path: Option<&Path>) -> Roots {
        Roots { config_root: config_path.and_then(|path| std::fs::canonicalize(directory_of_file(path)).ok()) }
    }

    /// The config's directory, canonical: `None` without a config.
    pub(crate) fn config_root(&self) -> Option<&Path> {
        self.config_root.as_deref()
    }

    pub(crate) fn of_file(&self, file: &Path) -> PathBuf {
        self.config_root.clone().unwrap_or_else(|| file.parent().map(Path::to_path_buf).unwrap_or_default())
    }
}

/// Every script under `dir` that `check dir` would check (git-ignored ones left out).
pub(crate) fn scripts_under(dir: &Path) -> Vec<PathBuf> {
    resolve::walk::defuse_files(dir).0
}

/// Every file ending in `.extension` under `dir`, walked as scripts are (`dtest` for tests).
pub(crate) fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    resolve::walk::files(dir, extension).0
}

/// A checked directory itself, or a checked file's directory (`.` for a bare file name).
fn directory_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

/// The directory holding the config as named, canonical. Canonicalizing the file itself
/// would follow a committed `defuse.toml -> /some/file` symlink and make `/some` the root.
fn config_root(config: &Config) -> Option<PathBuf> {
    Roots::of(config).config_root
}

/// The project root for the files found under `checked`: the config's directory, else the
/// checked directory (a checked file's own directory), canonical when it exists.
pub fn root_of(checked: &Path, config: &Config, from: Option<&Path>) -> Root {
    let checked = directory_of(checked);
    let path = config_root(config).or_else(|| std::fs::canonicalize(&checked).ok()).unwrap_or(checked);
    Root { shown: crate::source::display_relative(&path, from), path }
}

/// The project root as the user named it: the config's directory as written, else the checked
/// directory (a checked file's own). Reports show translation files from here.
pub fn shown_root(checked: &Path, config: &Config, from: Option<&Path>) -> PathBuf {
    match &config.path {
        // A discovered config is named from the root of the file system.
        Some(path) => PathBuf::from(crate::source::display_relative(directory_of_file(path), from)),
        None => directory_of(checked),
    }
}

fn load(
    paths: &[PathBuf],
    config: &Config,
    from: Option<&Path>,
    progress: impl FnOnce(u64) -> Box<dyn resolve::Progress>,
) -> Project {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut empty = Vec::new();
    for path in paths {
        let (files, walk_errors) = resolve::walk::defuse_files(path);
        if files.is_empty() && walk_errors.is_empty() {
            empty.push(crate::source::display_path(path));
        }
        errors.extend(walk_errors);
        let root = root_of(path, config, from);
        inputs.extend(files.into_iter().map(|file| Input { path: file, root: root.clone() }));
    }
    if inputs.is_empty() && errors.is_empty() {
        // Nothing to check at all: an error, or CI would pass having checked nothing.
        for path in std::mem::take(&mut empty) {
            errors.push(resolve::LoadError { path, reason: Unloadable::NoScripts });
        }
    }
    let progress = progress(inputs.len() as u64);
    let mut project = resolve::load_with_progress(inputs, progress.as_ref());
    progress.finish();
    errors.append(&mut project.load_errors);
    project.load_errors = errors;
    project.empty_paths = empty;
    project
}

/// The directory holding `file` as named (`.` for a bare file name).
fn directory_of_file(file: &Path) -> &Path {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
