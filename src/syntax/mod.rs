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

pub fn parse(file: FileId, text: &str) -> Parsed {
    let mut pairs = match DefuseParser::parse(Rule::file, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            return Parsed { ast: None, diagnostics: vec![expected::syntax_error(file, text, &error)] };
        }
    };
    let mut lowerer = lower::Lowerer::default();
    let ast = lowerer.file(pairs.next().expect("a successful parse yields the file rule"));
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
