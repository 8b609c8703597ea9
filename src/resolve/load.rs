//! Reading, parsing and linking files, following `use`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::DiGraph;
use rayon::prelude::*;

use super::paths::normalize;
use super::{LoadError, Module, Project, Unloadable};
use crate::diagnostic::{did_you_mean, Code, Diagnostic, Fix};
use crate::files::read::{describe_io_error, Disk, FileSource, ReadError, MAX_SCRIPT_BYTES};
use crate::source::{display_path, FileId, SourceFile};
use crate::syntax::{self, ast};

/// A file the user asked to check, and the project root its `use`s must stay inside.
#[derive(Clone, Debug)]
pub struct Input {
    /// The path as given (or as found by walking a given directory).
    pub path: PathBuf,
    pub root: Root,
}

/// A project root: the directory every `use` must stay inside, and how messages name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Root {
    /// Canonical.
    pub path: PathBuf,
    /// The caller's choice: relative to the working directory on the command line, whole in
    /// the editor (a language server's messages must not depend on where it was started).
    pub shown: String,
}

impl Root {
    /// A root named by its whole path.
    pub fn absolute(path: PathBuf) -> Root {
        let shown = display_path(&path);
        Root { path, shown }
    }
}

struct Pending {
    display: PathBuf,
    canonical: PathBuf,
    root: Root,
    requested: bool,
}

/// Told how a load goes, so a caller can show it (the command line draws a bar on a
/// terminal). Called from the parsing threads, hence `Sync`.
pub trait Progress: Sync {
    /// One more file was parsed.
    fn advance(&self);
    /// The load is over.
    fn finish(&self) {}
}

/// The progress of a load nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self) {}
}

/// Loads `inputs` and every file they `use` from disk, parsing each file once.
pub fn load(inputs: Vec<Input>) -> Project {
    load_with_progress(inputs, &NoProgress)
}

/// [`load`], advancing `progress` by one for each file parsed.
pub fn load_with_progress(inputs: Vec<Input>, progress: &dyn Progress) -> Project {
    load_from(&Disk, inputs, progress)
}

/// [`load_with_progress`] reading every file from `source`. A `use` is read only when it
/// resolves inside its root (see [`locate`]); every read is limited to [`MAX_SCRIPT_BYTES`].
pub fn load_from(source: &dyn FileSource, inputs: Vec<Input>, progress: &dyn Progress) -> Project {
    load_reusing(source, inputs, progress, &|_, _| None)
}

