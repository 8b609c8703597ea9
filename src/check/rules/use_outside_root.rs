//! `use-outside-root`: a `use` path escapes the project root. Reported by `resolve::load`.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    ..Rule::new(
        crate::diagnostic::Code::UseOutsideRoot,
        Level::Error,
        "a `use` path escapes the project root",
        r#"## What it does
Reports a `use` whose file lies outside the project root: the directory of the nearest
`defuse.toml`, or the checked directory when there is none. Symbolic links are followed
before the comparison.

## Why is this bad?
A script repository should check the same on every machine. A `use "../../other-repo/x"`
depends on what happens to be next to the checkout.

## Example
```defuse
use "../../shared-scripts/closings.defuse"
```

## Use instead
Copy or vendor the library into the repository, or place `defuse.toml` at a directory
that contains both.
The level of `use-outside-root` cannot be changed."#,
    )
};
