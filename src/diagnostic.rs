//! The one diagnostic type every phase produces.
//!
//! Phases and rules build a [`Diagnostic`] without a severity; the check driver gives it the
//! level configured for its [`Code`]. Every report format (human, JSON, SARIF, GitHub) renders
//! this same value, so they can never disagree about what was found.

use crate::source::{FileId, Span};

/// The one table of codes (spec section 3), in the contract's order: each row is the code's
/// variant, its kebab-case name and the module of its rule under `check/rules/`. Everything
/// that lists codes is generated from it: the [`Code`] enum, [`Code::ALL`], [`Code::as_str`]
/// and parsing here; the rule modules and `check::registry::RULES` in `check/`. Adding a rule
/// is a new file and one row.
///
/// The table is a macro that hands its rows to another macro (`$then!`), so each layer
/// generates what it owns without naming a layer above it.
#[macro_export]
macro_rules! with_code_table {
    ($then:ident) => {
        $then! {
            Syntax, "syntax", syntax;
            DuplicateNode, "duplicate-node", duplicate_node;
            DuplicateScript, "duplicate-script", duplicate_script;
            UnknownTarget, "unknown-target", unknown_target;
            UnknownLibrary, "unknown-library", unknown_library;
            UseNotFound, "use-not-found", use_not_found;
            UseCycle, "use-cycle", use_cycle;
            UseOutsideRoot, "use-outside-root", use_outside_root;
            MisplacedStatement, "misplaced-statement", misplaced_statement;
            UnknownPlaceholder, "unknown-placeholder", unknown_placeholder;
            EntersTrigger, "enters-trigger", enters_trigger;
            NoTrigger, "no-trigger", no_trigger;
            NoClose, "no-close", no_close;
            DeadEnd, "dead-end", dead_end;
            CloseHasNext, "close-has-next", close_has_next;
            NoExit, "no-exit", no_exit;
            SkipAcknowledge, "skip-acknowledge", skip_acknowledge;
            SkipMirror, "skip-mirror", skip_mirror;
            Unreachable, "unreachable", unreachable;
            SingleOption, "single-option", single_option;
            NoFollowUp, "no-follow-up", no_follow_up;
            Hold, "hold", hold;
            Phrase, "phrase", phrase;
            LongPath, "long-path", long_path;
            UnusedVar, "unused-var", unused_var;
            EmptyNode, "empty-node", empty_node;
            OverBudget, "over-budget", over_budget;
            LongTurn, "long-turn", long_turn;
            Suppression, "suppression", suppression;
            Test, "test", test;
            NotExported, "not-exported", not_exported;
            MissingTranslation, "missing-translation", missing_translation;
            FuzzyTranslation, "fuzzy-translation", fuzzy_translation;
            StaleTranslation, "stale-translation", stale_translation;
            PlaceholderMismatch, "placeholder-mismatch", placeholder_mismatch;
            LongTranslation, "long-translation", long_translation;
            LocaleFile, "locale-file", locale_file;
        }
    };
}

macro_rules! define_codes {
    ($($variant:ident, $code:literal, $module:ident;)*) => {
        /// The stable kebab-case code of a check (spec section 3), and of `not-exported`: one
        /// row of [`with_code_table`]. Every phase names its codes with this type, so no layer
        /// imports `check` to learn a string. Codes order by their text, as reports sort them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order of the table: spec section 3's, then `not-exported`
            /// (reported by exports) and section 12's translation codes.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name, as users write it in `[rules]`, comments and `explain`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }
        }
    };
}

with_code_table!(define_codes);

impl Code {
    /// Whether `[rules]` and suppression comments may change this code's level: `syntax`,
    /// `use-*` and `test` errors always stop a script or a test.
    pub(crate) fn is_configurable(self) -> bool {
        !matches!(self, Code::Syntax | Code::UseNotFound | Code::UseCycle | Code::UseOutsideRoot | Code::Test)
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
    pub(crate) fn as_str(self) -> &'static str {
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

/// One change to a file: the text at `span` becomes `replacement` (an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

/// What a diagnostic suggests, as data: the edits that make the change its help describes in
/// words. Editors offer it as a quick fix, so none of them parses the help to find it (as
/// ruff's `Fix { edits }`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub edits: Vec<Edit>,
}

impl Fix {
    /// The fix that replaces the text at `span` of `file` with `replacement`.
    pub(crate) fn replace(file: FileId, span: Span, replacement: impl Into<String>) -> Fix {
        Fix { edits: vec![Edit { file, span, replacement: replacement.into() }] }
    }
}

/// The help for a suggestion: "did you mean `meant`?", written here only, so every phase
/// words it the same.
pub(crate) fn did_you_mean(meant: &str) -> String {
    format!("did you mean `{meant}`?")
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
    /// The change the help suggests, when it is one an editor can make.
    pub fix: Option<Fix>,
    /// The locale a translation check found it in (contract section 12): `None` for the
    /// source. JSON has it as a field; the other formats show it in the message
    /// ([`Diagnostic::headline`]).
    pub locale: Option<String>,
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
            fix: None,
            locale: None,
        }
    }

    /// The diagnostic as found in `locale`.
    pub(crate) fn with_locale(mut self, locale: &impl std::fmt::Display) -> Self {
        self.locale = Some(locale.to_string());
        self
    }

    /// The message as the human, SARIF, GitHub and editor formats show it: with the locale
    /// in front (`[es] …`) when a translation check found it.
    pub(crate) fn headline(&self) -> std::borrow::Cow<'_, str> {
        match &self.locale {
            None => std::borrow::Cow::Borrowed(&self.message),
            Some(locale) => std::borrow::Cow::Owned(format!("[{locale}] {}", self.message)),
        }
    }

    pub(crate) fn label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub(crate) fn with(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label { file, span, message: message.into() });
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Suggests `replacement` for `span` (of the diagnostic's file): the help reads "did you
    /// mean `replacement`?" and the fix makes that edit. `span` is what the replacement
    /// stands for, which may be more than the primary span (a whole `lib.node` target when
    /// only `node` is blamed).
    pub(crate) fn did_you_mean(self, span: Span, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        let help = did_you_mean(&replacement);
        let fix = Fix::replace(self.primary.file, span, replacement);
        self.suggest(fix, help)
    }

    /// Offers `fix`, with `help` saying in words what it changes.
    pub(crate) fn suggest(mut self, fix: Fix, help: impl Into<String>) -> Self {
        self.fix = Some(fix);
        self.help(help)
    }

    /// Renumbers every file the diagnostic names (its labels and its fix's edits), for a
    /// caller that moves its sources into another set.
    pub(crate) fn move_files(&mut self, new: impl Fn(FileId) -> FileId) {
        self.primary.file = new(self.primary.file);
        for label in &mut self.secondary {
            label.file = new(label.file);
        }
        for edit in self.fix.iter_mut().flat_map(|fix| &mut fix.edits) {
            edit.file = new(edit.file);
        }
    }

    pub fn file(&self) -> FileId {
        self.primary.file
    }
}
