//! The requests' conversions between the protocol and the analysis, in one place (as
//! rust-analyzer's `to_proto`/`from_proto`): LSP positions and ranges in the negotiated
//! encoding ↔ byte offsets and spans, and a file's span ↔ a `Location` with the file's URI.
//! Built on [`LineIndex`]; a handler converting many spans of one file builds one index with
//! [`index`] rather than one per span.

use std::collections::BTreeMap;
use std::path::PathBuf;

use lsp_types::{Location, Position, Range, TextEdit};

use super::position::{Encoding, LineIndex};
use super::state::{Analysis, Document};
use crate::source::{FileId, Span};

/// The index converting positions of `text`.
pub(crate) fn index(text: &str, encoding: Encoding) -> LineIndex<'_> {
    LineIndex::new(text, encoding)
}

/// From the protocol: the byte offset of the client's `position` in `text` (clamped).
pub(crate) fn offset(text: &str, encoding: Encoding, position: Position) -> usize {
    LineIndex::new(text, encoding).offset(position)
}

/// To the protocol: the range of `span` in `text`.
pub(crate) fn range(text: &str, encoding: Encoding, span: Span) -> Range {
    LineIndex::new(text, encoding).range(span)
}

/// To the protocol: `span` of `file` as a location (`None` when the file has no URI).
pub(crate) fn location(
    analysis: &Analysis,
    documents: &BTreeMap<PathBuf, Document>,
    encoding: Encoding,
    file: FileId,
    span: Span,
) -> Option<Location> {
    let uri = analysis.uri(file, documents)?;
    Some(Location { uri, range: range(analysis.text(file), encoding, span) })
}

/// To the protocol: the edits replacing each span with its text.
pub(crate) fn text_edits(index: &LineIndex, edits: impl IntoIterator<Item = (Span, String)>) -> Vec<TextEdit> {
    edits.into_iter().map(|(span, text)| TextEdit::new(index.range(span), text)).collect()
}
