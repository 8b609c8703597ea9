//! `locale-file` (contract section 12, "Diagnostics"): reported by the per-locale checks of
//! `check` (`check::locales`), not by a file or graph rule; this entry gives the code its level in
//! `[rules]`, its line in `defuse rules` and its `defuse explain` text.

use crate::check::rule::{Level, Rule};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::LocaleFile,
    Level::Error,
    "a translation file (PO or XLIFF) cannot be read",
    r#"## What it does
Reports a PO file under `locales/` (or a file given to `defuse strings import`) that is not
UTF-8, does not parse as PO or XLIFF, holds a plural entry (`msgid_plural`), declares a charset
other than UTF-8, or is not a regular file inside the project. The label points at the place in
the file. An XLIFF unit that matches no line of the script is a warning, and is skipped.

## Why is this bad?
defuse cannot tell which lines are translated, so none of the file is used: every line of that
locale falls back to the source language.

## Example
```po
msgid "I can refund the order."
msgstr "Puedo reembolsar el pedido.
```
(the closing quote is missing)

## Use instead
Fix the file where the label points (`msgfmt --check` gives the same verdict), or write it again
with `defuse strings merge`. Placeholders are filled with text, never counted, so a script needs
no plural forms."#,
);
