//! `skip-acknowledge`: a way from a trigger to options or a close with no acknowledge node.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::SkipAcknowledge,
        Level::Error,
        "some path from a trigger reaches an options or close node without an acknowledge node",
        r#"## What it does
Looks for a way through the script from a trigger to an `options` or `close` node that passes
no `acknowledge` node, and shows the shortest one.

## Why is this bad?
De-escalation starts with empathy. A customer who has not been heard does not listen to
options: jumping from "this is the third time I'm calling" to "here is what I can offer"
makes the call longer, not shorter.

## Example
```defuse
  trigger charged_twice { customer "You charged me twice!" -> offer }
  options offer { option "Refund now" -> done  option "Credit" -> done }
```

## Use instead
```defuse
  trigger charged_twice { customer "You charged me twice!" -> hear }
  acknowledge hear { say "Being charged twice is stressful. Let's fix it." -> offer }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    out.extend(ctx.skipped_stage(
        RULE.code,
        Stage::Acknowledge,
        &[Stage::Options, Stage::Close],
        "reached without acknowledging the caller",
        "acknowledge the caller's feeling before offering anything: add an `acknowledge` node on this path",
    ));
}
