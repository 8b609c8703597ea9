//! `skip-mirror`: a way from a trigger to root-cause or options with no mirror node.

use crate::check::rule::{Level, Rule};
use crate::check::GraphCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    graph_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::SkipMirror,
        Level::Warning,
        "some path reaches root-cause or options without a mirror node",
        r#"## What it does
Looks for a way from a trigger to a `root-cause` or `options` node that passes no `mirror`
node, and shows the shortest one.

## Why is this bad?
Restating the complaint ("So the refund you were promised on the 3rd hasn't arrived") shows
the customer they were heard, and catches misunderstandings before the agent spends the
call solving the wrong problem.

## Example
```defuse
  acknowledge hear { say "I'm sorry about that." -> cause }
  root-cause cause { ask "When did you send it back?" -> offer }
```

## Use instead
```defuse
  acknowledge hear { say "I'm sorry about that." -> restate }
  mirror restate { ask "Your refund hasn't arrived yet, is that right?" reply "yes" -> cause otherwise -> clarify }
```"#,
    )
};

fn check(ctx: &GraphCtx, out: &mut Vec<Diagnostic>) {
    out.extend(ctx.skipped_stage(
        RULE.code,
        Stage::Mirror,
        &[Stage::RootCause, Stage::Options],
        "reached without restating the complaint",
        "restate the complaint before digging in: add a `mirror` node on this path",
    ));
}
