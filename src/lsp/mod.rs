//! The language server, `defuse lsp` (spec section 9): LSP 3.17 over stdio, with a
//! synchronous main loop over `lsp-server`'s message types (as rust-analyzer's and ruff's are
//! structured).
//!
//! - `transport`: the wire (framing, bad frames, limits), read and written on threads;
//! - `state`: the open buffers and the [`state::Analysis`] snapshot built from them;
//! - `position`: byte offsets ↔ LSP positions in the negotiated encoding;
//! - `diagnostics`, `navigate`, `complete`, `edit`: one file per feature group, each a pure
//!   function of an analysis (unit-tested with `$0` fixtures in `tests.rs`).
//!
//! Keystrokes are coalesced: before doing anything the loop takes every message that has
//! arrived, applies the edits among them as it meets them, and analyses only when nothing is
//! left to take (or a request needs the analysis). A burst of edits costs one check and the
//! diagnostics of intermediate versions are never computed. Each publication carries the
//! version it was computed from.
//!
//! After `shutdown`, requests are refused (`InvalidRequest`) and notifications ignored until
//! `exit` (LSP 3.17, "Shutdown Request").
//!
//! **Invariant:** the server never exits on bad input: a bad frame is answered with an error
//! by the transport's rules, each message is handled under `catch_unwind`, a failing request is
//! answered with an error and the loop goes on. Nothing but the transport's writer thread
//! writes to stdout (logs go to stderr).

mod complete;
mod diagnostics;
mod edit;
mod navigate;
mod position;
mod state;
#[cfg(test)]
mod tests;
mod transport;

use std::collections::{BTreeSet, VecDeque};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::*;
use serde_json::Value;

use position::{Encoding, LineIndex};
use state::{Analysis, Document, Documents};
use transport::{Connection, Incoming};

/// Runs the server on stdin/stdout until `exit`. Returns the process status: 0 after a
/// `shutdown` request, 1 when the client exits without one or its input ends.
pub fn run() -> u8 {
    let (connection, io_threads) = transport::stdio();
    let status = serve(&connection);
    drop(connection);
    io_threads.join();
    status
}

