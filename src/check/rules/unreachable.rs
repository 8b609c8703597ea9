//! `unreachable`: a node no trigger can reach.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::graph::analysis::BfsTree;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::Unreachable,
        Level::Warning,
        "a node no trigger can reach",
        r#"## What it does
Reports every node of the script that no path from a trigger reaches. (When a script has no
trigger at all, `no-trigger` reports that instead.) Library nodes are never reported: each
script reaches the ones it needs, and a library node that one script does not reach is
another script's business.

## Why is this bad?
An unreachable node is text that no agent will ever say: often a branch someone forgot to
connect, or a leftover from an old version of the script that trainers still rehearse.

## Example
```defuse
  mirror restate { ask "Is that right?" reply "yes" -> cause }
  mirror clarify { ask "What did I get wrong?" -> restate }   # nothing goes here
```

## Use instead
```defuse
  mirror restate { ask "Is that right?" reply "yes" -> cause  otherwise -> clarify }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let triggers: Vec<_> = ctx.graph.triggers(ctx.project).collect();
    // Without a trigger of its own, `no-trigger` speaks for the script.
    if !triggers.iter().any(|&trigger| ctx.file(trigger) == ctx.graph.script) {
        return;
    }
    let reached = BfsTree::new(&ctx.graph.graph, triggers, |_| false);
    for index in ctx.graph.nodes().filter(|&index| ctx.file(index) == ctx.graph.script) {
        if !reached.reached(index) {
            out.push(
                ctx.at_node(
                    RULE.code,
                    index,
                    format!(
                        "node `{}` cannot be reached from any trigger of script `{}`",
                        ctx.name(index),
                        ctx.script().name.name
                    ),
                )
                .label("never reached")
                .help("lead to it from another node, or remove it"),
            );
        }
    }
}
