//! `single-option`: an options node that offers fewer than two options.

use petgraph::Direction;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Stage, StmtKind};

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::SingleOption,
        Level::Warning,
        "an options node offers fewer than 2 options",
        r#"## What it does
Reports an `options` node with one `option` (or none, when it still leads on with `->`; an
options node that leads nowhere is a `dead-end`).

## Why is this bad?
Offering choices gives an upset caller back a sense of control. "Here is what I can do" with
a single take-it-or-leave-it option is not a choice, and tends to restart the argument.

## Example
```defuse
  options offer { option "Refund in 5 to 7 days" -> done }
```

## Use instead
```defuse
  options offer {
    option "Refund in 5 to 7 days" -> done
    option "Store credit today, plus 10%" -> done
  }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    for (index, node) in ctx.nodes() {
        if node.stage != Stage::Options {
            continue;
        }
        let options = node.stmts.iter().filter(|s| matches!(s.kind, StmtKind::Option(..))).count();
        let leads_on = ctx.graph.graph.edges_directed(index, Direction::Outgoing).next().is_some();
        if options >= 2 || !leads_on {
            continue;
        }
        let count = if options == 0 { "no options".to_owned() } else { "only one option".to_owned() };
        out.push(
            ctx.at_node(RULE.code, index, format!("options node `{}` offers {count}", ctx.name(index)))
                .label("fewer than 2 options")
                .help("offer at least two realistic choices, so the customer can pick"),
        );
    }
}
