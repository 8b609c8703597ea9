//! The conversation model: a call through one checked script, as the caller and the agent
//! live it. `play`, `paths`, the call-flow exports, the trainer page, transcript tests and the
//! language server's hover all read the call from here, so they agree on it.
//!
//! It answers: where a call starts ([`Call::starts`]), what the agent says at a node with the
//! placeholders filled ([`Call::lines`], [`Vars::fill`]), which choices the caller has and where
//! each leads ([`Call::turn`]), and when the call ends ([`Turn::Ends`]).
//!
//! **Invariant:** a node whose only way on is a plain `->` moves on by itself
//! ([`Turn::MovesOn`]); every other way on (a `reply`, `otherwise` or `option`, even a single
//! one, or several `->`) is the caller's choice ([`Turn::Chooses`]). `play`, the trainer page
//! and `.dtest` walks all follow this rule, so a recorded rehearsal replays as a test.
//!
//! **Invariant:** placeholder filling exists only in [`Vars::fill`]: it fills exactly the
//! placeholder spans the parser found, each once, so a value that contains `{name}` is never
//! filled again and an escaped `\{name\}` stays literal.

use std::collections::BTreeMap;

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Node, Outcome, Stage, Stmt, StmtKind, Str, Target};
use crate::syntax::strings::Piece;

/// One checked script's call model. Cheap to build: it borrows the project and the graph.
#[derive(Clone, Copy)]
pub struct Call<'p> {
    pub project: &'p Project,
    pub graph: &'p ScriptGraph,
}

/// What the caller can do to move on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceKind {
    /// `reply "label" -> x`: the customer's answer to a question.
    Reply,
    /// `otherwise -> x`: anything else the customer says.
    Otherwise,
    /// `option "label" -> x`: the customer picks an option.
    Option,
    /// `-> x` offered among other ways on: the agent goes on.
    Continue,
}

/// One way on from a node, in the source order of its statement.
#[derive(Clone, Copy, Debug)]
pub struct Choice<'p> {
    pub kind: ChoiceKind,
    /// The reply or option text; `None` for `otherwise` and `->`.
    pub label: Option<&'p Str>,
    pub edge: EdgeIndex,
    pub target: NodeIndex,
}

/// One way on as the script writes it, whether or not its target names a node: a build goes
/// on when `unknown-target` is allowed, and the flow JSON still lists such a target.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WayOn<'p> {
    pub kind: ChoiceKind,
    /// The reply or option text; `None` for `otherwise` and `->`.
    pub label: Option<&'p Str>,
    /// The target as written: `restate`, `closings.thanks`.
    pub target: &'p Target,
    /// The edge it adds and the node it leads to; `None` when the target names no node.
    pub leads: Option<(EdgeIndex, NodeIndex)>,
}

/// What happens at a node once its lines are spoken.
#[derive(Debug)]
pub(crate) enum Turn<'p> {
    /// A close: the call ends with this outcome.
    Ends(Outcome),
    /// The node's only way on is a plain `->`: the call moves on without the caller.
    MovesOn(Choice<'p>),
    /// The caller chooses one of these (never empty).
    Chooses(Vec<Choice<'p>>),
    /// A node that is not a close and has no way on (`dead-end`, when a config allows it).
    Stuck,
}

/// The kind of a line of a node, in the words a transcript uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Say,
    Ask,
    Customer,
    Note,
    Hold,
    Transfer,
}

impl LineKind {
    /// The statement keyword that writes such a line (`say`, `hold`, …).
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            LineKind::Say => "say",
            LineKind::Ask => "ask",
            LineKind::Customer => "customer",
            LineKind::Note => "note",
            LineKind::Hold => "hold",
            LineKind::Transfer => "transfer",
        }
    }

    /// Whether the agent speaks the line (what `says` expectations and spoken time count).
    pub(crate) fn is_agent(self) -> bool {
        matches!(self, LineKind::Say | LineKind::Ask)
    }
}

