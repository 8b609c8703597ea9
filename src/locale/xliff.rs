//! XLIFF 1.2 for agencies (contract section 12, "XLIFF 1.2"): [`write`] turns a PO catalog into
//! the OASIS "XLIFF 1.2 Representation Guide for Gettext PO" layout that translate-toolkit reads;
//! [`read`] takes XLIFF 1.1 or 1.2 back, our own or translate-toolkit's `po2xliff` output (which
//! drops `msgctxt` and flags), and [`import`] puts its translations into a catalog.
//!
//! Why our own writer: `po2xliff` drops `msgctxt` and flags and revives obsolete entries
//! (docs/decisions.md). XML 1.0 cannot hold most control characters, even as references: they
//! are written as visible `\u{1}` escapes, as every markup output of defuse does.

use std::fmt::Write as _;
use std::ops::Range;

use super::po::{Catalog, Entry};
use crate::output::{xml_attribute, xml_text};

/// What the `<file>` element says about the document.
pub struct Document<'a> {
    /// The script's or library's name: `original` is `<name>.po`.
    pub name: &'a str,
    /// BCP 47 tags (`en`, `fr-CA`).
    pub source_language: &'a str,
    pub target_language: &'a str,
}

/// The stable id of an entry: the first 16 hex digits of SHA-256 of msgctxt, U+0004, msgid (the
/// separator gettext itself puts between context and id), so it stays when other lines change.
pub(crate) fn unit_id(entry: &Entry) -> String {
    let context = entry.msgctxt.as_deref().unwrap_or("");
    crate::digest::sha256_hex(&[context.as_bytes(), &[4], entry.msgid.as_bytes()], 16)
}

/// The XLIFF document of `catalog`'s live entries (the header and obsolete entries stay in the PO).
pub fn write(catalog: &Catalog, document: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\">\n");
    let _ = writeln!(
        out,
        "  <file original=\"{}.po\" datatype=\"po\" source-language=\"{}\" target-language=\"{}\">",
        xml_attribute(document.name),
        xml_attribute(document.source_language),
        xml_attribute(document.target_language)
    );
    out.push_str("    <body>\n");
    for entry in catalog.entries.iter().filter(|entry| !entry.is_header() && !entry.obsolete) {
        write_unit(&mut out, entry);
    }
    out.push_str("    </body>\n  </file>\n</xliff>\n");
    out
}

fn write_unit(out: &mut String, entry: &Entry) {
    let translated = !entry.msgstr.is_empty();
    let approved = if translated && !entry.fuzzy { "yes" } else { "no" };
    out.push_str("      <trans-unit id=\"");
    out.push_str(&unit_id(entry));
    out.push('"');
    if let Some(context) = &entry.msgctxt {
        let _ = write!(out, " resname=\"{}\"", xml_attribute(context));
    }
    let _ = writeln!(out, " approved=\"{approved}\" xml:space=\"preserve\">");
    let _ = writeln!(out, "        <source>{}</source>", xml_text(&entry.msgid));
    if translated {
        let state = if entry.fuzzy { "needs-review-translation" } else { "translated" };
        let _ = writeln!(out, "        <target state=\"{state}\">{}</target>", xml_text(&entry.msgstr));
    }
    if let (true, Some(previous)) = (entry.fuzzy, &entry.previous_msgid) {
        let _ =
            writeln!(out, "        <alt-trans origin=\"previous\"><source>{}</source></alt-trans>", xml_text(previous));
    }
    let flags: Vec<&str> =
        entry.fuzzy.then_some("fuzzy").into_iter().chain(entry.flags.iter().map(String::as_str)).collect();
    let comments = entry.extracted_comments.join("\n");
    let contexts = [
        ("x-po-msgctxt", entry.msgctxt.clone().unwrap_or_default()),
        ("x-po-autocomment", comments.clone()),
        ("x-po-flags", flags.join(", ")),
    ];
    if contexts.iter().any(|(_, value)| !value.is_empty()) {
        out.push_str("        <context-group name=\"po-entry\" purpose=\"information\">\n");
        for (kind, value) in contexts.iter().filter(|(_, value)| !value.is_empty()) {
            let _ = writeln!(out, "          <context context-type=\"{kind}\">{}</context>", xml_text(value));
        }
        out.push_str("        </context-group>\n");
    }
    for reference in &entry.references {
        let (file, line) = split_reference(reference);
        out.push_str("        <context-group name=\"po-reference\" purpose=\"location\">\n");
        let _ = writeln!(out, "          <context context-type=\"sourcefile\">{}</context>", xml_text(file));
        if let Some(line) = line {
            let _ = writeln!(out, "          <context context-type=\"linenumber\">{line}</context>");
        }
        out.push_str("        </context-group>\n");
    }
    if !comments.is_empty() {
        let _ = writeln!(out, "        <note from=\"developer\">{}</note>", xml_text(&comments));
    }
    out.push_str("      </trans-unit>\n");
}

