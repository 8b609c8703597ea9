//! `check --format github`: GitHub Actions workflow commands, one line per diagnostic,
//! which GitHub shows as annotations on the pull request. Load and config errors of the same
//! run are workflow commands too (`cli::error` prints them): nothing a file name holds
//! can start a command of its own.

use super::Locator;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::{github_data as escape_data, github_property as escape_property};
use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::ItemKind;

pub fn render(project: &Project, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut locator = Locator::new(project);
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.headline().into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let at = locator.position(&d.primary);
        out.push_str(&annotation(command, &at, d.code.as_str(), &message));
        // A library problem found through a script is annotated in the script too, once, at
        // its last label there (the script's edge into the library, which the check adds
        // last): that is the file a pull request changed.
        let in_script = |file: FileId| project.item(file).is_some_and(|item| item.kind == ItemKind::Script);
        if !in_script(d.file()) {
            if let Some(label) = d.secondary.iter().rfind(|label| in_script(label.file)) {
                let at = locator.position(label);
                out.push_str(&annotation(command, &at, d.code.as_str(), &format!("{}: {message}", label.message)));
            }
        }
    }
    out
}

fn annotation(command: &str, at: &super::Position, code: &str, message: &str) -> String {
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(&at.file),
        at.start.line,
        at.start.column,
        at.end.line,
        at.end.column,
        escape_property(code),
        escape_data(message)
    )
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
