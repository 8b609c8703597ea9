//! `syntax`: the text does not parse. Reported by the parser (`syntax/expected.rs`).

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule {
    stops_graph_rules: true,
    ..Rule::new(
        crate::diagnostic::Code::Syntax,
        Level::Error,
        "the text does not parse",
        r#"## What it does
Reports text that is not valid defuse: a misspelled keyword, a missing `}` or `->`, a string
that is never closed, an unknown escape such as `\q`. The report says what was expected at
that point and, for a misspelled keyword, which keyword was probably meant.

## Why is this bad?
Nothing else can be checked, drawn or exported until the script parses.

## Example
```defuse
script late "Late delivery" {
  trigger where { customer "Where is my parcel?" -> sorry }
  acknowlege sorry { say "I'm sorry it's late." -> done }
}
```

## Use instead
```defuse
  acknowledge sorry { say "I'm sorry it's late." -> done }
```
The level of `syntax` cannot be changed."#,
    )
};