/// `path:line` as (path, line); a reference without a line number is all path.
fn split_reference(reference: &str) -> (&str, Option<&str>) {
    match reference.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => (file, Some(line)),
        _ => (reference, None),
    }
}

/// One `<trans-unit>` as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The `original` of its `<file>`.
    pub original: String,
    /// `resname`, else the `x-po-msgctxt` context.
    pub msgctxt: Option<String>,
    pub source: String,
    /// The target's text, when there is a non-empty one.
    pub target: Option<String>,
    /// `approved="no"` or state `needs-review-translation` (or another state that is not final).
    pub fuzzy: bool,
    /// `sourcefile:linenumber` of each `po-reference` group.
    pub references: Vec<String>,
    /// Where the unit stands in the file, for a diagnostic.
    pub at: Range<usize>,
}

/// Why an XLIFF file cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XliffError {
    pub at: Range<usize>,
    pub message: String,
}

/// The translation units of an XLIFF 1.1 or 1.2 document, headers left out.
pub fn read(text: &str) -> Result<Vec<Unit>, XliffError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|problem| {
        let position = problem.pos();
        let at = offset_of(text, position.row as usize, position.col as usize);
        XliffError { at: at..at, message: format!("this is not XLIFF that can be read: {problem}") }
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "xliff" {
        return Err(XliffError {
            at: root.range(),
            message: "this XML file is not XLIFF (its root element is not `xliff`)".into(),
        });
    }
    let version = root.attribute("version").unwrap_or("");
    if !matches!(version, "1.1" | "1.2") {
        return Err(XliffError {
            at: root.range(),
            message: format!("XLIFF version `{version}` is not read; export XLIFF 1.2 (or 1.1)"),
        });
    }
    let mut units = Vec::new();
    for file in root.children().filter(|node| node.has_tag_name_local("file")) {
        let original = file.attribute("original").unwrap_or("").to_string();
        for unit in file.descendants().filter(|node| node.has_tag_name_local("trans-unit")) {
            if unit.attribute("restype") == Some("x-gettext-domain-header") {
                continue;
            }
            units.push(read_unit(unit, &original));
        }
    }
    Ok(units)
}

fn read_unit(unit: roxmltree::Node, original: &str) -> Unit {
    let child = |name: &str| unit.children().find(|node| node.has_tag_name_local(name));
    let groups: Vec<_> = unit.children().filter(|node| node.has_tag_name_local("context-group")).collect();
    let context = |kind: &str| {
        groups
            .iter()
            .flat_map(|group| group.children())
            .find(|node| node.has_tag_name_local("context") && node.attribute("context-type") == Some(kind))
            .map(text_of)
    };
    let mut references = Vec::new();
    for group in groups.iter().filter(|group| group.attribute("name") == Some("po-reference")) {
        let part = |kind: &str| {
            group
                .children()
                .find(|node| node.has_tag_name_local("context") && node.attribute("context-type") == Some(kind))
                .map(text_of)
        };
        if let Some(file) = part("sourcefile") {
            references.push(match part("linenumber") {
                Some(line) => format!("{file}:{line}"),
                None => file,
            });
        }
    }
    let target = child("target");
    let state = target.and_then(|target| target.attribute("state")).unwrap_or("");
    let final_state = matches!(state, "" | "translated" | "final" | "signed-off");
    Unit {
        original: original.to_string(),
        msgctxt: unit.attribute("resname").map(str::to_string).or_else(|| context("x-po-msgctxt")),
        source: child("source").map(text_of).unwrap_or_default(),
        target: target.map(text_of).filter(|text| !text.is_empty()),
        fuzzy: unit.attribute("approved") == Some("no") || !final_state,
        references,
        at: unit.range(),
    }
}

trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for roxmltree::Node<'_, '_> {
    /// The element's name without its namespace: XLIFF 1.1 and 1.2 differ only there.
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

/// All the text inside an element (inline markup such as `<g>` kept as its text).
fn text_of(node: roxmltree::Node) -> String {
    node.descendants().filter(|node| node.is_text()).filter_map(|node| node.text()).collect()
}

/// The byte offset of a 1-based row and column (in characters).
fn offset_of(text: &str, row: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(row.saturating_sub(1)).map(str::len).sum();
    let line = &text[line_start.min(text.len())..];
    line_start + line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(index, _)| index)
}

