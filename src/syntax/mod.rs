//! Syntax: text to an AST with spans.
//!
//! **Invariant:** parsing never panics and never stops silently: it returns the AST (if the
//! text parses) and every `syntax` diagnostic. The grammar is `grammar/defuse.pest`.

pub mod ast;
pub mod comments;
pub(crate) mod expected;
pub mod format;
mod lower;
pub(crate) mod parser;
pub(crate) mod strings;

pub use comments::{comments, Comment};

use pest::Parser as _;

use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;
use parser::{DefuseParser, Rule as GrammarRule};

/// The result of parsing one file.
pub struct Parsed {
    /// `None` when the text does not parse at all.
    pub ast: Option<ast::File>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Files at least this large are parsed in pieces; for smaller ones the token queue is small
/// and one parse is cheaper than a parser state per node.
const PIECEWISE_FROM_BYTES: usize = 64 * 1024;

/// A text longer than [`crate::source::MAX_FILE_BYTES`] is refused with one diagnostic (the
/// loader refuses such files first; this keeps every other caller from building spans past
/// the limit).
pub fn parse(file: FileId, text: &str) -> Parsed {
    parse_reusing(file, text, &|_, _| None)
}

/// Gives, for the text of one node and the offset it starts at, the node that parsing it there
/// yields, when the caller already has it, or `None`. Only a node that lowers without an error
/// (no bad escape, no reserved name) may be given: those errors are not in the node.
pub type Reuse<'r> = &'r (dyn Fn(&str, usize) -> Option<ast::Node> + Sync);

/// [`parse`], taking the nodes `reuse` gives instead of parsing their text again (the language
/// server gives those of the previous version of the file; see `lsp::state`). The result is
/// [`parse`]'s when `reuse` keeps its contract.
pub(crate) fn parse_reusing(file: FileId, text: &str, reuse: Reuse) -> Parsed {
    if let Some(refused) = too_large(file, text) {
        return refused;
    }
    let pieces = if text.len() >= PIECEWISE_FROM_BYTES { parse_in_pieces(text, reuse) } else { None };
    match pieces {
        Some((ast, lowerer)) => finish(file, ast, lowerer),
        None => parse_whole(file, text),
    }
}

/// The diagnostic for a text past the size limit, at its start (offsets past the limit do not
/// fit a span).
fn too_large(file: FileId, text: &str) -> Option<Parsed> {
    (text.len() > crate::source::MAX_FILE_BYTES).then(|| {
        let message = format!("the file is larger than {} bytes, the most defuse reads", crate::source::MAX_FILE_BYTES);
        Parsed {
            ast: None,
            diagnostics: vec![Diagnostic::new(Code::Syntax, file, crate::source::Span::default(), message)],
        }
    })
}

/// [`parse`] always taking the incremental path (for tests that compare the two).
#[doc(hidden)]
pub fn parse_piecewise(file: FileId, text: &str) -> Parsed {
    match parse_in_pieces(text, &|_, _| None) {
        Some((ast, lowerer)) => finish(file, ast, lowerer),
        None => parse_whole(file, text),
    }
}

/// Parses `text` with the `file` rule in one go: the reference the incremental parse must
/// agree with, and the path that words syntax errors (pest reports what `file` expected).
#[doc(hidden)]
pub fn parse_whole(file: FileId, text: &str) -> Parsed {
    if let Some(refused) = too_large(file, text) {
        return refused;
    }
    let mut pairs = match DefuseParser::parse(GrammarRule::file, text) {
        Ok(pairs) => pairs,
        Err(error) => {
            let diagnostic =
                root_cause_target(file, text, &error).unwrap_or_else(|| expected::syntax_error(file, text, &error));
            return Parsed { ast: None, diagnostics: vec![diagnostic] };
        }
    };
    let mut lowerer = lower::Lowerer::default();
    let ast = lowerer.file(pairs.next().expect("a successful parse yields the file rule"));
    finish(file, ast, lowerer)
}

/// A best-effort AST for a file that does not parse, for the language server (which must keep
/// its symbols, definitions and completion while one node is being typed): the file's head and
/// every node that parses on its own; a broken node is left out. Nodes are found lexically, as
/// a stage keyword (reserved, so never a name) followed by a name and `{`, outside strings and
/// comments. `None` when not even the head (`use`s and the `script`/`library` line) parses.
/// Diagnostics are not produced here: a broken file's are [`parse`]'s.
pub(crate) fn parse_recovering(text: &str) -> Option<ast::File> {
    let mut lowerer = lower::Lowerer::default();
    let head = DefuseParser::parse(GrammarRule::head, text).ok()?.next()?;
    let head_end = head.as_span().end();
    let (uses, mut item) = lowerer.head(head);
    let starts = node_starts(text, head_end);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let Ok(mut pairs) = DefuseParser::parse(GrammarRule::node, &text[start..end]) else { continue };
        let Some(pair) = pairs.next() else { continue };
        let mut lowerer = lower::Lowerer { offset: start, ..Default::default() };
        item.nodes.push(lowerer.node(pair));
    }
    item.span = crate::source::Span::new(item.span.start(), text.len());
    Some(ast::File { uses, item })
}

