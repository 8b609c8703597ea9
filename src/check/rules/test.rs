//! `test`: a transcript test file (`.dtest`) that is broken, or a test that fails. Reported
//! by `src/dtest/` (`defuse check` reports broken files; `defuse test` also runs them).

use crate::check::rule::Rule;
use crate::diagnostic::{Code, Level};

pub(crate) const RULE: Rule = Rule {
    ..Rule::new(
        Code::Test,
        Level::Error,
        "a `.dtest` file does not parse or names a missing file, node, reply or option; or a transcript test fails",
        r#"## What it does
Reports a transcript test (`.dtest`, see `docs/testing.md`) that cannot run: the file does not
parse, its `use` names no script file, or a test names a node, reply, option or var the script
does not have ("did you mean" suggests the closest). `defuse test` also reports each test that
fails, at the first point where the call and the test part ways, with a label at the script's
node.

## Why is this bad?
A transcript test is a conversation a trainer wrote down once so that every change to the
script is replayed against it. A test that cannot run protects nothing, and a failing one means
the script no longer does what the conversation expects.

## Example
```dtest
use "refund_missing.defuse"

test "refund today" {
  answer "yes"
  pick "Issue the refund"
}
```

## Use instead
```dtest
use "refund_missing.defuse"

test "refund today" {
  answer "yes"
  answer "yes"
  pick "Issue the refund today; it shows in 3 to 5 days"
  expect outcome resolved
}
```
"#,
    )
};
