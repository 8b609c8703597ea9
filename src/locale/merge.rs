//! `strings merge`: a translation file brought up to date with the current source (contract
//! section 12, "Merge"), as `msgmerge --previous` would bring it.
//!
//! The template's entries are taken in order; each finds its old translation by, in turn:
//! 1. the same key (`msgctxt`, `msgid`), an obsolete entry included (it is revived);
//! 2. the same `msgctxt` (the line was reworded): the most similar unmatched old `msgid`,
//!    word by word, ties in file order; `fuzzy`, with the old key as `#|` previous;
//! 3. the same kind and `msgid` in another node (renamed, or the line moved): an unmatched old
//!    entry first; `fuzzy`, with `#|` previous;
//! 4. nothing: a new, empty entry.
//!
//! Exact matches are found for every entry before any fuzzy one, so rewording one line never
//! steals the translation of another line that is still there.
//!
//! **Invariants:** no translation is lost (an old entry matched by nothing becomes obsolete, `#~`,
//! unless the caller drops obsolete entries); `#.`, `#:` and the format flags come from the
//! template; merging twice changes nothing.

use rustc_hash::FxHashMap as HashMap;

use super::po::{Catalog, Entry};

/// `old` updated to `template`; the header is `old`'s (or the template's, for a new file).
pub fn merge(old: &Catalog, template: &Catalog, keep_obsolete: bool) -> Catalog {
    let old_entries: Vec<&Entry> = old.entries.iter().filter(|entry| !entry.is_header()).collect();
    let wanted: Vec<&Entry> = template.entries.iter().filter(|entry| !entry.is_header()).collect();
    let found = match_entries(&old_entries, &wanted);
    let mut matched = vec![false; old_entries.len()];
    for &(index, _) in found.iter().flatten() {
        matched[index] = true;
    }

    let header = old.header().or_else(|| template.header()).cloned();
    let mut entries: Vec<Entry> = header.into_iter().collect();
    for (entry, slot) in wanted.iter().zip(&found) {
        entries.push(match *slot {
            Some((index, fuzzy)) => updated(entry, old_entries[index], fuzzy),
            None => Entry { msgstr: String::new(), fuzzy: false, ..(*entry).clone() },
        });
    }
    if keep_obsolete {
        let unmatched =
            old_entries.iter().zip(&matched).filter(|(entry, &matched)| !matched && !entry.msgstr.is_empty());
        entries.extend(unmatched.map(|(entry, _)| obsolete(entry)));
    }
    Catalog { entries }
}

/// For each of `wanted`, the entry of `old` it takes its translation from, and whether that
/// is a fuzzy match (rules 2 and 3) rather than an exact one (rule 1).
pub(crate) fn match_entries(old: &[&Entry], wanted: &[&Entry]) -> Vec<Option<(usize, bool)>> {
    let mut matched = vec![false; old.len()];
    let mut exact: HashMap<(Option<&str>, &str), usize> = HashMap::default();
    for (index, entry) in old.iter().enumerate() {
        let key = (entry.msgctxt.as_deref(), entry.msgid.as_str());
        // A live entry wins over an obsolete one with the same key.
        match exact.get(&key) {
            Some(&known) if !old[known].obsolete || entry.obsolete => {}
            _ => {
                exact.insert(key, index);
            }
        }
    }
    let mut found: Vec<Option<(usize, bool)>> = wanted
        .iter()
        .map(|entry| exact.get(&(entry.msgctxt.as_deref(), entry.msgid.as_str())).map(|&index| (index, false)))
        .collect();
    for &(index, _) in found.iter().flatten() {
        matched[index] = true;
    }
    for (slot, entry) in found.iter_mut().zip(wanted) {
        if slot.is_none() {
            *slot = reworded(entry, old, &matched).or_else(|| moved(entry, old, &matched)).map(|index| (index, true));
            if let Some((index, _)) = *slot {
                matched[index] = true;
            }
        }
    }
    found
}

/// Rule 2: an unmatched, translated old entry with the same `msgctxt`, the most similar first.
fn reworded(entry: &Entry, old: &[&Entry], matched: &[bool]) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (index, candidate) in old.iter().enumerate() {
        if matched[index] || candidate.msgstr.is_empty() || candidate.msgctxt != entry.msgctxt {
            continue;
        }
        let similarity = similar::TextDiff::from_words(candidate.msgid.as_str(), entry.msgid.as_str()).ratio();
        if best.is_none_or(|(_, known)| similarity > known) {
            best = Some((index, similarity));
        }
    }
    best.map(|(index, _)| index)
}

/// Rule 3: a translated old entry of the same kind with the same `msgid` in another node, an
/// unmatched one first (a matched one lends its translation to a copied line).
fn moved(entry: &Entry, old: &[&Entry], matched: &[bool]) -> Option<usize> {
    let kind = kind_of(entry);
    let same = |index: &usize| {
        let candidate = old[*index];
        !candidate.msgstr.is_empty() && candidate.msgid == entry.msgid && kind_of(candidate) == kind
    };
    let mut candidates = (0..old.len()).filter(same);
    let first = candidates.clone().next();
    candidates.find(|&index| !matched[index]).or(first)
}

