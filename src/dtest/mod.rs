//! Transcript tests (spec section 7): `.dtest` files that replay a conversation through a
//! script and say what must come out. `defuse test` runs them; `defuse check` reports the
//! ones that are broken; `defuse play --record` writes one.
//!
//! One concept per file: [`parse`] (text → [`ast`], errors in the writer's words), `names`
//! (a test's names resolved against its script), [`run`] (the walk and the expectations),
//! [`coverage`], [`report`] (human, JSON, JUnit, GitHub) and [`record`] (a walk written as a
//! test). Walks use the conversation model [`crate::call`] and nothing else.
//!
//! **Invariant:** every problem of a `.dtest` file, and every failure, is a [`Diagnostic`]
//! with code [`CODE`], labelled in the `.dtest`; a failure also points at the script's node.

pub mod ast;
pub mod check;
pub(crate) mod coverage;
pub mod format;
mod names;
pub mod parse;
pub mod record;
pub(crate) mod report;
pub mod run;
mod seconds;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::call::Call;
use crate::config::locales::Locale;
use crate::config::timing::Timing;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::files::read::Disk;
use crate::graph::ScriptGraph;
use crate::locale::localise::Localised;
use crate::locale::translations::Translations;
use crate::resolve::{self, Input, LoadError, Project, Unloadable};
use crate::source::{display_path, FileId, SourceFile, Sources};
use crate::syntax::ast::ItemKind;

pub(crate) use names::Script;

/// The code of every transcript-test diagnostic.
pub(crate) const CODE: crate::diagnostic::Code = crate::diagnostic::Code::Test;

/// The extension of transcript-test files.
pub const EXTENSION: &str = "dtest";

/// One `.dtest` file of a suite.
pub struct TestFile {
    /// Its id in [`Suite::sources`].
    pub id: FileId,
    /// `None` when it does not parse.
    pub ast: Option<ast::DtestFile>,
    /// The script it tests, in [`Suite::project`]; `None` when the file or script is broken.
    pub script: Option<FileId>,
}

/// Every `.dtest` file of a run, and the scripts they test, loaded and checked.
pub struct Suite {
    /// The scripts under test and what they `use`.
    pub project: Project,
    /// The project's sources, then the `.dtest` files: every label of every report.
    pub sources: Sources,
    pub files: Vec<TestFile>,
    /// Problems that stop a file's tests from running: parse errors, a missing or broken script
    /// (with the script's own errors).
    pub diagnostics: Vec<Diagnostic>,
    pub load_errors: Vec<LoadError>,
    /// The config's `[timing]`, for `expect under`.
    pub timing: Timing,
    /// The locale every test runs in (`test --locale L`), unless its file declares one.
    locale: Option<Locale>,
    /// The project in each locale a test runs in, with that locale's `[timing]`.
    localised: HashMap<Locale, (Localised, Timing)>,
}

impl Suite {
    /// Reads and parses `tests` (`.dtest` files, each with its project root), then loads and
    /// checks the scripts they use. A test file and the script it uses are read like a
    /// checked script and its `use`: regular files only, and nothing outside the root is read.
    pub fn load(tests: &[Input], config: &Config) -> Suite {
        Suite::load_in(tests, config, None)
    }

