//! The server's state between messages: the negotiated encoding, the workspace roots, the
//! open buffers and the analyses built from them, and what changed since. The analyses are
//! rebuilt here ([`Server::refresh_if_dirty`]); the requests read them through
//! [`Server::locate`] and [`Server::wide`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lsp_server::{ErrorCode, Notification};
use lsp_types::notification::Notification as _;
use lsp_types::*;

use super::position::Encoding;
use super::state::{self, Analysis, Documents};
use super::transport::Connection;
use super::{convert, diagnostics};
use crate::check::incremental::Memo;
use crate::source::FileId;

pub(crate) struct Server {
    pub encoding: Encoding,
    pub roots: Vec<PathBuf>,
    pub documents: Documents,
    pub analyses: Vec<Analysis>,
    /// Whether a buffer changed since the analyses were built.
    pub dirty: bool,
    /// The buffers changed (opened, edited, closed) since then.
    pub changed: BTreeSet<PathBuf>,
    /// Config errors already shown, so each is shown once.
    pub shown_errors: BTreeSet<String>,
    /// Where the line of the last edit starts, in which buffer: the next keystroke's position
    /// is found from there ([`super::position::edit_span`]).
    pub line_hint: Option<(PathBuf, u32, usize)>,
    /// The PO files not open whose diagnostics are published (see `translations`).
    pub closed_translations: super::translations::ClosedFiles,
}

/// A request's error: its code and message.
pub(crate) type Failure = (ErrorCode, String);
/// What a request handler gives: its result, or the error to answer with.
pub(crate) type Answer<R> = Result<R, Failure>;

impl Server {
    pub fn new(encoding: Encoding, roots: Vec<PathBuf>) -> Server {
        Server {
            encoding,
            roots,
            documents: Documents::default(),
            analyses: Vec::new(),
            dirty: false,
            changed: BTreeSet::new(),
            shown_errors: BTreeSet::new(),
            line_hint: None,
            closed_translations: Default::default(),
        }
    }

    /// Marks `path`'s buffer as changed: the next refresh analyses again.
    pub(crate) fn touch(&mut self, path: PathBuf) {
        self.dirty = true;
        self.changed.insert(path);
    }

    /// Rebuilds the analyses and publishes the diagnostics of each changed buffer and of each
    /// open file that uses one (directly or not).
    pub(crate) fn refresh_if_dirty(&mut self, connection: &Connection) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let changed = std::mem::take(&mut self.changed);
        // The old analyses are taken apart (their memos and unchanged nodes move into the new
        // ones); should the rebuild panic, the server is left with none rather than with those.
        let mut replaced = std::mem::take(&mut self.analyses);
        let mut memos: Vec<Memo> = replaced.iter_mut().map(|analysis| std::mem::take(&mut analysis.memo)).collect();
        let previous = state::Reusable::taking(&mut replaced);
        let analyses = super::translations::groups(&self.documents.open)
            .into_iter()
            .map(|(config_path, inputs)| {
                let (config, error) = state::load_config(config_path.as_deref());
                let memo = match memos.iter().position(|memo| memo.is_for(&config)) {
                    Some(at) => memos.swap_remove(at),
                    None => Memo::default(),
                };
                Analysis::build(&self.documents.open, inputs, config, error, &previous, memo)
            })
            .collect();
        drop(previous);
        self.analyses = analyses;
        for analysis in &self.analyses {
            if let Some(error) = &analysis.config_error {
                if self.shown_errors.insert(error.clone()) {
                    let params = ShowMessageParams { typ: MessageType::WARNING, message: error.clone() };
                    connection.send(Notification::new(notification::ShowMessage::METHOD.into(), params));
                }
            }
            for (path, document) in &self.documents.open {
                let Some(file) = analysis.file_of(path) else { continue };
                let affected = analysis
                    .project
                    .use_closure(file)
                    .iter()
                    .any(|&used| changed.contains(&analysis.paths[used.index()]))
                    || super::translations::affected(analysis, &changed);
                if affected {
                    let found = diagnostics::for_file(analysis, file, &self.documents.open, self.encoding);
                    publish(connection, document.uri.clone(), found, Some(document.version));
                }
            }
        }
        let (analyses, open) = (&self.analyses, &self.documents.open);
        self.closed_translations.publish(analyses, open, &changed, self.encoding, connection);
        // Freeing a large project's AST takes a while; the next message need not wait for it.
        // When no thread can be started, the closure (and the analyses) is dropped right here.
        let _ = std::thread::Builder::new().name("drop analyses".into()).spawn(move || drop(replaced));
    }

    /// The analysis holding the open buffer `uri`, its file, and the LSP position as an offset
    /// (0 without a position).
    pub(crate) fn locate(&self, uri: &Url, position: Option<Position>) -> Option<(&Analysis, FileId, usize)> {
        let path = state::identity(uri)?;
        let (analysis, file) =
            self.analyses.iter().find_map(|analysis| analysis.file_of(&path).map(|file| (analysis, file)))?;
        let offset = position.map_or(0, |position| convert::offset(analysis.text(file), self.encoding, position));
        Some((analysis, file, offset))
    }

    /// An analysis of every script of the workspace (and the open buffers), for the features
    /// that must see every edge into a node: references and rename.
    pub(crate) fn wide(&self, uri: &Url) -> Option<Analysis> {
        let path = state::identity(uri)?;
        let config_path = crate::workspace::config_path_of(&path);
        let (config, error) = state::load_config(config_path.as_deref());
        let mut inputs: BTreeSet<PathBuf> = self.documents.open.keys().cloned().collect();
        for dir in self.folders(&path) {
            inputs.extend(crate::workspace::scripts_under(&dir).iter().map(|file| state::canonical_identity(file)));
        }
        let previous = state::Reusable::new(&self.analyses);
        let inputs = inputs.into_iter().collect();
        Some(Analysis::build(&self.documents.open, inputs, config, error, &previous, Memo::default()))
    }

    /// The folders the workspace-wide features look through: the workspace folders, else the
    /// directory of the config that governs `path` (none without either).
    pub(crate) fn folders(&self, path: &Path) -> Vec<PathBuf> {
        if !self.roots.is_empty() {
            return self.roots.clone();
        }
        let config = crate::workspace::config_path_of(path);
        config.as_ref().and_then(|config| config.parent()).map(PathBuf::from).into_iter().collect()
    }

    /// The workspace-wide analysis of `at`'s file ([`Server::wide`]) and the node named at `at`
    /// (its definition or an edge into it): `None` when the file is unknown, no key when no
    /// node's name is there.
    pub(crate) fn wide_node_at(
        &self,
        at: &TextDocumentPositionParams,
    ) -> Option<(Analysis, Option<crate::resolve::NodeKey>)> {
        let analysis = self.wide(&at.text_document.uri)?;
        let file = analysis.file_of(&state::identity(&at.text_document.uri)?)?;
        let offset = convert::offset(analysis.text(file), self.encoding, at.position);
        let key = super::navigate::at(&analysis.project, file, offset).and_then(|found| found.node(&analysis.project));
        Some((analysis, key))
    }
}

/// Sends `uri`'s diagnostics (computed from `version` of its buffer; none when it closed).
pub(crate) fn publish(connection: &Connection, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams { uri, diagnostics, version };
    connection.send(Notification::new(notification::PublishDiagnostics::METHOD.into(), params));
}
