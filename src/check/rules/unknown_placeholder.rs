//! `unknown-placeholder`: `{x}` in a text where `x` is not declared in `vars`.
//!
//! Linear in the texts and the vars: declared names are looked up in a hash set built once per
//! script (a scan of `vars` per placeholder made 100,000 used vars take 9.5 s), and the
//! "did you mean" search over `vars` runs once per distinct unknown name.

use crate::check::rule::{Level, Rule};
use crate::check::{FileCtx, GraphCtx};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::suggest::closest_or_abbreviated;
use crate::syntax::ast::{Ident, ItemKind, Node};

pub(crate) const RULE: Rule = Rule {
    file_check: Some(check_script),
    graph_check: Some(check_library_nodes),
    ..Rule::new(
        crate::diagnostic::Code::UnknownPlaceholder,
        Level::Error,
        "`{x}` is used in a text but `x` is not in `vars`",
        r#"## What it does
Reports a placeholder `{name}` in a `say`, `ask`, `customer`, `note`, `reply`, `option`,
`hold`, `transfer` or `follow_up` text when `name` is not declared with `vars`. The help suggests a
declared var that is spelled nearly the same, that the name shortens (`{case_no}` for
`case_number`), or that the name is part of (`{amount}` for `bill_amount`; a var not used
anywhere yet first). Library nodes have no `vars` of their own: their placeholders are checked against every script that
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
    let mut vars = Vars::new(ctx.file, &item.vars, &item.nodes);
    for node in &item.nodes {
        report(ctx.file, node, &mut vars, None, out);
    }
}

fn check_library_nodes(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    let script = ctx.script();
    let mut vars = Vars::new(ctx.graph.script, &script.vars, &script.nodes);
    for (index, node) in ctx.nodes() {
        if ctx.file(index) != ctx.graph.script {
            report(ctx.file(index), node, &mut vars, Some(&script.name.name), out);
        }
    }
}

/// A script's declared vars, and the help found for each unknown name so far.
struct Vars<'a> {
    /// The script that declares them.
    file: FileId,
    declared: &'a [Ident],
    names: FxHashSet<&'a str>,
    /// The script's own nodes, where a var counts as used.
    nodes: &'a [Node],
    /// The placeholders those nodes use, gathered the first time a help needs them.
    used: Option<FxHashSet<&'a str>>,
    helps: FxHashMap<String, Help>,
    /// What is left of [`PART_SEARCH_BUDGET`].
    budget: usize,
}

/// The placeholder `unknown-placeholder` suggests instead (`{name}`), if any, and the declared
/// var it points at when that var is not used anywhere yet (labelled, so the help stays a
/// plain "did you mean").
#[derive(Clone)]
struct Help {
    meant: Option<String>,
    unused_var: Option<Span>,
}

impl<'a> Vars<'a> {
    fn new(file: FileId, declared: &'a [Ident], nodes: &'a [Node]) -> Self {
        Vars {
            file,
            declared,
            names: declared.iter().map(|v| v.name.as_str()).collect(),
            nodes,
            used: None,
            helps: FxHashMap::default(),
            budget: PART_SEARCH_BUDGET,
        }
    }

    /// The help for `{unknown}`: the var [`meant_var`] finds ("did you mean"), with a label on
    /// it when it is a var the name is part of and not used anywhere yet.
    fn help(&mut self, unknown: &str) -> Help {
        if let Some(help) = self.helps.get(unknown) {
            return help.clone();
        }
        let nodes = self.nodes;
        let used = self.used.get_or_insert_with(|| used_placeholders(nodes));
        let help = match meant_var(unknown, self.declared, used, &mut self.budget) {
            Some(meant) => Help {
                meant: Some(format!("{{{}}}", meant.var.name)),
                unused_var: (meant.part && !used.contains(meant.var.name.as_str())).then_some(meant.var.span),
            },
            None => Help { meant: None, unused_var: None },
        };
        self.helps.insert(unknown.to_owned(), help.clone());
        help
    }
}

/// The declared var a placeholder `{unknown}` was probably meant as.
pub(crate) struct Meant<'a> {
    pub var: &'a Ident,
    /// Found because `unknown` names part of it, not as a typo or a shortening.
    pub part: bool,
}

/// How many (placeholder, var) pairs one script's part-of search may compare: a scan of every
/// var per unknown name is quadratic, and 20,000 vars with 20,000 unknown names must not take
/// minutes. Past the budget only typos and shortenings are suggested.
pub(crate) const PART_SEARCH_BUDGET: usize = 250_000;

