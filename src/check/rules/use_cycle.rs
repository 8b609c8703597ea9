//! `use-cycle`: files that `use` each other in a circle. Reported by `resolve::load`.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    ..Rule::new(
        crate::diagnostic::Code::UseCycle,
        Level::Error,
        "`use` declarations form a cycle",
        r#"## What it does
Reports a chain of `use` declarations that leads back to the file it started from, and
shows the whole chain.

## Why is this bad?
Libraries are meant to be layered: closings at the bottom, escalations above them. A cycle
means no library can be understood (or reviewed) without the other.

## Example
`lib/closings.defuse` says `use "escalations.defuse"` and `lib/escalations.defuse` says
`use "closings.defuse"`.

## Use instead
Move the nodes both need into a third library that uses neither.
The level of `use-cycle` cannot be changed."#,
    )
};
