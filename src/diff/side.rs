//! One side of a diff: what a command-line argument names, loaded and checked through the
//! shared pipeline.
//!
//! - a file or directory on disk (walked as `check` walks it);
//! - `REV:PATH`, a file or directory at a git revision, read through
//!   [`crate::files::git::GitRevision`] so `use` resolves at that revision; PATH is relative
//!   to the repository's top, or to the current directory when it starts with `./` or `../`
//!   (git's own rule for `REV:PATH`);
//! - a text placed at a path (the git diff driver's temporary files), read from the file git
//!   hands over and resolved as if it were at PATH, so its `use`s find the working tree's
//!   libraries; `/dev/null` is the side of a file that does not exist.
//!
//! An argument that exists on disk is a path even if it holds a `:`. A `REV:PATH` whose PATH
//! the revision does not have (or has without scripts) is a side without scripts; a REV that
//! names no commit is bad input.

use std::path::{Path, PathBuf};

use crate::config::locales::Locale;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::files::git::GitRevision;
use crate::files::read::FileSource;
use crate::files::read::ReadError;
use crate::locale::translations::Translations;
use crate::resolve::{self, Input, LoadError, Project, Root, Unloadable};

/// What one side is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Spec {
    Disk(Vec<PathBuf>),
    Git {
        rev: String,
        paths: Vec<String>,
    },
    /// The file `text_from` read as if it were at `placed`.
    Placed {
        placed: PathBuf,
        text_from: PathBuf,
    },
}

impl Spec {
    /// The side an argument names.
    pub fn parse(argument: &str) -> Spec {
        if Path::new(argument).exists() {
            return Spec::Disk(vec![PathBuf::from(argument)]);
        }
        match argument.split_once(':') {
            Some((rev, path)) if !rev.is_empty() => Spec::Git { rev: rev.to_owned(), paths: vec![path.to_owned()] },
            _ => Spec::Disk(vec![PathBuf::from(argument)]),
        }
    }
}

/// A loaded, checked side.
pub(crate) struct Side {
    pub project: Project,
    pub diagnostics: Vec<Diagnostic>,
    /// The translation files of the diffed locale (`diff --locale L`), read from this side.
    pub translations: Option<crate::locale::translations::Translations>,
}

/// Why a side could not be loaded: its load errors, or one message.
#[derive(Debug)]
pub(crate) enum SideError {
    Load(Vec<LoadError>),
    Message(String),
}

/// Loads and checks the side `spec`, and with `locale` its translation files in that locale.
/// A side on disk is a whole `check` run: its config is `explicit` (`--config`), else the one
/// found from its own paths, so two checkouts of a project are each their own project. Other
/// sides use `config`. A git side's paths are relative to `base` (the command's working
/// directory, or why it has none).
pub fn load(
    spec: &Spec,
    config: &Config,
    explicit: Option<&Path>,
    base: &Result<PathBuf, String>,
    locale: Option<&Locale>,
) -> Result<Side, SideError> {
    let mut translations_from: Option<(Box<dyn FileSource>, PathBuf, PathBuf)> = None;
    let mut own_config: Option<Config> = None;
    let mut project = match spec {
        Spec::Disk(paths) => {
            let from = base.as_ref().ok().map(PathBuf::as_path);
            let workspace = crate::workspace::Workspace::open(paths, explicit, from)
                .map_err(|error| SideError::Message(error.message.clone()))?;
            let checked = paths.first().map_or(Path::new("."), PathBuf::as_path);
            let root = crate::workspace::root_of(checked, &workspace.config, from).path;
            let shown_root = crate::workspace::shown_root(checked, &workspace.config, from);
            translations_from = Some((Box::new(crate::files::read::Disk), root, shown_root));
            own_config = Some(workspace.config);
            workspace.project
        }
        Spec::Git { rev, paths } => {
            let (project, revision, shown_top) = load_git(rev, paths, base)?;
            let top = revision.top().to_path_buf();
            translations_from = Some((Box::new(revision), top, shown_top));
            project
        }
        Spec::Placed { placed, text_from } => {
            if text_from == Path::new("/dev/null") {
                Project::default()
            } else {
                let text = crate::files::read::read(text_from)
                    .map_err(|error| SideError::Load(vec![load_error(text_from, error.into())]))?;
                let from = base.as_ref().ok().map(PathBuf::as_path);
                crate::workspace::Workspace::open_text(placed, text, config.path.as_deref(), from)
                    .map_err(|error| SideError::Message(error.message.clone()))?
                    .project
            }
        }
    };
    if !project.load_errors.is_empty() {
        return Err(SideError::Load(project.load_errors));
    }
    let unparsed: Vec<String> = project
        .files()
        .filter(|&file| project.module(file).requested && project.module(file).ast.is_none())
        .map(|file| project.sources.get(file).display_path())
        .collect();
    if !unparsed.is_empty() {
        let errors = unparsed.into_iter().map(|path| LoadError { path, reason: Unloadable::DoesNotParse }).collect();
        return Err(SideError::Load(errors));
    }
    let config = own_config.as_ref().unwrap_or(config);
    let diagnostics = crate::check::check(&project, config);
    let translations = match (locale, translations_from) {
        (Some(locale), Some((source, root, shown_root))) => Some(Translations::load(
            &mut project,
            source.as_ref(),
            &root,
            &shown_root,
            &config.locales.dir,
            std::slice::from_ref(locale),
        )),
        _ => None,
    };
    Ok(Side { project, diagnostics, translations })
}