/// A line of a node: what is said or done there, in source order.
#[derive(Clone, Copy, Debug)]
pub struct Line<'p> {
    pub kind: LineKind,
    pub text: &'p Str,
}

/// A close's `follow_up "48h" "note"`: when, as written, and what to do.
#[derive(Clone, Copy, Debug)]
pub struct FollowUp<'p> {
    pub after: &'p Str,
    pub note: &'p Str,
}

/// What a node records besides its ways on, in source order: its lines and its follow-ups.
#[derive(Clone, Copy, Debug)]
pub enum Entry<'p> {
    Line(Line<'p>),
    FollowUp(FollowUp<'p>),
}

impl<'p> Call<'p> {
    pub fn new(project: &'p Project, graph: &'p ScriptGraph) -> Call<'p> {
        Call { project, graph }
    }

    /// The script's triggers, in model order: where a call can start.
    pub(crate) fn starts(&self) -> Vec<NodeIndex> {
        self.graph.triggers(self.project).collect()
    }

    pub fn node(&self, node: NodeIndex) -> &'p Node {
        self.project.node(self.graph.graph[node])
    }

    /// The node's id as reports and exports show it: `restate`, `closings.thanks`.
    pub fn id(&self, node: NodeIndex) -> String {
        self.project.qualified_name(self.graph.graph[node])
    }

    /// The node with id `id` (as [`Call::id`] writes it), if the call can be there.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.graph.nodes().find(|&node| self.id(node) == id)
    }

    /// The text of the file the node is written in (for [`Vars::fill`]).
    pub(crate) fn source(&self, node: NodeIndex) -> &'p str {
        &self.project.sources.get(self.graph.graph[node].file).text
    }

    /// `text`, a literal of `node`, as literal runs and placeholders: for a consumer that
    /// fills placeholders later, as the trainer page does in the browser. Same pieces as
    /// [`Vars::fill`] fills.
    pub(crate) fn pieces(&self, node: NodeIndex, text: &Str) -> Vec<Piece<'p>> {
        text.pieces(self.source(node))
    }

    /// The node's lines in source order.
    pub(crate) fn lines(&self, node: NodeIndex) -> impl Iterator<Item = Line<'p>> + 'p {
        self.entries(node).filter_map(|entry| match entry {
            Entry::Line(line) => Some(line),
            Entry::FollowUp(_) => None,
        })
    }

    /// The node's lines and follow-ups in source order (for exports that keep every
    /// statement in its place).
    pub fn entries(&self, node: NodeIndex) -> impl Iterator<Item = Entry<'p>> + 'p {
        self.node(node).stmts.iter().filter_map(|stmt| {
            let (kind, text) = match &stmt.kind {
                StmtKind::Say(text) => (LineKind::Say, text),
                StmtKind::Ask(text) => (LineKind::Ask, text),
                StmtKind::Customer(text) => (LineKind::Customer, text),
                StmtKind::Note(text) => (LineKind::Note, text),
                StmtKind::Hold(text) => (LineKind::Hold, text),
                StmtKind::Transfer(text) => (LineKind::Transfer, text),
                StmtKind::FollowUp { after, note } => return Some(Entry::FollowUp(FollowUp { after, note })),
                _ => return None,
            };
            Some(Entry::Line(Line { kind, text }))
        })
    }

    /// The line the node is known by ([`first_line`]).
    pub(crate) fn first_line(&self, node: NodeIndex) -> Option<&'p Str> {
        first_line(self.node(node))
    }

    /// A close's outcome (`resolved` unless it says otherwise); `None` for any other node.
    pub fn outcome(&self, node: NodeIndex) -> Option<Outcome> {
        let found = self.node(node);
        (found.stage == Stage::Close).then(|| found.outcome())
    }

    /// The node's first follow-up, if it has one.
    pub(crate) fn follow_up(&self, node: NodeIndex) -> Option<FollowUp<'p>> {
        self.entries(node).find_map(|entry| match entry {
            Entry::FollowUp(follow_up) => Some(follow_up),
            Entry::Line(_) => None,
        })
    }

    /// Every way on from `node` as written, in source order, with where each leads.
    pub(crate) fn ways_on(&self, node: NodeIndex) -> Vec<WayOn<'p>> {
        // The graph holds one edge per statement whose target names a node, in source order.
        let mut edges = self.graph.out_edges(node).into_iter().peekable();
        self.node(node)
            .stmts
            .iter()
            .enumerate()
            .filter_map(|(index, stmt)| {
                let (kind, label, target) = way_on(stmt)?;
                let leads = edges.next_if(|&(edge, _)| self.graph.graph[edge].stmt == index);
                Some(WayOn { kind, label, target, leads })
            })
            .collect()
    }

    /// Every way on from `node` that leads to a node, in the source order of its statements.
    pub fn choices(&self, node: NodeIndex) -> Vec<Choice<'p>> {
        self.ways_on(node)
            .into_iter()
            .filter_map(|way| {
                let (edge, target) = way.leads?;
                Some(Choice { kind: way.kind, label: way.label, edge, target })
            })
            .collect()
    }

    /// The choice that takes `edge` to `target`, read from the statement that wrote the edge.
    fn choice_to(&self, edge: EdgeIndex, target: NodeIndex) -> Choice<'p> {
        let weight = self.graph.graph[edge];
        let (kind, label, _) =
            way_on(&self.project.node(weight.from).stmts[weight.stmt]).expect("an edge is written by a way on");
        Choice { kind, label, edge, target }
    }

    /// What happens at `node` once its lines are spoken.
    pub(crate) fn turn(&self, node: NodeIndex) -> Turn<'p> {
        if let Some(outcome) = self.outcome(node) {
            return Turn::Ends(outcome);
        }
        let mut choices = self.choices(node);
        match choices.as_slice() {
            [] => Turn::Stuck,
            [only] if only.kind == ChoiceKind::Continue => Turn::MovesOn(choices.remove(0)),
            _ => Turn::Chooses(choices),
        }
    }

    /// The choice a walk takes over `edge`, in constant time (a node may have 100,000 replies).
    pub(crate) fn choice(&self, edge: EdgeIndex) -> Choice<'p> {
        let target = self.graph.graph.edge_endpoints(edge).expect("an edge of this graph").1;
        self.choice_to(edge, target)
    }
}

