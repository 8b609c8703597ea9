//! `unused-var`: a declared var that no text uses.

use rustc_hash::FxHashSet;

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;

pub const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::UnusedVar,
        Level::Warning,
        "a var is declared and never used",
        r#"## What it does
Reports a name in `vars` that no placeholder uses, in the script's nodes or in the library
nodes it reaches.

## Why is this bad?
Integrations fill every declared var before a call (a CRM lookup for `order_id`, say). An
unused var is wasted work, and often a sign that a placeholder is misspelled.

## Example
```defuse
  vars customer_name order_id
  acknowledge hear { say "I'm sorry, {customer_name}." -> restate }
```

## Use instead
Remove `order_id` from `vars`, or use it: `"Is this about order {order_id}?"`."#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let used: FxHashSet<&str> = ctx
        .nodes()
        .flat_map(|(_, node)| node.stmts.iter())
        .flat_map(|stmt| stmt.strings())
        .flat_map(|text| text.placeholders.iter().map(|p| p.name.as_str()))
        .collect();
    for var in &ctx.script().vars {
        if !used.contains(var.name.as_str()) {
            out.push(
                Diagnostic::new(
                    RULE.code,
                    ctx.graph.script,
                    var.span,
                    format!("var `{}` is declared but never used", var.name),
                )
                .label("never used")
                .help(format!("remove it from `vars`, or use it in a text as `{{{}}}`", var.name)),
            );
        }
    }
}
