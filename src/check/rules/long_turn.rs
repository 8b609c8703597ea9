//! `long-turn`: one node's agent time exceeds `max_turn`.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;
use crate::graph::timing::{display, node_time, round};

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::LongTurn,
        Level::Warning,
        "one node's agent time exceeds `max_turn` (default 30 s): a monologue the caller cannot interrupt",
        r#"## What it does
Estimates how long the agent speaks in each node — the words of its `say` and `ask` lines and
`option` labels at `[timing] agent_wpm` (default 150 words per minute; see `defuse explain
over-budget` for the whole spoken-time model) — and reports a node where that takes longer
than `[timing] max_turn` (default `"30s"`, about 75 words). Waiting for an answer and holds
do not count: this is about how long the agent talks without a break.

## Why is this bad?
An upset caller who has to listen for half a minute stops listening, or interrupts. Short
turns that end in a question keep the caller in the conversation and let them correct a
misunderstanding early.

## Example
```defuse
  options offer {
    say "So what I can do, and I want to be completely clear about this, is … (80 words)"
    option "Refund" -> done
    option "Credit" -> done
  }
```

## Use instead
Split the monologue: say the first part, ask whether it makes sense, then go on in the next
node. Or raise the limit:
```toml
[timing]
max_turn = "40s"
```"#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let timing = &ctx.config.timing;
    let time = node_time(ctx.node, timing);
    // Compare what is shown: an agent time shown as 30.0 s is within a 30 s limit.
    if round(time.agent) <= round(timing.max_turn) {
        return;
    }
    out.push(
        ctx.at_node(
            RULE.code,
            format!(
                "the agent speaks for {} in `{}` ({} words), more than max_turn ({})",
                display(time.agent),
                ctx.name(),
                round(time.words),
                display(timing.max_turn)
            ),
        )
        .label(format!("{} of agent speech", display(time.agent)))
        .help("split the turn: end it with a question, and go on in the next node; or raise `[timing] max_turn`"),
    );
}
