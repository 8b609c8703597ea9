//! `no-exit`: a loop reachable from a trigger from which no close can be reached.

use petgraph::algo::kosaraju_scc;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::graph::analysis::{can_reach, BfsTree};
use crate::syntax::ast::Stage;

pub const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoExit,
        Level::Error,
        "a loop reachable from a trigger can reach no close: the caller is trapped",
        r#"## What it does
Finds loops (strongly connected groups of nodes) that a call can enter from a trigger but
never leave towards a `close` node, and shows one way in and the loop itself. Nodes that
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
        // Enter the loop where the shortest way from a trigger arrives.
        let entry = *scc.iter().min_by_key(|n| reached.path_to(**n).len()).expect("components are not empty");
        let way_in = reached.path_to(entry);
        let inside = BfsTree::new(graph, [entry], |n| scc.binary_search(&n).is_err());
        let back = graph
            .edges_directed(entry, petgraph::Direction::Incoming)
            .map(|edge| edge.source())
            .filter(|n| inside.reached(*n))
            .min_by_key(|n| inside.path_to(*n).len())
            .expect("a loop has an edge back to its entry");
        let mut loop_path = inside.path_to(back);
        loop_path.push(entry);

        let node = ctx.node(entry);
        let diagnostic = Diagnostic::new(
            RULE.code,
            ctx.file(entry),
            node.name.span,
            format!(
                "the loop {} never reaches a close: a caller who gets here ({}) is trapped",
                ctx.describe_path(&loop_path),
                ctx.describe_path(&way_in)
            ),
        )
        .label("the loop starts here");
        out.push(
            ctx.label_path(diagnostic, &way_in, entry)
                .help("give one node of the loop a way out: a `reply` or `option` that leads towards a close"),
        );
    }
}
