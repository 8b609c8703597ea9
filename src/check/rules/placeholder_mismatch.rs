//! `placeholder-mismatch` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::PlaceholderMismatch,
    Level::Error,
    "a translation's placeholders differ from its source line's, or are not plain `{name}`",
    r#"## What it does
Reads each translation as Python brace-format (the format the PO entry is flagged with) and
reports one that is not valid (`{}`, `{0}`, `{x!r}`, `{x:>3}`, a lone `{` or `}`) or whose set of
placeholders differs from the source line's. The label sits at the `msgstr`, with a related label
at the source line. A mismatched translation is not used.

## Why is this bad?
A placeholder is filled in during the call. A translation that drops `{amount}` never tells the
caller the amount; one that invents `{monto}` prints braces to the agent; a lone brace breaks the
line in every export.

## Example
```po
msgid "I can refund {amount} today."
msgstr "Puedo reembolsar {monto} hoy."
```

## Use instead
Keep every placeholder exactly as in the source (`{amount}`), and write a literal brace twice
(`{{` and `}}`)."#,
);
