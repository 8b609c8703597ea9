//! `unused-var`: a declared var that no text uses.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::check::rule::{Level, Rule};
use crate::check::rules::unknown_placeholder::{meant_var, PART_SEARCH_BUDGET};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

pub(crate) const RULE: Rule = Rule {
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
    let vars = &ctx.script().vars;
    if vars.iter().all(|var| used.contains(var.name.as_str())) {
        return;
    }
    let meant = placeholders_meant_as_vars(ctx, &used);
    for var in vars {
        if used.contains(var.name.as_str()) {
            continue;
        }
        let diagnostic = Diagnostic::new(
            RULE.code,
            ctx.graph.script,
            var.span,
            format!("var `{}` is declared but never used", var.name),
        )
        .label("never used");
        // An unknown placeholder probably meant as this var: removing the var is the wrong fix.
        out.push(match meant.get(var.name.as_str()) {
            Some(&(file, span, ref placeholder, node)) => {
                diagnostic.with(file, span, format!("probably meant as `{{{}}}`", var.name)).help(format!(
                    "`{{{placeholder}}}` in node `{node}` looks like this var: write `{{{}}}` there",
                    var.name
                ))
            }
            None => diagnostic.help(format!("remove it from `vars`, or use it in a text as `{{{}}}`", var.name)),
        });
    }
}

/// For each declared var, the first placeholder (model order) whose name is not declared and
/// that `unknown-placeholder` suggests this var for: its file, span, name and node. The search
/// stops when [`PART_SEARCH_BUDGET`] comparisons are spent (hints are best effort).
fn placeholders_meant_as_vars<'a>(
    ctx: &'a GraphCtx,
    used: &FxHashSet<&str>,
) -> FxHashMap<&'a str, (FileId, Span, String, &'a str)> {
    let vars = &ctx.script().vars;
    let declared: FxHashSet<&str> = vars.iter().map(|var| var.name.as_str()).collect();
    let mut tried: FxHashSet<&str> = FxHashSet::default();
    let mut meant = FxHashMap::default();
    let mut budget = PART_SEARCH_BUDGET;
    for (index, node) in ctx.nodes() {
        let texts = node.stmts.iter().flat_map(|stmt| stmt.strings());
        for placeholder in texts.flat_map(|text| text.placeholders.iter()) {
            let name = placeholder.name.as_str();
            if declared.contains(name) || !tried.insert(name) {
                continue;
            }
            // The hint is worth a bounded search only: the typo search compares every var too.
            let Some(left) = budget.checked_sub(vars.len()) else { return meant };
            budget = left;
            if let Some(found) = meant_var(name, vars, used, &mut budget) {
                let place = (ctx.file(index), placeholder.span, name.to_owned(), node.name.name.as_str());
                meant.entry(found.var.name.as_str()).or_insert(place);
            }
        }
    }
    meant
}
