//! Completion, from the text before the cursor (which may not parse yet):
//! - after `->`: the nodes the file can name (its own, and `lib.node` for each library it
//!   `use`s), never a trigger, nearest stages first (the node's own stage, then the next ones
//!   forward, then back);
//! - after `outcome`: the four outcomes;
//! - after `{` inside a string: the script's vars;
//! - at a statement's start inside a node: the statement keywords allowed in its stage;
//! - between nodes: the stage keywords (and `meta`, `vars` in a script).
//!
//! The enclosing node is found lexically ([`crate::syntax::node_starts`]), so completion
//! works inside the very node being typed, which does not parse.

use lsp_types::{CompletionItem, CompletionItemKind};

use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::{ItemKind, Node, Stage, StmtKind};

/// What the cursor completes.
#[derive(Debug, PartialEq, Eq)]
enum Context {
    /// After `->`, with the name of the enclosing node when it does not parse yet (it is a
    /// target like any other: `otherwise -> restate` inside `restate` asks again).
    Target(Option<String>),
    Outcome,
    Var,
    Statement(Option<Stage>),
    TopLevel,
    /// In a string (not at a placeholder) or a comment: text, where nothing is offered.
    Text,
}

pub(crate) fn complete(project: &Project, file: FileId, text: &str, offset: usize) -> Vec<CompletionItem> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let (context, stage, node) = context(project, file, text, offset);
    match context {
        Context::Target(typing) => targets(project, file, stage, typing.as_deref(), typed_word(text, offset)),
        Context::Outcome => ["resolved", "escalated", "callback", "ended"]
            .iter()
            .enumerate()
            .map(|(i, word)| item(word, CompletionItemKind::ENUM_MEMBER, None, Some(i.to_string())))
            .collect(),
        Context::Var => project
            .item(file)
            .filter(|item| item.kind == ItemKind::Script)
            .map(|item| {
                item.vars.iter().map(|var| item_of(&var.name, CompletionItemKind::VARIABLE, Some("var"))).collect()
            })
            .unwrap_or_default(),
        Context::Statement(stage) => statements(stage, node),
        Context::Text => Vec::new(),
        Context::TopLevel => {
            let mut words: Vec<&str> = Stage::ALL.iter().map(|stage| stage.keyword()).collect();
            if project.item(file).is_some_and(|item| item.kind == ItemKind::Script) {
                words.extend(["meta", "vars"]);
            }
            words.into_iter().map(|word| item(word, CompletionItemKind::KEYWORD, None, None)).collect()
        }
    }
}

/// The most targets one answer lists; a longer list is marked incomplete, so the editor asks
/// again as more of the name is typed (a 10,000-node script would otherwise send them all).
/// [`complete`] gives one more than this when there are more, for the caller to tell.
pub(crate) const MAX_TARGETS: usize = 200;

/// The part of a name typed before the cursor (`clo` in `-> clo|`, `closings.th`).
fn typed_word(text: &str, offset: usize) -> &str {
    let span = typed_span(text, offset);
    &text[span.start()..span.end()]
}

/// Where [`typed_word`] stands: what a chosen item replaces.
pub(crate) fn typed_span(text: &str, offset: usize) -> crate::source::Span {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let start = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.').len();
    crate::source::Span::new(start, offset)
}

/// Whether `label` holds the characters of `typed` in order, ignoring case (editors filter the
/// same way, so nothing they would show is left out).
fn matches_typed(label: &str, typed: &str) -> bool {
    let mut label = label.chars().map(|c| c.to_ascii_lowercase());
    typed.chars().all(|wanted| label.any(|c| c == wanted.to_ascii_lowercase()))
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<&str>, sort: Option<String>) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: detail.map(str::to_owned),
        sort_text: sort,
        ..Default::default()
    }
}

fn item_of(label: &str, kind: CompletionItemKind, detail: Option<&str>) -> CompletionItem {
    item(label, kind, detail, None)
}