    /// [`Suite::load`], running every test in `locale` (`test --locale L`): a test written in
    /// the source language picks and checks `says` by the source text, times `expect under`
    /// with the locale's text and timing, and fails when its walk passes a line whose
    /// translation is not used. A file with `locale "L"` always runs in `L`, written in it.
    pub(crate) fn load_in(tests: &[Input], config: &Config, locale: Option<&Locale>) -> Suite {
        let mut load_errors = Vec::new();
        let mut texts = Vec::new();
        for test in tests {
            if std::fs::canonicalize(&test.path).is_ok_and(|canonical| resolve::links_out(&Disk, test, &canonical)) {
                load_errors.push(LoadError { path: display_path(&test.path), reason: resolve::links_out_reason(test) });
                continue;
            }
            match crate::files::read::read(&test.path) {
                Ok(text) => texts.push((test, text)),
                Err(error) => load_errors.push(LoadError { path: display_path(&test.path), reason: error.into() }),
            }
        }
        let parsed: Vec<parse::Parsed> = {
            use rayon::prelude::*;
            texts.par_iter().map(|(_, text)| parse::parse(FileId::from_index(0), text)).collect()
        };

        // The scripts under test: each `use`, relative to its `.dtest` file and inside its root.
        let script_paths: Vec<Option<Result<PathBuf, Unloadable>>> = texts
            .iter()
            .zip(&parsed)
            .map(|((test, _), parsed)| {
                let used = &parsed.file.as_ref()?.script.value;
                Some(resolve::locate_use(&test.path, &test.root, used))
            })
            .collect();
        let inputs: Vec<Input> = texts
            .iter()
            .zip(&script_paths)
            .filter_map(|((test, _), path)| match path {
                Some(Ok(path)) if path.is_file() => Some(Input { path: path.clone(), root: test.root.clone() }),
                _ => None,
            })
            .collect();
        let mut project = resolve::load(inputs);
        load_errors.append(&mut project.load_errors);
        let checked = crate::check::check(&project, config);

        // Every locale a test runs in, localised before the test files are numbered: the
        // translation files join the project's sources.
        let mut wanted: Vec<Locale> = locale.into_iter().cloned().collect();
        for parsed in &parsed {
            let declared = parsed.file.as_ref().and_then(|file| file.locale.as_ref());
            if let Some(declared) = declared.and_then(|text| Locale::parse(&text.value).ok()) {
                if !wanted.contains(&declared) {
                    wanted.push(declared);
                }
            }
        }
        let mut localised = HashMap::new();
        if let Some((test, _)) = texts.first().filter(|_| !wanted.is_empty()) {
            let base = PathBuf::from(&test.root.shown);
            let translations =
                Translations::load(&mut project, &Disk, &test.root.path, &base, &config.locales.dir, &wanted);
            let settings = crate::locale::localise::Settings::of(config);
            for locale in wanted {
                let project = crate::locale::localise::localise(&project, &translations, &locale, &settings);
                let timing = config.for_locale(&locale).timing;
                localised.insert(locale, (project, timing));
            }
        }

        let mut sources = Sources::default();
        for id in project.sources.ids() {
            let source = project.sources.get(id);
            sources.add(SourceFile::new(source.path.clone(), source.text.clone()));
        }
        let by_canonical: HashMap<PathBuf, FileId> = project
            .files()
            .filter(|&id| project.module(id).requested)
            .filter_map(|id| Some((std::fs::canonicalize(&project.sources.get(id).path).ok()?, id)))
            .collect();

        let mut diagnostics = Vec::new();
        let mut reported_script_errors = vec![false; project.sources.len()];
        let mut files = Vec::new();
        for (((test, text), parsed), script_path) in texts.into_iter().zip(parsed).zip(script_paths) {
            let id = sources.add(SourceFile::new(test.path.clone(), text));
            diagnostics.extend(parsed.diagnostics.into_iter().map(|d| moved_to(d, id)));
            let script = match (&parsed.file, script_path) {
                (Some(file), Some(script_path)) => {
                    let found = script_path
                        .as_ref()
                        .ok()
                        .and_then(|path| std::fs::canonicalize(path).ok())
                        .and_then(|c| by_canonical.get(&c).copied());
                    match script_problem(&project, &checked, found, &file.script.value, &script_path) {
                        Ok(script) => Some(script),
                        Err((message, help, errors)) => {
                            let mut diagnostic =
                                Diagnostic::new(CODE, id, file.script.span, message).label("the script under test");
                            if let Some(help) = help {
                                diagnostic = diagnostic.help(help);
                            }
                            diagnostics.push(diagnostic);
                            for error in errors {
                                if !reported_script_errors[error.index()] {
                                    reported_script_errors[error.index()] = true;
                                    diagnostics.extend(
                                        checked
                                            .iter()
                                            .filter(|d| d.severity == Severity::Error && d.file() == error)
                                            .cloned(),
                                    );
                                }
                            }
                            None
                        }
                    }
                }
                _ => None,
            };
            files.push(TestFile { id, ast: parsed.file, script });
        }
        Suite {
            project,
            sources,
            files,
            diagnostics,
            load_errors,
            timing: config.timing.clone(),
            locale: locale.cloned(),
            localised,
        }
    }

