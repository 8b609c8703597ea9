//! `fuzzy-translation` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::FuzzyTranslation,
    Level::Warning,
    "a translation is marked fuzzy: the source changed and it needs review",
    r#"## What it does
Reports an entry of a PO file marked `fuzzy`. `defuse strings merge` marks an entry fuzzy when
its source line was reworded or its node renamed, and keeps the old text as `#| msgid` so the
translator sees what changed. A fuzzy translation is not used: the line falls back to the source.
The label sits at the `msgstr` in the PO file, with a related label at the source line.

## Why is this bad?
The translation says what the line used to say. Reading it on a call could promise what the
reworded line no longer promises.

## Example
```po
#, fuzzy, python-brace-format
#| msgid "I can refund the order."
msgctxt "refund.offer:say"
msgid "I can refund the order today."
msgstr "Puedo reembolsar el pedido."
```

## Use instead
Compare the `#| msgid` with the new `msgid`, correct the translation, and remove the `fuzzy`
flag (Poedit and Weblate do this when you mark the entry as reviewed)."#,
);
