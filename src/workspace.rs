//! What one run works on: the effective config and the loaded project.
//!
//! Config: `--config FILE`, else the nearest `defuse.toml` in the first checked path or an
//! ancestor. Project root (for `use-outside-root`): the config's directory, else each
//! checked directory (a checked file's own directory).

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::resolve::{self, Input, Project};

pub struct Workspace {
    pub config: Config,
    pub project: Project,
}

impl Workspace {
    pub fn open(paths: &[PathBuf], explicit_config: Option<&Path>) -> Result<Workspace, Box<ConfigError>> {
        Workspace::open_with_progress(paths, explicit_config, |_| indicatif::ProgressBar::hidden())
    }

    /// [`Workspace::open`], reporting progress: once the files are found, `progress` is
    /// called with their number and returns the bar to advance as each file is parsed.
    pub fn open_with_progress(
        paths: &[PathBuf],
        explicit_config: Option<&Path>,
        progress: impl FnOnce(u64) -> indicatif::ProgressBar,
    ) -> Result<Workspace, Box<ConfigError>> {
        let start = paths.first().map(PathBuf::as_path).unwrap_or(Path::new("."));
        let config = find_config(start, explicit_config)?;
        let project = load(paths, &config, progress);
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

/// A checked directory itself, or a checked file's directory (`.` for a bare file name).
fn directory_of(path: &Path) -> PathBuf {
    let dir = if path.is_dir() { path.to_path_buf() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    }
}

fn load(paths: &[PathBuf], config: &Config, progress: impl FnOnce(u64) -> indicatif::ProgressBar) -> Project {
    let config_root = config
        .path
        .as_ref()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let (files, walk_errors) = resolve::walk::defuse_files(path);
        errors.extend(walk_errors);
        let checked = directory_of(path);
        let root = config_root.clone().or_else(|| std::fs::canonicalize(&checked).ok()).unwrap_or(checked);
        inputs.extend(files.into_iter().map(|file| Input { path: file, root: root.clone() }));
    }
    let progress = progress(inputs.len() as u64);
    let mut project = resolve::load_with_progress(inputs, &progress);
    progress.finish_and_clear();
    errors.append(&mut project.load_errors);
    project.load_errors = errors;
    project
}
