//! `long-path`: the shortest way from a trigger to a close is longer than `max_steps`.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::graph::analysis::BfsTree;
use crate::syntax::ast::Stage;

pub const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::LongPath,
        Level::Warning,
        "the shortest way from a trigger to a close is longer than `max_steps` (default 10)",
        r#"## What it does
For each trigger, finds the shortest way to any `close` node and reports it when it takes
more steps (edges) than `[limits] max_steps` in `defuse.toml` (default 10).

## Why is this bad?
Every step is another exchange with a frustrated caller. If even the quickest resolution
takes more than ten steps, the script is probably asking questions one at a time that
could be combined, or going through stages it does not need.

## Example
A trigger followed by twelve `root-cause` questions in a chain before any options.

## Use instead
Combine related questions, offer options earlier, or raise the limit for scripts that are
long by nature:
```toml
[limits]
max_steps = 14
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let max = ctx.config.max_steps;
    for trigger in ctx.graph.triggers(ctx.project) {
        let tree = BfsTree::new(&ctx.graph.graph, [trigger], |_| false);
        let Some(&close) = tree.order.iter().find(|&&n| ctx.node(n).stage == Stage::Close) else { continue };
        let path = tree.path_to(close);
        let steps = path.len() - 1;
        if steps <= max {
            continue;
        }
        let diagnostic = Diagnostic::new(
            RULE.code,
            ctx.file(trigger),
            ctx.node(trigger).name.span,
            format!(
                "the shortest way from trigger `{}` to a close takes {steps} steps, more than max_steps ({max}): {}",
                ctx.name(trigger),
                ctx.describe_path(&path)
            ),
        )
        .label(format!("{steps} steps to the nearest close"));
        out.push(
            ctx.label_path(diagnostic, &path, trigger)
                .help("combine questions or offer options sooner; or raise `[limits] max_steps` in defuse.toml"),
        );
    }
}
