//! The server's state: the open buffers, and the analysis computed from them.
//!
//! An [`Analysis`] is a snapshot: the project loaded through an [`Overlay`] (open buffers
//! first, then the disk), `check`'s diagnostics for it, and each file's identity. It is
//! rebuilt once after a burst of edits, never per keystroke in a queue (see `mod.rs`).
//!
//! Rebuilding parses only what changed: the nodes of the previous analyses are looked up by
//! their text ([`Reusable`]), and a node whose text is unchanged is taken (moved to its new
//! offset) instead of parsed again, which is most of the time of an analysis of a large file.
//! Loading and linking run again; the check re-runs only what the edit can change
//! ([`crate::check::incremental`], from the [`Memo`] the previous analysis kept).
//!
//! **Invariant:** diagnostics are exactly what `defuse check` computes
//! ([`crate::check::check`] on the loaded project, which `check::incremental` keeps to); only afterwards is a broken file's AST
//! replaced by [`crate::syntax::parse_recovering`]'s, so navigation and completion keep
//! working on the nodes that parse, without changing what is reported.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Url;

use crate::check::incremental::Memo;
use crate::config::timing::Timing;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::files::read::{Disk, FileSource, Overlay};
use crate::resolve::{self, Input, NameIndex, Project, Root};
use crate::source::FileId;
use crate::syntax::ast::Node;

/// One open buffer.
#[derive(Clone, Debug)]
pub struct Document {
    /// The URI as the client names it (answers use it back verbatim).
    pub uri: Url,
    pub version: i32,
    pub text: Arc<String>,
}

/// The open buffers, by identity: the path with its directory canonical (see [`identity`]).
#[derive(Default)]
pub(crate) struct Documents {
    pub open: BTreeMap<PathBuf, Document>,
}

impl Documents {
    pub(crate) fn get(&self, uri: &Url) -> Option<&Document> {
        self.open.get(&identity(uri)?)
    }
}

/// The path a `file:` URI names, with its directory canonical, as the loader names files
/// (so a `use` of an open library finds its buffer). `None` for other schemes.
pub(crate) fn identity(uri: &Url) -> Option<PathBuf> {
    let path = uri.to_file_path().ok()?;
    Some(canonical_identity(&path))
}

pub(crate) fn canonical_identity(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir).map_or_else(|_| path.to_path_buf(), |dir| dir.join(name)),
        _ => path.to_path_buf(),
    }
}

/// What the server knows about a set of files that share one config.
pub(crate) struct Analysis {
    pub project: Project,
    /// `check`'s diagnostics, computed from the buffers.
    pub diagnostics: Vec<Diagnostic>,
    /// Each file's identity (see [`identity`]), by [`FileId`].
    pub paths: Vec<PathBuf>,
    /// The config's error, if its file is broken (the defaults are used meanwhile).
    pub config_error: Option<String>,
    /// The config's `[timing]`, for the seconds hover shows.
    pub timing: Timing,
    /// The files that do not parse, whose AST is [`crate::syntax::parse_recovering`]'s.
    pub recovered: Vec<FileId>,
    /// What the check keeps for the next analysis of these files (taken by it).
    pub memo: Memo,
}

impl Analysis {
    /// Loads `inputs` (identities) and what they `use`, reading `open` buffers before the disk,
    /// and checks them with `config`, taking the unchanged nodes from `previous` and what the
    /// previous check of these files kept from `memo`.
    pub(crate) fn build(
        open: &BTreeMap<PathBuf, Document>,
        inputs: Vec<PathBuf>,
        config: Config,
        config_error: Option<String>,
        previous: &Reusable,
        memo: Memo,
    ) -> Analysis {
        Analysis::build_from(Disk, open, inputs, config, config_error, previous, memo)
    }

