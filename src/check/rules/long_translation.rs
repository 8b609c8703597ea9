//! `long-translation` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::LongTranslation,
    Level::Warning,
    "a translation of a spoken line has more words than its ceiling",
    r#"## What it does
Counts the words of each used translation of a `say`, `ask` or `option` line and compares them
with the ceiling written in the entry's `#.` comment: the source line's words times
`[locales] max_stretch` (default 1.3), rounded up. The label sits at the `msgstr`, with a related
label at the source line.

## Why is this bad?
Turns should stay short: a translation that runs half again as long as the source slows the call
and can push a path over its time budget in that language (`over-budget` checks that too, at the
locale's speaking rate).

## Example
```po
#. spoken: 6 words, 2.4 s at 150 wpm; keep within 8 words
msgid "I can refund the order today."
msgstr "Lo que sí puedo hacer hoy mismo por usted es reembolsarle el pedido completo."
```

## Use instead
Say the same thing in fewer words; or, when the language needs more room, raise
`[locales] max_stretch` for the project."#,
);