/// Where each node seems to start after `pos`: a stage keyword, a name and `{`, outside
/// strings and comments. Tolerant of unclosed strings (a plain string ends at a line break).
pub(crate) fn node_starts(text: &str, mut pos: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut starts = Vec::new();
    while pos < bytes.len() {
        match bytes[pos] {
            b'#' => pos = text[pos..].find('\n').map_or(text.len(), |n| pos + n),
            b'"' if bytes[pos..].starts_with(b"\"\"\"") => {
                pos = triple_string_end(bytes, pos + 3).unwrap_or(text.len());
            }
            b'"' => {
                pos += 1;
                while pos < bytes.len() && !matches!(bytes[pos], b'"' | b'\n') {
                    pos += if bytes[pos] == b'\\' { 2 } else { 1 };
                }
                pos += 1;
            }
            b if is_word(b) => {
                let start = pos;
                while pos < bytes.len() && is_word(bytes[pos]) {
                    pos += 1;
                }
                if (start == 0 || !is_word(bytes[start - 1]))
                    && ast::Stage::from_keyword(&text[start..pos]).is_some()
                    && looks_like_node_head(&text[pos..])
                {
                    starts.push(start);
                }
            }
            _ => pos += 1,
        }
    }
    starts
}

/// Whether `rest` (the text after a stage keyword) is a name and then `{`.
fn looks_like_node_head(rest: &str) -> bool {
    let rest = rest.trim_start();
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    name_len > 0 && rest[name_len..].trim_start().starts_with('{')
}

/// The incremental parse: `head`, each `node`, then `tail`, so pest's token queue holds one
/// node at a time instead of the whole file (on a 100,000-node script that queue was most
/// of the memory and a third of the time, in page faults). A lexical scan finds where each
/// node ends first, so the nodes are parsed on every core; a node `reuse` gives is not parsed.
/// `None` when any piece fails.
fn parse_in_pieces(text: &str, reuse: Reuse) -> Option<(ast::File, lower::Lowerer)> {
    use rayon::prelude::*;

    let mut lowerer = lower::Lowerer::default();
    let head = DefuseParser::parse(GrammarRule::head, text).ok()?.next()?;
    let (pieces, tail) = node_pieces(text, head.as_span().end())?;
    let (uses, mut item) = lowerer.head(head);
    DefuseParser::parse(GrammarRule::tail, &text[tail..]).ok()?;
    // Reserved names and bad escapes are rare; they go aside with their piece's index so the
    // nodes themselves land in one exact-size vector.
    let found_aside = std::sync::Mutex::new(Vec::new());
    let mut nodes: Vec<Option<ast::Node>> = Vec::with_capacity(pieces.len());
    pieces
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .map(|(i, piece)| {
            let text = &text[piece.clone()];
            if let Some(node) = reuse(text, piece.start) {
                return Some(node);
            }
            let node = DefuseParser::parse(GrammarRule::node, text).ok()?.next()?;
            // The piece must be exactly one node, or the scan and the grammar disagree.
            if node.as_span().end() != text.len() {
                return None;
            }
            let mut lowerer = lower::Lowerer { offset: piece.start, ..Default::default() };
            let node = lowerer.node(node);
            if !lowerer.bad_escapes.is_empty() || !lowerer.reserved_names.is_empty() {
                found_aside.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((i, lowerer));
            }
            Some(node)
        })
        .collect_into_vec(&mut nodes);
    item.nodes.reserve_exact(nodes.len());
    for node in nodes {
        item.nodes.push(node?);
    }
    let mut aside = found_aside.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    aside.sort_by_key(|(i, _)| *i);
    for (_, piece) in aside {
        lowerer.bad_escapes.extend(piece.bad_escapes);
        lowerer.reserved_names.extend(piece.reserved_names);
    }
    item.span = crate::source::Span::new(item.span.start(), tail + 1);
    Some((ast::File { uses, item }, lowerer))
}

