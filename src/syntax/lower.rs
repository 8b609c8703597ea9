//! Lowering: pest's parse tree to the [`ast`](super::ast), one function per grammar rule.
//!
//! Each function matches the inner pairs of its rule; anything else is a grammar/lowering
//! mismatch and hits `unreachable!` naming the rule, which a parser test would catch.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::expected::RESERVED;
use super::parser::Rule as GrammarRule;
use super::strings::{lower_string, BadEscape};
use crate::source::Span;

/// Collects the errors found while lowering (bad escapes, reserved words used as names)
/// without stopping.
#[derive(Default)]
pub(crate) struct Lowerer {
    pub bad_escapes: Vec<BadEscape>,
    pub reserved_names: Vec<Ident>,
    /// Where the parsed piece starts in the file; added to every span.
    pub offset: usize,
}

impl Lowerer {
    pub fn file(&mut self, pair: Pair<GrammarRule>) -> File {
        let mut uses = Vec::new();
        let mut item = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                GrammarRule::use_decl => uses.push(self.use_decl(inner)),
                GrammarRule::script => item = Some(self.item(ItemKind::Script, inner)),
                GrammarRule::library => item = Some(self.item(ItemKind::Library, inner)),
                GrammarRule::EOI => {}
                rule => unreachable!("file: unexpected {rule:?}"),
            }
        }
        File { uses, item: item.expect("the grammar requires a script or a library") }
    }

    /// `head`: the uses and the item without its nodes (its span ends at its `{` until the
    /// caller sets the end after the closing brace).
    pub(crate) fn head(&mut self, pair: Pair<GrammarRule>) -> (Vec<Use>, Item) {
        let mut uses = Vec::new();
        let mut item = None;
        for inner in pair.into_inner() {
            match inner.as_rule() {
                GrammarRule::use_decl => uses.push(self.use_decl(inner)),
                GrammarRule::script_head => item = Some(self.item(ItemKind::Script, inner)),
                GrammarRule::library_head => item = Some(self.item(ItemKind::Library, inner)),
                rule => unreachable!("head: unexpected {rule:?}"),
            }
        }
        (uses, item.expect("the grammar requires a script or a library"))
    }

    fn span(&self, pair: &Pair<GrammarRule>) -> Span {
        let span = pair.as_span();
        Span::new(span.start() + self.offset, span.end() + self.offset)
    }

    fn ident(&self, pair: Pair<GrammarRule>) -> Ident {
        debug_assert!(matches!(pair.as_rule(), GrammarRule::ident | GrammarRule::var_name));
        Ident { name: pair.as_str().to_owned(), span: self.span(&pair) }
    }

    fn use_decl(&mut self, pair: Pair<GrammarRule>) -> Use {
        let span = self.span(&pair);
        let path = pair.into_inner().find(|p| p.as_rule() == GrammarRule::string).map(|p| self.string(p));
        Use { path: path.expect("use_decl has a string"), span }
    }

    fn item(&mut self, kind: ItemKind, pair: Pair<GrammarRule>) -> Item {
        let span = self.span(&pair);
        let mut name = None;
        let mut title = None;
        let mut meta = Vec::new();
        let mut meta_blocks = Vec::new();
        let mut vars = Vec::new();
        let mut vars_blocks = Vec::new();
        let mut nodes = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                GrammarRule::kw_script | GrammarRule::kw_library | GrammarRule::lbrace | GrammarRule::rbrace => {}
                GrammarRule::ident => name = Some(self.name(inner)),
                GrammarRule::string => title = Some(self.string(inner)),
                GrammarRule::header => self.header(inner, &mut meta, &mut meta_blocks, &mut vars, &mut vars_blocks),
                GrammarRule::node => nodes.push(self.node(inner)),
                rule => unreachable!("script/library: unexpected {rule:?}"),
            }
        }
        nodes.shrink_to_fit();
        Item { kind, name: name.expect("an item has a name"), title, meta, meta_blocks, vars, vars_blocks, nodes, span }
    }

    fn header(
        &mut self,
        pair: Pair<GrammarRule>,
        meta: &mut Vec<MetaEntry>,
        blocks: &mut Vec<Span>,
        vars: &mut Vec<Ident>,
        vars_blocks: &mut Vec<Span>,
    ) {
        for inner in pair.into_inner() {
            match inner.as_rule() {
                GrammarRule::meta => {
                    blocks.push(self.span(&inner));
                    for entry in inner.into_inner().filter(|p| p.as_rule() == GrammarRule::meta_entry) {
                        meta.push(self.meta_entry(entry));
                    }
                }
                GrammarRule::vars => {
                    let whole = self.span(&inner);
                    let names: Vec<Ident> = inner
                        .into_inner()
                        .filter(|p| p.as_rule() == GrammarRule::var_name)
                        .map(|p| self.ident(p))
                        .collect();
                    // Up to its last name: pest's `var_name+` takes the spaces and comments after
                    // a single name into the pair, which would make the next line's comment the
                    // header's.
                    let end = names.last().map_or(whole.end(), |name| name.span.end());
                    vars_blocks.push(Span::new(whole.start(), end));
                    vars.extend(names);
                }
                rule => unreachable!("header: unexpected {rule:?}"),
            }
        }
    }

    fn meta_entry(&mut self, pair: Pair<GrammarRule>) -> MetaEntry {
        let mut inner = pair.into_inner();
        let key = self.name(inner.next().expect("meta_entry has a key"));
        let values = inner.map(|p| self.string(p)).collect();
        MetaEntry { key, values }
    }

    pub fn node(&mut self, pair: Pair<GrammarRule>) -> Node {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let stage_pair = inner.next().expect("node starts with a stage");
        let stage = Stage::from_keyword(stage_pair.as_str()).expect("the grammar only accepts stage keywords");
        let name = self.name(inner.next().expect("node has a name"));
        // Exact capacity: statements are most of the AST's memory, and growth would leave a
        // third of it unused.
        let mut stmts = Vec::with_capacity(inner.clone().filter(|p| p.as_rule() == GrammarRule::stmt).count());
        stmts.extend(inner.filter(|p| p.as_rule() == GrammarRule::stmt).map(|p| self.stmt(p)));
        Node { stage, stage_span: self.span(&stage_pair), name, stmts, span }
    }

    fn stmt(&mut self, pair: Pair<GrammarRule>) -> Stmt {
        let stmt = pair.into_inner().next().expect("stmt wraps one statement");
        let span = self.span(&stmt);
        let rule = stmt.as_rule();
        let mut parts = stmt.into_inner();
        parts.next().expect("a statement starts with a keyword");
        let kind = match rule {
            GrammarRule::say_stmt => StmtKind::Say(self.next_string(&mut parts)),
            GrammarRule::ask_stmt => StmtKind::Ask(self.next_string(&mut parts)),
            GrammarRule::customer_stmt => StmtKind::Customer(self.next_string(&mut parts)),
            GrammarRule::note_stmt => StmtKind::Note(self.next_string(&mut parts)),
            GrammarRule::hold_stmt => StmtKind::Hold(self.next_string(&mut parts)),
            GrammarRule::transfer_stmt => StmtKind::Transfer(self.next_string(&mut parts)),
            GrammarRule::goto_stmt => StmtKind::Goto(self.next_target(&mut parts)),
            GrammarRule::otherwise_stmt => StmtKind::Otherwise(self.next_target(&mut parts)),
            GrammarRule::reply_stmt => {
                let label = self.next_string(&mut parts);
                StmtKind::Reply(label, self.next_target(&mut parts))
            }
            GrammarRule::option_stmt => {
                let label = self.next_string(&mut parts);
                StmtKind::Option(label, self.next_target(&mut parts))
            }
            GrammarRule::outcome_stmt => {
                let word = parts.next().expect("outcome_stmt has an outcome");
                StmtKind::Outcome(Outcome::from_keyword(word.as_str()).expect("the grammar only accepts outcomes"))
            }
            GrammarRule::follow_up_stmt => {
                let after = self.next_string(&mut parts);
                StmtKind::FollowUp { after, note: self.next_string(&mut parts) }
            }
            rule => unreachable!("stmt: unexpected {rule:?}"),
        };
        Stmt { kind, span }
    }

    /// A name, remembering it when it is a reserved word.
    fn name(&mut self, pair: Pair<GrammarRule>) -> Ident {
        let name = self.ident(pair);
        if RESERVED.contains(&name.name.as_str()) {
            self.reserved_names.push(name.clone());
        }
        name
    }

    fn next_target(&mut self, parts: &mut Pairs<GrammarRule>) -> Target {
        let pair = parts.find(|p| p.as_rule() == GrammarRule::target).expect("statement has a target");
        let span = self.span(&pair);
        let mut idents = pair.into_inner();
        let first = self.name(idents.next().expect("target has a name"));
        match idents.next() {
            Some(node) => Target { library: Some(Box::new(first)), node: self.name(node), span },
            None => Target { library: None, node: first, span },
        }
    }

    fn next_string(&mut self, parts: &mut Pairs<GrammarRule>) -> Str {
        let pair = parts.next().expect("statement has a string");
        debug_assert_eq!(pair.as_rule(), GrammarRule::string);
        self.string(pair)
    }

    fn string(&mut self, pair: Pair<GrammarRule>) -> Str {
        let start = pair.as_span().start() + self.offset;
        match lower_string(pair.as_str(), start) {
            Ok(s) => s,
            Err(bad) => {
                self.bad_escapes.push(bad);
                // Keep going with the raw text so later phases still see the statement.
                let raw = pair.as_str();
                let quote = if raw.starts_with("\"\"\"") && raw.len() >= 6 { 3 } else { 1 };
                Str {
                    value: raw[quote..raw.len() - quote].to_owned(),
                    span: self.span(&pair),
                    placeholders: Box::default(),
                    triple: quote == 3,
                    escaped: false,
                }
            }
        }
    }
}