/// [`load_from`], parsing each file with [`syntax::parse_reusing`] and `reuse` (the language
/// server's nodes of the previous version of its files).
pub fn load_reusing(
    source: &dyn FileSource,
    inputs: Vec<Input>,
    progress: &dyn Progress,
    reuse: syntax::Reuse,
) -> Project {
    let mut project = Project::default();
    let mut loaded: HashMap<PathBuf, FileId> = HashMap::new();

    let mut wave = Vec::new();
    let mut queued: HashMap<PathBuf, ()> = HashMap::new();
    for input in inputs {
        match source.canonicalize(&input.path) {
            Ok(canonical) if links_out(source, &input, &canonical) => project
                .load_errors
                .push(LoadError { path: display_path(&input.path), reason: links_out_reason(&input) }),
            Ok(canonical) => {
                if queued.insert(canonical.clone(), ()).is_none() {
                    wave.push(Pending { display: input.path, canonical, root: input.root, requested: true });
                }
            }
            Err(error) => project
                .load_errors
                .push(LoadError { path: display_path(&input.path), reason: ReadError::io(&error).into() }),
        }
    }

    // Each wave is parsed in parallel; the files its `use`s reach form the next wave.
    let mut use_targets: Vec<Vec<Option<PathBuf>>> = Vec::new();
    while !wave.is_empty() {
        // Read and parse in parallel. Ids are assigned in wave order, so they (and every
        // report) do not depend on scheduling; unreadable files get no id.
        let results: Vec<_> =
            wave.par_iter().map(|pending| source.read(&pending.canonical, MAX_SCRIPT_BYTES)).collect();
        let base = project.sources.len();
        let readable: Vec<usize> = (0..wave.len()).filter(|&i| results[i].is_ok()).collect();
        let parsed: Vec<syntax::Parsed> = readable
            .par_iter()
            .enumerate()
            .map(|(offset, &i)| {
                let text = results[i].as_ref().expect("filtered to readable");
                let parsed = syntax::parse_reusing(FileId::from_index(base + offset), text, reuse);
                progress.advance();
                parsed
            })
            .collect();
        let mut parsed = parsed.into_iter();
        let mut next = Vec::new();
        for (pending, result) in wave.into_iter().zip(results) {
            let text = match result {
                Ok(text) => text,
                Err(error) => {
                    project.load_errors.push(LoadError { path: display_path(&pending.display), reason: error.into() });
                    continue;
                }
            };
            let file = project.sources.add(SourceFile::new(pending.display.clone(), text));
            let parsed = parsed.next().expect("one parse per readable file");
            project.diagnostics.extend(parsed.diagnostics);
            let mut targets = Vec::new();
            let mut searches_left = NEARBY_SEARCHES_PER_FILE;
            for use_decl in parsed.ast.iter().flat_map(|ast| &ast.uses) {
                match locate(source, &pending, &use_decl.path.value) {
                    Ok((display, canonical)) => {
                        if !loaded.contains_key(&canonical) && queued.insert(canonical.clone(), ()).is_none() {
                            next.push(Pending {
                                display,
                                canonical: canonical.clone(),
                                root: pending.root.clone(),
                                requested: false,
                            });
                        }
                        targets.push(Some(canonical));
                    }
                    Err(problem) => {
                        let nearby = searches_left.checked_sub(1).and_then(|left| {
                            searches_left = left;
                            nearby(source, &pending, &use_decl.path.value)
                        });
                        project.diagnostics.push(problem.diagnostic(file, use_decl, &pending.root, nearby));
                        targets.push(None);
                    }
                }
            }
            loaded.insert(pending.canonical, file);
            use_targets.push(targets);
            project.modules.push(Module {
                nodes: parsed.ast.as_ref().map(node_index).unwrap_or_default(),
                ast: parsed.ast,
                uses: Vec::new(),
                imports: Default::default(),
                requested: pending.requested,
            });
        }
        wave = next;
    }

    link_uses(&mut project, &loaded, use_targets);
    report_use_cycles(&mut project);
    report_duplicate_items(&mut project);
    project
}

/// Why a requested file that [`links_out`] is not read.
pub fn links_out_reason(input: &Input) -> Unloadable {
    Unloadable::LinksOut { root: input.root.shown.clone() }
}

/// Whether a requested file is a symlink leading out of both its project root and its own
/// directory (a committed `main.defuse -> /proc/self/environ`): its text must not be read. A
/// file named outside the root but really there (`check /elsewhere/x.defuse`) is read.
pub fn links_out(source: &dyn FileSource, input: &Input, canonical: &Path) -> bool {
    let dir = match input.path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let own_dir = source.canonicalize(dir).ok();
    !canonical.starts_with(&input.root.path) && !own_dir.is_some_and(|dir| canonical.starts_with(dir))
}

/// One file from memory, for fuzzing and property tests: the same parse, names and checks,
/// except that `use` declarations are not followed (their libraries are simply absent).
pub fn load_text(path: PathBuf, text: &str) -> Project {
    let mut project = Project::default();
    let file = project.sources.add(SourceFile::new(path, text.to_owned()));
    let parsed = syntax::parse(file, text);
    project.diagnostics.extend(parsed.diagnostics);
    let uses = parsed.ast.as_ref().map_or(0, |ast| ast.uses.len());
    project.modules.push(Module {
        nodes: parsed.ast.as_ref().map(node_index).unwrap_or_default(),
        ast: parsed.ast,
        uses: vec![None; uses],
        imports: Default::default(),
        requested: true,
    });
    project
}