    /// [`Analysis::build`] over any fallback source (tests use an empty one).
    pub(crate) fn build_from<S: FileSource>(
        fallback: S,
        open: &BTreeMap<PathBuf, Document>,
        inputs: Vec<PathBuf>,
        config: Config,
        config_error: Option<String>,
        previous: &Reusable,
        memo: Memo,
    ) -> Analysis {
        let mut overlay = Overlay::new(fallback);
        for (path, document) in open {
            overlay.insert(path.clone(), document.text.clone());
        }
        // A file reached by a `use` gets its own root too (the loader would give it the root of
        // the file that reached it, which is the same when there is a config).
        let roots = crate::workspace::Roots::of(&config);
        let root_of = |path: &Path| roots.of_file(path);
        let load = |inputs: &[PathBuf]| {
            let inputs =
                inputs.iter().map(|path| Input { path: path.clone(), root: Root::absolute(root_of(path)) }).collect();
            let reuse = |text: &str, start: usize| previous.node(text, start);
            let project = resolve::load_reusing(&overlay, inputs, &resolve::NoProgress, &reuse);
            let paths: Vec<PathBuf> = project
                .sources
                .ids()
                .map(|file| {
                    let shown = &project.sources.get(file).path;
                    overlay.canonicalize(shown).unwrap_or_else(|_| shown.clone())
                })
                .collect();
            (project, paths)
        };
        let (mut project, mut paths) = load(&inputs);
        // A file that does not parse has its `use`s unfollowed; the nodes that parse still name
        // library nodes, so its libraries are loaded too (only for navigation: a library's
        // file diagnostics are the same whether it is reached or asked for).
        let mut recovered: BTreeMap<FileId, crate::syntax::ast::File> = BTreeMap::new();
        for file in project.files() {
            if project.module(file).ast.is_none() {
                if let Some(ast) = crate::syntax::parse_recovering(&project.sources.get(file).text) {
                    recovered.insert(file, ast);
                }
            }
        }
        let mut used: Vec<PathBuf> = Vec::new();
        for (&file, ast) in &recovered {
            let root = root_of(&paths[file.index()]);
            used.extend(
                ast.uses
                    .iter()
                    .filter_map(|use_decl| used_path(&overlay, &paths[file.index()], &use_decl.path.value, &root)),
            );
        }
        used.retain(|path| !paths.contains(path));
        if !used.is_empty() {
            let mut inputs = inputs;
            inputs.extend(used);
            let reloaded = load(&inputs);
            (project, paths) = reloaded;
            recovered = project
                .files()
                .filter(|&file| project.module(file).ast.is_none())
                .filter_map(|file| Some((file, crate::syntax::parse_recovering(&project.sources.get(file).text)?)))
                .collect();
        }
        let (mut diagnostics, memo) = crate::check::incremental::check(&project, &config, &paths, memo);
        // With `[locales] targets`, every target locale too (PO files become files here).
        super::translations::add(&mut project, &mut paths, &config, &overlay, roots.config_root(), &mut diagnostics);
        let recovered_files = recovered.keys().copied().collect();
        for (file, ast) in recovered {
            let root = root_of(&paths[file.index()]);
            let uses =
                ast.uses.iter().map(|use_decl| used_path(&overlay, &paths[file.index()], &use_decl.path.value, &root));
            let used = uses
                .map(|path| path.and_then(|path| paths.iter().position(|known| *known == path).map(FileId::from_index)))
                .collect();
            link_recovered(&mut project, file, ast, used);
        }
        Analysis { project, diagnostics, paths, config_error, timing: config.timing, recovered: recovered_files, memo }
    }

    pub(crate) fn file_of(&self, path: &Path) -> Option<FileId> {
        self.paths.iter().position(|known| known == path).map(FileId::from_index)
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.project.sources.get(file).text
    }

    /// The URI to name `file` by: the client's own for an open buffer.
    pub(crate) fn uri(&self, file: FileId, documents: &BTreeMap<PathBuf, Document>) -> Option<Url> {
        let path = &self.paths[file.index()];
        match documents.get(path) {
            Some(document) => Some(document.uri.clone()),
            None => Url::from_file_path(path).ok(),
        }
    }
}

/// The nodes of some analyses by their text, to reuse instead of parsing that text again
/// (see [`crate::syntax::parse_reusing`]). Left out, so always parsed: the nodes of a file that
/// does not parse (recovered ones are lowered without reporting bad escapes) and every node
/// holding a `syntax` diagnostic (a bad escape or a reserved name, which is not in the node).
///
/// [`Reusable::new`] copies the nodes it gives; [`Reusable::taking`] moves them out of
/// analyses about to be replaced, which spares copying (and then freeing) every unchanged node
/// of a large file on each edit.
#[derive(Default)]
pub(crate) struct Reusable<'a> {
    /// Each node's text → its entry in `entries`.
    nodes: rustc_hash::FxHashMap<&'a str, usize>,
    entries: Vec<Entry<'a>>,
}

enum Entry<'a> {
    Borrowed(&'a Node),
    /// Taken at most once (a second node of the same text is parsed).
    Owned(std::sync::Mutex<Option<Node>>),
}

