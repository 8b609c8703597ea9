//! `misplaced-statement`: a statement in a node whose stage does not allow it.

use crate::check::rule::{Level, Rule};
use crate::check::FileCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Stage, StmtKind};

pub(crate) const RULE: Rule = Rule {
    file_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::MisplacedStatement,
        Level::Error,
        "`option` outside `options`; `outcome` or `follow_up` outside `close`; a second `outcome` or `follow_up`",
        r#"## What it does
Reports an `option` in a node that is not an `options` node, an `outcome` or `follow_up`
outside a `close` node, and a second `outcome` (or `follow_up`) in one node.

## Why is this bad?
Each stage has a job. Options are offered once the problem is understood; outcomes and
follow-ups describe how the call ended. A statement in the wrong stage usually means a
node was given the wrong stage, and exports (flow JSON, SCXML, Twilio) cannot represent it.

## Example
```defuse
  root-cause cause {
    ask "Did you get a confirmation email?"
    option "Resend it" -> resend
  }
```

## Use instead
```defuse
  root-cause cause {
    ask "Did you get a confirmation email?"
    reply "no" -> offer
  }
  options offer { option "Resend it" -> resend  option "Call back tomorrow" -> later }
```"#,
    )
};

fn check(ctx: &FileCtx, out: &mut Vec<Diagnostic>) {
    for node in &ctx.item().nodes {
        let mut first_outcome = None;
        let mut first_follow_up = None;
        for stmt in &node.stmts {
            let (allowed_in, first) = match stmt.kind {
                StmtKind::Option(..) => (Stage::Options, None),
                StmtKind::Outcome(_) => (Stage::Close, Some(&mut first_outcome)),
                StmtKind::FollowUp { .. } => (Stage::Close, Some(&mut first_follow_up)),
                _ => continue,
            };
            let keyword = stmt.keyword_text();
            if node.stage != allowed_in {
                out.push(
                    Diagnostic::new(
                        RULE.code,
                        ctx.file,
                        stmt.keyword_span(),
                        format!(
                            "`{keyword}` in {} node `{}`; it belongs in {} `{}` node",
                            node.stage.keyword(),
                            node.name.name,
                            if allowed_in == Stage::Options { "an" } else { "a" },
                            allowed_in.keyword()
                        ),
                    )
                    .label(format!("not allowed in a {} node", node.stage.keyword()))
                    .with(ctx.file, node.stage_span, "the node's stage")
                    .help(match allowed_in {
                        Stage::Options => "move the choices into an `options` node, or use `reply \"…\" -> node` here",
                        _ => "move this into the `close` node that ends the call",
                    }),
                );
            } else if let Some(first) = first {
                match first {
                    None => *first = Some(stmt.keyword_span()),
                    Some(earlier) => out.push(
                        Diagnostic::new(
                            RULE.code,
                            ctx.file,
                            stmt.keyword_span(),
                            format!("a second `{keyword}` in node `{}`", node.name.name),
                        )
                        .label("second one")
                        .with(ctx.file, *earlier, "first one")
                        .help(format!("a close node has one `{keyword}`; remove one of them")),
                    ),
                }
            }
        }
    }
}
