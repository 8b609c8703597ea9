//! The one diagnostic type every phase produces.
//!
//! Phases and rules build a [`Diagnostic`] without a severity; the check driver gives it the
//! level configured for its code. Every report format (human, JSON, SARIF, GitHub) renders
//! this same value, so they can never disagree about what was found.

use crate::source::{FileId, Span};

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
    pub code: &'static str,
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
    pub fn new(code: &'static str, file: FileId, span: Span, message: impl Into<String>) -> Self {
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