    /// Runs every test of every file that can run, in file and test order.
    pub fn run(&self) -> Results {
        let mut graphs: HashMap<FileId, ScriptGraph> = HashMap::new();
        for file in &self.files {
            if let Some(script) = file.script {
                graphs.entry(script).or_insert_with(|| ScriptGraph::build(&self.project, script));
            }
        }
        let scripts: HashMap<FileId, Script> =
            graphs.iter().map(|(&id, graph)| (id, Script::new(Call::new(&self.project, graph)))).collect();
        // The same scripts in each locale a test runs in: the same graph shape, other texts.
        let localised_graphs: HashMap<(&Locale, FileId), ScriptGraph> = self
            .localised
            .iter()
            .flat_map(|(locale, (localised, _))| {
                graphs.keys().map(move |&id| ((locale, id), ScriptGraph::build(&localised.project, id)))
            })
            .collect();
        let localised_scripts: HashMap<(&Locale, FileId), Script> = localised_graphs
            .iter()
            .map(|(&(locale, id), graph)| {
                let project = &self.localised[locale].0.project;
                ((locale, id), Script::new(Call::new(project, graph)))
            })
            .collect();
        let scripts = Scripts { source: scripts, localised: localised_scripts };
        // Files run in parallel; results keep file and test order (collect is ordered).
        use rayon::prelude::*;
        let per_file: Vec<Vec<(TestResult, Vec<petgraph::graph::EdgeIndex>)>> =
            self.files.par_iter().map(|file| self.run_file(file, &scripts)).collect();
        let scripts = scripts.source;
        let mut results = Vec::new();
        let mut walked: HashMap<FileId, Vec<bool>> =
            scripts.iter().map(|(&id, script)| (id, vec![false; script.call.graph.graph.edge_count()])).collect();
        for (file, file_results) in self.files.iter().zip(per_file) {
            for (result, edges) in file_results {
                if let Some(seen) = file.script.and_then(|id| walked.get_mut(&id)) {
                    for edge in edges {
                        seen[edge.index()] = true;
                    }
                }
                results.push(result);
            }
        }
        let mut tested: Vec<FileId> = scripts.keys().copied().collect();
        tested.sort_unstable();
        let uncovered = tested.iter().flat_map(|id| coverage::uncovered(&scripts[id], &walked[id])).collect::<Vec<_>>();
        Results { results, uncovered }
    }

