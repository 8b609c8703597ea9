//! `no-close`: a script has no close node.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoClose,
        Level::Error,
        "a script has no close node",
        r#"## What it does
Reports a script with no `close` node: neither one of its own nor one of a library that it
reaches.

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

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    if !ctx.nodes().any(|(_, node)| node.stage == Stage::Close) {
        let script = ctx.script();
        out.push(
            Diagnostic::new(
                RULE.code,
                ctx.graph.script,
                script.name.span,
                format!("script `{}` has no close node", script.name.name),
            )
            .label("no way to end a call")
            .help("add a `close` node, or go to one from a library (`closings.resolved_thanks`)"),
        );
    }
}