/// The context at `offset`, the stage of the node the cursor is in, and that node if it parses.
fn context<'p>(
    project: &'p Project,
    file: FileId,
    text: &str,
    offset: usize,
) -> (Context, Option<Stage>, Option<&'p Node>) {
    let before = &text[..offset];
    let nodes = project.item(file).map_or(&[][..], |item| &item.nodes[..]);
    let enclosing = enclosing_node(text, offset, nodes);
    let (stage, parsed) = enclosing.map_or((None, None), |(stage, node, _)| (Some(stage), node));
    // Placeholders are only in a node's lines: the title and `meta` values are plain text.
    let within = match enclosing {
        Some((_, _, start)) => within(text, start, offset),
        None => within(text, before.rfind('\n').map_or(0, |i| i + 1), offset),
    };
    match within {
        Within::String { typing_var: true } if enclosing.is_some() => return (Context::Var, stage, parsed),
        Within::String { .. } | Within::Comment => return (Context::Text, stage, parsed),
        Within::Code => {}
    }
    let word_start = before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.').len();
    let prefix = before[..word_start].trim_end();
    if prefix.ends_with("->") {
        let typing = enclosing.filter(|(_, node, _)| node.is_none()).and_then(|(_, _, start)| node_name(text, start));
        return (Context::Target(typing.map(str::to_owned)), stage, parsed);
    }
    if prefix.ends_with("outcome")
        && !prefix[..prefix.len() - "outcome".len()].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    {
        return (Context::Outcome, stage, parsed);
    }
    match enclosing {
        Some(_) => (Context::Statement(stage), stage, parsed),
        None => (Context::TopLevel, None, None),
    }
}

/// Where `offset` stands in the text scanned from `from` (a node's start, outside any string or
/// comment): in code, a comment, or a string, and whether just after a placeholder's `{` and
/// the name typed so far. Strings as the grammar reads them: `"""…"""` spans lines, a plain
/// string ends at a line break, `\` escapes the next character.
enum Within {
    Code,
    Comment,
    String { typing_var: bool },
}

fn within(text: &str, from: usize, offset: usize) -> Within {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < offset {
        match bytes[at] {
            b'#' => match text[at..offset].find('\n') {
                Some(end) => at += end + 1,
                None => return Within::Comment,
            },
            b'"' => {
                let triple = text[at..].starts_with("\"\"\"");
                let mut i = at + if triple { 3 } else { 1 };
                let mut typing_var = false;
                loop {
                    if i >= offset {
                        return Within::String { typing_var };
                    }
                    match bytes[i] {
                        b'\\' => {
                            typing_var = false;
                            i += 2;
                            continue;
                        }
                        b'"' if triple && text[i..].starts_with("\"\"\"") => {
                            i += 3;
                            break;
                        }
                        b'"' if !triple => {
                            i += 1;
                            break;
                        }
                        b'\n' if !triple => {
                            i += 1;
                            break;
                        }
                        b'{' => typing_var = true,
                        c if c.is_ascii_alphanumeric() || c == b'_' => {}
                        _ => typing_var = false,
                    }
                    i += 1;
                }
                at = i;
            }
            _ => at += 1,
        }
    }
    Within::Code
}

/// The stage of the node the cursor is inside, that node when it parses, and where it starts;
/// `None` when the cursor is between nodes.
fn enclosing_node<'p>(text: &str, offset: usize, nodes: &'p [Node]) -> Option<(Stage, Option<&'p Node>, usize)> {
    // The scan starts at the last parsed node before the cursor rather than at the file's
    // start: a parsed node starts outside any string or comment, where a scan from the start
    // is too, so both find the same starts from there (and a large file is not scanned whole).
    let parsed_before = nodes.partition_point(|node| node.span.start() < offset);
    let scan_from = parsed_before.checked_sub(1).map_or(0, |i| nodes[i].span.start());
    let start = crate::syntax::node_starts(text, scan_from).into_iter().take_while(|&start| start < offset).last()?;
    let parsed = nodes.iter().find(|node| node.span.start() == start);
    match parsed {
        Some(node) if offset >= node.span.end() => None,
        // Inside the header, before the `{`: not yet in the body.
        _ if !text[start..offset].contains('{') => None,
        Some(node) => Some((node.stage, Some(node), start)),
        None => {
            let keyword = &text[start..];
            let end = keyword.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(keyword.len());
            Some((Stage::from_keyword(&keyword[..end])?, None, start))
        }
    }
}

