//! The language server, `defuse lsp` (spec section 9): LSP 3.17 over stdio, with a
//! synchronous main loop over `lsp-server`'s message types (as rust-analyzer's and ruff's are
//! structured).
//!
//! This file is the loop and the routing only (`initialize`, `shutdown`, `exit`, the rest to
//! `requests` or `notifications`):
//!
//! - `transport`: the wire (framing, bad frames, limits), read and written on threads;
//! - `server`: the state between messages and the refresh that rebuilds the analyses;
//! - `requests`: the dispatcher and one file per request (decoding, panic catching and the
//!   reply written once there); `notifications`: the same for the buffer edits;
//! - `state`: the open buffers and the [`state::Analysis`] snapshot built from them;
//! - `position`: byte offsets ↔ LSP positions in the negotiated encoding; `convert`: the
//!   handlers' conversions (spans, ranges, locations, edits) built on it, in one place;
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
mod convert;
mod diagnostics;
mod edit;
mod navigate;
mod notifications;
mod position;
mod requests;
mod server;
mod state;
#[cfg(test)]
mod tests;
mod translations;
mod transport;

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

use lsp_server::{ErrorCode, Message, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::*;
use serde_json::Value;

use position::Encoding;
use server::Server;
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
pub(crate) fn serve(connection: &Connection) -> u8 {
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
                connection.send(requests::handle(&server, request));
            }
            Message::Notification(_) if shut_down => {}
            Message::Notification(notification) => notifications::handle(&mut server, connection, notification),
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