    /// The results of one file's tests, with the edges each walked.
    fn run_file(&self, file: &TestFile, scripts: &Scripts) -> Vec<(TestResult, Vec<petgraph::graph::EdgeIndex>)> {
        let Some(ast) = &file.ast else { return Vec::new() };
        let line = |test: &ast::Test| self.sources.get(file.id).line_col(test.name.span.start()).line;
        let declared = match ast.locale.as_ref().map(|text| (text, Locale::parse(&text.value))) {
            Some((text, Err(message))) => {
                let failure = Diagnostic::new(CODE, file.id, text.span, message).label("not a locale");
                return self.all_fail(file, ast, failure);
            }
            Some((_, Ok(locale))) => Some(locale),
            None => None,
        };
        let locale = declared.clone().or_else(|| self.locale.clone());
        let Some(script) = file.script.map(|id| &scripts.source[&id]) else {
            // The script is missing or broken: each test fails with the reason.
            let cause =
                self.diagnostics.iter().find(|d| d.file() == file.id).cloned().unwrap_or_else(|| {
                    Diagnostic::new(CODE, file.id, ast.script.span, "the script under test cannot run")
                });
            return self.all_fail(file, ast, cause);
        };
        let id = file.script.expect("a script was found");
        let in_locale = locale.as_ref().map(|locale| {
            let (localised, timing) = &self.localised[locale];
            (&scripts.localised[&(locale, id)], localised, timing)
        });
        // A test written in the locale walks the locale's script; one written in the source
        // walks the source's, timed in the locale.
        let walked = match (&declared, in_locale) {
            (Some(_), Some((localised, _, _))) => localised,
            _ => script,
        };
        let timed = match in_locale {
            Some((localised, _, timing)) => run::Timed { call: &localised.call, timing },
            None => run::Timed { call: &script.call, timing: &self.timing },
        };
        ast.tests
            .iter()
            .map(|test| {
                let mut run = run::run(walked, file.id, test, timed);
                if let (None, Some((_, localised, _))) = (&run.failure, in_locale) {
                    run.failure = fell_back(walked, file.id, test, &run.walk, localised);
                }
                let result = TestResult {
                    file: file.id,
                    name: test.name.value.clone(),
                    line: line(test),
                    walk: run.walk.iter().map(|&n| walked.call.id(n)).collect(),
                    failure: run.failure,
                };
                (result, run.edges)
            })
            .collect()
    }

    /// Every test of `file` failing with `failure`.
    fn all_fail(
        &self,
        file: &TestFile,
        ast: &ast::DtestFile,
        failure: Diagnostic,
    ) -> Vec<(TestResult, Vec<petgraph::graph::EdgeIndex>)> {
        let line = |test: &ast::Test| self.sources.get(file.id).line_col(test.name.span.start()).line;
        ast.tests
            .iter()
            .map(|test| {
                let result = TestResult {
                    file: file.id,
                    name: test.name.value.clone(),
                    line: line(test),
                    walk: Vec::new(),
                    failure: Some(failure.clone()),
                };
                (result, Vec::new())
            })
            .collect()
    }

    /// What is wrong with the `.dtest` files themselves, without running a test: parse errors,
    /// a missing or broken script under test, names that do not resolve. Labels only point
    /// into the `.dtest` files (a broken script's own errors are `defuse check`'s to report).
    pub(crate) fn static_problems(&self) -> Vec<Diagnostic> {
        let is_test_file = |id: FileId| self.files.iter().any(|f| f.id == id);
        let mut problems: Vec<Diagnostic> =
            self.diagnostics.iter().filter(|d| is_test_file(d.file())).cloned().collect();
        for file in &self.files {
            let (Some(ast), Some(script)) = (&file.ast, file.script) else { continue };
            // A test written in a locale names the locale's replies and options.
            let declared = ast.locale.as_ref().and_then(|text| Locale::parse(&text.value).ok());
            let project = match declared.and_then(|locale| self.localised.get(&locale)) {
                Some((localised, _)) => &localised.project,
                None => &self.project,
            };
            let graph = ScriptGraph::build(project, script);
            let script = Script::new(Call::new(project, &graph));
            problems.extend(
                ast.tests
                    .iter()
                    .filter_map(|test| names::plan(&script, file.id, test, names::Labels::Checked).err().map(|d| *d)),
            );
        }
        problems
    }

    /// Whether anything stops the suite from passing before a test runs.
    pub(crate) fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }
}

/// The outcome of one test.
#[derive(Debug)]
pub struct TestResult {
    /// The `.dtest` file, in [`Suite::sources`].
    pub file: FileId,
    pub name: String,
    /// The line of the test's name.
    pub line: usize,
    /// The node ids the call visited.
    pub walk: Vec<String>,
    /// `None` when the test passed.
    pub failure: Option<Diagnostic>,
}

/// What a suite's run found.
#[derive(Debug)]
pub struct Results {
    pub results: Vec<TestResult>,
    /// Every edge of a tested script that no test walked.
    pub uncovered: Vec<coverage::Uncovered>,
}

