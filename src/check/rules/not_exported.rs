//! `not-exported`: what a phone-flow export leaves out. Reported by `defuse build --emit
//! twilio-studio|connect` (`emit/`), never by `check`: this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::NotExported,
    Level::Warning,
    "a phone-flow export leaves out a statement it cannot carry out",
    r#"## What it does
Reported by `defuse build --emit twilio-studio|connect`, never by `check`. It names every
statement of the script that the target cannot carry out, so nothing leaves the script without
a word:

- `customer` lines: examples of what the caller says; a phone flow listens instead.
- `note`: trainer notes, never spoken.
- `hold`: a flow has no hold step (and holds are discouraged anyway: see `defuse explain hold`).
- `follow_up`: work for the agent after the call.
- a node's second and later `transfer`: only the first becomes a transfer step.
- Amazon Connect only: menus beyond 9 choices (one key is read), and flows over 250 actions.
- Twilio Studio only: flows over 1,000 widgets.

At the default level (`warning`) the file is still written. With `not-exported = "allow"` in
`[rules]` nothing is reported; with `"error"` the build writes nothing and exits with status 1.
A comment `# defuse: allow not-exported "reason"` silences it where it stands, as for any code.

## Why is this bad?
An agent reading the exported flow never sees what was left out: a hold the script asks for,
a follow-up promised to the caller. The warning says what to carry over by hand.

## Example
```defuse
  root-cause cause {
    ask "When did you place the order?"
    note "Most late parcels are stuck at the depot."
    -> offer
  }
```

## Use instead
Keep trainer notes for rehearsal and the documentation formats: rehearse what the export leaves
out with `defuse play`; the flow JSON (`--emit json`) and SCXML keep every line.
docs/export.md has the full mapping of each target."#,
);
