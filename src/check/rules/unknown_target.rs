//! `unknown-target`: a `->` names no node.

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;
use crate::resolve::{NodeKey, Resolution};
use crate::source::FileId;
use crate::suggest::closest;
use crate::syntax::ast::Target;
use crate::syntax::expected::RESERVED;

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    file_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::UnknownTarget,
        Level::Error,
        "`-> x` names no node",
        r#"## What it does
Reports a `->`, `reply`, `otherwise` or `option` whose target is not a node of the script
(or, for `lib.node`, of that library). The help suggests the node meant: the same name in
a library the file uses (a forgotten `lib.` prefix, or the wrong library), else a node with a
similar name.

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
            let suggestion = suggest(ctx, target, file, &mut budget);
            diagnostic = match suggestion {
                Some((found, shown, exact)) => {
                    let node = &ctx.project.node(found).name;
                    let label = if exact { "a node with this name" } else { "a node with a similar name" };
                    // `shown` is the whole target, prefix included, so it replaces the whole target.
                    diagnostic.with(found.file, node.span, label).did_you_mean(target.span, shown)
                }
                None => diagnostic.help(format!("add a node named `{}`, or go to an existing node", target.node.name)),
            };
            out.push(diagnostic);
        }
    }
}

/// The node a broken target most likely means, as the target would be written, and whether
/// its name is exactly the one written. In order: the same name in another place the file can
/// reach (a forgotten `lib.` prefix, the wrong library, a needless prefix); a near name in the
/// place named; a near name in the file's other libraries. Exact lookups are hash lookups; the
/// near-name searches spend `budget` (names compared).
fn suggest(ctx: &FileCtx, target: &Target, named: FileId, budget: &mut usize) -> Option<(NodeKey, String, bool)> {
    let module = &ctx.project.module(ctx.file);
    let written = target.node.name.as_str();
    // Every place a target of this file can name: its own nodes (no prefix), then each
    // library it uses, by name.
    let places: Vec<(Option<&str>, FileId)> = std::iter::once((None, ctx.file))
        .chain(module.imports.iter().map(|(name, &file)| (Some(name.as_str()), file)))
        .collect();
    let shown = |prefix: Option<&str>, name: &str| match prefix {
        Some(library) => format!("{library}.{name}"),
        None => name.to_owned(),
    };
    let others = || places.iter().filter(|(_, file)| *file != named);
    // One name compared per place, from the same budget: a file with thousands of `use`s and
    // thousands of broken targets stays bounded too.
    if let Some(left) = budget.checked_sub(places.len()) {
        *budget = left;
        for &(prefix, file) in others() {
            if let Some(index) = ctx.project.module(file).node_named(written) {
                return Some((NodeKey { file, index }, shown(prefix, written), true));
            }
        }
    }
    let named_prefix = target.library.as_ref().map(|library| library.name.as_str());
    let mut near = |prefix: Option<&str>, file: FileId| {
        let nodes = ctx.project.item(file).map_or(&[][..], |item| &item.nodes[..]);
        *budget = budget.checked_sub(nodes.len())?;
        let best = closest(written, nodes.iter().map(|node| node.name.name.as_str()))?;
        let index = ctx.project.module(file).node_named(best).expect("suggested from the module's names");
        Some((NodeKey { file, index }, shown(prefix, best), false))
    };
    near(named_prefix, named).or_else(|| others().find_map(|&(prefix, file)| near(prefix, file)))
}