/// The kind, label and target of a statement that leads on (`->`, `reply`, `otherwise`,
/// `option`); `None` for a line.
fn way_on(stmt: &Stmt) -> Option<(ChoiceKind, Option<&Str>, &Target)> {
    match &stmt.kind {
        StmtKind::Reply(label, target) => Some((ChoiceKind::Reply, Some(label), target)),
        StmtKind::Option(label, target) => Some((ChoiceKind::Option, Some(label), target)),
        StmtKind::Otherwise(target) => Some((ChoiceKind::Otherwise, None, target)),
        StmtKind::Goto(target) => Some((ChoiceKind::Continue, None, target)),
        _ => None,
    }
}

/// The line a node is known by: its first agent line (`say`, `ask`, an `option`'s text), or for
/// a trigger its first customer line. Diagrams write it under the node's name; `play` and the
/// phone exports name a trigger by it when they ask how the call starts.
pub(crate) fn first_line(node: &Node) -> Option<&Str> {
    node.stmts.iter().find_map(|stmt| match &stmt.kind {
        StmtKind::Customer(text) if node.stage == Stage::Trigger => Some(text),
        StmtKind::Say(text) | StmtKind::Ask(text) | StmtKind::Option(text, _) => Some(text),
        _ => None,
    })
}

/// Values for a script's placeholders. A placeholder without a value stays `{name}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    values: BTreeMap<String, String>,
}

impl Vars {
    pub fn new(values: impl IntoIterator<Item = (String, String)>) -> Vars {
        Vars { values: values.into_iter().collect() }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// `text` (a literal of `source`) with escapes applied and each placeholder the parser
    /// found replaced by its value, once.
    pub(crate) fn fill(&self, text: &Str, source: &str) -> String {
        text.pieces(source)
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text,
                Piece::Var(name) => self.get(name).map_or_else(|| format!("{{{name}}}"), str::to_owned),
            })
            .collect()
    }
}

