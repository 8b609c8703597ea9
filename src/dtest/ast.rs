//! The `.dtest` syntax tree: a file under test and its tests, each step with the span it came
//! from. Strings and targets are the `.defuse` types, lowered by the same code.

use crate::source::Span;
use crate::syntax::ast::{Ident, Outcome, Str, Target};

/// One `.dtest` file.
#[derive(Clone, Debug)]
pub struct DtestFile {
    /// `use "…"`: the script file under test, relative to this file.
    pub script: Str,
    /// The whole `use "…"`.
    pub use_span: Span,
    /// `locale "L"`: the locale the tests are written in and run in.
    pub locale: Option<Str>,
    /// The whole `locale "…"` (empty without one).
    pub locale_span: Span,
    pub tests: Vec<Test>,
}

#[derive(Clone, Debug)]
pub struct Test {
    pub name: Str,
    /// The whole `test "…" { … }`.
    pub span: Span,
    /// Its `{`.
    pub open: Span,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub kind: StepKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StepKind {
    /// `vars name "value" …`
    Vars(Vec<(Ident, Str)>),
    /// `start trigger`
    Start(Target),
    /// `answer "label"`, or `answer otherwise` (`None`).
    Answer(Option<Str>),
    /// `pick "label"`
    Pick(Str),
    /// `go node`
    Go(Target),
    Expect(Expectation),
}

#[derive(Clone, Debug)]
pub enum Expectation {
    Close(Target),
    Outcome(Outcome),
    Path(Vec<Target>),
    Says(Str),
    NotSays(Str),
    FollowUp(Str),
    Under(Str),
}

impl Expectation {
    /// The words the expectation is written with, for messages: `expect says`.
    pub fn keyword(&self) -> &'static str {
        match self {
            Expectation::Close(_) => "close",
            Expectation::Outcome(_) => "outcome",
            Expectation::Path(_) => "path",
            Expectation::Says(_) => "says",
            Expectation::NotSays(_) => "not says",
            Expectation::FollowUp(_) => "follow_up",
            Expectation::Under(_) => "under",
        }
    }
}