/// The `<kind>` of a `<unit>.<node>:<kind>` context (`title` for `<unit>:title`).
fn kind_of(entry: &Entry) -> Option<&str> {
    entry.msgctxt.as_deref().and_then(|context| context.rsplit_once(':')).map(|(_, kind)| kind)
}

/// The template's entry with the old translation: the translator's comments, translation and
/// state are the old entry's; everything the source decides is the template's.
fn updated(entry: &Entry, old: &Entry, fuzzy_match: bool) -> Entry {
    let (fuzzy, previous_msgctxt, previous_msgid) = if fuzzy_match {
        (true, old.msgctxt.clone(), Some(old.msgid.clone()))
    } else if old.fuzzy {
        (true, old.previous_msgctxt.clone(), old.previous_msgid.clone())
    } else {
        (false, None, None)
    };
    Entry {
        translator_comments: old.translator_comments.clone(),
        msgstr: old.msgstr.clone(),
        fuzzy,
        previous_msgctxt,
        previous_msgid,
        obsolete: false,
        ..entry.clone()
    }
}

/// An old entry that nothing matches any more: kept, as gettext keeps it, for its translation.
fn obsolete(entry: &Entry) -> Entry {
    Entry { extracted_comments: Vec::new(), references: Vec::new(), obsolete: true, ..entry.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::po;

    fn catalog(text: &str) -> Catalog {
        po::parse(text.as_bytes()).unwrap()
    }

    const OLD: &str = r#"# checked
#. old comment
#: a:1
msgctxt "s.n:say"
msgid "I am sorry about the refund"
msgstr "Lo siento por el reembolso"

msgctxt "s.n:ask"
msgid "Is that right?"
msgstr "¿Es correcto?"

msgctxt "s.old:say"
msgid "Moved line here"
msgstr "Línea movida"

msgctxt "s.gone:say"
msgid "Unrelated"
msgstr "Sin relación"

msgctxt "s.empty:say"
msgid "Never translated"
msgstr ""
"#;

    const TEMPLATE: &str = r#"#. new comment
#: b:2
#, python-brace-format
msgctxt "s.n:say"
msgid "I am so sorry about the refund"
msgstr ""

msgctxt "s.n:ask"
msgid "Is that right?"
msgstr ""

msgctxt "s.renamed:say"
msgid "Moved line here"
msgstr ""

msgctxt "s.new:say"
msgid "Brand new"
msgstr ""
"#;

    #[test]
    fn keeps_every_translation_and_marks_what_changed() {
        let merged = po::write(&merge(&catalog(OLD), &catalog(TEMPLATE), true));
        insta::assert_snapshot!(merged, @r##"
        # checked
        #. new comment
        #: b:2
        #, fuzzy, python-brace-format
        #| msgctxt "s.n:say"
        #| msgid "I am sorry about the refund"
        msgctxt "s.n:say"
        msgid "I am so sorry about the refund"
        msgstr "Lo siento por el reembolso"

        msgctxt "s.n:ask"
        msgid "Is that right?"
        msgstr "¿Es correcto?"

        #, fuzzy
        #| msgctxt "s.old:say"
        #| msgid "Moved line here"
        msgctxt "s.renamed:say"
        msgid "Moved line here"
        msgstr "Línea movida"

        msgctxt "s.new:say"
        msgid "Brand new"
        msgstr ""

        #~ msgctxt "s.gone:say"
        #~ msgid "Unrelated"
        #~ msgstr "Sin relación"
        "##);
    }

    #[test]
    fn merging_again_changes_nothing_and_revives_an_obsolete_line() {
        let once = merge(&catalog(OLD), &catalog(TEMPLATE), true);
        let twice = merge(&once, &catalog(TEMPLATE), true);
        assert_eq!(po::write(&twice), po::write(&once));
        let back = catalog(&format!("{TEMPLATE}\nmsgctxt \"s.gone:say\"\nmsgid \"Unrelated\"\nmsgstr \"\"\n"));
        let revived = merge(&once, &back, true);
        let entry = revived.entries.iter().find(|entry| entry.msgid == "Unrelated").unwrap();
        assert!(!entry.obsolete && !entry.fuzzy && entry.msgstr == "Sin relación");
        assert!(!po::write(&merge(&once, &catalog(TEMPLATE), false)).contains("#~"));
    }

    #[test]
    fn an_exact_match_is_never_taken_by_a_reworded_line() {
        let old = catalog("msgctxt \"s.n:say\"\nmsgid \"Hello there\"\nmsgstr \"Hola\"\n");
        let template = catalog(
            "msgctxt \"s.n:say\"\nmsgid \"Hello there friend\"\nmsgstr \"\"\n\nmsgctxt \"s.n:say\"\nmsgid \"Hello there\"\nmsgstr \"\"\n",
        );
        let merged = merge(&old, &template, true);
        assert_eq!((merged.entries[0].msgstr.as_str(), merged.entries[1].msgstr.as_str()), ("", "Hola"));
    }
}