/// The name in the header of the node starting at `start` (`restate` in `mirror restate {`),
/// read from the text: the node may not parse yet.
fn node_name(text: &str, start: usize) -> Option<&str> {
    let header = &text[start..];
    let after_keyword = header.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-');
    let name_start = after_keyword.trim_start_matches([' ', '\t']);
    let end = name_start.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(name_start.len());
    let name = &name_start[..end];
    (!name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit())).then_some(name)
}

/// The statements allowed in a node of `stage` (spec section 3, `misplaced-statement` and
/// `close-has-next`): `option` only in `options`, `outcome` (once) and `follow_up` only in a
/// close, which has no edges.
fn statements(stage: Option<Stage>, node: Option<&Node>) -> Vec<CompletionItem> {
    let close = stage == Some(Stage::Close);
    let mut words = vec!["say", "ask", "customer", "note", "hold", "transfer"];
    if !close {
        words.extend(["->", "reply", "otherwise"]);
    }
    if stage == Some(Stage::Options) {
        words.push("option");
    }
    if close {
        // A second of either is `misplaced-statement`: offered only while the node has none.
        let has = |wanted: fn(&StmtKind) -> bool| node.is_some_and(|node| node.stmts.iter().any(|s| wanted(&s.kind)));
        if !has(|kind| matches!(kind, StmtKind::Outcome(_))) {
            words.push("outcome");
        }
        if !has(|kind| matches!(kind, StmtKind::FollowUp { .. })) {
            words.push("follow_up");
        }
    }
    words.into_iter().map(|word| item(word, CompletionItemKind::KEYWORD, None, None)).collect()
}

/// The nodes `file` can name that match `typed`, except triggers, nearest stages to `from`
/// first: at most [`MAX_TARGETS`] and one (items are built only for those). `typing` is the
/// node being typed (of stage `from`), which is not among the parsed nodes.
fn targets(
    project: &Project,
    file: FileId,
    from: Option<Stage>,
    typing: Option<&str>,
    typed: &str,
) -> Vec<CompletionItem> {
    let Some(own) = project.item(file) else { return Vec::new() };
    let mut found: Vec<(std::borrow::Cow<str>, Stage)> =
        own.nodes.iter().map(|node| (node.name.name.as_str().into(), node.stage)).collect();
    if let (Some(name), Some(stage)) = (typing, from) {
        found.push((name.into(), stage));
    }
    for (library, &used) in &project.module(file).imports {
        if used == file {
            continue;
        }
        for node in project.item(used).map_or(&[][..], |item| &item.nodes[..]) {
            found.push((format!("{library}.{}", node.name.name).into(), node.stage));
        }
    }
    found.retain(|(name, stage)| *stage != Stage::Trigger && matches_typed(name, typed));
    let mut seen = std::collections::HashSet::new();
    found.retain(|(name, _)| seen.insert(name.clone()));
    let distance = |stage: Stage| -> usize {
        let (to, at) = (stage.rank(), from.map_or(0, Stage::rank));
        if to >= at {
            2 * (to - at)
        } else {
            2 * (at - to) + 1
        }
    };
    found.sort_by(|a, b| distance(a.1).cmp(&distance(b.1)).then_with(|| a.0.cmp(&b.0)));
    found
        .iter()
        .take(MAX_TARGETS + 1)
        .enumerate()
        .map(|(i, (name, stage))| {
            item(name, CompletionItemKind::REFERENCE, Some(stage.keyword()), Some(format!("{i:06}")))
        })
        .collect()
}
