//! The requests after `initialize`: [`handle`] maps each method to its handler, one file per
//! request, as ruff's server does. Decoding the parameters, catching a panic and building the
//! reply are written once here; a handler is a plain function of the [`Server`] and its typed
//! parameters giving its typed result (or the error to answer with).
//!
//! Adding a request: a file here with its handler, and one line in [`handle`] (and its
//! capability in `super::capabilities`).

mod code_action;
mod completion;
mod definition;
mod document_symbol;
mod formatting;
mod hover;
mod prepare_rename;
mod preview;
mod references;
mod rename;

use std::panic::AssertUnwindSafe;

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{self, Request as Method};
use serde_json::Value;

use super::server::{Answer, Server};

/// The reply to `request`: its handler's result, or an error when the method is unknown, the
/// parameters do not decode, the handler fails or panics (the panic is caught: the server goes
/// on).
pub(crate) fn handle(server: &Server, request: Request) -> Response {
    let id = request.id.clone();
    let params = request.params;
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| match request.method.as_str() {
        request::GotoDefinition::METHOD => run::<request::GotoDefinition>(server, params, definition::definition),
        request::References::METHOD => run::<request::References>(server, params, references::references),
        request::PrepareRenameRequest::METHOD => {
            run::<request::PrepareRenameRequest>(server, params, prepare_rename::prepare_rename)
        }
        request::Rename::METHOD => run::<request::Rename>(server, params, rename::rename),
        request::Completion::METHOD => run::<request::Completion>(server, params, completion::completion),
        request::HoverRequest::METHOD => run::<request::HoverRequest>(server, params, hover::hover),
        request::DocumentSymbolRequest::METHOD => {
            run::<request::DocumentSymbolRequest>(server, params, document_symbol::document_symbol)
        }
        request::Formatting::METHOD => run::<request::Formatting>(server, params, formatting::formatting),
        request::CodeActionRequest::METHOD => {
            run::<request::CodeActionRequest>(server, params, code_action::code_action)
        }
        preview::Preview::METHOD => run::<preview::Preview>(server, params, preview::preview),
        method => Err((ErrorCode::MethodNotFound, format!("`{method}` is not supported"))),
    }))
    .unwrap_or_else(|_| Err((ErrorCode::InternalError, "internal error (see the log)".into())));
    match outcome {
        Ok(result) => Response::new_ok(id, result),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

/// Decodes `params` as method `M`'s, runs `handler` on them and encodes its result: the
/// method's types tie each handler to the protocol.
fn run<M: Method>(
    server: &Server,
    params: Value,
    handler: fn(&Server, M::Params) -> Answer<M::Result>,
) -> Answer<Value> {
    let params = serde_json::from_value::<M::Params>(params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("bad parameters: {error}")))?;
    let result = handler(server, params)?;
    serde_json::to_value(result).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}

#[cfg(test)]
mod tests {
    use lsp_server::RequestId;

    use super::*;
    use crate::lsp::position::Encoding;

    fn error_code(method: &str, params: Value) -> Option<i32> {
        let server = Server::new(Encoding::Utf16, Vec::new());
        let request = Request::new(RequestId::from(1), method.to_owned(), params);
        handle(&server, request).error.map(|error| error.code)
    }

    #[test]
    fn every_announced_request_is_routed_and_its_parameters_decoded() {
        let announced = [
            request::GotoDefinition::METHOD,
            request::References::METHOD,
            request::PrepareRenameRequest::METHOD,
            request::Rename::METHOD,
            request::Completion::METHOD,
            request::HoverRequest::METHOD,
            request::DocumentSymbolRequest::METHOD,
            request::Formatting::METHOD,
            request::CodeActionRequest::METHOD,
            preview::Preview::METHOD,
        ];
        for method in announced {
            // Routed: the parameters are read (and refused), not the method.
            assert_eq!(error_code(method, Value::Null), Some(ErrorCode::InvalidParams as i32), "{method}");
        }
        assert_eq!(error_code("textDocument/inlayHint", Value::Null), Some(ErrorCode::MethodNotFound as i32));
    }

    #[test]
    fn a_request_about_an_unknown_file_is_answered_with_null() {
        let params = serde_json::json!({
            "textDocument": { "uri": "file:///nowhere/a.defuse" },
            "position": { "line": 0, "character": 0 },
        });
        let server = Server::new(Encoding::Utf16, Vec::new());
        let response = handle(&server, Request::new(RequestId::from(2), request::HoverRequest::METHOD.into(), params));
        assert_eq!((response.result, response.error.is_none()), (Some(Value::Null), true));
    }
}
