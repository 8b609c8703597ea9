//! `unknown-placeholder`: `{x}` in a text where `x` is not declared in `vars`.
//!
//! Linear in the texts and the vars: declared names are looked up in a hash set built once per
//! script (a scan of `vars` per placeholder made 100,000 used vars take 9.5 s), and the
//! "did you mean" search over `vars` runs once per distinct unknown name.

use crate::check::rule::{Level, Rule};
use crate::check::{FileCtx, GraphCtx};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::suggest::closest_or_abbreviated;
use crate::syntax::ast::{Ident, ItemKind, Node};

pub const RULE: Rule = Rule {
    file_check: Some(check_script),
    graph_check: Some(check_library_nodes),
    ..Rule::new(
        crate::diagnostic::Code::UnknownPlaceholder,
        Level::Error,
        "`{x}` is used in a text but `x` is not in `vars`",
        r#"## What it does
Reports a placeholder `{name}` in a `say`, `ask`, `customer`, `note`, `reply`, `option`,
`hold`, `transfer` or `follow_up` text when `name` is not declared with `vars`. The help suggests a
declared var that is spelled nearly the same, or that the name shortens (`{case_no}` for
`case_number`). Library nodes have no `vars` of their own: their placeholders are checked against every script that
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
    let mut vars = Vars::new(&item.vars);
    for node in &item.nodes {
        report(ctx.file, node, &mut vars, None, out);
    }
}

fn check_library_nodes(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let script = ctx.script();
    let mut vars = Vars::new(&script.vars);
    for (index, node) in ctx.nodes() {
        if ctx.file(index) != ctx.graph.script {
            report(ctx.file(index), node, &mut vars, Some(&script.name.name), out);
        }
    }
}

/// A script's declared vars, and the suggestion found for each unknown name so far.
struct Vars<'a> {
    declared: &'a [Ident],
    names: FxHashSet<&'a str>,
    suggestions: FxHashMap<String, Option<&'a str>>,
}

impl<'a> Vars<'a> {
    fn new(declared: &'a [Ident]) -> Self {
        Vars { declared, names: declared.iter().map(|v| v.name.as_str()).collect(), suggestions: FxHashMap::default() }
    }

    fn suggestion(&mut self, unknown: &str) -> Option<&'a str> {
        if let Some(&found) = self.suggestions.get(unknown) {
            return found;
        }
        let found = closest_or_abbreviated(unknown, self.declared.iter().map(|v| v.name.as_str()));
        self.suggestions.insert(unknown.to_owned(), found);
        found
    }
}

fn report(file: FileId, node: &Node, vars: &mut Vars, script: Option<&str>, out: &mut Vec<Diagnostic>) {
    for stmt in &node.stmts {
        for text in stmt.strings() {
            for placeholder in &text.placeholders {
                if vars.names.contains(placeholder.name.as_str()) {
                    continue;
                }
                let message = match script {
                    None => format!("`{{{}}}` in node `{}` is not declared in `vars`", placeholder.name, node.name.name),
                    Some(script) => format!(
                        "`{{{}}}` in library node `{}` is not declared in the `vars` of script `{script}`, which reaches it",
                        placeholder.name, node.name.name
                    ),
                };
                let help = match vars.suggestion(&placeholder.name) {
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
