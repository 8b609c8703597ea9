//! Finding `.defuse` files under the paths given on the command line.
//!
//! A walk sees what git sees: hidden files and directories are checked like any other (only
//! `.git` is skipped), and the ignore rules are git's own — `.gitignore` files inside the
//! repository, `.git/info/exclude` and the global excludes — never a `.gitignore` above the
//! repository's top (`require_git`: rules only apply up to the directory holding `.git`), nor
//! `.ignore` files. Outside a repository nothing is ignored. A `*.defuse` entry that is not a
//! regular file (a FIFO, device or socket) is an error, never skipped and never opened.
//! Symlinks met in a walk are not followed (git does not follow them either).

use std::path::{Path, PathBuf};

use super::{LoadError, Unloadable};
use crate::files::read::{not_regular, ReadError};
use crate::source::display_path;

pub(crate) const EXTENSION: &str = "defuse";

/// Every `*.defuse` file under `path` (recursively, ignoring as git does, in sorted order),
/// or `path` itself when it is a file.
pub fn defuse_files(path: &Path) -> (Vec<PathBuf>, Vec<LoadError>) {
    files(path, EXTENSION)
}

/// Every file ending in `.{extension}` under `path`, found as [`defuse_files`] finds scripts
/// (`defuse test` walks for `dtest`).
pub fn files(path: &Path, extension: &str) -> (Vec<PathBuf>, Vec<LoadError>) {
    if !path.is_dir() {
        let error = match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_file() => return (vec![path.to_path_buf()], Vec::new()),
            // Reading a FIFO or a device could block forever or never end.
            Ok(metadata) => not_regular(&metadata.file_type()),
            Err(_) => ReadError::missing(),
        };
        return (Vec::new(), vec![LoadError { path: display_path(path), reason: error.into() }]);
    }
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(path)
        .hidden(false)
        .ignore(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .require_git(true)
        .filter_entry(|entry| entry.file_name() != ".git")
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.path().extension().is_none_or(|e| e != extension) {
                    continue;
                }
                let Some(file_type) = entry.file_type() else { continue };
                if file_type.is_file() {
                    files.push(entry.into_path());
                } else if !file_type.is_dir() && !file_type.is_symlink() {
                    // Refused from the directory entry's type: a device is never even opened.
                    errors.push(LoadError { path: display_path(entry.path()), reason: not_regular(&file_type).into() });
                }
            }
            Err(error) => {
                errors.push(LoadError { path: display_path(path), reason: Unloadable::Walk(error.to_string()) })
            }
        }
    }
    (files, errors)
}
