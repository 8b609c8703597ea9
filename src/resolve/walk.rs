//! Finding `.defuse` files under the paths given on the command line.

use std::path::{Path, PathBuf};

use super::LoadError;
use crate::source::display_path;

pub const EXTENSION: &str = "defuse";

/// Every `*.defuse` file under `path` (recursively, respecting `.gitignore` and `.ignore`,
/// in sorted order), or `path` itself when it is a file.
pub fn defuse_files(path: &Path) -> (Vec<PathBuf>, Vec<LoadError>) {
    files(path, EXTENSION)
}

/// Every file ending in `.{extension}` under `path`, found as [`defuse_files`] finds scripts
/// (`defuse test` walks for `dtest`).
pub fn files(path: &Path, extension: &str) -> (Vec<PathBuf>, Vec<LoadError>) {
    if !path.is_dir() {
        let message = match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() => return (vec![path.to_path_buf()], Vec::new()),
            // Reading a FIFO or a device could block forever or never end.
            Ok(_) => "not a regular file",
            Err(_) => "no such file or directory",
        };
        return (Vec::new(), vec![LoadError { path: display_path(path), message: message.to_owned() }]);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(path).require_git(false).sort_by_file_name(|a, b| a.cmp(b)).build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.path().extension().is_some_and(|e| e == extension) {
                    files.push(entry.into_path());
                }
            }
            Err(error) => errors.push(LoadError { path: display_path(path), message: error.to_string() }),
        }
    }
    (files, errors)
}