/// The byte range of every node after `pos`, and where the item's closing `}` is: a scan
/// that follows the grammar's comments, strings and braces. `None` when the text ends first
/// or a plain string runs into a newline (the whole-file parse then words the error).
fn node_pieces(text: &str, mut pos: usize) -> Option<(Vec<std::ops::Range<usize>>, usize)> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    loop {
        pos = skip_trivia(text, pos);
        match bytes.get(pos)? {
            b'}' => return Some((pieces, pos)),
            _ => {
                let start = pos;
                let mut depth = 0usize;
                loop {
                    match bytes.get(pos)? {
                        b'#' => pos = text[pos..].find('\n').map_or(text.len(), |n| pos + n),
                        b'"' if bytes[pos..].starts_with(b"\"\"\"") => pos = triple_string_end(bytes, pos + 3)?,
                        b'"' => pos = plain_string_end(bytes, pos + 1)?,
                        b'{' => {
                            depth += 1;
                            pos += 1;
                        }
                        b'}' => {
                            pos += 1;
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => pos += 1,
                    }
                }
                pieces.push(start..pos);
            }
        }
    }
}

/// Just past the `"` that closes a plain string whose content starts at `pos`.
fn plain_string_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        match bytes.get(pos)? {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            b'\n' => return None,
            _ => pos += 1,
        }
    }
}

/// Just past the `"""` that closes a triple-quoted string whose content starts at `pos`.
fn triple_string_end(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        match bytes.get(pos)? {
            b'\\' => pos += 2,
            b'"' if bytes[pos..].starts_with(b"\"\"\"") => return Some(pos + 3),
            _ => pos += 1,
        }
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
        Diagnostic::new(Code::Syntax, file, bad.span, format!("unknown escape `{}` in a string", bad.found))
            .label("unknown escape")
            .help("the escapes are \\\" \\\\ \\n \\t \\{ \\}; write \\\\ for a backslash")
    });
    let targets: Vec<&ast::Target> = if lowerer.reserved_names.is_empty() {
        Vec::new()
    } else {
        ast.item.nodes.iter().flat_map(|node| &node.stmts).filter_map(|stmt| stmt.edge()).map(|(t, _)| t).collect()
    };
    let reserved = lowerer.reserved_names.into_iter().map(|name| {
        match targets.iter().find(|target| target.node.span == name.span || target.span.start() == name.span.start()) {
            Some(target) => reserved_target(file, &ast.item, target, &name),
            None => Diagnostic::new(
                Code::Syntax,
                file,
                name.span,
                format!("`{}` is a reserved word and cannot be a name", name.name),
            )
            .label("reserved word")
            .help(format!("choose another name, such as `{}_step`", name.name)),
        }
    });
    let diagnostics = escapes.chain(reserved).collect();
    Parsed { ast: Some(ast), diagnostics }
}

/// `-> root-cause`: the parse reads `-> root` and stops at `-cause` (the one stage keyword with
/// a dash cannot be a name at all). Worded as `-> options` is, with the `root-cause` nodes of
/// the nodes that do parse.
fn root_cause_target(file: FileId, text: &str, error: &pest::error::Error<GrammarRule>) -> Option<Diagnostic> {
    let (pos, _) = expected::pest_error(error);
    let before = text[..pos].strip_suffix("root")?;
    if !text[pos..].starts_with("-cause") || !before.trim_end().ends_with("->") {
        return None;
    }
    let span = crate::source::Span::new(pos - "root".len(), pos + "-cause".len());
    let name = ast::Ident { name: "root-cause".to_owned(), span };
    let target = ast::Target { library: None, node: name.clone(), span };
    let recovered = parse_recovering(text)?;
    Some(reserved_target(file, &recovered.item, &target, &name))
}

