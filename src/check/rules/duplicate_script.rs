//! `duplicate-script`: two files declare the same name. Reported by `resolve::load`, which
//! sees every file of the run.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::DuplicateScript,
    Level::Error,
    "two files in one check run declare the same script or library name",
    r#"## What it does
Reports a script or library whose name is already declared by another file in the same run,
and labels both declarations.

## Why is this bad?
Script names identify scripts in reports, exports and call-flow tools, and library names are
how other scripts reach their nodes (`closings.thanks`). Two files with one name make both
ambiguous: an export would overwrite the other, a `use` could pick the wrong file.

## Example
`billing/refund.defuse` and `returns/refund.defuse` both say `script refund { … }`.

## Use instead
Rename one: `script billing_refund`, `script return_refund`."#,
);