fn node_index(file: &ast::File) -> super::NameIndex {
    super::NameIndex::build(&file.item.nodes)
}

enum UseProblem {
    NotFound { shown: String, reason: String },
    OutsideRoot { shown: String },
}

impl UseProblem {
    /// The diagnostic, with "did you mean" when the file was found `nearby`.
    fn diagnostic(&self, file: FileId, use_decl: &ast::Use, root: &Root, nearby: Option<String>) -> Diagnostic {
        let span = use_decl.path.span;
        let diagnostic = self.plain_diagnostic(file, span, root);
        match nearby {
            Some(path) => {
                let help = format!("{} (the path is relative to this file)", did_you_mean(&format!("use \"{path}\"")));
                // The literal as the parser reads it back: a file name may hold a quote, a backslash or a brace.
                let literal: String = path
                    .chars()
                    .flat_map(|c| match c {
                        '"' | '\\' | '{' | '}' => vec!['\\', c],
                        c => vec![c],
                    })
                    .collect();
                diagnostic.suggest(Fix::replace(file, span, format!("\"{literal}\"")), help)
            }
            None => diagnostic,
        }
    }

    fn plain_diagnostic(&self, file: FileId, span: crate::source::Span, root: &Root) -> Diagnostic {
        match self {
            UseProblem::NotFound { shown, reason } => {
                Diagnostic::new(Code::UseNotFound, file, span, format!("cannot use `{shown}`: {reason}"))
                    .label("used here")
                    .help("the path is relative to this file; check its spelling and that the file exists")
            }
            UseProblem::OutsideRoot { shown } => Diagnostic::new(
                Code::UseOutsideRoot,
                file,
                span,
                format!("`{shown}` is outside the project root `{}`", root.shown),
            )
            .label("escapes the project root")
            .help("move the library inside the project, or put `defuse.toml` in a directory that contains both"),
        }
    }
}

/// How many failed `use`s of one file get a search of nearby directories (each a few dozen
/// file-system lookups at most), so a file of thousands of broken `use`s stays fast.
const NEARBY_SEARCHES_PER_FILE: usize = 16;

/// How many directories up from the using file the search looks, and how many of its
/// subdirectories.
const NEARBY_LEVELS_UP: usize = 3;
const NEARBY_SUBDIRECTORIES: usize = 64;
const NEARBY_ENTRIES: usize = 1024;

/// A path, relative to `from`'s directory, to a file named like `use_path`'s in a nearby
/// directory inside the project root: `use_path`'s directories from the using file's
/// directory or one of its parents (a `../` too many or too few), or one subdirectory of the
/// using file's directory. Bounded: at most `2 × (NEARBY_LEVELS_UP + 1) + NEARBY_SUBDIRECTORIES`
/// lookups and one bounded directory listing.
fn nearby(source: &dyn FileSource, from: &Pending, use_path: &str) -> Option<String> {
    let written = Path::new(use_path);
    let name = written.file_name()?;
    let directories: PathBuf = written
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|component| match component {
            std::path::Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    let here = from.canonical.parent()?;
    let wrong = normalize(&here.join(written));
    let found = |relative: &Path| {
        let candidate = normalize(&here.join(relative));
        let canonical = source.canonicalize(&candidate).ok()?;
        let fits = candidate != wrong && canonical.starts_with(&from.root.path) && canonical.is_file();
        fits.then(|| relative.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"))
    };
    let mut up = PathBuf::new();
    for _ in 0..=NEARBY_LEVELS_UP {
        for relative in [up.join(&directories).join(name), up.join(name)] {
            if let Some(path) = found(&relative) {
                return Some(path);
            }
        }
        let reached = normalize(&here.join(&up));
        if !reached.starts_with(&from.root.path) || reached == from.root.path {
            break;
        }
        up.push("..");
    }
    // The listing order is the file system's: read a bounded number of entries, then sort, so
    // the result does not depend on it for any ordinary directory.
    let mut children: Vec<PathBuf> = std::fs::read_dir(here)
        .ok()?
        .take(NEARBY_ENTRIES)
        .filter_map(|entry| {
            entry.ok().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())).map(|e| e.file_name().into())
        })
        .collect();
    children.sort();
    children.truncate(NEARBY_SUBDIRECTORIES);
    children.into_iter().find_map(|child: PathBuf| found(&child.join(name)))
}