/// The project at a revision, the revision (to read its translation files) and its top as
/// reports name it.
fn load_git(
    rev: &str,
    paths: &[String],
    base: &Result<PathBuf, String>,
) -> Result<(Project, GitRevision, PathBuf), SideError> {
    let cwd = base.clone().map_err(SideError::Message)?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let revision = GitRevision::open(&cwd, rev).map_err(SideError::Message)?;
    let top = revision.top().to_path_buf();
    let root = Root { path: top.clone(), shown: crate::source::display_relative(&top, Some(&cwd)) };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let shown = format!("{rev}:{path}");
        let absolute = if path.starts_with("./") || path.starts_with("../") || path == "." || path == ".." {
            cwd.join(path)
        } else {
            top.join(path)
        };
        // A directory with no script, or a PATH the revision does not have (the base branch
        // of the pull request that adds scripts), holds no scripts: every script of the other
        // side is added or removed. An unreadable PATH (a huge link, a blob missing from a
        // partial clone, a path outside the repository) is still an error.
        let files = if revision.is_dir(&absolute) {
            revision.files_with_extension(&absolute, crate::resolve::walk::EXTENSION)
        } else {
            match crate::files::read::FileSource::canonicalize(&revision, &absolute) {
                Ok(_) => vec![absolute],
                Err(error) if error.kind() == std::io::ErrorKind::NotFound && revision.contains(&absolute) => {
                    Vec::new()
                }
                Err(error) => {
                    let reason = match error.kind() {
                        std::io::ErrorKind::NotFound => Unloadable::NotAtRevision { rev: rev.to_owned() },
                        // git's own words (`outside the repository`, a link too long).
                        kind => Unloadable::Read(ReadError::Io { kind, said: error.to_string() }),
                    };
                    errors.push(LoadError { path: shown, reason });
                    Vec::new()
                }
            }
        };
        inputs.extend(files.into_iter().map(|file| Input { path: shown_path(&file, &cwd), root: root.clone() }));
    }
    if !errors.is_empty() {
        return Err(SideError::Load(errors));
    }
    let mut project = resolve::load_from(&revision, inputs, &resolve::NoProgress);
    // A file that cannot be read is named as git names it (`main:scripts/a.defuse`), so the
    // message says which side and revision it is about.
    for error in &mut project.load_errors {
        let absolute = cwd.join(&error.path);
        if let Ok(relative) = absolute.strip_prefix(&top) {
            error.path = format!("{rev}:{}", relative.display());
        }
    }
    let shown_top = shown_path(&top, &cwd);
    Ok((project, revision, shown_top))
}

/// `file` as reports name it: relative to the current directory when it is below it.
fn shown_path(file: &Path, cwd: &Path) -> PathBuf {
    file.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or_else(|_| file.to_path_buf())
}

fn load_error(path: &Path, reason: Unloadable) -> LoadError {
    LoadError { path: crate::source::display_path(path), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_is_a_path_unless_it_names_a_revision() {
        assert_eq!(Spec::parse("src"), Spec::Disk(vec!["src".into()]));
        assert_eq!(Spec::parse("HEAD~1:scripts"), Spec::Git { rev: "HEAD~1".into(), paths: vec!["scripts".into()] });
        assert_eq!(Spec::parse("main:"), Spec::Git { rev: "main".into(), paths: vec!["".into()] });
        assert_eq!(Spec::parse(":x"), Spec::Disk(vec![":x".into()]));
    }
}