/// Serves one client over `connection` and gives the exit status: 0 when it ended with
/// `shutdown` then `exit`, else 1.
pub fn serve(connection: &Connection) -> u8 {
    let Some((id, params)) = initialize_request(connection) else { return 1 };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(&params.capabilities);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "defuse", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.send(Response::new_ok(id, result));

    let mut server = Server::new(encoding, roots(&params));
    let mut queue: VecDeque<Incoming> = VecDeque::new();
    let mut shut_down = false;
    loop {
        // Everything that has arrived, so a burst of edits is applied before one analysis.
        queue.extend(connection.receiver.try_iter());
        let incoming = match queue.pop_front() {
            Some(incoming) => incoming,
            None if server.dirty && !shut_down => {
                refresh(&mut server, connection);
                continue;
            }
            None => match connection.receiver.recv() {
                Ok(incoming) => incoming,
                Err(_) => return 1, // the input ended without `exit`
            },
        };
        let message = match incoming {
            Incoming::Message(message) => message,
            Incoming::Bad(bad) => {
                connection.send_error(bad);
                continue;
            }
        };
        match message {
            Message::Notification(notification) if notification.method == notification::Exit::METHOD => {
                return if shut_down { 0 } else { 1 };
            }
            Message::Request(request) if shut_down => {
                let refusal = "the server is shutting down: only `exit` is expected".to_owned();
                connection.send(Response::new_err(request.id, ErrorCode::InvalidRequest as i32, refusal));
            }
            Message::Request(request) if request.method == request::Shutdown::METHOD => {
                shut_down = true;
                connection.send(Response::new_ok(request.id, ()));
            }
            Message::Request(request) if request.method == request::Initialize::METHOD => {
                let refusal = "the server is already initialized".to_owned();
                connection.send(Response::new_err(request.id, ErrorCode::InvalidRequest as i32, refusal));
            }
            Message::Request(request) => {
                refresh(&mut server, connection);
                let id = request.id.clone();
                let response =
                    std::panic::catch_unwind(AssertUnwindSafe(|| server.handle(request))).unwrap_or_else(|_| {
                        Response::new_err(id, ErrorCode::InternalError as i32, "internal error (see the log)".into())
                    });
                connection.send(response);
            }
            Message::Notification(_) if shut_down => {}
            Message::Notification(notification) => {
                let method = notification.method.clone();
                if std::panic::catch_unwind(AssertUnwindSafe(|| server.notify(connection, notification))).is_err() {
                    eprintln!("defuse lsp: internal error while handling `{method}`");
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// [`Server::refresh_if_dirty`], a panic in it caught and logged: the previous analyses stay
/// (and the next edit tries again).
fn refresh(server: &mut Server, connection: &Connection) {
    if std::panic::catch_unwind(AssertUnwindSafe(|| server.refresh_if_dirty(connection))).is_err() {
        eprintln!("defuse lsp: internal error while analysing the open files");
    }
}

/// Waits for the `initialize` request and gives its id and parameters; `None` when the client
/// exits or its input ends first. Other requests are refused with `ServerNotInitialized`,
/// notifications dropped (LSP 3.17, "Initialize Request").
fn initialize_request(connection: &Connection) -> Option<(RequestId, Value)> {
    loop {
        match connection.receiver.recv().ok()? {
            Incoming::Bad(bad) => connection.send_error(bad),
            Incoming::Message(Message::Request(request)) if request.method == request::Initialize::METHOD => {
                return Some((request.id, request.params));
            }
            Incoming::Message(Message::Request(request)) => {
                let refusal = format!("`{}` before `initialize`", request.method);
                connection.send(Response::new_err(request.id, ErrorCode::ServerNotInitialized as i32, refusal));
            }
            Incoming::Message(Message::Notification(notification))
                if notification.method == notification::Exit::METHOD =>
            {
                return None;
            }
            Incoming::Message(_) => {}
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..Default::default()
        })),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![">".into(), "{".into(), ".".into()]),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// The workspace folders (or the root) the client opened, as directories.
#[allow(deprecated)] // `root_uri` and `root_path`: older clients send only those
fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders = params.workspace_folders.iter().flatten().map(|folder| folder.uri.clone());
    let mut roots: Vec<PathBuf> = folders.filter_map(|uri| uri.to_file_path().ok()).collect();
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(|uri| uri.to_file_path().ok()));
    }
    roots
}

struct Server {
    encoding: Encoding,
    roots: Vec<PathBuf>,
    documents: Documents,
    analyses: Vec<Analysis>,
    /// Whether a buffer changed since the analyses were built.
    dirty: bool,
    /// The buffers changed (opened, edited, closed) since then.
    changed: BTreeSet<PathBuf>,
    /// Config errors already shown, so each is shown once.
    shown_errors: BTreeSet<String>,
    /// Where the line of the last edit starts, in which buffer: the next keystroke's position
    /// is found from there ([`position::edit_span`]).
    line_hint: Option<(PathBuf, u32, usize)>,
}

/// A request's error: its code and message.
type Failure = (ErrorCode, String);
type Answer<R> = Result<R, Failure>;
type Outcome = Answer<Value>;

impl Server {
    fn new(encoding: Encoding, roots: Vec<PathBuf>) -> Server {
        Server {
            encoding,
            roots,
            documents: Documents::default(),
            analyses: Vec::new(),
            dirty: false,
            changed: BTreeSet::new(),
            shown_errors: BTreeSet::new(),
            line_hint: None,
        }
    }

    fn notify(&mut self, connection: &Connection, notification: Notification) {
        match notification.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(notification.params) else {
                    return;
                };
                let document = params.text_document;
                let Some(path) = state::identity(&document.uri) else { return };
                self.documents.open.insert(
                    path.clone(),
                    Document { uri: document.uri, version: document.version, text: document.text.into() },
                );
                self.line_hint = None;
                self.touch(path);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(notification.params) else {
                    return;
                };
                let Some(path) = state::identity(&params.text_document.uri) else { return };
                let Some(document) = self.documents.open.get_mut(&path) else { return };
                // Copied only while the last analysis shares the text: once per burst of edits.
                let text = std::sync::Arc::make_mut(&mut document.text);
                let mut hint =
                    self.line_hint.take().filter(|(hinted, ..)| *hinted == path).map(|(_, line, at)| (line, at));
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let span;
                            (span, hint) = position::edit_span(text, self.encoding, range, hint);
                            text.replace_range(span.start()..span.end(), &change.text);
                        }
                        None => (*text, hint) = (change.text, None),
                    }
                }
                self.line_hint = hint.map(|(line, at)| (path.clone(), line, at));
                document.version = params.text_document.version;
                self.touch(path);
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(notification.params) else {
                    return;
                };
                let Some(path) = state::identity(&params.text_document.uri) else { return };
                self.line_hint = None;
                if self.documents.open.remove(&path).is_some() {
                    publish(connection, params.text_document.uri, Vec::new(), None);
                    self.touch(path);
                }
            }
            notification::DidChangeWatchedFiles::METHOD | notification::DidSaveTextDocument::METHOD => {
                // A file on disk changed: a library an open script uses may read differently.
                self.dirty = true;
                self.changed.extend(self.documents.open.keys().cloned());
            }
            _ => {}
        }
    }

    fn touch(&mut self, path: PathBuf) {
        self.dirty = true;
        self.changed.insert(path);
    }

    /// Rebuilds the analyses and publishes the diagnostics of each changed buffer and of each
    /// open file that uses one (directly or not).
    fn refresh_if_dirty(&mut self, connection: &Connection) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let changed = std::mem::take(&mut self.changed);
        let previous = state::Reusable::new(&self.analyses);
        let analyses = state::groups(&self.documents.open)
            .into_iter()
            .map(|(config_path, inputs)| {
                let (config, error) = state::load_config(config_path.as_deref());
                Analysis::build(&self.documents.open, inputs, config, error, &previous)
            })
            .collect();
        let replaced = std::mem::replace(&mut self.analyses, analyses);
        for analysis in &self.analyses {
            if let Some(error) = &analysis.config_error {
                if self.shown_errors.insert(error.clone()) {
                    let params = ShowMessageParams { typ: MessageType::WARNING, message: error.clone() };
                    connection.send(Notification::new(notification::ShowMessage::METHOD.into(), params));
                }
            }
            for (path, document) in &self.documents.open {
                let Some(file) = analysis.file_of(path) else { continue };
                let affected =
                    analysis.project.use_closure(file).iter().any(|&used| changed.contains(&analysis.paths[used]));
                if affected {
                    let found = diagnostics::for_file(analysis, file, &self.documents.open, self.encoding);
                    publish(connection, document.uri.clone(), found, Some(document.version));
                }
            }
        }
        // Freeing a large project's AST takes a while; the next message need not wait for it.
        // When no thread can be started, the closure (and the analyses) is dropped right here.
        let _ = std::thread::Builder::new().name("drop analyses".into()).spawn(move || drop(replaced));
    }

    fn handle(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let outcome = match request.method.as_str() {
            request::GotoDefinition::METHOD => self.with(request, Server::definition),
            request::References::METHOD => self.with(request, Server::references),
            request::PrepareRenameRequest::METHOD => self.with(request, Server::prepare_rename),
            request::Rename::METHOD => self.with(request, Server::rename),
            request::Completion::METHOD => self.with(request, Server::completion),
            request::HoverRequest::METHOD => self.with(request, Server::hover),
            request::DocumentSymbolRequest::METHOD => self.with(request, Server::symbols),
            request::Formatting::METHOD => self.with(request, Server::formatting),
            request::CodeActionRequest::METHOD => self.with(request, Server::code_actions),
            method => Err((ErrorCode::MethodNotFound, format!("`{method}` is not supported"))),
        };
        respond(id, outcome)
    }

    fn with<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        request: Request,
        handler: fn(&mut Server, P) -> Answer<R>,
    ) -> Outcome {
        let params = serde_json::from_value::<P>(request.params)
            .map_err(|error| (ErrorCode::InvalidParams, format!("bad parameters: {error}")))?;
        let result = handler(self, params)?;
        serde_json::to_value(result).map_err(|error| (ErrorCode::InternalError, error.to_string()))
    }

    /// The analysis holding the open buffer `uri`, its file, and the LSP position as an offset.
    fn locate(&self, uri: &Url, position: Option<Position>) -> Option<(&Analysis, usize, usize)> {
        let path = state::identity(uri)?;
        let (analysis, file) =
            self.analyses.iter().find_map(|analysis| analysis.file_of(&path).map(|file| (analysis, file)))?;
        let offset = position.map_or(0, |position| LineIndex::new(analysis.text(file), self.encoding).offset(position));
        Some((analysis, file, offset))
    }

    fn location(&self, analysis: &Analysis, file: usize, span: crate::source::Span) -> Option<Location> {
        let uri = analysis.uri(file, &self.documents.open)?;
        Some(Location { uri, range: LineIndex::new(analysis.text(file), self.encoding).range(span) })
    }

    fn definition(&mut self, params: GotoDefinitionParams) -> Answer<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some((analysis, file, offset)) = self.locate(&at.text_document.uri, Some(at.position)) else {
            return Ok(None);
        };
        let key = navigate::at(&analysis.project, file, offset).and_then(|found| found.node(&analysis.project));
        Ok(key
            .and_then(|key| self.location(analysis, key.0, analysis.project.node(key).name.span))
            .map(GotoDefinitionResponse::Scalar))
    }

    /// An analysis of every script of the workspace (and the open buffers), for the features
    /// that must see every edge into a node: references and rename.
    fn wide(&self, uri: &Url) -> Option<Analysis> {
        let path = state::identity(uri)?;
        let config_path = crate::config::Config::discover(path.parent()?);
        let (config, error) = state::load_config(config_path.as_deref());
        let mut inputs: BTreeSet<PathBuf> = self.documents.open.keys().cloned().collect();
        let mut dirs: Vec<PathBuf> = self.roots.clone();
        if dirs.is_empty() {
            dirs.extend(config_path.as_ref().and_then(|config| config.parent()).map(PathBuf::from));
        }
        for dir in dirs {
            let (files, _) = crate::resolve::walk::defuse_files(&dir);
            inputs.extend(files.iter().map(|file| state::canonical_identity(file)));
        }
        let previous = state::Reusable::new(&self.analyses);
        Some(Analysis::build(&self.documents.open, inputs.into_iter().collect(), config, error, &previous))
    }

    fn references(&mut self, params: ReferenceParams) -> Answer<Option<Vec<Location>>> {
        let Some((analysis, Some(key))) = self.wide_node_at(&params.text_document_position) else { return Ok(None) };
        let mut spans = Vec::new();
        if params.context.include_declaration {
            spans.push((key.0, analysis.project.node(key).name.span));
        }
        spans.extend(navigate::references(&analysis.project, key));
        Ok(Some(spans.into_iter().filter_map(|(file, span)| self.location(&analysis, file, span)).collect()))
    }

    /// The workspace-wide analysis of `at`'s file ([`Server::wide`]) and the node named at `at`
    /// (its definition or an edge into it): `None` when the file is unknown, no key when no
    /// node's name is there.
    fn wide_node_at(&self, at: &TextDocumentPositionParams) -> Option<(Analysis, Option<crate::resolve::NodeKey>)> {
        let analysis = self.wide(&at.text_document.uri)?;
        let (file, offset) = self.position_in(&analysis, &at.text_document.uri, at.position)?;
        let key = navigate::at(&analysis.project, file, offset).and_then(|found| found.node(&analysis.project));
        Some((analysis, key))
    }

    fn position_in(&self, analysis: &Analysis, uri: &Url, position: Position) -> Option<(usize, usize)> {
        let file = analysis.file_of(&state::identity(uri)?)?;
        Some((file, LineIndex::new(analysis.text(file), self.encoding).offset(position)))
    }

    fn prepare_rename(&mut self, params: TextDocumentPositionParams) -> Answer<Option<PrepareRenameResponse>> {
        let Some((analysis, file, offset)) = self.locate(&params.text_document.uri, Some(params.position)) else {
            return Ok(None);
        };
        let span = match navigate::at(&analysis.project, file, offset) {
            Some(navigate::Found::Definition(key)) => analysis.project.node(key).name.span,
            Some(found @ navigate::Found::Target { target, .. }) if found.node(&analysis.project).is_some() => {
                target.node.span
            }
            _ => return Err((ErrorCode::RequestFailed, "only a node's name can be renamed".into())),
        };
        let range = LineIndex::new(analysis.text(file), self.encoding).range(span);
        Ok(Some(PrepareRenameResponse::Range(range)))
    }

    fn rename(&mut self, params: RenameParams) -> Answer<Option<WorkspaceEdit>> {
        let Some((analysis, key)) = self.wide_node_at(&params.text_document_position) else { return Ok(None) };
        let Some(key) = key else {
            return Err((ErrorCode::RequestFailed, "only a node's name can be renamed".into()));
        };
        if let Some(refusal) = navigate::rename_refusal(&analysis.project, key, &params.new_name) {
            return Err((ErrorCode::RequestFailed, refusal));
        }
        let mut spans = vec![(key.0, analysis.project.node(key).name.span)];
        spans.extend(navigate::references(&analysis.project, key));
        let mut changes: std::collections::HashMap<Url, Vec<TextEdit>> = Default::default();
        for (file, span) in spans {
            if let Some(location) = self.location(&analysis, file, span) {
                changes.entry(location.uri).or_default().push(TextEdit::new(location.range, params.new_name.clone()));
            }
        }
        Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
    }

    fn completion(&mut self, params: CompletionParams) -> Answer<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some((analysis, file, offset)) = self.locate(&at.text_document.uri, Some(at.position)) else {
            return Ok(None);
        };
        let mut items = complete::complete(&analysis.project, file, analysis.text(file), offset);
        let is_incomplete = items.len() > complete::MAX_TARGETS;
        items.truncate(complete::MAX_TARGETS);
        Ok(Some(CompletionResponse::List(CompletionList { is_incomplete, items })))
    }

    fn hover(&mut self, params: HoverParams) -> Answer<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some((analysis, file, offset)) = self.locate(&at.text_document.uri, Some(at.position)) else {
            return Ok(None);
        };
        let Some(found) = navigate::at(&analysis.project, file, offset) else { return Ok(None) };
        let Some(key) = found.node(&analysis.project) else { return Ok(None) };
        let span = match found {
            navigate::Found::Definition(key) => analysis.project.node(key).name.span,
            navigate::Found::Target { target, .. } => target.span,
        };
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: navigate::hover(&analysis.project, key, &analysis.timing),
            }),
            range: Some(LineIndex::new(analysis.text(file), self.encoding).range(span)),
        }))
    }

    fn symbols(&mut self, params: DocumentSymbolParams) -> Answer<Option<DocumentSymbolResponse>> {
        let Some((analysis, file, _)) = self.locate(&params.text_document.uri, None) else { return Ok(None) };
        let Some(item) = analysis.project.item(file) else { return Ok(None) };
        let index = LineIndex::new(analysis.text(file), self.encoding);
        Ok(Some(DocumentSymbolResponse::Nested(vec![navigate::symbols(item, |span| index.range(span))])))
    }

    fn formatting(&mut self, params: DocumentFormattingParams) -> Answer<Option<Vec<TextEdit>>> {
        let Some(document) = self.documents.get(&params.text_document.uri) else { return Ok(None) };
        let text = &document.text;
        let Some(formatted) = edit::format(text) else { return Ok(None) };
        if formatted == **text {
            return Ok(Some(Vec::new()));
        }
        let index = LineIndex::new(text, self.encoding);
        let whole = index.range(crate::source::Span::new(0, text.len()));
        Ok(Some(vec![TextEdit::new(whole, formatted)]))
    }

    fn code_actions(&mut self, params: CodeActionParams) -> Answer<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((analysis, file, _)) = self.locate(&uri, None) else { return Ok(None) };
        let index = LineIndex::new(analysis.text(file), self.encoding);
        let wanted = index.span(params.range);
        let published = diagnostics::for_file(analysis, file, &self.documents.open, self.encoding);
        let mut actions = Vec::new();
        let own = analysis.diagnostics.iter().filter(|d| d.file() == file);
        for (diagnostic, shown) in own.zip(published) {
            let span = diagnostic.primary.span;
            if span.end() < wanted.start() || span.start() > wanted.end() {
                continue;
            }
            for fix in edit::fixes(&analysis.project, file, diagnostic) {
                let edits = fix.edits.into_iter().map(|(span, text)| TextEdit::new(index.range(span), text)).collect();
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![shown.clone()]),
                    edit: Some(WorkspaceEdit {
                        changes: Some([(uri.clone(), edits)].into_iter().collect()),
                        ..Default::default()
                    }),
                    is_preferred: fix.preferred.then_some(true),
                    ..Default::default()
                }));
            }
        }
        Ok(Some(actions))
    }
}

fn respond(id: RequestId, outcome: Outcome) -> Response {
    match outcome {
        Ok(result) => Response::new_ok(id, result),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

fn publish(connection: &Connection, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
    let params = PublishDiagnosticsParams { uri, diagnostics, version };
    connection.send(Notification::new(notification::PublishDiagnostics::METHOD.into(), params));
}
