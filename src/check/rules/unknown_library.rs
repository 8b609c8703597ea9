//! `unknown-library`: `lib.node` where no `use` brings `lib` in.

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;
use crate::resolve::Resolution;
use crate::suggest::closest;

pub const RULE: Rule = Rule {
    stops_graph_rules: true,
    file_check: Some(check),
    ..Rule::new(
        "unknown-library",
        Level::Error,
        "`lib.node` where no `use` brings `lib` in",
        r#"## What it does
Reports a target `lib.node` when none of the file's `use` declarations brings in a library
named `lib`.

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
    let module = &ctx.project.modules[ctx.file];
    for node in &ctx.item().nodes {
        for stmt in &node.stmts {
            let Some((target, _)) = stmt.edge() else { continue };
            let Some(library) = &target.library else { continue };
            if ctx.project.resolve(ctx.file, target) != Resolution::UnknownLibrary {
                continue;
            }
            let help = match closest(&library.name, module.imports.keys().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("add `use \"path/to/{}.defuse\"` at the top of the file", library.name),
            };
            out.push(
                Diagnostic::new(
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
                .label("unknown library")
                .help(help),
            );
        }
    }
}
