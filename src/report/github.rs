//! `check --format github`: GitHub Actions workflow commands, one line per diagnostic,
//! which GitHub shows as annotations on the pull request. Load and config errors of the same
//! run are workflow commands too (`cli::shared`, `cli::error`): nothing a file name holds
//! can start a command of its own.

use super::Locator;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::{github_data as escape_data, github_property as escape_property};
use crate::resolve::Project;

pub fn render(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut locator = Locator::new(project);
    for d in diagnostics {
        let at = locator.position(&d.primary);
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
            escape_property(d.code.as_str()),
            escape_data(&message)
        ));
    }
    out
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
