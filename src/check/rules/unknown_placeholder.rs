//! `unknown-placeholder`: `{x}` in a text where `x` is not declared in `vars`.

use crate::check::rule::{Level, Rule};
use crate::check::{FileCtx, GraphCtx};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::suggest::closest;
use crate::syntax::ast::{Ident, ItemKind, Node};

pub const RULE: Rule = Rule {
    file_check: Some(check_script),
    graph_check: Some(check_library_nodes),
    ..Rule::new(
        "unknown-placeholder",
        Level::Error,
        "`{x}` is used in a text but `x` is not in `vars`",
        r#"## What it does
Reports a placeholder `{name}` in a `say`, `ask`, `customer`, `note`, `reply`, `option`,
`hold`, `transfer` or `follow_up` text when `name` is not declared with `vars`. Library
nodes have no `vars` of their own: their placeholders are checked against every script that
reaches them. Write `\{` for a literal brace.

## Why is this bad?
The agent's screen (or a voice system) would show the raw `{custmer_name}` to a customer who
is already upset, or the placeholder would never be filled in.

## Example
```defuse
  vars customer_name
  acknowledge hear { say "I'm sorry, {custmer_name}." -> restate }
```

## Use instead
```defuse
  acknowledge hear { say "I'm sorry, {customer_name}." -> restate }
```"#,
    )
};

fn check_script(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let item = ctx.item();
    if item.kind != ItemKind::Script {
        return;
    }
    for node in &item.nodes {
        report(ctx.file, node, &item.vars, None, out);
    }
}

fn check_library_nodes(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let script = ctx.script();
    for (index, node) in ctx.nodes() {
        if ctx.file(index) != ctx.graph.script {
            report(ctx.file(index), node, &script.vars, Some(&script.name.name), out);
        }
    }
}

fn report(file: FileId, node: &Node, vars: &[Ident], script: Option<&str>, out: &mut Vec<Diagnostic>) {
    for stmt in &node.stmts {
        for text in stmt.strings() {
            for placeholder in &text.placeholders {
                if vars.iter().any(|v| v.name == placeholder.name) {
                    continue;
                }
                let message = match script {
                    None => format!("`{{{}}}` in node `{}` is not declared in `vars`", placeholder.name, node.name.name),
                    Some(script) => format!(
                        "`{{{}}}` in library node `{}` is not declared in the `vars` of script `{script}`, which reaches it",
                        placeholder.name, node.name.name
                    ),
                };
                let help = match closest(&placeholder.name, vars.iter().map(|v| v.name.as_str())) {
                    Some(best) => format!("did you mean `{{{best}}}`?"),
                    None => {
                        format!("add `vars {}` to the script, or write `\\{{` for a literal brace", placeholder.name)
                    }
                };
                out.push(
                    Diagnostic::new(RULE.code, file, placeholder.span, message).label("unknown placeholder").help(help),
                );
            }
        }
    }
}
