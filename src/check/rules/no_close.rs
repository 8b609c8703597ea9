//! `no-close`: a script has no close node, neither its own nor one in a library it uses.
//!
//! Whether a path reaches a close is `no-exit`'s and `dead-end`'s business: a close in a used
//! library counts even when no edge goes to it (spec section 3).

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::{ItemKind, Stage};

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoClose,
        Level::Error,
        "a script has no close node",
        r#"## What it does
Reports a script with no `close` node: neither one of its own nor one in a library that it
`use`s (directly or through another library). Whether a path reaches the close is for
`no-exit` and `dead-end`. When another library of the project has closes, the help names
them.

## Why is this bad?
Every call has to end, with an outcome, a thank-you and a follow-up. A script without a
close leaves the agent improvising the most memorable part of the call.

## Example
```defuse
script outage {
  trigger down { customer "My internet is down again!" -> hear }
  acknowledge hear { say "That's really disruptive, I'm sorry." -> hear }
}
```

## Use instead
```defuse
use "lib/closings.defuse"
  acknowledge hear { say "That's really disruptive, I'm sorry." -> closings.resolved_thanks }
```"#,
    )
};

/// How many closes of other libraries the help names.
const NAMED_CLOSES: usize = 3;

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let used = ctx.project.use_closure(ctx.graph.script);
    let has_close = |file: FileId| {
        ctx.project.item(file).is_some_and(|item| item.nodes.iter().any(|node| node.stage == Stage::Close))
    };
    if used.iter().any(|&file| has_close(file)) {
        return;
    }
    let script = ctx.script();
    out.push(
        ctx.at_script(RULE.code, format!("script `{}` has no close node", script.name.name))
            .label("no way to end a call")
            .help(help(ctx)),
    );
}

/// Names real closes: those of the project's libraries (the script's used ones have none),
/// in file order, so the help never invents a node.
fn help(ctx: &GraphCtx) -> String {
    let mut closes = Vec::new();
    for module in &ctx.project.modules {
        let Some(item) = module.item().filter(|item| item.kind == ItemKind::Library) else { continue };
        for node in item.nodes.iter().filter(|node| node.stage == Stage::Close) {
            closes.push(format!("`{}.{}`", item.name.name, node.name.name));
        }
        if closes.len() >= NAMED_CLOSES {
            break;
        }
    }
    closes.truncate(NAMED_CLOSES);
    match closes.as_slice() {
        [] => "add a `close` node that thanks the caller and says what happens next".to_owned(),
        _ => format!("add a `close` node, or `use` a library that has one and go to it: {}", closes.join(", ")),
    }
}