/// A reserved word where a target names a node (`-> options`): "choose another name" would
/// be advice for a declaration; a target is fixed by naming a node, so the help lists the
/// nodes of that stage in this file.
fn reserved_target(file: FileId, item: &ast::Item, target: &ast::Target, name: &ast::Ident) -> Diagnostic {
    let word = name.name.as_str();
    let in_library_part = target.library.as_ref().is_some_and(|library| library.span == name.span);
    let Some(stage) = ast::Stage::from_keyword(word).filter(|_| !in_library_part) else {
        return Diagnostic::new(
            Code::Syntax,
            file,
            name.span,
            format!("`{word}` is a reserved word and cannot be a name"),
        )
        .label("reserved word")
        .help(format!(
            "a target names a node, and no node can be called `{word}`: write the name of the node to go to"
        ));
    };
    let diagnostic = Diagnostic::new(
        Code::Syntax,
        file,
        name.span,
        format!("`{word}` is a reserved word for a stage, not the name of a node"),
    )
    .label("a stage, not a node");
    if let Some(library) = &target.library {
        return diagnostic
            .help(format!("a target names a node: write the name of a `{word}` node of library `{}`", library.name));
    }
    let here = if item.kind == ast::ItemKind::Library { "this library" } else { "this script" };
    let names: Vec<&str> = item
        .nodes
        .iter()
        .map(|node| node.name.name.as_str())
        .zip(item.nodes.iter().map(|node| node.stage))
        .filter(|&(name, node_stage)| node_stage == stage && !expected::RESERVED.contains(&name))
        .map(|(name, _)| name)
        .collect();
    let unnamed =
        item.nodes.iter().any(|node| node.stage == stage && expected::RESERVED.contains(&node.name.name.as_str()));
    let help = match names.as_slice() {
        [] if unnamed => {
            format!("a target names a node; give the `{word}` node here a name that is not a keyword, and go to it by that name")
        }
        [] => format!("a target names a node; {here} has no `{word}` node yet: add one and go to it by its name"),
        // "nodes … are" for one node too: the contract's words (section 2).
        [one] => format!("a target names a node; the `{word}` nodes here are `{one}`: write `-> {one}`"),
        _ => {
            const SHOWN: usize = 5;
            let shown: Vec<String> = names.iter().take(SHOWN).map(|name| format!("`{name}`")).collect();
            let mut listed = shown.join(", ");
            if names.len() > SHOWN {
                listed.push_str(&format!(" and {} more", names.len() - SHOWN));
            }
            format!("a target names a node; the `{word}` nodes here are {listed}")
        }
    };
    diagnostic.help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_scan_skips_braces_in_comments_and_strings() {
        let body =
            "\n  mirror a { # } not a brace\n    say \"}{\\\"}\" -> b }\n  close b { say \"\"\"x \"} \"\" {\"\"\" }\n}";
        let (pieces, tail) = node_pieces(body, 0).unwrap();
        let texts: Vec<&str> = pieces.iter().map(|p| &body[p.clone()]).collect();
        assert_eq!(
            texts,
            vec!["mirror a { # } not a brace\n    say \"}{\\\"}\" -> b }", "close b { say \"\"\"x \"} \"\" {\"\"\" }"]
        );
        assert_eq!(&body[tail..], "}");
    }

    #[test]
    fn node_scan_gives_up_where_the_grammar_would_fail() {
        assert!(node_pieces("mirror a { say \"no end\n }\n}", 0).is_none(), "plain strings stop at a newline");
        assert!(node_pieces("mirror a { say \"x\" ", 0).is_none(), "text ends inside a node");
        assert!(node_pieces("mirror a { }", 0).is_none(), "no closing brace for the item");
    }
}
