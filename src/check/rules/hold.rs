//! `hold`: putting the caller on hold, or transferring them outside an escalation.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Outcome, Stage, StmtKind};

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::Hold,
        Level::Warning,
        "a `hold`; a `transfer` anywhere but in a close with outcome `escalated`",
        r#"## What it does
Reports every `hold` statement, and every `transfer` except in a `close` node with
`outcome escalated`.

## Why is this bad?
Holds and transfers are the top complaints of callers who are already upset: the caller
waits in silence, or has to tell the story again to someone new. A transfer is right when
it is an escalation that ends this agent's part of the call, and then the script should say
so.

## Example
```defuse
  root-cause cause {
    hold "Let me check with billing"
    transfer "billing"
  }
```

## Use instead
```defuse
  root-cause cause { say "I'm looking at your billing history now, stay with me." -> offer }
  close to_supervisor {
    say "I'm bringing in my supervisor, who can approve this. I'll stay on until they join."
    transfer "supervisors"
    outcome escalated
  }
```"#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let node = ctx.node;
    let escalation = node.stage == Stage::Close && node.outcome() == Outcome::Escalated;
    for stmt in &node.stmts {
        let (message, help) = match stmt.kind {
            StmtKind::Hold(_) => (
                format!("node `{}` puts the caller on hold", ctx.name()),
                "stay on the line and say what you are doing; if a hold is unavoidable, ask first and say for how long",
            ),
            StmtKind::Transfer(_) if !escalation => (
                format!("node `{}` transfers the caller outside an escalation", ctx.name()),
                "resolve it in this call, or transfer from a `close` with `outcome escalated`",
            ),
            _ => continue,
        };
        out.push(Diagnostic::new(RULE.code, ctx.file(), stmt.span, message).label("discouraged").help(help));
    }
}