impl Results {
    pub(crate) fn failed(&self) -> usize {
        self.results.iter().filter(|r| r.failure.is_some()).count()
    }
}

/// Text from a script or test as a message shows it inside quotes: `"` and `\` escaped, and
/// control characters as visible escapes, so a message is one safe line.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    out
}

/// `diagnostic` with every label in file `id` (a `.dtest` was parsed before its id was known).
fn moved_to(mut diagnostic: Diagnostic, id: FileId) -> Diagnostic {
    diagnostic.move_files(|_| id);
    diagnostic
}

type ScriptProblem = (String, Option<String>, Vec<FileId>);

/// The scripts tests walk: as written, and in each locale a test runs in.
struct Scripts<'p, 'l> {
    source: HashMap<FileId, Script<'p>>,
    localised: HashMap<(&'l Locale, FileId), Script<'p>>,
}

/// The failure of a passing walk in a locale that passes a node whose text there fell back to
/// the source (a missing, fuzzy or mismatched translation), at the test's name.
fn fell_back(
    script: &Script,
    file: FileId,
    test: &ast::Test,
    walk: &[petgraph::graph::NodeIndex],
    localised: &Localised,
) -> Option<Diagnostic> {
    let call = &script.call;
    let node = walk.iter().copied().find(|&node| localised.fallback_nodes.contains(&call.graph.graph[node]))?;
    let message =
        format!("the walk passes `{}`, which has a line not translated into {}", call.id(node), localised.locale);
    let diagnostic = Diagnostic::new(CODE, file, test.name.span, message)
        .label("this test")
        .with(call.graph.graph[node].file, call.node(node).name.span, "this node's text falls back to the source")
        .help("`defuse check` says which line, and why its translation is not used");
    Some(diagnostic)
}

/// The help of a script under test that lies outside the project root.
const OUTSIDE_ROOT_HELP: &str = "a test's script must lie inside the project root: the directory of \
     `defuse.toml`, else the directory tested; put a `defuse.toml` at the top of the project, or test a \
     directory that holds the scripts too";

/// The script a `.dtest` uses, or why its tests cannot run (with the files whose errors to show).
fn script_problem(
    project: &Project,
    checked: &[Diagnostic],
    found: Option<FileId>,
    used: &str,
    path: &Result<PathBuf, Unloadable>,
) -> Result<FileId, ScriptProblem> {
    let path = match path {
        Ok(path) => path,
        // Outside the root: named as written, since its path is all that may be shown.
        Err(reason) => {
            return Err((
                format!("cannot test `{}`: {reason}", shown(used)),
                Some(OUTSIDE_ROOT_HELP.to_owned()),
                Vec::new(),
            ))
        }
    };
    let shown = display_path(path);
    let Some(id) = found else {
        let reason = match std::fs::metadata(path) {
            Ok(metadata) if !metadata.is_file() => "it is not a regular file",
            Ok(_) => "it cannot be read",
            Err(_) => "no such file",
        };
        return Err((
            format!("cannot test `{shown}`: {reason}"),
            Some("`use` names the script file, relative to this .dtest file".to_owned()),
            Vec::new(),
        ));
    };
    let closure = project.use_closure(id);
    let broken: Vec<FileId> = closure
        .iter()
        .copied()
        .filter(|&f| checked.iter().any(|d| d.severity == Severity::Error && d.file() == f))
        .collect();
    if !broken.is_empty() {
        return Err((
            format!("`{shown}` has errors, so its tests cannot run"),
            Some(format!("fix what `defuse check {shown}` reports")),
            broken,
        ));
    }
    match project.item(id).map(|item| item.kind) {
        Some(ItemKind::Script) => Ok(id),
        _ => Err((
            format!("`{shown}` holds a library, not a script"),
            Some("a test walks a script: `use` the script file".to_owned()),
            Vec::new(),
        )),
    }
}