/// The var `{unknown}` was probably meant as: one spelled nearly the same or that it shortens;
/// else one it names part of (`{amount}` for `bill_amount`), one not in `used` first (that the
/// writer declared it and never used it says which was meant), while `budget` (pairs left to
/// compare, see [`PART_SEARCH_BUDGET`]) lasts.
pub(crate) fn meant_var<'a>(
    unknown: &str,
    declared: &'a [Ident],
    used: &FxHashSet<&str>,
    budget: &mut usize,
) -> Option<Meant<'a>> {
    let names = declared.iter().map(|v| v.name.as_str());
    if let Some(best) = closest_or_abbreviated(unknown, names) {
        return declared.iter().find(|v| v.name == best).map(|var| Meant { var, part: false });
    }
    *budget = budget.checked_sub(declared.len())?;
    let mut containing = declared.iter().filter(|var| names_part_of(unknown, &var.name)).peekable();
    let first = containing.peek().copied()?;
    let var = containing.find(|var| !used.contains(var.name.as_str())).unwrap_or(first);
    Some(Meant { var, part: true })
}

/// Whether `word` names part of the var `var`: whole `_`-separated parts of it (`amount`,
/// `id` in `order_id`), or, from four letters, any run of its letters (`amount` in
/// `billamount`).
fn names_part_of(word: &str, var: &str) -> bool {
    if word == var || !var.contains(word) {
        return false;
    }
    let (parts, var_parts): (Vec<&str>, Vec<&str>) = (word.split('_').collect(), var.split('_').collect());
    word.chars().count() >= 4 || var_parts.windows(parts.len()).any(|window| window == parts.as_slice())
}

/// Every placeholder name used in `nodes`.
fn used_placeholders(nodes: &[Node]) -> FxHashSet<&str> {
    let texts = nodes.iter().flat_map(|node| &node.stmts).flat_map(|stmt| stmt.strings());
    texts.flat_map(|text| text.placeholders.iter().map(|p| p.name.as_str())).collect()
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
                let help = vars.help(&placeholder.name);
                let mut diagnostic =
                    Diagnostic::new(RULE.code, file, placeholder.span, message).label("unknown placeholder");
                if let Some(var) = help.unused_var {
                    diagnostic = diagnostic.with(vars.file, var, "declared, and not used anywhere yet");
                }
                out.push(match help.meant {
                    Some(meant) => diagnostic.did_you_mean(placeholder.span, meant),
                    None => diagnostic.help(format!(
                        "add `vars {}` to the script, or write `\\{{` for a literal brace",
                        placeholder.name
                    )),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{meant_var, names_part_of};
    use crate::source::Span;
    use crate::syntax::ast::Ident;
    use rustc_hash::FxHashSet;

    #[test]
    fn the_part_of_search_prefers_an_unused_var_and_stops_when_its_budget_is_spent() {
        let vars: Vec<Ident> = ["customer_name", "agent_name", "bill_amount"]
            .iter()
            .map(|name| Ident { name: (*name).to_owned(), span: Span::default() })
            .collect();
        let used: FxHashSet<&str> = ["customer_name"].into_iter().collect();
        let meant =
            |unknown: &str, budget: &mut usize| meant_var(unknown, &vars, &used, budget).map(|m| m.var.name.clone());
        let mut budget = 100;
        assert_eq!(meant("name", &mut budget).as_deref(), Some("agent_name"));
        assert_eq!(budget, 97, "one comparison per var");
        assert_eq!(meant("amount", &mut 2), None, "fewer pairs left than vars");
        assert_eq!(meant("bill_amont", &mut 0).as_deref(), Some("bill_amount"), "typos need no budget");
    }

    #[test]
    fn a_name_is_part_of_a_var_by_whole_parts_or_from_four_letters() {
        assert!(names_part_of("amount", "bill_amount"));
        assert!(names_part_of("id", "order_id"));
        assert!(names_part_of("bill_amount", "last_bill_amount"));
        assert!(names_part_of("amount", "billamount"));
        assert!(!names_part_of("id", "paid"), "too short to match inside a part");
        assert!(!names_part_of("am", "bill_amount"));
        assert!(!names_part_of("amount", "amount"), "the same name is no suggestion");
        assert!(!names_part_of("total", "bill_amount"));
    }
}
