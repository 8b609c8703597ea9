//! `enters-trigger`: an edge goes into a `trigger` node.

use petgraph::visit::EdgeRef;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::EntersTrigger,
        Level::Error,
        "an edge targets a `trigger` node",
        r#"## What it does
Reports a `->`, `reply`, `otherwise` or `option` that leads into a `trigger` node.

## Why is this bad?
A trigger is what the customer said that started the call; it is where a script begins,
never a step the agent can go back to. Going "back to the trigger" usually means the agent
should restate the problem: that is what a `mirror` node is for.

## Example
```defuse
  trigger angry { customer "This is the third time I'm calling!" -> hear }
  mirror restate { ask "Is that right?" otherwise -> angry }
```

## Use instead
```defuse
  mirror restate { ask "Is that right?" otherwise -> clarify }
  mirror clarify { ask "What did I get wrong?" -> restate }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    for edge in ctx.graph.graph.edge_references() {
        let target = edge.target();
        if ctx.node(target).stage != Stage::Trigger {
            continue;
        }
        let from = edge.weight().from;
        let stmt = &ctx.project.node(from).stmts[edge.weight().stmt];
        let (written, _) = stmt.edge().expect("edges come from edge statements");
        out.push(
            Diagnostic::new(
                RULE.code,
                from.file,
                written.span,
                format!("node `{}` goes to trigger `{}`", ctx.project.qualified_name(from), ctx.name(target)),
            )
            .label("enters a trigger")
            .with(ctx.file(target), ctx.node(target).name.span, "this is a trigger")
            .help("a trigger only starts a call; to go back over the problem, go to a `mirror` node"),
        );
    }
}
