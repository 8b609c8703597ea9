//! The abstract syntax tree. Every item carries the [`Span`] it came from.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal after escapes are applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub value: String,
    /// The whole literal, quotes included.
    pub span: Span,
    /// Every `{name}` in the text, with the span of the braces and name in the source.
    pub placeholders: Box<[Ident]>,
    /// Whether the literal is `"""…"""`.
    pub triple: bool,
    /// Whether the source text differs from `value` (escapes were applied).
    pub escaped: bool,
}

impl Str {
    /// Byte offset in the source where the content starts (after the opening quotes).
    pub(crate) fn content_start(&self) -> usize {
        self.span.start() + if self.triple { 3 } else { 1 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Trigger,
    Acknowledge,
    Mirror,
    RootCause,
    Options,
    Close,
}

impl Stage {
    pub const ALL: [Stage; 6] =
        [Stage::Trigger, Stage::Acknowledge, Stage::Mirror, Stage::RootCause, Stage::Options, Stage::Close];

    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Stage::Trigger => "trigger",
            Stage::Acknowledge => "acknowledge",
            Stage::Mirror => "mirror",
            Stage::RootCause => "root-cause",
            Stage::Options => "options",
            Stage::Close => "close",
        }
    }

    /// Position in the call, 0 (`trigger`) to 5 (`close`).
    pub(crate) fn rank(self) -> usize {
        self as usize
    }

    pub(crate) fn from_keyword(keyword: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.keyword() == keyword)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    Resolved,
    Escalated,
    Callback,
    Ended,
}

impl Outcome {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Escalated => "escalated",
            Outcome::Callback => "callback",
            Outcome::Ended => "ended",
        }
    }

    pub(crate) fn from_keyword(keyword: &str) -> Option<Outcome> {
        [Outcome::Resolved, Outcome::Escalated, Outcome::Callback, Outcome::Ended]
            .into_iter()
            .find(|outcome| outcome.keyword() == keyword)
    }
}

/// `node` or `library.node`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Boxed: most targets name a node of their own file, and every statement pays for the
    /// largest one (see docs/performance.md).
    pub library: Option<Box<Ident>>,
    pub node: Ident,
    pub span: Span,
}

