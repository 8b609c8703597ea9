//! `defuse check` on `.dtest` files: a broken test file (it does not parse, its script is
//! missing or broken, a name in it does not resolve) fails the check like a broken script.
//! Tests are not run: that is `defuse test`'s job.

use std::path::{Path, PathBuf};

use super::{Suite, EXTENSION};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::resolve::{Input, Module, Project};
use crate::source::SourceFile;

/// Finds the `.dtest` files under `paths`, adds them to `project` (as sources without a
/// module AST, so reports can show them) and their problems to `diagnostics`, re-sorted.
pub fn add_test_files(
    project: &mut Project,
    paths: &[PathBuf],
    config: &Config,
    from: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // A file named on the command line comes back whatever its extension: keep test files only.
    let files: Vec<Input> = paths
        .iter()
        .flat_map(|path| {
            let root = crate::workspace::root_of(path, config, from);
            crate::resolve::walk::files(path, EXTENSION)
                .0
                .into_iter()
                .map(move |file| Input { path: file, root: root.clone() })
        })
        .filter(|file| file.path.extension().is_some_and(|e| e == EXTENSION))
        .collect();
    if files.is_empty() {
        return;
    }
    let suite = Suite::load(&files, config);
    let problems = suite.static_problems();
    let mut moved = std::collections::HashMap::new();
    for file in &suite.files {
        let source = suite.sources.get(file.id);
        let id = project.sources.add(SourceFile::new(source.path.clone(), source.text.clone()));
        project.modules.push(Module {
            ast: None,
            uses: Vec::new(),
            imports: Default::default(),
            nodes: Default::default(),
            requested: false,
        });
        moved.insert(file.id, id);
    }
    for mut problem in problems {
        problem.move_files(|file| moved[&file]);
        diagnostics.push(problem);
    }
    project.load_errors.extend(suite.load_errors);
    crate::check::sort(project, diagnostics);
}
