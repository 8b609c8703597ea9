//! `unknown-target`: a `->` names no node.

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;
use crate::resolve::Resolution;
use crate::suggest::closest;
use crate::syntax::expected::RESERVED;

pub const RULE: Rule = Rule {
    stops_graph_rules: true,
    file_check: Some(check),
    ..Rule::new(
        "unknown-target",
        Level::Error,
        "`-> x` names no node",
        r#"## What it does
Reports a `->`, `reply`, `otherwise` or `option` whose target is not a node of the script
(or, for `lib.node`, of that library). When a node with a similar name exists, the help
suggests it.

## Why is this bad?
The agent would reach a branch that leads nowhere, in the middle of a call with an upset
customer.

## Example
```defuse
  mirror restate {
    ask "You were charged twice, is that right?"
    reply "yes" -> find_cuase
  }
  root-cause find_cause { … }
```

## Use instead
```defuse
    reply "yes" -> find_cause
```"#,
    )
};

/// How many names one file's "did you mean" searches may compare in all (about half a second).
/// A generated file with 100,000 broken targets into 100,000 nodes would otherwise spend
/// minutes on suggestions nobody reads past the first screen.
const SUGGESTION_BUDGET: usize = 5_000_000;

fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let mut budget = SUGGESTION_BUDGET;
    for node in &ctx.item().nodes {
        for stmt in &node.stmts {
            let Some((target, _)) = stmt.edge() else { continue };
            let Resolution::UnknownNode { file } = ctx.project.resolve(ctx.file, target) else { continue };
            // `-> close`: the parse already reported the reserved word; no node can have it.
            if RESERVED.contains(&target.node.name.as_str()) {
                continue;
            }
            let module = &ctx.project.modules[file];
            let place = match &target.library {
                Some(library) => format!("library `{}`", library.name),
                None => format!("{} `{}`", ctx.item().kind.keyword(), ctx.item().name.name),
            };
            let mut diagnostic = Diagnostic::new(
                RULE.code,
                ctx.file,
                target.node.span,
                format!("node `{}` goes to `{}`, which does not exist in {place}", node.name.name, target.display()),
            )
            .label("no such node");
            let nodes = module.item().map_or(&[][..], |item| &item.nodes[..]);
            let names = nodes.iter().map(|n| n.name.name.as_str());
            let suggestion = budget.checked_sub(nodes.len()).and_then(|left| {
                budget = left;
                closest(&target.node.name, names)
            });
            diagnostic = match suggestion {
                Some(best) => {
                    let (index, prefix) = (
                        module.node_named(best).expect("suggested from the module's names"),
                        target.library.as_ref().map(|l| format!("{}.", l.name)),
                    );
                    let best_node = &module.item().expect("suggested from a parsed item").nodes[index];
                    diagnostic
                        .with(file, best_node.name.span, "a node with a similar name")
                        .help(format!("did you mean `{}{best}`?", prefix.unwrap_or_default()))
                }
                None => diagnostic.help(format!("add a node named `{}`, or go to an existing node", target.node.name)),
            };
            out.push(diagnostic);
        }
    }
}
