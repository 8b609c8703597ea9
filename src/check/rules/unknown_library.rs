//! `unknown-library`: `lib.node` where no `use` brings `lib` in.

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;
use crate::resolve::Resolution;
use crate::suggest::closest;

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    file_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::UnknownLibrary,
        Level::Error,
        "`lib.node` where no `use` brings `lib` in",
        r#"## What it does
Reports a target `lib.node` when none of the file's `use` declarations brings in a library
named `lib`. The help suggests a used library with a similar name, or else one that has a node
named `node`.

## Why is this bad?
Shared closings and escalations live in libraries; a script can only reach the ones it
declares with `use`, so that anyone reading the script sees what it depends on.

## Example
```defuse
script refund {
  options offer { option "Refund today" -> closings.thanks  … }
}
```

## Use instead
```defuse
use "lib/closings.defuse"
script refund { … }
```"#,
    )
};

fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    let module = &ctx.project.module(ctx.file);
    let failed = failed_use_names(ctx);
    let mut budget = LOOKUP_BUDGET;
    for node in &ctx.item().nodes {
        for stmt in &node.stmts {
            let Some((target, _)) = stmt.edge() else { continue };
            let Some(library) = &target.library else { continue };
            if failed.contains(&library.name.as_str())
                || ctx.project.resolve(ctx.file, target) != Resolution::UnknownLibrary
            {
                continue;
            }
            let diagnostic = Diagnostic::new(
                RULE.code,
                ctx.file,
                library.span,
                format!(
                    "node `{}` goes to `{}`, but no `use` brings in library `{}`",
                    node.name.name,
                    target.display(),
                    library.name
                ),
            )
            .label("unknown library");
            out.push(match closest(&library.name, module.imports.keys().map(String::as_str)) {
                Some(best) => diagnostic.did_you_mean(library.span, best),
                None => match library_with_node(ctx, &target.node.name, &mut budget) {
                    // The whole target, since the suggestion names the node too.
                    Some(found) => diagnostic.did_you_mean(target.span, format!("{found}.{}", target.node.name)),
                    None => diagnostic.help(format!("add `use \"path/to/{}.defuse\"` at the top of the file", library.name)),
                },
            });
        }
    }
}

/// How many library lookups one file's suggestions may make (hash lookups, each cheap): a file
/// of thousands of `use`s and thousands of broken prefixes stays bounded.
const LOOKUP_BUDGET: usize = 1_000_000;

/// The first library the file uses (by name) that has a node named `node`: the library a
/// wrong prefix most likely meant.
fn library_with_node<'a>(ctx: &'a FileCtx, node: &str, budget: &mut usize) -> Option<&'a str> {
    let imports = &ctx.project.module(ctx.file).imports;
    *budget = budget.checked_sub(imports.len())?;
    imports
        .iter()
        .find(|(_, &file)| ctx.project.module(file).node_named(node).is_some())
        .map(|(name, _)| name.as_str())
}

/// Libraries whose `use` failed (already reported as `use-not-found`, `use-outside-root`…),
/// named after the file stem as a library usually is: reporting every target into them again
/// would bury the one error that matters.
fn failed_use_names<'a>(ctx: &'a FileCtx) -> Vec<&'a str> {
    let module = &ctx.project.module(ctx.file);
    let Some(file) = &module.ast else { return Vec::new() };
    file.uses
        .iter()
        .zip(&module.uses)
        .filter(|(_, used)| used.is_none())
        .filter_map(|(use_decl, _)| std::path::Path::new(&use_decl.path.value).file_stem()?.to_str())
        .collect()
}
