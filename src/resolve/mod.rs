//! Resolution: files, `use`, namespaces and names.
//!
//! [`load`] reads and parses the requested files and everything they `use`, in parallel
//! waves, each file once. It reports the phase errors that need the whole file set:
//! `use-not-found`, `use-outside-root`, `use-cycle` and `duplicate-script`. Name lookups
//! ([`Project::resolve`]) are then pure functions of the loaded project; the rules that
//! report bad names live in `check/rules/`.
//!
//! **Invariant:** a [`FileId`] indexes both `sources` and `modules`; a file that cannot be
//! read gets neither and is reported as a [`LoadError`] (exit status 2).

mod load;
pub(crate) mod paths;
pub mod walk;

use std::collections::BTreeMap;

pub use load::{
    links_out, links_out_reason, load, load_from, load_reusing, load_text, load_with_progress, locate_use, Input,
    NoProgress, Progress, Root,
};

use crate::diagnostic::Diagnostic;
use crate::files::read::ReadError;
use crate::source::{FileId, Sources};
use crate::syntax::ast;

/// A node anywhere in the project: its file and its index in that file's item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeKey {
    /// The file the node is written in.
    pub file: FileId,
    /// The node's index in that file's item (`ast::Item::nodes`).
    pub index: usize,
}

/// One loaded file and what its names resolve to.
#[derive(Debug)]
pub struct Module {
    /// `None` when the file does not parse.
    pub ast: Option<ast::File>,
    /// For each `use` of the file, the module it brings in (`None` when the use failed).
    pub uses: Vec<Option<FileId>>,
    /// Library name → module, for every library a `use` brings in.
    pub imports: BTreeMap<String, FileId>,
    /// Node name → index of its first definition.
    pub nodes: NameIndex,
    /// Whether the user asked for this file (rather than it being reached by a `use`).
    pub requested: bool,
}

impl Module {
    pub(crate) fn item(&self) -> Option<&ast::Item> {
        self.ast.as_ref().map(|file| &file.item)
    }

    /// The index of the first node named `name`.
    pub(crate) fn node_named(&self, name: &str) -> Option<usize> {
        self.nodes.get(&self.item()?.nodes, name)
    }
}

/// Node names → index of the first node of that name, holding only the indices: copying every
/// name into a map took a fifth of the time a 100,000-node script spends outside its parse.
#[derive(Debug, Default)]
pub struct NameIndex(hashbrown::HashTable<u32>);

impl NameIndex {
    pub(crate) fn build(nodes: &[ast::Node]) -> NameIndex {
        let mut table = hashbrown::HashTable::with_capacity(nodes.len());
        let hash_of = |index: &u32| hash(&nodes[*index as usize].name.name);
        for (index, node) in nodes.iter().enumerate() {
            let name = &node.name.name;
            let hash = hash(name);
            if table.find(hash, |&other: &u32| nodes[other as usize].name.name == *name).is_none() {
                table.insert_unique(hash, index as u32, hash_of);
            }
        }
        NameIndex(table)
    }

    /// `nodes` must be the nodes the index was built from.
    pub(crate) fn get(&self, nodes: &[ast::Node], name: &str) -> Option<usize> {
        let found = self.0.find(hash(name), |&index| nodes[index as usize].name.name == name)?;
        Some(*found as usize)
    }
}

fn hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// A file that could not be loaded, as messages name it, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: String,
    pub reason: Unloadable,
}

/// Why a file was not loaded. Its text follows "cannot read `path`: ".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unloadable {
    Read(ReadError),
    /// A symlink out of the project root (and of its own directory): never read.
    LinksOut {
        root: String,
    },
    /// A file a `.dtest` uses outside the project root: never read.
    OutsideRoot {
        root: String,
    },
    /// A checked path with no script in it.
    NoScripts,
    /// `check -` with `--stdin-filename` in a directory that cannot be found.
    CannotPlaceStdin(ReadError),
    /// A script of a `diff` side that does not parse.
    DoesNotParse,
    /// A path a git revision does not have.
    NotAtRevision {
        rev: String,
    },
    /// The directory walk's own words (the `ignore` crate's).
    Walk(String),
    /// A rewrite `fmt` refused because it would have changed the file's meaning: a bug.
    FormatRefused(String),
}

impl std::fmt::Display for Unloadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unloadable::Read(error) => write!(f, "{error}"),
            Unloadable::LinksOut { root } => {
                write!(f, "it is a link to a file outside the project root `{root}`, which is not read")
            }
            Unloadable::OutsideRoot { root } => write!(f, "it is outside the project root `{root}`, which is not read"),
            Unloadable::NoScripts => f.write_str(NO_SCRIPTS),
            Unloadable::CannotPlaceStdin(error) => write!(f, "cannot place standard input there: {error}"),
            Unloadable::DoesNotParse => f.write_str("it does not parse (`defuse check` shows why)"),
            Unloadable::NotAtRevision { rev } => write!(f, "no such file or directory at `{rev}`"),
            Unloadable::Walk(said) => f.write_str(said),
            Unloadable::FormatRefused(why) => {
                write!(f, "internal error: {why}; the file was left unchanged (please report this)")
            }
        }
    }
}

