//! The notifications after `initialize` that change the server's state: [`handle`] maps each
//! method to its handler, one file per notification that edits the buffers. A notification is
//! never answered: parameters that do not decode are ignored, a panic is caught and logged.

mod did_change;
mod did_close;
mod did_open;

use std::panic::AssertUnwindSafe;

use lsp_server::Notification;
use lsp_types::notification::{self, Notification as Method};
use serde_json::Value;

use super::server::Server;
use super::transport::Connection;

pub(crate) fn handle(server: &mut Server, connection: &Connection, notification: Notification) {
    let Notification { method, params } = notification;
    let handled = std::panic::catch_unwind(AssertUnwindSafe(|| match method.as_str() {
        notification::DidOpenTextDocument::METHOD => {
            run::<notification::DidOpenTextDocument>(server, connection, params, did_open::did_open)
        }
        notification::DidChangeTextDocument::METHOD => {
            run::<notification::DidChangeTextDocument>(server, connection, params, did_change::did_change)
        }
        notification::DidCloseTextDocument::METHOD => {
            run::<notification::DidCloseTextDocument>(server, connection, params, did_close::did_close)
        }
        notification::DidChangeWatchedFiles::METHOD | notification::DidSaveTextDocument::METHOD => {
            // A file on disk changed: a library an open script uses may read differently.
            server.dirty = true;
            server.changed.extend(server.documents.open.keys().cloned());
        }
        _ => {}
    }));
    if handled.is_err() {
        eprintln!("defuse lsp: internal error while handling `{method}`");
    }
}

/// Decodes `params` as method `M`'s and runs `handler` on them; ignores them when they do not
/// decode.
fn run<M: Method>(
    server: &mut Server,
    connection: &Connection,
    params: Value,
    handler: fn(&mut Server, &Connection, M::Params),
) {
    if let Ok(params) = serde_json::from_value::<M::Params>(params) {
        handler(server, connection, params);
    }
}