/// Where `use_path`, written in the file `using` (not a script: a `.dtest`), points, by the
/// rule of a script's `use` ([`locate`]): the path to load it by (a missing file's too: the
/// caller says it is missing), or why it is not loaded, outside `root` lexically or after
/// symlinks, decided without opening it.
pub fn locate_use(using: &Path, root: &Root, use_path: &str) -> Result<PathBuf, Unloadable> {
    let from = Pending {
        display: using.to_path_buf(),
        canonical: Disk.canonicalize(using).map_err(|error| Unloadable::Read(ReadError::io(&error)))?,
        root: root.clone(),
        requested: true,
    };
    match locate(&Disk, &from, use_path) {
        Ok((display, _)) => Ok(display),
        Err(UseProblem::NotFound { .. }) => Ok(normalize(&using.parent().unwrap_or(Path::new("")).join(use_path))),
        Err(UseProblem::OutsideRoot { .. }) => Err(Unloadable::OutsideRoot { root: root.shown.clone() }),
    }
}

/// Where `use_path`, written in `from`, points: its display path and canonical path, which
/// lies inside `from`'s root. A path outside the root, lexically or after symlinks, is
/// refused before its file is opened, so its text is never read or shown.
fn locate(source: &dyn FileSource, from: &Pending, use_path: &str) -> Result<(PathBuf, PathBuf), UseProblem> {
    let shown = use_path.to_owned();
    let parent = |path: &Path| path.parent().map(Path::to_path_buf).unwrap_or_default();
    let display = normalize(&parent(&from.display).join(use_path));
    let lexical = normalize(&parent(&from.canonical).join(use_path));
    if !lexical.starts_with(&from.root.path) {
        return Err(UseProblem::OutsideRoot { shown });
    }
    let canonical = source
        .canonicalize(&lexical)
        .map_err(|error| UseProblem::NotFound { shown: shown.clone(), reason: describe_io_error(&error) })?;
    if !canonical.starts_with(&from.root.path) {
        return Err(UseProblem::OutsideRoot { shown });
    }
    if canonical.is_dir() {
        return Err(UseProblem::NotFound { shown, reason: "it is a directory, not a file".to_owned() });
    }
    Ok((display, canonical))
}

/// Fills in each module's `uses` and `imports` now that every reachable file has an id.
fn link_uses(project: &mut Project, loaded: &HashMap<PathBuf, FileId>, use_targets: Vec<Vec<Option<PathBuf>>>) {
    for (file, targets) in project.files().zip(use_targets) {
        let uses: Vec<Option<FileId>> =
            targets.into_iter().map(|target| target.and_then(|path| loaded.get(&path).copied())).collect();
        let mut imports = std::collections::BTreeMap::new();
        let mut problems = Vec::new();
        if let Some(ast) = &project.module(file).ast {
            for (use_decl, used) in ast.uses.iter().zip(&uses) {
                let Some(used) = *used else { continue };
                match project.module(used).item() {
                    Some(item) if item.kind == ast::ItemKind::Library => {
                        imports.entry(item.name.name.clone()).or_insert(used);
                    }
                    Some(item) => problems.push(
                        Diagnostic::new(
                            Code::UseNotFound,
                            file,
                            use_decl.path.span,
                            format!("`{}` holds script `{}`, not a library", use_decl.path.value, item.name.name),
                        )
                        .label("not a library")
                        .with(used, item.name.span, "declared as a script here")
                        .help("only libraries can be used; move the shared nodes into a `library`"),
                    ),
                    // The used file does not parse; its own syntax error says why.
                    None => {}
                }
            }
        }
        project.diagnostics.extend(problems);
        let module = &mut project.modules[file.index()];
        module.uses = uses;
        module.imports = imports;
    }
}

