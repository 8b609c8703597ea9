//! `close-has-next`: a close node goes somewhere.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::CloseHasNext,
        Level::Error,
        "a close node has an outgoing edge",
        r#"## What it does
Reports a `->`, `reply`, `otherwise` or `option` inside a `close` node.

## Why is this bad?
A close ends the call: outcome, thanks, follow-up. A close that continues is not an ending,
and exports to call-flow tools would have a final state with transitions.

## Example
```defuse
  close thanks { say "Thanks for your patience." -> survey }
```

## Use instead
Make the next step part of the close (`follow_up "24h" "Send the survey"`), or turn the node
into an `options` or `acknowledge` node that leads to the close."#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let node = ctx.node;
    if node.stage != Stage::Close {
        return;
    }
    for stmt in &node.stmts {
        if stmt.edge().is_some() {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    ctx.file(),
                    stmt.keyword_span(),
                    format!("close node `{}` goes on to another node", ctx.name()),
                )
                .label("a close ends the call")
                .with(ctx.file(), node.stage_span, "this node is a close")
                .help("remove the edge, or use a `follow_up` for what happens after the call"),
            );
        }
    }
}
