//! `stale-translation` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::StaleTranslation,
    Level::Warning,
    "the source changed since the last `defuse strings merge`",
    r#"## What it does
Reports a line whose exact text has no entry in the PO file while an entry of the same node and
kind (the same `msgctxt`) does: the source was edited after the last `defuse strings merge`.
The label sits at that entry's `msgstr`, with a related label at the source line.

## Why is this bad?
Until the PO file is merged, translators cannot see the new text, and the line falls back to the
source language.

## Example
The script now says `say "I can refund the order today."`, but `locales/es/refund.po` still
holds `msgid "I can refund the order."`.

## Use instead
Run `defuse strings merge`: it keeps the old translation, marks it fuzzy with the old text as
`#| msgid`, and the translator reviews it."#,
);