/// One `use-cycle` per strongly connected component of the use graph.
fn report_use_cycles(project: &mut Project) {
    let mut graph = DiGraph::<FileId, usize>::new();
    let nodes: Vec<_> = project.files().map(|file| graph.add_node(file)).collect();
    for (file, module) in project.files().zip(&project.modules) {
        for (use_index, used) in module.uses.iter().enumerate() {
            if let Some(used) = used {
                graph.add_edge(nodes[file.index()], nodes[used.index()], use_index);
            }
        }
    }
    for component in kosaraju_scc(&graph) {
        let mut files: Vec<FileId> = component.iter().map(|n| graph[*n]).collect();
        files.sort_unstable();
        let first = files[0];
        let module = &project.module(first);
        // The first `use` of the first file that stays inside the component closes the cycle.
        let Some((use_index, next)) = module
            .uses
            .iter()
            .enumerate()
            .find_map(|(i, used)| used.filter(|u| files.binary_search(u).is_ok()).map(|u| (i, u)))
        else {
            continue;
        };
        let chain = cycle_chain(project, first, next, &files);
        let names: Vec<String> =
            chain.iter().map(|f| format!("`{}`", project.sources.get(*f).display_path())).collect();
        let use_decl = &module.ast.as_ref().expect("a file with uses parsed").uses[use_index];
        let mut diagnostic =
            Diagnostic::new(Code::UseCycle, first, use_decl.path.span, format!("`use` cycle: {}", names.join(" → ")))
                .label("this use leads back to this file")
                .help("libraries cannot use each other in a circle; move the shared nodes into a library both can use");
        for pair in chain.windows(2).skip(1) {
            if let Some(span) = use_span(project, pair[0], pair[1]) {
                diagnostic = diagnostic.with(pair[0], span, "continues the cycle");
            }
        }
        project.diagnostics.push(diagnostic);
    }
}

/// `from → next → … → from`, the shortest way back inside the component.
fn cycle_chain(project: &Project, from: FileId, next: FileId, component: &[FileId]) -> Vec<FileId> {
    let mut parent: HashMap<FileId, FileId> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([next]);
    parent.insert(next, next);
    while let Some(file) = queue.pop_front() {
        if file == from {
            break;
        }
        for used in project.module(file).uses.iter().flatten() {
            if component.binary_search(used).is_ok() && !parent.contains_key(used) {
                parent.insert(*used, file);
                queue.push_back(*used);
            }
        }
    }
    let mut chain = vec![from];
    let mut at = from;
    while at != next {
        at = parent[&at];
        chain.push(at);
    }
    chain.push(from);
    chain.reverse();
    chain
}

fn use_span(project: &Project, from: FileId, to: FileId) -> Option<crate::source::Span> {
    let module = &project.module(from);
    let index = module.uses.iter().position(|used| *used == Some(to))?;
    Some(module.ast.as_ref()?.uses[index].path.span)
}

/// `duplicate-script`: two files of one run declare the same script or library name.
fn report_duplicate_items(project: &mut Project) {
    let mut first: HashMap<&str, FileId> = HashMap::new();
    let mut found = Vec::new();
    for (file, module) in project.files().zip(&project.modules) {
        let Some(item) = module.item() else { continue };
        match first.get(item.name.name.as_str()) {
            None => {
                first.insert(&item.name.name, file);
            }
            Some(&earlier) => {
                let earlier_item = project.item(earlier).expect("recorded items parsed");
                found.push(
                    Diagnostic::new(
                        Code::DuplicateScript,
                        file,
                        item.name.span,
                        format!(
                            "{} `{}` is also declared in `{}`",
                            item.kind.keyword(),
                            item.name.name,
                            project.sources.get(earlier).display_path()
                        ),
                    )
                    .label("declared again here")
                    .with(
                        earlier,
                        earlier_item.name.span,
                        format!("first declared as a {} here", earlier_item.kind.keyword()),
                    )
                    .help("script and library names identify them in reports and exports; rename one of them"),
                );
            }
        }
    }
    project.diagnostics.extend(found);
}