impl<'a> Reusable<'a> {
    /// The nodes of `analyses`, copied when reused.
    pub fn new(analyses: &'a [Analysis]) -> Reusable<'a> {
        let mut reusable = Reusable::default();
        for analysis in analyses {
            let project = &analysis.project;
            for (file, module) in project.files().zip(&project.modules) {
                let Some(ast) = module.ast.as_ref().filter(|_| !analysis.recovered.contains(&file)) else { continue };
                let text = &project.sources.get(file).text;
                let clean = clean_nodes(&project.diagnostics, file, &ast.item.nodes);
                for (node, clean) in ast.item.nodes.iter().zip(clean) {
                    if clean {
                        reusable.add(&text[node.span.start()..node.span.end()], Entry::Borrowed(node));
                    }
                }
            }
        }
        reusable
    }

    /// The nodes of `analyses`, moved out of them when reused: the analyses are left without
    /// nodes, to be dropped.
    pub(crate) fn taking(analyses: &'a mut [Analysis]) -> Reusable<'a> {
        let mut reusable = Reusable::default();
        for analysis in analyses.iter_mut() {
            let Analysis { project, recovered, .. } = analysis;
            let Project { sources, modules, diagnostics, .. } = project;
            let sources: &'a crate::source::Sources = sources;
            for (file, module) in modules.iter_mut().enumerate() {
                let file = FileId::from_index(file);
                let Some(ast) = module.ast.as_mut().filter(|_| !recovered.contains(&file)) else { continue };
                let text: &'a str = &sources.get(file).text;
                let clean = clean_nodes(diagnostics, file, &ast.item.nodes);
                for (node, clean) in std::mem::take(&mut ast.item.nodes).into_iter().zip(clean) {
                    if clean {
                        let key = &text[node.span.start()..node.span.end()];
                        reusable.add(key, Entry::Owned(std::sync::Mutex::new(Some(node))));
                    }
                }
            }
        }
        reusable
    }

    fn add(&mut self, text: &'a str, entry: Entry<'a>) {
        if let std::collections::hash_map::Entry::Vacant(vacant) = self.nodes.entry(text) {
            vacant.insert(self.entries.len());
            self.entries.push(entry);
        }
    }

    /// The node that parsing `text` at offset `start` gives, if `text` is a known node's.
    pub fn node(&self, text: &str, start: usize) -> Option<Node> {
        let node = match &self.entries[*self.nodes.get(text)?] {
            Entry::Borrowed(node) => (*node).clone(),
            Entry::Owned(slot) => slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()?,
        };
        let from = node.span.start();
        Some(node.moved(from, start))
    }
}

/// For each of `nodes` (of `file`), whether it holds no `syntax` diagnostic of `diagnostics`.
fn clean_nodes(diagnostics: &[crate::diagnostic::Diagnostic], file: FileId, nodes: &[Node]) -> Vec<bool> {
    let mut error_starts: Vec<usize> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.file() == file && diagnostic.code == Code::Syntax)
        .map(|diagnostic| diagnostic.primary.span.start())
        .collect();
    error_starts.sort_unstable();
    nodes
        .iter()
        .map(|node| {
            let first_after = error_starts.partition_point(|&start| start < node.span.start());
            error_starts.get(first_after).is_none_or(|&start| start >= node.span.end())
        })
        .collect()
}

/// The identity of the file `use "path"` names in the file at `from`, as the loader finds it,
/// when it lies inside `root` both as written and after symlinks; `None` when it does not (or
/// does not exist). The loader refuses such a `use` (`use-outside-root`) without reading its
/// file; a `use` recovered from a buffer that does not parse is refused the same way, so a
/// half-typed buffer reaches no file that a parsing one could not.
fn used_path<S: FileSource>(source: &Overlay<S>, from: &Path, path: &str, root: &Path) -> Option<PathBuf> {
    let lexical = crate::resolve::paths::normalize(&from.parent()?.join(path));
    if !lexical.starts_with(root) {
        return None;
    }
    let canonical = source.canonicalize(&lexical).ok()?;
    canonical.starts_with(root).then_some(canonical)
}

/// Gives a file that does not parse the AST of the nodes that do, and links its `use`s (each
/// `used` file, `None` where refused) as the loader links those of a file that parses.
fn link_recovered(project: &mut Project, file: FileId, ast: crate::syntax::ast::File, uses: Vec<Option<FileId>>) {
    let mut imports = BTreeMap::new();
    for &used in uses.iter().flatten() {
        if let Some(item) = project.item(used) {
            if item.kind == crate::syntax::ast::ItemKind::Library {
                imports.entry(item.name.name.clone()).or_insert(used);
            }
        }
    }
    let module = &mut project.modules[file.index()];
    module.nodes = NameIndex::build(&ast.item.nodes);
    module.ast = Some(ast);
    module.uses = uses;
    module.imports = imports;
}

/// The open buffers grouped by the config that governs them (`None`: no `defuse.toml`),
/// so each group is loaded and checked once, with its own config.
pub(crate) fn groups(open: &BTreeMap<PathBuf, Document>) -> HashMap<Option<PathBuf>, Vec<PathBuf>> {
    let mut groups: HashMap<Option<PathBuf>, Vec<PathBuf>> = HashMap::new();
    for path in open.keys() {
        groups.entry(crate::workspace::config_path_of(path)).or_default().push(path.clone());
    }
    groups
}

/// The config at `path` (or the defaults, rooted at `path`'s directory), and its error when it
/// does not load.
pub(crate) fn load_config(path: Option<&Path>) -> (Config, Option<String>) {
    let (config, error) = crate::workspace::config_or_defaults(path);
    (config, error.map(|error| error.to_string()))
}