/// Puts each unit's translation into the entry it belongs to, matched by (1) msgctxt and source,
/// (2) a reference and source, (3) source alone when it is unique in the catalog. The source
/// text is never changed; a unit without a target leaves the entry as it was. Returns the units
/// that matched nothing.
pub fn import<'u>(units: &'u [Unit], catalog: &mut Catalog) -> Vec<&'u Unit> {
    let mut unmatched = Vec::new();
    for unit in units {
        let entries = &catalog.entries;
        let same_source = |entry: &Entry| !entry.is_header() && !entry.obsolete && entry.msgid == unit.source;
        let by_context = || {
            let context = unit.msgctxt.as_ref()?;
            entries.iter().position(|entry| same_source(entry) && entry.msgctxt.as_ref() == Some(context))
        };
        let by_reference = || {
            entries.iter().position(|entry| {
                same_source(entry) && entry.references.iter().any(|known| unit.references.contains(known))
            })
        };
        let by_source = || {
            let mut same = entries.iter().enumerate().filter(|(_, entry)| same_source(entry)).map(|(index, _)| index);
            match (same.next(), same.next()) {
                (Some(index), None) => Some(index),
                _ => None,
            }
        };
        let Some(index) = by_context().or_else(by_reference).or_else(by_source) else {
            unmatched.push(unit);
            continue;
        };
        if let Some(target) = &unit.target {
            let entry = &mut catalog.entries[index];
            entry.msgstr = target.clone();
            entry.fuzzy = unit.fuzzy;
            if !unit.fuzzy {
                entry.previous_msgctxt = None;
                entry.previous_msgid = None;
            }
        }
    }
    unmatched
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::po;

    const PO: &str = "# checked\n#. mirror, node n: the agent says this\n#: scripts/a.defuse:4\n#, fuzzy, python-brace-format\n\
                      #| msgid \"Old {name}\"\nmsgctxt \"s.n:say\"\nmsgid \"Hello {name} & <you>\\r\"\nmsgstr \"Hola {name}\"\n\n\
                      #: scripts/a.defuse:9\nmsgctxt \"s.m:ask\"\nmsgid \"Why?\"\nmsgstr \"\"\n\n\
                      msgctxt \"s.k:ask\"\nmsgid \"Ok\"\nmsgstr \"Vale\"\n";

    fn document() -> Document<'static> {
        Document { name: "s", source_language: "en", target_language: "es-419" }
    }

    #[test]
    fn reads_back_what_it_writes_and_imports_it_unchanged() {
        let catalog = po::parse(PO.as_bytes()).unwrap();
        let units = read(&write(&catalog, &document())).unwrap();
        assert_eq!(units.len(), 3);
        assert_eq!(units[0].msgctxt.as_deref(), Some("s.n:say"));
        assert_eq!(units[0].source, "Hello {name} & <you>\r");
        assert!(units[0].fuzzy && !units[2].fuzzy);
        let mut emptied = catalog.clone();
        for entry in &mut emptied.entries {
            entry.msgstr.clear();
            entry.fuzzy = false;
        }
        assert!(import(&units, &mut emptied).is_empty());
        assert_eq!(po::write(&emptied), po::write(&catalog));
    }

    #[test]
    fn ids_depend_on_the_entry_alone() {
        let catalog = po::parse(PO.as_bytes()).unwrap();
        let mut fewer = catalog.clone();
        fewer.entries.remove(0);
        assert_eq!(unit_id(&catalog.entries[1]), unit_id(&fewer.entries[0]));
        assert_eq!(unit_id(&catalog.entries[1]).len(), 16);
        assert_ne!(unit_id(&catalog.entries[1]), unit_id(&catalog.entries[2]));
    }

    #[test]
    fn refuses_what_is_not_xliff_with_a_place() {
        for (text, says) in [
            ("<xliff version=\"1.2\"><file>", "not XLIFF that can be read"),
            ("<html/>", "root element is not `xliff`"),
            ("<xliff version=\"2.0\"/>", "version `2.0`"),
            ("<!DOCTYPE x [<!ENTITY a \"b\">]><xliff version=\"1.2\"/>", "not XLIFF that can be read"),
        ] {
            let problem = read(text).unwrap_err();
            assert!(problem.message.contains(says), "{text}: {problem:?}");
            assert!(problem.at.end <= text.len());
        }
    }
}
