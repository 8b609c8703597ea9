//! `use-not-found`: a `use` path names no file (or a file that is not a library).
//! Reported by `resolve::load`.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    ..Rule::new(
        crate::diagnostic::Code::UseNotFound,
        Level::Error,
        "a `use` path names no file, or a file that holds a script instead of a library",
        r#"## What it does
Reports a `use "path"` whose file does not exist (the path is relative to the file that
contains the `use`), is a directory, or holds a `script` rather than a `library`.

## Why is this bad?
The nodes the script expects from the library are missing, so the call flow is incomplete.

## Example
```defuse
use "lib/closing.defuse"   # the file is lib/closings.defuse
```

## Use instead
```defuse
use "lib/closings.defuse"
```
The level of `use-not-found` cannot be changed."#,
    )
};
