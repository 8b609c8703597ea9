//! The one diagnostic type every phase produces.
//!
//! Phases and rules build a [`Diagnostic`] without a severity; the check driver gives it the
//! level configured for its [`Code`]. Every report format (human, JSON, SARIF, GitHub) renders
//! this same value, so they can never disagree about what was found.

use crate::source::{FileId, Span};

/// The stable kebab-case code of a check (spec section 3), and of `not-exported`. Every
/// phase names its codes with this type, so no layer imports `check` to learn a string.
/// Codes order by their text, as reports sort them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    Syntax,
    DuplicateNode,
    DuplicateScript,
    UnknownTarget,
    UnknownLibrary,
    UseNotFound,
    UseCycle,
    UseOutsideRoot,
    MisplacedStatement,
    UnknownPlaceholder,
    EntersTrigger,
    NoTrigger,
    NoClose,
    DeadEnd,
    CloseHasNext,
    NoExit,
    SkipAcknowledge,
    SkipMirror,
    Unreachable,
    SingleOption,
    NoFollowUp,
    Hold,
    Phrase,
    LongPath,
    UnusedVar,
    EmptyNode,
    OverBudget,
    LongTurn,
    Suppression,
    Test,
    NotExported,
}

impl Code {
    /// Every code, in the order of spec section 3 (`not-exported`, reported by exports, last).
    pub const ALL: &'static [Code] = &[
        Code::Syntax,
        Code::DuplicateNode,
        Code::DuplicateScript,
        Code::UnknownTarget,
        Code::UnknownLibrary,
        Code::UseNotFound,
        Code::UseCycle,
        Code::UseOutsideRoot,
        Code::MisplacedStatement,
        Code::UnknownPlaceholder,
        Code::EntersTrigger,
        Code::NoTrigger,
        Code::NoClose,
        Code::DeadEnd,
        Code::CloseHasNext,
        Code::NoExit,
        Code::SkipAcknowledge,
        Code::SkipMirror,
        Code::Unreachable,
        Code::SingleOption,
        Code::NoFollowUp,
        Code::Hold,
        Code::Phrase,
        Code::LongPath,
        Code::UnusedVar,
        Code::EmptyNode,
        Code::OverBudget,
        Code::LongTurn,
        Code::Suppression,
        Code::Test,
        Code::NotExported,
    ];

    /// Whether `[rules]` and suppression comments may change its level: not `syntax`, not
    /// `use-*`, which always stop a script from compiling, and not `test`, a broken or failing
    /// transcript test.
    pub fn is_configurable(self) -> bool {
        !matches!(self, Code::Syntax | Code::UseNotFound | Code::UseCycle | Code::UseOutsideRoot | Code::Test)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "syntax",
            Code::DuplicateNode => "duplicate-node",
            Code::DuplicateScript => "duplicate-script",
            Code::UnknownTarget => "unknown-target",
            Code::UnknownLibrary => "unknown-library",
            Code::UseNotFound => "use-not-found",
            Code::UseCycle => "use-cycle",
            Code::UseOutsideRoot => "use-outside-root",
            Code::MisplacedStatement => "misplaced-statement",
            Code::UnknownPlaceholder => "unknown-placeholder",
            Code::EntersTrigger => "enters-trigger",
            Code::NoTrigger => "no-trigger",
            Code::NoClose => "no-close",
            Code::DeadEnd => "dead-end",
            Code::CloseHasNext => "close-has-next",
            Code::NoExit => "no-exit",
            Code::SkipAcknowledge => "skip-acknowledge",
            Code::SkipMirror => "skip-mirror",
            Code::Unreachable => "unreachable",
            Code::SingleOption => "single-option",
            Code::NoFollowUp => "no-follow-up",
            Code::Hold => "hold",
            Code::Phrase => "phrase",
            Code::LongPath => "long-path",
            Code::UnusedVar => "unused-var",
            Code::EmptyNode => "empty-node",
            Code::OverBudget => "over-budget",
            Code::LongTurn => "long-turn",
            Code::Suppression => "suppression",
            Code::Test => "test",
            Code::NotExported => "not-exported",
        }
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    fn from_str(text: &str) -> Result<Code, ()> {
        Code::ALL.iter().copied().find(|code| code.as_str() == text).ok_or(())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The level a code is reported at: set per code in `[rules]`, with each rule's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Allow,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Allow => "allow",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "allow" => Some(Level::Allow),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a file with a short message saying what it has to do with the diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The stable kebab-case code of the check (spec section 3).
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; its message labels the span in the excerpt.
    pub primary: Label,
    /// Every other place involved: the first duplicate, the definition, a path's nodes.
    pub secondary: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic at `span`; its severity is set later from the configured level.
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label { file, span, message: String::new() },
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { file, span, message: message.into() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn file(&self) -> FileId {
        self.primary.file
    }
}
