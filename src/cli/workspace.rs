//! From command-line paths to a loaded project: config discovery, project roots, walking.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::report::human::HumanRenderer;
use crate::resolve::{self, Input, LoadError, Project};

/// The config for a run: `--config FILE`, else the nearest `defuse.toml` above `start`.
pub fn load_config(explicit: Option<&Path>, start: &Path) -> Result<Config, ()> {
    let start_dir =
        if start.is_dir() { start.to_path_buf() } else { start.parent().map(Path::to_path_buf).unwrap_or_default() };
    let start_dir = if start_dir.as_os_str().is_empty() { PathBuf::from(".") } else { start_dir };
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => Config::discover(&start_dir),
    };
    let Some(path) = path else { return Ok(Config::default()) };
    Config::load(&path).map_err(|error| {
        eprintln!("{:?}", miette::Report::new(*error));
    })
}

/// Loads every file under `paths` with the project root each `use` must stay in.
pub fn load(paths: &[PathBuf], config: &Config) -> Project {
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
        let checked_dir =
            if path.is_dir() { path.clone() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
        let checked_dir = if checked_dir.as_os_str().is_empty() { PathBuf::from(".") } else { checked_dir };
        let root = config_root.clone().or_else(|| std::fs::canonicalize(&checked_dir).ok()).unwrap_or(checked_dir);
        inputs.extend(files.into_iter().map(|file| Input { path: file, root: root.clone() }));
    }
    let mut project = resolve::load(inputs);
    errors.append(&mut project.load_errors);
    project.load_errors = errors;
    project
}

pub fn print_load_errors(errors: &[LoadError]) {
    for error in errors {
        eprintln!("error: cannot read `{}`: {}", error.path, error.message);
    }
}

/// The renderer for the terminal: colour only on a TTY, and never when NO_COLOR is set.
pub fn renderer(stream_is_terminal: bool) -> HumanRenderer {
    let color = stream_is_terminal && std::env::var_os("NO_COLOR").is_none();
    HumanRenderer::new(color, 100)
}

pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