/// Where a walk stands after moving on by itself as far as it can.
#[derive(Debug)]
pub(crate) enum Halt<'p> {
    /// At a close.
    Ended(Outcome),
    /// The caller must choose.
    Choose(Vec<Choice<'p>>),
    /// At a node with no way on.
    Stuck,
    /// The call went round a loop of plain `->` without ever asking the caller: it would
    /// never end (possible only when `no-exit` is allowed).
    Loops,
}

/// A call in progress: the nodes visited so far. Moving on by itself stops at the first
/// node it reaches twice without a choice in between, so no walk runs forever.
#[derive(Clone, Debug)]
pub(crate) struct Walk {
    pub path: Vec<NodeIndex>,
    /// The edge taken into each node after the first: `path[i + 1]` was reached over `edges[i]`.
    pub edges: Vec<EdgeIndex>,
    /// The positions in `path` of the nodes the caller chose, oldest first.
    chosen: Vec<usize>,
}

impl Walk {
    pub(crate) fn start(at: NodeIndex) -> Walk {
        Walk { path: vec![at], edges: Vec::new(), chosen: Vec::new() }
    }

    pub(crate) fn at(&self) -> NodeIndex {
        *self.path.last().expect("a walk has a start")
    }

    /// Moves on through plain `->` until the caller must choose or the call ends, calling
    /// `visit` with each node entered this way.
    pub(crate) fn settle<'p>(&mut self, call: &Call<'p>, mut visit: impl FnMut(NodeIndex)) -> Halt<'p> {
        loop {
            match call.turn(self.at()) {
                Turn::Ends(outcome) => return Halt::Ended(outcome),
                Turn::Chooses(choices) => return Halt::Choose(choices),
                Turn::Stuck => return Halt::Stuck,
                Turn::MovesOn(choice) => {
                    let since_choice = self.chosen.last().copied().unwrap_or(0);
                    if self.path[since_choice..].contains(&choice.target) {
                        return Halt::Loops;
                    }
                    self.path.push(choice.target);
                    self.edges.push(choice.edge);
                    visit(choice.target);
                }
            }
        }
    }

    /// Takes `choice` (one of those [`Halt::Choose`] offered).
    pub(crate) fn choose(&mut self, choice: &Choice) {
        self.path.push(choice.target);
        self.edges.push(choice.edge);
        self.chosen.push(self.path.len() - 1);
    }

    /// Goes back to where the caller last chose, undoing that choice (for `play`'s `back`).
    /// Returns false at the start of the call.
    pub(crate) fn back(&mut self) -> bool {
        match self.chosen.pop() {
            Some(position) => {
                self.path.truncate(position);
                self.edges.truncate(position - 1);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::load_text;
    use crate::source::FileId;

    fn with_call<T>(text: &str, body: impl FnOnce(Call) -> T) -> T {
        let project = load_text("t.defuse".into(), text);
        assert!(project.diagnostics.is_empty(), "{:?}", project.diagnostics);
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        body(Call::new(&project, &graph))
    }

    const SCRIPT: &str = r#"script s {
  vars name code
  trigger t { customer "Hi" -> a }
  acknowledge a { say "Sorry, {name}. Code \{name\} is {code}." -> m }
  mirror m { ask "Right?" reply "yes" -> c otherwise -> m2 }
  mirror m2 { ask "Again?" reply "ok" -> c }
  close c { say "Bye" outcome escalated }
}"#;

    #[test]
    fn fills_each_placeholder_once_and_keeps_escaped_braces() {
        with_call(SCRIPT, |call| {
            let a = call.find("a").unwrap();
            let line = call.lines(a).next().unwrap();
            let vars = Vars::new([("name".to_owned(), "{code}".to_owned()), ("code".to_owned(), "42".to_owned())]);
            assert_eq!(vars.fill(line.text, call.source(a)), "Sorry, {code}. Code {name} is 42.");
            assert_eq!(Vars::default().fill(line.text, call.source(a)), "Sorry, {name}. Code {name} is {code}.");
        });
    }

    #[test]
    fn pieces_are_what_fill_fills() {
        with_call(SCRIPT, |call| {
            let a = call.find("a").unwrap();
            let line = call.lines(a).next().unwrap();
            assert_eq!(
                call.pieces(a, line.text),
                [
                    Piece::Text("Sorry, ".into()),
                    Piece::Var("name"),
                    Piece::Text(". Code {name} is ".into()),
                    Piece::Var("code"),
                    Piece::Text(".".into())
                ]
            );
        });
    }

    #[test]
    fn a_plain_arrow_moves_on_and_a_single_reply_is_a_choice() {
        with_call(SCRIPT, |call| {
            let t = call.starts()[0];
            let mut walk = Walk::start(t);
            let mut entered = Vec::new();
            let Halt::Choose(choices) = walk.settle(&call, |n| entered.push(call.id(n))) else { panic!() };
            assert_eq!(entered, ["a", "m"]);
            assert_eq!(choices.iter().map(|c| c.kind).collect::<Vec<_>>(), [ChoiceKind::Reply, ChoiceKind::Otherwise]);
            walk.choose(&choices[1]);
            let Halt::Choose(choices) = walk.settle(&call, |_| {}) else { panic!() };
            assert_eq!(choices.len(), 1, "a single reply is still the caller's choice");
            walk.choose(&choices[0]);
            assert!(matches!(walk.settle(&call, |_| {}), Halt::Ended(Outcome::Escalated)));
            let ids = |walk: &Walk| walk.path.iter().map(|&n| call.id(n)).collect::<Vec<_>>();
            assert_eq!(ids(&walk), ["t", "a", "m", "m2", "c"]);
            assert_eq!(walk.edges.len(), walk.path.len() - 1);
            assert!(walk.back());
            assert_eq!(ids(&walk), ["t", "a", "m", "m2"], "back undoes the last choice");
            assert_eq!(walk.edges.len(), walk.path.len() - 1);
            assert!(walk.back());
            assert_eq!(ids(&walk), ["t", "a", "m"]);
            assert!(!walk.back(), "nothing to undo before the first choice");
        });
    }

    #[test]
    fn entries_keep_follow_ups_in_place_and_closes_have_an_outcome() {
        let text = r#"script s {
  trigger t { customer "Hi" -> c }
  close c { say "One" follow_up "48h" "Call back" say "Two" outcome callback }
}"#;
        with_call(text, |call| {
            let c = call.find("c").unwrap();
            let entries: Vec<String> = call
                .entries(c)
                .map(|entry| match entry {
                    Entry::Line(line) => format!("{}: {}", line.kind.keyword(), line.text.value),
                    Entry::FollowUp(follow_up) => format!("follow_up: {}", follow_up.after.value),
                })
                .collect();
            assert_eq!(entries, ["say: One", "follow_up: 48h", "say: Two"]);
            assert_eq!(call.lines(c).count(), 2);
            assert_eq!(call.follow_up(c).map(|f| f.note.value.as_str()), Some("Call back"));
            assert_eq!(call.outcome(c), Some(Outcome::Callback));
            assert_eq!(call.outcome(call.find("t").unwrap()), None);
            assert_eq!(call.first_line(call.find("t").unwrap()).map(|l| l.value.as_str()), Some("Hi"));
        });
    }

    #[test]
    fn a_loop_without_choices_halts_instead_of_running_forever() {
        let text = "script s { trigger t { -> a } acknowledge a { say \"x\" -> b } mirror b { say \"y\" -> a } }";
        with_call(text, |call| {
            let mut walk = Walk::start(call.starts()[0]);
            assert!(matches!(walk.settle(&call, |_| {}), Halt::Loops));
            assert_eq!(walk.path.len(), 3);
        });
    }
}
