//! `empty-node`: a middle-of-the-call node where the agent says nothing.

use crate::check::rule::{Level, Rule};
use crate::check::NodeCtx;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Stage;

pub(crate) const RULE: Rule = Rule {
    node_check: Some(check),
    ..Rule::new(
        crate::diagnostic::Code::EmptyNode,
        Level::Warning,
        "a non-trigger, non-close node has no `say`, `ask` or `option`",
        r#"## What it does
Reports an `acknowledge`, `mirror`, `root-cause` or `options` node in which the agent says
nothing: no `say`, `ask` or `option`.

## Why is this bad?
Each of those stages is something the agent does out loud: empathize, restate, ask, offer.
A node with only notes or a `->` is a step the script claims but never scripts, so the
agent improvises exactly where the team wanted consistent words.

## Example
```defuse
  acknowledge hear { note "be kind" -> restate }
```

## Use instead
```defuse
  acknowledge hear { say "I'm sorry, that sounds really frustrating." -> restate }
```"#,
    )
};

fn check(ctx: &NodeCtx, out: &mut Vec<Diagnostic>) {
    let node = ctx.node;
    if matches!(node.stage, Stage::Trigger | Stage::Close) || node.stmts.iter().any(|s| s.agent_line().is_some()) {
        return;
    }
    out.push(
        ctx.at_node(
            RULE.code,
            format!("{} node `{}` gives the agent nothing to say", node.stage.keyword(), ctx.name()),
        )
        .label("no say, ask or option")
        .help("add the words for this step: `say \"…\"` or `ask \"…\"`"),
    );
}
