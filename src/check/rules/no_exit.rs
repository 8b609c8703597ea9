//! `no-exit`: a loop reachable from a trigger from which no close can be reached.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::NodeIndex;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::graph::analysis::{can_reach, BfsTree};
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoExit,
        Level::Error,
        "a loop reachable from a trigger can reach no close: the caller is trapped",
        r#"## What it does
Finds loops (strongly connected groups of nodes) that a call can enter from a trigger but
never leave towards a `close` node. The report names every node of the trapped group, the
edge that enters it and the shortest way there from a trigger. Nodes that
simply stop are `dead-end`'s business, not this rule's.

## Why is this bad?
Going back to re-mirror after "no, that's not it" is good practice; a loop with no way out
is not. The agent would cycle through the same questions with a caller who is already
upset, with no scripted way to end the call.

## Example
```defuse
  mirror restate { ask "Is that right?" reply "no" -> clarify }
  mirror clarify { ask "What did I get wrong?" -> restate }
```

## Use instead
```defuse
  mirror restate { ask "Is that right?" reply "yes" -> offer  reply "no" -> clarify }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let graph = &ctx.graph.graph;
    let closes = ctx.nodes().filter(|(_, node)| node.stage == Stage::Close).map(|(index, _)| index);
    let exits = can_reach(graph, closes);
    let reached = BfsTree::new(graph, ctx.graph.triggers(ctx.project), |_| false);

    let mut traps: Vec<Vec<NodeIndex>> = kosaraju_scc(graph)
        .into_iter()
        .filter(|scc| {
            let looped = scc.len() > 1 || graph.contains_edge(scc[0], scc[0]);
            looped && reached.reached(scc[0]) && !exits[scc[0].index()]
        })
        .collect();
    for scc in &mut traps {
        scc.sort_unstable();
    }
    traps.sort();

    for scc in traps {
        // Enter the group where the shortest way from a trigger arrives.
        let entry = *scc.iter().min_by_key(|n| reached.path_to(**n).len()).expect("components are not empty");
        let way_in = reached.path_to(entry);
        let entered_from = way_in.len().checked_sub(2).map(|at| way_in[at]);
        let how = match entered_from {
            Some(from) => format!("a caller who enters it from `{}` ({})", ctx.name(from), ctx.describe_path(&way_in)),
            None => format!("a caller who starts at trigger `{}`", ctx.name(entry)),
        };
        let message = format!("the loop of {} never reaches a close: {how} is trapped", describe_group(ctx, &scc));
        let mut diagnostic = ctx.at_node(RULE.code, entry, message).label("the loop is entered here");
        diagnostic = ctx.label_path(diagnostic, &way_in, entry);
        // The edge that enters the group: the statement to change or to add a way out beside.
        if let Some(edge) = entered_from.and_then(|from| graph.find_edge(from, entry)) {
            let edge = graph[edge];
            if let Some((target, _)) = ctx.project.node(edge.from).stmts[edge.stmt].edge() {
                diagnostic = diagnostic.with(edge.from.file, target.span, "enters the loop");
            }
        }
        for &member in scc.iter().filter(|&&member| member != entry).take(MAX_MEMBER_LABELS) {
            diagnostic = diagnostic.with(ctx.file(member), ctx.node(member).name.span, "in the loop");
        }
        out.push(
            diagnostic.help("give one node of the loop a way out: a `reply` or `option` that leads towards a close"),
        );
    }
}

/// How many members of a trapped group are labelled, and named in the message.
const MAX_MEMBER_LABELS: usize = 8;

/// "`a`, `b` and `c`", in model order, the tail counted when the group is large.
fn describe_group(ctx: &GraphCtx, group: &[NodeIndex]) -> String {
    let mut names: Vec<String> = group.iter().take(MAX_MEMBER_LABELS).map(|&n| format!("`{}`", ctx.name(n))).collect();
    if group.len() > MAX_MEMBER_LABELS {
        names.push(format!("{} more", group.len() - MAX_MEMBER_LABELS));
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}
