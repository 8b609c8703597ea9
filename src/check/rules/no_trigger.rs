//! `no-trigger`: a script has no trigger node.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoTrigger,
        Level::Error,
        "a script has no trigger node",
        r#"## What it does
Reports a script with no `trigger` node of its own. A library's trigger never counts: an
edge into it is `enters-trigger`, and a call cannot start in another file's node.

## Why is this bad?
The trigger says which situation the script is for ("Where is my refund?"), and it is where
every call through the script begins. Without one, there is no way in.

## Example
```defuse
script refund {
  acknowledge hear { say "I'm sorry about the wait." -> done }
  close done { say "Thanks for calling." }
}
```

## Use instead
```defuse
  trigger where_is_refund { customer "Where is my refund?" -> hear }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    if !ctx.graph.triggers(ctx.project).any(|trigger| ctx.file(trigger) == ctx.graph.script) {
        let script = ctx.script();
        out.push(
            ctx.at_script(RULE.code, format!("script `{}` has no trigger node", script.name.name))
                .label("no way into this script")
                .help("add a `trigger` node with what the customer says that starts this script"),
        );
    }
}
