//! `no-follow-up`: a resolved or callback close without a `follow_up`.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Outcome, Stage};

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::NoFollowUp,
        Level::Warning,
        "a close with outcome `resolved` or `callback` has no `follow_up`",
        r#"## What it does
Reports a `close` node whose outcome is `resolved` (the default) or `callback` and that has
no `follow_up "when" "what"`.

## Why is this bad?
A promised refund or callback that nobody checks on is how a calm caller becomes an angry
repeat caller. The follow-up says when and what the team will check.

## Example
```defuse
  close refunded { say "The refund is on its way. Thank you for your patience." }
```

## Use instead
```defuse
  close refunded {
    say "The refund is on its way. Thank you for your patience."
    follow_up "5d" "Check that the refund reached the card"
  }
```"#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let node = ctx.node;
    if node.stage != Stage::Close || node.follow_up().is_some() {
        return;
    }
    let outcome = node.outcome();
    if matches!(outcome, Outcome::Resolved | Outcome::Callback) {
        out.push(
            ctx.at_node(
                RULE.code,
                format!("close `{}` ({}) has no follow_up", ctx.name(), outcome.keyword()),
            )
            .label("no follow-up")
            .help("add `follow_up \"48h\" \"what to check\"` so someone confirms the outcome"),
        );
    }
}
