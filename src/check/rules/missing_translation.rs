//! `missing-translation` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::MissingTranslation,
    Level::Warning,
    "a translatable line has no translation in a target locale",
    r#"## What it does
In every target locale (`[locales] targets`, or `--locale`), finds each translatable line (the
title, `say`, `ask`, `customer`, `note`, `hold`, `reply`, `option`, and what a `follow_up` asks)
that has no entry in `locales/<L>/<name>.po`, an empty translation, or no PO file at all. The
label sits at the source line; the message names the locale.

## Why is this bad?
An agent working in that language reads the line in the source language in the middle of a
call, or a rehearsal switches language halfway. Each missing line falls back to the source text.

## Example
```defuse
  acknowledge hear {
    say "I can hear how frustrating this is."
    -> restate
  }
```
with `locales/es/refund.po` holding no entry for that line.

## Use instead
Run `defuse strings merge` to add the new lines to every PO file, translate them (Poedit,
Weblate, Pontoon, or an agency through `defuse strings export --format xliff`), and import or
commit the result. `defuse strings status` counts what is left."#,
);