impl std::error::Error for Unloadable {}

impl From<ReadError> for Unloadable {
    fn from(error: ReadError) -> Unloadable {
        Unloadable::Read(error)
    }
}

/// Why a checked path yields nothing.
pub(crate) const NO_SCRIPTS: &str = "holds no `*.defuse` file that git does not ignore";

/// Every file of one run.
#[derive(Debug, Default)]
pub struct Project {
    pub sources: Sources,
    pub modules: Vec<Module>,
    /// Phase diagnostics: `syntax`, `use-*`, `duplicate-script`.
    pub diagnostics: Vec<Diagnostic>,
    pub load_errors: Vec<LoadError>,
    /// Checked paths that held no `*.defuse` file, as given (reported, see `workspace`).
    pub empty_paths: Vec<String>,
}

/// What a target names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    Node(NodeKey),
    /// `lib.node` where no `use` of the file brings `lib` in.
    UnknownLibrary,
    /// No such node in `file` (the file itself, or the library named).
    UnknownNode {
        file: FileId,
    },
}

impl Project {
    /// Every module's file, in file order (`modules[file.index()]` is the file's module).
    pub fn files(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.modules.len()).map(FileId::from_index)
    }

    /// The module of `file`.
    pub fn module(&self, file: FileId) -> &Module {
        &self.modules[file.index()]
    }

    pub fn item(&self, file: FileId) -> Option<&ast::Item> {
        self.module(file).item()
    }

    pub fn node(&self, NodeKey { file, index }: NodeKey) -> &ast::Node {
        &self.item(file).expect("a NodeKey points into a parsed file").nodes[index]
    }

    /// The name a node is shown by: `node` in its script, `library.node` in a library.
    pub fn qualified_name(&self, NodeKey { file, index }: NodeKey) -> String {
        let item = self.item(file).expect("a NodeKey points into a parsed file");
        match item.kind {
            ast::ItemKind::Script => item.nodes[index].name.name.clone(),
            ast::ItemKind::Library => format!("{}.{}", item.name.name, item.nodes[index].name.name),
        }
    }

    /// Resolves `target` as written in `from`.
    pub(crate) fn resolve(&self, from: FileId, target: &ast::Target) -> Resolution {
        let module = &self.module(from);
        let file = match &target.library {
            None => from,
            Some(library) => match module.imports.get(&library.name) {
                Some(&file) => file,
                // A library may name its own nodes with its own prefix.
                None if module
                    .item()
                    .is_some_and(|item| item.kind == ast::ItemKind::Library && item.name.name == library.name) =>
                {
                    from
                }
                None => return Resolution::UnknownLibrary,
            },
        };
        match self.module(file).node_named(&target.node.name) {
            Some(index) => Resolution::Node(NodeKey { file, index }),
            None => Resolution::UnknownNode { file },
        }
    }

    /// The scripts the user asked for (not libraries, not files only reached by a `use`, not
    /// files that fail to parse), in file order: what `check`'s graph rules, `build` and the
    /// one-script commands work on.
    pub(crate) fn requested_scripts(&self) -> Vec<FileId> {
        self.files()
            .filter(|&file| {
                self.module(file).requested && self.item(file).is_some_and(|item| item.kind == ast::ItemKind::Script)
            })
            .collect()
    }

    /// The files `file` uses, directly or not, itself first, each once, in `use` order.
    pub(crate) fn use_closure(&self, file: FileId) -> Vec<FileId> {
        let mut order = vec![file];
        let mut seen = vec![false; self.modules.len()];
        seen[file.index()] = true;
        let mut next = 0;
        while next < order.len() {
            for used in self.module(order[next]).uses.iter().flatten() {
                if !seen[used.index()] {
                    seen[used.index()] = true;
                    order.push(*used);
                }
            }
            next += 1;
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::NameIndex;
    use crate::source::FileId;

    #[test]
    fn the_name_index_finds_each_first_definition() {
        let text = "script s { trigger a { -> b } mirror b { -> a } close a { } acknowledge c { } }";
        let nodes = crate::syntax::parse(FileId::from_index(0), text).ast.expect("parses").item.nodes;
        let index = NameIndex::build(&nodes);
        let found: Vec<Option<usize>> = ["a", "b", "c", "d", ""].iter().map(|name| index.get(&nodes, name)).collect();
        assert_eq!(found, [Some(0), Some(1), Some(3), None, None]);
    }
}