impl Target {
    pub fn display(&self) -> String {
        match &self.library {
            Some(library) => format!("{}.{}", library.name, self.node.name),
            None => self.node.name.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    Say(Str),
    Ask(Str),
    Customer(Str),
    Note(Str),
    Goto(Target),
    Reply(Str, Target),
    Otherwise(Target),
    Option(Str, Target),
    Hold(Str),
    Transfer(Str),
    Outcome(Outcome),
    FollowUp { after: Str, note: Str },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

impl Stmt {
    /// The span of the statement's keyword (or `->`), for labels that point at the statement:
    /// every statement starts with it.
    pub(crate) fn keyword_span(&self) -> Span {
        Span::new(self.span.start(), self.span.start() + self.keyword_text().len())
    }

    pub(crate) fn keyword_text(&self) -> &'static str {
        match self.kind {
            StmtKind::Say(_) => "say",
            StmtKind::Ask(_) => "ask",
            StmtKind::Customer(_) => "customer",
            StmtKind::Note(_) => "note",
            StmtKind::Goto(_) => "->",
            StmtKind::Reply(..) => "reply",
            StmtKind::Otherwise(_) => "otherwise",
            StmtKind::Option(..) => "option",
            StmtKind::Hold(_) => "hold",
            StmtKind::Transfer(_) => "transfer",
            StmtKind::Outcome(_) => "outcome",
            StmtKind::FollowUp { .. } => "follow_up",
        }
    }

    /// The edge this statement adds, with its label for `reply` and `option`.
    pub(crate) fn edge(&self) -> Option<(&Target, Option<&Str>)> {
        match &self.kind {
            StmtKind::Goto(target) | StmtKind::Otherwise(target) => Some((target, None)),
            StmtKind::Reply(label, target) | StmtKind::Option(label, target) => Some((target, Some(label))),
            _ => None,
        }
    }

    /// Every string literal in the statement.
    pub(crate) fn strings(&self) -> Vec<&Str> {
        match &self.kind {
            StmtKind::Say(s)
            | StmtKind::Ask(s)
            | StmtKind::Customer(s)
            | StmtKind::Note(s)
            | StmtKind::Hold(s)
            | StmtKind::Transfer(s)
            | StmtKind::Reply(s, _)
            | StmtKind::Option(s, _) => vec![s],
            StmtKind::FollowUp { after, note } => vec![after, note],
            StmtKind::Goto(_) | StmtKind::Otherwise(_) | StmtKind::Outcome(_) => vec![],
        }
    }

    /// The text of a line statement (`say`, `ask`, `customer`, `note`, `hold`, `transfer`);
    /// its kind is [`Stmt::keyword_text`].
    pub fn line_text(&self) -> Option<&Str> {
        match &self.kind {
            StmtKind::Say(s)
            | StmtKind::Ask(s)
            | StmtKind::Customer(s)
            | StmtKind::Note(s)
            | StmtKind::Hold(s)
            | StmtKind::Transfer(s) => Some(s),
            _ => None,
        }
    }

    /// The text the agent says: `say`, `ask` and `option` labels.
    pub(crate) fn agent_line(&self) -> Option<&Str> {
        match &self.kind {
            StmtKind::Say(s) | StmtKind::Ask(s) | StmtKind::Option(s, _) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub stage: Stage,
    pub stage_span: Span,
    pub name: Ident,
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

impl Node {
    /// The same node moved from byte offset `from` to `to` (both its start): every span in it
    /// shifted by the difference. Parsing a node's text at another offset gives exactly this,
    /// which lets the language server reuse the nodes of an edit's unchanged text.
    pub fn moved(mut self, from: usize, to: usize) -> Node {
        let shift = |span: &mut Span| *span = Span::new(span.start() - from + to, span.end() - from + to);
        visit_node(&mut self, &mut |span| shift(span), &mut |string| move_str(string, &shift));
        self
    }

    /// The outcome of a close node: its `outcome` statement, else `resolved`.
    pub fn outcome(&self) -> Outcome {
        self.stmts
            .iter()
            .find_map(|stmt| match stmt.kind {
                StmtKind::Outcome(outcome) => Some(outcome),
                _ => None,
            })
            .unwrap_or(Outcome::Resolved)
    }

    pub fn follow_up(&self) -> Option<(&Str, &Str)> {
        self.stmts.iter().find_map(|stmt| match &stmt.kind {
            StmtKind::FollowUp { after, note } => Some((after, note)),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaEntry {
    pub key: Ident,
    pub values: Vec<Str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Script,
    Library,
}

impl ItemKind {
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            ItemKind::Script => "script",
            ItemKind::Library => "library",
        }
    }
}

/// The one `script` or `library` of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub name: Ident,
    pub title: Option<Str>,
    pub meta: Vec<MetaEntry>,
    /// The span of each `meta { … }` block, in source order.
    pub meta_blocks: Vec<Span>,
    pub vars: Vec<Ident>,
    /// Each `vars` header as written (a script may repeat the header).
    pub vars_blocks: Vec<Span>,
    pub nodes: Vec<Node>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Use {
    pub path: Str,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub uses: Vec<Use>,
    pub item: Item,
}

impl File {
    /// The AST of this file's text with some string literals replaced: `replaced` holds, in
    /// text order, each replaced literal's span in this text and the literal that took its
    /// place, lowered where it stands in the new text. Every other span moves by what the
    /// replacements before it added or removed. When this text parsed without a diagnostic,
    /// the result is what parsing the new text gives (`locale::localise` checks it in debug
    /// builds), without the parse.
    pub(crate) fn with_literals(&self, replaced: &[(Span, Str)]) -> File {
        // `growth[i]`: what the first `i` replacements added to the text's length.
        let mut growth = vec![0isize; replaced.len() + 1];
        for (i, (old, new)) in replaced.iter().enumerate() {
            growth[i + 1] = growth[i] + new.span.len() as isize - old.len() as isize;
        }
        // An offset moves by the replacements that end at or before it.
        let place = |offset: usize| {
            let before = replaced.partition_point(|(old, _)| old.end() <= offset);
            offset.checked_add_signed(growth[before]).expect("a replacement ends before an offset past it")
        };
        let shift = |span: &mut Span| *span = Span::new(place(span.start()), place(span.end()));
        let mut string = |string: &mut Str| {
            let at = replaced.partition_point(|(old, _)| old.start() < string.span.start());
            match replaced.get(at) {
                Some((old, new)) if *old == string.span => *string = new.clone(),
                _ => move_str(string, &shift),
            }
        };
        let mut file = self.clone();
        let File { uses, item } = &mut file;
        for Use { path, span } in uses {
            string(path);
            shift(span);
        }
        let Item { kind: _, name, title, meta, meta_blocks, vars, vars_blocks, nodes, span } = item;
        shift(&mut name.span);
        title.iter_mut().for_each(&mut string);
        for MetaEntry { key, values } in meta {
            shift(&mut key.span);
            values.iter_mut().for_each(&mut string);
        }
        meta_blocks.iter_mut().for_each(shift);
        vars.iter_mut().for_each(|var| shift(&mut var.span));
        vars_blocks.iter_mut().for_each(shift);
        for node in nodes {
            visit_node(node, &mut |span| shift(span), &mut string);
        }
        shift(span);
        file
    }
}

fn visit_target(target: &mut Target, span: &mut dyn FnMut(&mut Span)) {
    let Target { library, node, span: whole } = target;
    if let Some(library) = library {
        span(&mut library.span);
    }
    span(&mut node.span);
    span(whole);
}

/// A literal's span and its placeholders' spans through `shift`.
fn move_str(string: &mut Str, shift: &impl Fn(&mut Span)) {
    // Destructured so that a new span field fails to compile here until it is moved too.
    let Str { value: _, span, placeholders, triple: _, escaped: _ } = string;
    shift(span);
    placeholders.iter_mut().for_each(|placeholder| shift(&mut placeholder.span));
}

/// Calls `span` on every span of `node` outside its string literals, and `string` on each
/// literal. Destructured, so that a new field fails to compile here until it is visited.
fn visit_node(node: &mut Node, span: &mut dyn FnMut(&mut Span), string: &mut dyn FnMut(&mut Str)) {
    let Node { stage: _, stage_span, name, stmts, span: whole } = node;
    span(stage_span);
    span(&mut name.span);
    span(whole);
    for Stmt { kind, span: stmt_span } in stmts {
        span(stmt_span);
        match kind {
            StmtKind::Say(text)
            | StmtKind::Ask(text)
            | StmtKind::Customer(text)
            | StmtKind::Note(text)
            | StmtKind::Hold(text)
            | StmtKind::Transfer(text) => string(text),
            StmtKind::Goto(to) | StmtKind::Otherwise(to) => visit_target(to, span),
            StmtKind::Reply(label, to) | StmtKind::Option(label, to) => {
                string(label);
                visit_target(to, span);
            }
            StmtKind::Outcome(_) => {}
            StmtKind::FollowUp { after, note } => {
                string(after);
                string(note);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::source::{FileId, Span};
    use crate::syntax::{parse, strings::lower_string};

    /// Replacing literals, shorter and longer, a title, a meta value, a label and one with a
    /// placeholder, moves everything after them as a parse of the new text places it.
    #[test]
    fn replacing_literals_equals_parsing_the_new_text() {
        let old = "use \"lib/x.defuse\"\nscript s \"Title\" {\n  meta { owner \"Ann\" }\n  vars name\n  trigger t { say \"Hello {name}.\" option \"Go\" -> c }\n  close c { say \"Bye.\" outcome resolved }\n}\n";
        let file = FileId::from_index(0);
        let ast = parse(file, old).ast.expect("it parses");
        let swaps = [
            ("\"Title\"", "\"Título largo\""),
            ("\"Ann\"", "\"A\""),
            ("\"Hello {name}.\"", "\"Hola, {name}, ¿qué tal?\""),
            ("\"Go\"", "\"Vamos\""),
        ];
        let mut new = String::new();
        let mut replaced = Vec::new();
        let mut at = 0;
        for (from, to) in swaps {
            let start = at + old[at..].find(from).unwrap();
            new.push_str(&old[at..start]);
            let lowered = lower_string(to, new.len()).ok().expect("a valid literal");
            new.push_str(to);
            replaced.push((Span::new(start, start + from.len()), lowered));
            at = start + from.len();
        }
        new.push_str(&old[at..]);
        assert_eq!(ast.with_literals(&replaced), parse(file, &new).ast.expect("it parses"));
        assert_eq!(ast.with_literals(&[]), ast, "no replacement moves nothing");
    }
}
