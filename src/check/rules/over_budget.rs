//! `over-budget`: the fastest way from a trigger to a close takes longer than the budget.
//!
//! Also reports a `meta { budget "…" }` that is not a duration: the budget belongs to this
//! rule, and a budget that cannot be read would otherwise silently check nothing.

use crate::check::rule::{Level, Rule};
use crate::check::{FileCtx, GraphCtx};
use crate::diagnostic::Diagnostic;
use crate::config::timing::parse_duration;
use crate::graph::timing::{self, display, fastest_to_close, node_seconds};
use crate::source::Span;
use crate::syntax::ast::{Item, ItemKind};

pub(crate) const RULE: Rule = Rule {
    file_check: Some(check_meta),
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::OverBudget,
        Level::Warning,
        "the fastest way from a trigger to a close takes longer than the script's budget",
        r#"## What it does
Estimates how long each node takes to say (see "Spoken time" below) and finds, for each
trigger, the fastest way to any `close` node. When even that way takes longer than the
script's budget, it reports the path and its seconds. The budget is `[timing] budget` in
`defuse.toml` (none by default, so the rule is quiet until a budget is set), overridden per
script by `meta { budget "3m" }`. A `meta` budget that is not a duration is reported too.

Durations are written `90s`, `3m`, `1m30s`, `0.5s` (also `1h`).

## Spoken time
- words(text): maximal runs of letters and digits; an apostrophe between two letters joins
  them ("don't" is 1 word, "3 to 5 days" is 4); each `{placeholder}` counts
  `placeholder_words` (default 2: a name or a date is about two spoken words).
- a node's agent time = words of its `say` and `ask` lines and `option` labels × 60 /
  `agent_wpm` (default 150 words per minute);
- its wait = `answer_time` (default 3 s) when it has a `reply`, `otherwise` or `option` edge;
- its hold = `hold_time` (default 60 s) per `hold` statement;
- node seconds = agent time + wait + hold; a path's seconds = the sum over its nodes.

Why these defaults: conversational English runs at about 120–180 words per minute, and
150 wpm is the figure broadcast and audiobook guidance uses for clear, unhurried speech —
the pace an agent should keep with an upset caller. Three seconds is a short spoken answer
("yes, that's right") plus the pause before it. A minute is a short hold; callers perceive
holds as longer than they are. See `docs/timing.md`.

```toml
[timing]
agent_wpm = 140
placeholder_words = 2
answer_time = "3s"
hold_time = "60s"
budget = "4m"
max_turn = "30s"
```

## Why is this bad?
An upset caller's patience is short, and handle time is what a contact center is measured
on. If even the quickest way through a script is longer than the team's target, the script
asks too much, says too much, or puts the caller on hold.

## Example
```defuse
script refund "Refund" {
  meta { budget "30s" }
  …
  root-cause check { say "Let me check that for you." hold "checking the order" -> offer }
}
```
The hold alone takes 60 s, more than the 30 s budget.

## Use instead
Shorten the lines on the fastest path, drop the hold, or set a budget that fits the call:
```defuse
  meta { budget "3m" }
```"#,
    )
};

/// The `meta { budget }` of `item`: `Ok(None)` without one, the seconds, or what is wrong
/// (span and message).
pub(crate) fn meta_budget(item: &Item) -> Result<Option<f64>, (Span, String)> {
    let Some(entry) = item.meta.iter().rev().find(|entry| entry.key.name == "budget") else { return Ok(None) };
    let [value] = entry.values.as_slice() else {
        return Err((entry.key.span, "`meta { budget }` takes one duration, such as \"3m\"".to_owned()));
    };
    parse_duration(&value.value)
        .map(Some)
        .map_err(|message| (value.span, format!("the budget is not a duration: {message}")))
}

fn check_meta(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    if ctx.item().kind != ItemKind::Script {
        return;
    }
    if let Err((span, message)) = meta_budget(ctx.item()) {
        out.push(
            Diagnostic::new(RULE.code, ctx.file, span, message)
                .label("not a duration")
                .help("write the budget as \"90s\", \"3m\" or \"1m30s\""),
        );
    }
}

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    // A bad `meta` budget is reported by `check_meta`; the `[timing]` budget applies meanwhile.
    let Some(budget) = meta_budget(ctx.script()).ok().flatten().or(ctx.config.timing.budget) else { return };
    let weights = node_seconds(ctx.project, ctx.graph, &ctx.config.timing);
    let fastest = fastest_to_close(ctx.project, ctx.graph, &weights);
    for trigger in ctx.graph.triggers(ctx.project) {
        let Some(seconds) = fastest.seconds[trigger.index()] else { continue };
        // Compare what is shown: a path shown as 180.0 s is within a 180 s budget.
        if timing::round(seconds) <= timing::round(budget) {
            continue;
        }
        const MAX_LABELS: usize = 12;
        let path = fastest.summary(trigger, MAX_LABELS).expect("a trigger with seconds has a path");
        let message = format!(
            "the fastest way from trigger `{}` to a close takes {}, more than the budget of {}: {}",
            ctx.name(trigger),
            display(seconds),
            display(budget),
            ctx.describe_path_ends(&path.head, path.len, &path.tail)
        );
        let mut diagnostic = ctx.at_node(RULE.code, trigger, message).label(format!(
            "{} to the nearest close; this step {}",
            display(seconds),
            display(weights[trigger.index()])
        ));
        for (step, &node) in path.head.iter().enumerate().skip(1) {
            diagnostic = diagnostic.with(
                ctx.file(node),
                ctx.node(node).name.span,
                format!("step {}: {}", step + 1, display(weights[node.index()])),
            );
        }
        out.push(diagnostic.help(
            "shorten the lines on this path, avoid holds, or raise the budget (`meta { budget \"…\" }` or `[timing] budget`)",
        ));
    }
}

