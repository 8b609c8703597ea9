//! `check --format github`: GitHub Actions workflow commands, one line per diagnostic,
//! which GitHub shows as annotations on the pull request.

use super::position;
use crate::diagnostic::{Diagnostic, Severity};
use crate::resolve::Project;

pub fn render(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let at = position(project, &d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&at.file),
            at.start.line,
            at.start.column,
            at.end.line,
            at.end.column,
            escape_property(d.code),
            escape_data(&message)
        ));
    }
    out
}

/// The escaping GitHub's runner applies to a command's message.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Properties also escape the separators `:` and `,`.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% off\nnow"), "50%25 off%0Anow");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
