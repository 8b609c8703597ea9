//! `dead-end`: a node other than a close has nowhere to go.

use petgraph::Direction;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::DeadEnd,
        Level::Error,
        "a non-close node has no outgoing edge",
        r#"## What it does
Reports a node that is not a `close` node and has no `->`, `reply`, `otherwise` or
`option`. An `options` node with no options is a dead end too.

## Why is this bad?
The agent reaches the node, says its line, and the script has nothing more to offer: the
call stalls in front of the customer.

## Example
```defuse
  root-cause cause { ask "When did you place the order?" }
```

## Use instead
```defuse
  root-cause cause { ask "When did you place the order?" -> offer }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    for (index, node) in ctx.nodes() {
        if node.stage == Stage::Close || ctx.graph.graph.edges_directed(index, Direction::Outgoing).next().is_some() {
            continue;
        }
        out.push(
            ctx.at_node(
                RULE.code,
                index,
                format!("{} node `{}` has no way forward", node.stage.keyword(), ctx.name(index)),
            )
            .label("the call stops here")
            .help(match node.stage {
                Stage::Options => "offer at least two `option \"…\" -> node` choices",
                _ => "add `-> next_node`, or `reply \"…\" -> node` branches",
            }),
        );
    }
}
