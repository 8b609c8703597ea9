//! Syntax: text to an AST with spans.
//!
//! **Invariant:** parsing never panics and never stops silently: it returns the AST (if the
//! text parses) and every `syntax` diagnostic. The grammar is `grammar/defuse.pest`.

pub mod ast;
pub mod expected;
pub mod format;
mod lower;
pub mod parser;
pub mod strings;

use pest::Parser as _;

use crate::check::rules::syntax::RULE as SYNTAX;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use parser::{DefuseParser, Rule};

/// The result of parsing one file.
pub struct Parsed {
    /// `None` when the text does not parse at all.
    pub ast: Option<ast::File>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Files at least this large are parsed in pieces; for smaller ones the token queue is small
/// and one parse is cheaper than a parser state per node.
const PIECEWISE_FROM_BYTES: usize = 64 * 1024;

pub fn parse(file: FileId, text: &str) -> Parsed {
    let pieces = if text.len() >= PIECEWISE_FROM_BYTES { parse_in_pieces(text) } else { None };
    match pieces {
        Some((ast, lowerer)) => finish(file, ast, lowerer),
        None => parse_whole(file, text),
    }
}

/// [`parse`] always taking the incremental path (for tests that compare the two).
#[doc(hidden)]
pub fn parse_piecewise(file: FileId, text: &str) -> Parsed {
    match parse_in_pieces(text) {
        Some((ast, lowerer)) => finish(file, ast, lowerer),
        None => parse_whole(file, text),
    }
}

/// Parses `text` with the `file` rule in one go: the reference the incremental parse must
/// agree with, and the path that words syntax errors (pest reports what `file` expected).
#[doc(hidden)]
pub fn parse_whole(file: FileId, text: &str) -> Parsed {
    let mut pairs = match DefuseParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            return Parsed { ast: None, diagnostics: vec![expected::syntax_error(file, text, &error)] };
        }
    };
    let mut lowerer = lower::Lowerer::default();
    let ast = lowerer.file(pairs.next().expect("a successful parse yields the file rule"));
    finish(file, ast, lowerer)
}

/// The incremental parse: `head`, each `node`, then `tail`, so pest's token queue holds one
/// node at a time instead of the whole file (on a 100,000-node script that queue was most
/// of the memory and a third of the time, in page faults). `None` when any piece fails.
fn parse_in_pieces(text: &str) -> Option<(ast::File, lower::Lowerer)> {
    let mut lowerer = lower::Lowerer::default();
    let head = DefuseParser::parse(Rule::head, text).ok()?.next()?;
    let mut pos = head.as_span().end();
    let (uses, mut item) = lowerer.head(head);
    loop {
        pos = skip_trivia(text, pos);
        let rest = &text[pos..];
        lowerer.offset = pos;
        if rest.starts_with('}') {
            DefuseParser::parse(Rule::tail, rest).ok()?;
            item.span.end = pos + 1;
            return Some((ast::File { uses, item }, lowerer));
        }
        let node = DefuseParser::parse(Rule::node, rest).ok()?.next()?;
        let end = pos + node.as_span().end();
        item.nodes.push(lowerer.node(node));
        pos = end;
    }
}

/// The end of the whitespace and comments at `pos`: what the grammar's implicit
/// `(WHITESPACE | COMMENT)*` consumes between two pieces.
fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => pos = text[pos..].find('\n').map_or(text.len(), |n| pos + n),
            _ if text[pos..].starts_with('\u{FEFF}') => pos += '\u{FEFF}'.len_utf8(),
            _ => break,
        }
    }
    pos
}

fn finish(file: FileId, ast: ast::File, lowerer: lower::Lowerer) -> Parsed {
    let escapes = lowerer.bad_escapes.into_iter().map(|bad| {
        Diagnostic::new(SYNTAX.code, file, bad.span, format!("unknown escape `{}` in a string", bad.found))
            .label("unknown escape")
            .help("the escapes are \\\" \\\\ \\n \\t \\{ \\}; write \\\\ for a backslash")
    });
    let reserved = lowerer.reserved_names.into_iter().map(|name| {
        Diagnostic::new(
            SYNTAX.code,
            file,
            name.span,
            format!("`{}` is a reserved word and cannot be a name", name.name),
        )
        .label("reserved word")
        .help(format!("choose another name, such as `{}_step`", name.name))
    });
    let diagnostics = escapes.chain(reserved).collect();
    Parsed { ast: Some(ast), diagnostics }
}
