//! `translation-changed` (contract section 12, "Every command takes a locale"): with
//! `diff OLD NEW --locale L`, every entry of a script's PO file whose translation differs
//! between the two sides. A line whose source text changed is already a `line-changed`; this
//! is the change a translator made, so a reviewer who reads no Spanish still sees that the
//! Spanish an agent will say changed, and where.

use super::{Change, Kind, Place, Report, Status};
use crate::config::locales::Locale;
use crate::locale::translations::Translations;
use crate::source::Sources;

/// One side's translation files in the diffed locale, and the sources that name them.
pub(crate) struct SideTranslations<'s> {
    pub translations: &'s Translations,
    pub sources: &'s Sources,
}

/// Adds a `translation-changed` for each entry whose translation differs, to the script it
/// belongs to (in both sides), then sorts the report again.
pub(crate) fn add(report: &mut Report, old: &SideTranslations, new: &SideTranslations, locale: &Locale) {
    for script in &mut report.scripts {
        let (Some(old_file), Some(new_file)) =
            (old.translations.file(locale, &script.name), new.translations.file(locale, &script.name))
        else {
            continue;
        };
        let new_source = new.sources.get(new_file.file);
        for entry in &new_file.catalog.entries {
            if entry.obsolete || entry.is_header() {
                continue;
            }
            let context = entry.msgctxt.as_deref().unwrap_or("");
            let Some(before) = old_file.exact(context, &entry.msgid) else { continue };
            if before.msgstr == entry.msgstr {
                continue;
            }
            let (node, kind) = describe(context);
            let what = match &node {
                Some(node) => format!("the `{kind}` line of node `{node}`"),
                None => "the title".to_owned(),
            };
            let change = Change {
                node,
                old: Some(before.msgstr.clone()),
                new: Some(entry.msgstr.clone()),
                place: Some(Place {
                    file: new_source.display_path(),
                    line: new_source.line_col(entry.msgstr_at.start).line,
                }),
                ..Change::new(Kind::TranslationChanged, format!("the {locale} translation of {what} changed"))
            };
            script.changes.push(change);
            if script.status == Status::Unchanged {
                script.status = Status::Changed;
            }
        }
    }
    report.sort();
}

/// The node and kind of a msgctxt: `refund.hear:say` → (`hear`, `say`); `refund:title` →
/// (none, `title`).
fn describe(context: &str) -> (Option<String>, &str) {
    let (scope, kind) = context.rsplit_once(':').unwrap_or((context, ""));
    (scope.split_once('.').map(|(_, node)| node.to_owned()), kind)
}
