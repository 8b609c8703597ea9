//! `duplicate-node`: two nodes of one script or library share a name.

use rustc_hash::FxHashMap;

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    file_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::DuplicateNode,
        Level::Error,
        "two nodes in one script or library share a name",
        r#"## What it does
Reports a node whose name is already used by another node of the same script or library,
and labels both.

## Why is this bad?
A `-> name` must lead to exactly one place. With two nodes of one name, the call would go
to whichever came first, and the second one is silently dead.

## Example
```defuse
  mirror restate { ask "You were charged twice, is that right?" -> cause }
  mirror restate { ask "So the charge appeared twice?" -> cause }
```

## Use instead
Give each node its own name (`restate`, `restate_again`), or merge them."#,
    )
};

fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let item = ctx.item();
    let mut first: FxHashMap<&str, usize> = FxHashMap::default();
    first.reserve(item.nodes.len());
    for (index, node) in item.nodes.iter().enumerate() {
        match first.get(node.name.name.as_str()) {
            None => {
                first.insert(&node.name.name, index);
            }
            Some(&earlier) => out.push(
                Diagnostic::new(
                    RULE.code,
                    ctx.file,
                    node.name.span,
                    format!(
                        "node `{}` is defined twice in {} `{}`",
                        node.name.name,
                        item.kind.keyword(),
                        item.name.name
                    ),
                )
                .label("defined again here")
                .with(ctx.file, item.nodes[earlier].name.span, "first defined here")
                .help("rename one of the nodes, or merge them into one"),
            ),
        }
    }
}
