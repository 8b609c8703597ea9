//! gettext PO files: a reader and a writer of our own (contract section 12, "Files").
//!
//! Why not the `polib` crate: it loses `#|` (previous) and `#~` (obsolete) lines, which `merge`
//! must keep, and it panicked on malformed input (docs/decisions.md).
//!
//! - [`parse`] reads any valid layout: CRLF, a BOM, any comments, strings split over several
//!   lines, C escapes. What defuse cannot use is an error with the byte span to blame: bytes
//!   that are not UTF-8, a charset other than UTF-8, plural forms, a duplicate key, anything that
//!   is not PO. It never panics, and its cost is linear in the input.
//! - [`write`] writes a catalog exactly as `msgcat --no-wrap` rewrites it: one line per string,
//!   split only after `\n`; `#:` references wrapped at 79 columns as gettext does; `fuzzy` first
//!   among the flags and dropped on an untranslated entry; obsolete entries last, and dropped
//!   when they hold no translation. The suite compares its output with the real `msgcat`, byte for byte.
//!
//! **Invariant:** `parse(write(c))` gives back `c` for every catalog `write` keeps whole.

use std::fmt::Write as _;
use std::ops::Range;

/// A PO or POT file: its entries in file order, the header (msgid `""`) first when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    pub entries: Vec<Entry>,
}

/// One entry: the key (`msgctxt`, `msgid`), its translation and the lines around it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// `# …` lines, the text after `# ` (translator comments; defuse never writes them).
    pub translator_comments: Vec<String>,
    /// `#. …` lines (written by defuse for translators).
    pub extracted_comments: Vec<String>,
    /// The `file:line` tokens of `#:` lines.
    pub references: Vec<String>,
    /// The `#,` flags other than `fuzzy`, in file order.
    pub flags: Vec<String>,
    pub fuzzy: bool,
    /// `#| msgctxt`, `#| msgid`: what a fuzzy entry was matched from.
    pub previous_msgctxt: Option<String>,
    pub previous_msgid: Option<String>,
    pub msgctxt: Option<String>,
    pub msgid: String,
    pub msgstr: String,
    /// A `#~` entry: no longer in the source, kept for its translation.
    pub obsolete: bool,
    /// Where the entry's `msgid` and `msgstr` keywords stand in the file read (empty when the
    /// entry was made in memory): the spans that diagnostics about a translation point at.
    pub msgid_at: Range<usize>,
    pub msgstr_at: Range<usize>,
}

impl Entry {
    /// The header entry: msgid `""`, no context.
    pub fn is_header(&self) -> bool {
        self.msgid.is_empty() && self.msgctxt.is_none() && !self.obsolete
    }
}

impl Catalog {
    /// The header entry, when the file has one.
    pub(crate) fn header(&self) -> Option<&Entry> {
        self.entries.first().filter(|entry| entry.is_header())
    }

    /// The value of header field `name` (`Language`, `Content-Type`, …).
    pub(crate) fn header_field(&self, name: &str) -> Option<&str> {
        header_fields(&self.header()?.msgstr).find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value)
    }
}

/// The `Key: value` lines of a header's msgstr, in order.
pub(crate) fn header_fields(msgstr: &str) -> impl Iterator<Item = (&str, &str)> {
    msgstr.lines().filter_map(|line| {
        let (key, value) = line.split_once(':')?;
        Some((key.trim(), value.trim()))
    })
}

/// Why a PO file cannot be used, and the bytes to blame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoError {
    pub span: Range<usize>,
    pub message: String,
}

fn error<T>(span: Range<usize>, message: impl Into<String>) -> Result<T, PoError> {
    Err(PoError { span, message: message.into() })
}

/// Reads a PO or POT file.
pub fn parse(bytes: &[u8]) -> Result<Catalog, PoError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(bad) => {
            let at = bad.valid_up_to();
            return error(at..at + bad.error_len().unwrap_or(1), "this file is not UTF-8 text; save it as UTF-8");
        }
    };
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut reader = Reader::default();
    let mut offset = start;
    // gettext joins a line that ends in a backslash with the next one, anywhere in the file;
    // `pieces` maps the joined line's offsets back to the file's.
    let mut joined = String::new();
    let mut pieces = Vec::new();
    for raw in text[start..].split_inclusive('\n') {
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        pieces.push((joined.len(), offset));
        offset += raw.len();
        if raw.ends_with('\n') && body.ends_with('\\') {
            joined.push_str(&body[..body.len() - 1]);
            continue;
        }
        joined.push_str(body);
        let line = joined.strip_suffix('\r').unwrap_or(&joined);
        reader.line(line, &pieces).map_err(|problem| PoError {
            span: to_file(&pieces, problem.span.start)..to_file(&pieces, problem.span.end),
            ..problem
        })?;
        joined.clear();
        pieces.clear();
    }
    let catalog = reader.finish(offset)?;
    check_charset(&catalog)?;
    check_unique_keys(&catalog)?;
    Ok(catalog)
}

/// Which string a keyword or continuation line adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Msgctxt,
    Msgid,
    Msgstr,
    PreviousMsgctxt,
    PreviousMsgid,
}

#[derive(Default)]
struct Reader {
    entries: Vec<Entry>,
    current: Entry,
    /// The string that continuation lines (`"…"`) extend, if any.
    open: Option<Field>,
    /// The entry has a `msgid` keyword (comments alone are not yet an entry).
    has_msgid: bool,
    has_msgstr: bool,
    /// Whether the entry's lines so far were `#~` lines; `None` before its first keyword.
    obsolete: Option<bool>,
    /// The current line's pieces, to turn its offsets into the file's (see [`to_file`]).
    pieces: Vec<(usize, usize)>,
}

impl Reader {
    /// One line (joined where gettext joins), its offsets in `pieces` (see [`to_file`]).
    fn line(&mut self, line: &str, pieces: &[(usize, usize)]) -> Result<(), PoError> {
        self.pieces.clear();
        self.pieces.extend_from_slice(pieces);
        let trimmed = line.trim_start();
        self.line_at(trimmed, line.len() - trimmed.len())
    }

    /// `trimmed` starts at byte `at` of its line.
    fn line_at(&mut self, trimmed: &str, at: usize) -> Result<(), PoError> {
        if trimmed.is_empty() {
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix("#~") {
            // An obsolete entry's line: the same grammar behind the `#~` mark.
            let (body, previous) = match rest.strip_prefix('|') {
                Some(previous) => (previous, true),
                None => (rest, false),
            };
            let body_at = at + (trimmed.len() - body.trim_start().len());
            return self.keyword_line(body.trim_start(), body_at, true, previous);
        }
        if let Some(rest) = trimmed.strip_prefix("#|") {
            let body_at = at + (trimmed.len() - rest.trim_start().len());
            return self.keyword_line(rest.trim_start(), body_at, false, true);
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            self.start_entry_if_done();
            self.open = None;
            self.comment(rest);
            return Ok(());
        }
        self.keyword_line(trimmed, at, false, false)
    }

    /// A comment line (`rest` is what follows `#`).
    fn comment(&mut self, rest: &str) {
        let entry = &mut self.current;
        match rest.chars().next() {
            Some('.') => entry.extracted_comments.push(strip_one_space(&rest[1..]).to_string()),
            Some(':') => entry.references.extend(rest[1..].split_whitespace().map(str::to_string)),
            Some(',') => {
                for flag in rest[1..].split(',').map(str::trim).filter(|flag| !flag.is_empty()) {
                    if flag == "fuzzy" {
                        entry.fuzzy = true;
                    } else if !entry.flags.iter().any(|known| known == flag) {
                        entry.flags.push(flag.to_string());
                    }
                }
            }
            _ => entry.translator_comments.push(strip_one_space(rest).to_string()),
        }
    }

    /// A keyword line or a continuation string, `#~`/`#|` marks already removed.
    fn keyword_line(&mut self, body: &str, at: usize, obsolete: bool, previous: bool) -> Result<(), PoError> {
        let end = at + body.len();
        if body.is_empty() {
            return Ok(());
        }
        if body.starts_with('"') {
            let Some(field) = self.open else {
                return error(at..end, "a string here belongs to no `msgid` or `msgstr`");
            };
            if matches!(field, Field::PreviousMsgctxt | Field::PreviousMsgid) != previous {
                return error(at..end, "this string continues a line of another kind");
            }
            let value = parse_string(body, at)?;
            self.field(field).push_str(&value);
            return Ok(());
        }
        let keyword_len = body.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(body.len());
        let keyword = &body[..keyword_len];
        let keyword_span = at..at + keyword_len;
        let rest = body[keyword_len..].trim_start();
        let rest_at = end - rest.len();
        if keyword == "msgid_plural" || keyword.starts_with("msgstr[") {
            return error(keyword_span, "plural forms are not used by defuse scripts; remove this entry's plural");
        }
        let field = match (keyword, previous) {
            ("msgctxt", false) => Field::Msgctxt,
            ("msgid", false) => Field::Msgid,
            ("msgstr", false) => Field::Msgstr,
            ("msgctxt", true) => Field::PreviousMsgctxt,
            ("msgid", true) => Field::PreviousMsgid,
            _ => {
                return error(
                    keyword_span,
                    format!("expected `msgctxt`, `msgid`, `msgstr` or a string, found `{}`", shorten(body)),
                )
            }
        };
        if !rest.starts_with('"') {
            return error(
                keyword_span.start..end,
                format!("`{keyword}` must be followed by a string in double quotes"),
            );
        }
        let value = parse_string(rest, rest_at)?;
        if !previous {
            self.order(field, keyword_span.clone(), obsolete)?;
        } else {
            self.start_entry_if_done();
        }
        *self.field(field) = value;
        let in_file = to_file(&self.pieces, keyword_span.start)..to_file(&self.pieces, keyword_span.end);
        match field {
            Field::Msgid => self.current.msgid_at = in_file,
            Field::Msgstr => self.current.msgstr_at = in_file,
            _ => {}
        }
        self.open = Some(field);
        Ok(())
    }

    /// Checks that `field` may come now (msgctxt? msgid msgstr), starting a new entry after a
    /// complete one.
    fn order(&mut self, field: Field, span: Range<usize>, obsolete: bool) -> Result<(), PoError> {
        match field {
            Field::Msgctxt | Field::Msgid => {
                self.start_entry_if_done();
                if self.has_msgid || (field == Field::Msgctxt && self.current.msgctxt.is_some()) {
                    return error(span, "a `msgid` needs its `msgstr` before the next entry starts");
                }
                if field == Field::Msgid {
                    self.has_msgid = true;
                }
            }
            Field::Msgstr => {
                if !self.has_msgid || self.has_msgstr {
                    return error(span, "a `msgstr` must follow a `msgid`");
                }
                self.has_msgstr = true;
            }
            Field::PreviousMsgctxt | Field::PreviousMsgid => {}
        }
        match self.obsolete {
            Some(known) if known != obsolete => {
                return error(span, "an entry is either obsolete (`#~` on every line) or not; it mixes both");
            }
            _ => self.obsolete = Some(obsolete),
        }
        Ok(())
    }

    fn field(&mut self, field: Field) -> &mut String {
        let entry = &mut self.current;
        match field {
            Field::Msgctxt => entry.msgctxt.get_or_insert_with(String::new),
            Field::Msgid => &mut entry.msgid,
            Field::Msgstr => &mut entry.msgstr,
            Field::PreviousMsgctxt => entry.previous_msgctxt.get_or_insert_with(String::new),
            Field::PreviousMsgid => entry.previous_msgid.get_or_insert_with(String::new),
        }
    }

    /// After a complete entry (its `msgstr` read), what follows belongs to the next one.
    fn start_entry_if_done(&mut self) {
        if self.has_msgstr {
            let mut done = std::mem::take(&mut self.current);
            done.obsolete = self.obsolete.unwrap_or(false);
            self.entries.push(done);
            self.has_msgid = false;
            self.has_msgstr = false;
            self.obsolete = None;
            self.open = None;
        }
    }

    fn finish(mut self, end: usize) -> Result<Catalog, PoError> {
        if self.has_msgid && !self.has_msgstr {
            let at = self.current.msgid_at.clone();
            return error(at, "this `msgid` has no `msgstr`");
        }
        if !self.has_msgid && self.current.msgctxt.is_some() {
            return error(end..end, "the file ends after a `msgctxt` with no `msgid`");
        }
        self.start_entry_if_done();
        Ok(Catalog { entries: self.entries })
    }
}

/// The file offset of byte `at` of a joined line made of `pieces` (line offset, file offset).
fn to_file(pieces: &[(usize, usize)], at: usize) -> usize {
    let index = pieces.partition_point(|&(line_start, _)| line_start <= at).saturating_sub(1);
    let (line_start, file_start) = pieces.get(index).copied().unwrap_or((0, 0));
    file_start + (at - line_start)
}

fn strip_one_space(text: &str) -> &str {
    text.strip_prefix(' ').unwrap_or(text)
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(30).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// One `"…"` string with C escapes, alone on the rest of its line (`at` is its byte offset).
fn parse_string(text: &str, at: usize) -> Result<String, PoError> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut chars = text.char_indices().skip(1).peekable();
    loop {
        let Some((index, c)) = chars.next() else {
            return error(at..at + text.len(), "this string has no closing `\"`");
        };
        match c {
            '"' => {
                let after = text[index + 1..].trim();
                if !after.is_empty() {
                    let trailing_at = at + text.len() - text[index + 1..].trim_start().len();
                    return error(
                        trailing_at..at + text.len(),
                        "only one string may stand on a line; put the rest on a line of its own",
                    );
                }
                break;
            }
            '\\' => {
                let Some((_, escaped)) = chars.next() else {
                    return error(at + index..at + text.len(), "this string has no closing `\"`");
                };
                match escaped {
                    'n' => bytes.push(b'\n'),
                    't' => bytes.push(b'\t'),
                    'r' => bytes.push(b'\r'),
                    'a' => bytes.push(0x07),
                    'b' => bytes.push(0x08),
                    'f' => bytes.push(0x0c),
                    'v' => bytes.push(0x0b),
                    '\\' | '"' | '\'' | '?' => bytes.push(escaped as u8),
                    '0'..='7' => {
                        let mut value = escaped.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|&(_, next)| next.to_digit(8)) {
                                Some(digit) => {
                                    value = value * 8 + digit;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        bytes.push((value & 0xff) as u8);
                    }
                    'x' => {
                        let mut value = 0u32;
                        let mut digits = 0;
                        while let Some(digit) = chars.peek().and_then(|&(_, next)| next.to_digit(16)) {
                            value = (value * 16 + digit) & 0xff;
                            digits += 1;
                            chars.next();
                        }
                        if digits == 0 {
                            return error(at + index..at + index + 2, "`\\x` needs hexadecimal digits after it");
                        }
                        bytes.push(value as u8);
                    }
                    other => {
                        let span = at + index..at + index + 1 + other.len_utf8();
                        return error(
                            span,
                            format!("`\\{other}` is not an escape PO files know; write `\\\\` for a backslash"),
                        );
                    }
                }
            }
            other => {
                let mut buffer = [0; 4];
                bytes.extend_from_slice(other.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    String::from_utf8(bytes)
        .or_else(|_| error(at..at + text.len(), "the escapes in this string do not make UTF-8 text"))
}

/// A charset other than UTF-8 in the header's `Content-Type` (`CHARSET`, a template's
/// placeholder, is accepted).
fn check_charset(catalog: &Catalog) -> Result<(), PoError> {
    let Some(content_type) = catalog.header_field("Content-Type") else { return Ok(()) };
    let Some((_, charset)) = content_type.split_once("charset=") else { return Ok(()) };
    let charset = charset.split(';').next().unwrap_or("").trim();
    if charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8") || charset == "CHARSET" {
        return Ok(());
    }
    let header = catalog.header().map(|entry| entry.msgstr_at.clone()).unwrap_or(0..0);
    error(header, format!("the header says `charset={charset}`; defuse reads PO files in UTF-8 only: convert the file (msgconv --to-code=UTF-8)"))
}

/// Two live entries with one key: gettext refuses the file, and defuse could not tell which
/// translation is meant.
fn check_unique_keys(catalog: &Catalog) -> Result<(), PoError> {
    let mut seen = rustc_hash::FxHashSet::default();
    for entry in catalog.entries.iter().filter(|entry| !entry.obsolete) {
        if !seen.insert((entry.msgctxt.as_deref(), entry.msgid.as_str())) {
            return error(
                entry.msgid_at.clone(),
                "this entry repeats an earlier one (same `msgctxt` and `msgid`); keep one of them",
            );
        }
    }
    Ok(())
}

/// The narrowest page gettext lays out (a smaller `--width` is taken as 20).
const MIN_WIDTH: usize = 20;

/// The column at which gettext wraps `#:` references (its default page width).
const REFERENCE_WIDTH: usize = 79;

/// Writes `catalog` as `msgcat --no-wrap` would.
pub fn write(catalog: &Catalog) -> String {
    write_width(catalog, 0)
}

/// Writes `catalog` as `msgcat --width=N` would (`[locales] wrap = N`); `0` is `--no-wrap`.
/// Strings break where gettext breaks them (see [`wrap`]); `#:` references wrap at `N`.
pub fn write_width(catalog: &Catalog, width: usize) -> String {
    // gettext takes no page narrower than 20 columns.
    let layout = Layout { width: (width > 0).then_some(width.max(MIN_WIDTH)) };
    let mut out = String::new();
    let mut first = true;
    // gettext writes the live entries first, then the obsolete ones, each in file order, and
    // drops an obsolete entry that holds no translation.
    let live = catalog.entries.iter().filter(|entry| !entry.obsolete);
    let obsolete = catalog.entries.iter().filter(|entry| entry.obsolete && !entry.msgstr.is_empty());
    for entry in live.chain(obsolete) {
        if !first {
            out.push('\n');
        }
        first = false;
        write_entry(&mut out, entry, layout);
    }
    out
}

/// How strings are laid out: on one line per `\n`, or wrapped at a page width.
#[derive(Clone, Copy)]
struct Layout {
    width: Option<usize>,
}

fn write_entry(out: &mut String, entry: &Entry, layout: Layout) {
    for comment in &entry.translator_comments {
        write_comment(out, "#", comment);
    }
    for comment in &entry.extracted_comments {
        write_comment(out, "#.", comment);
    }
    if !entry.obsolete {
        write_references(out, &entry.references, layout.width.unwrap_or(REFERENCE_WIDTH));
    }
    let fuzzy = entry.fuzzy && !entry.msgstr.is_empty();
    if fuzzy || !entry.flags.is_empty() {
        out.push_str("#,");
        let flags = fuzzy.then_some("fuzzy").into_iter().chain(entry.flags.iter().map(String::as_str));
        for (index, flag) in flags.enumerate() {
            out.push_str(if index == 0 { " " } else { ", " });
            out.push_str(flag);
        }
        out.push('\n');
    }
    let (mark, previous_mark) = if entry.obsolete { ("#~ ", "#~| ") } else { ("", "#| ") };
    if let Some(previous) = &entry.previous_msgctxt {
        write_string(out, previous_mark, "msgctxt", previous, layout);
    }
    if let Some(previous) = &entry.previous_msgid {
        write_string(out, previous_mark, "msgid", previous, layout);
    }
    if let Some(context) = &entry.msgctxt {
        write_string(out, mark, "msgctxt", context, layout);
    }
    write_string(out, mark, "msgid", &entry.msgid, layout);
    write_string(out, mark, "msgstr", &entry.msgstr, layout);
}

/// A comment of several lines is several comment lines: a line break inside one would end it.
fn write_comment(out: &mut String, mark: &str, text: &str) {
    for line in text.split('\n') {
        out.push_str(mark);
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// `#: a:1 b:2`, a new `#:` line whenever the next reference would pass column `width` (79
/// unless the strings wrap at another width).
fn write_references(out: &mut String, references: &[String], width: usize) {
    if references.is_empty() {
        return;
    }
    out.push_str("#:");
    let mut column = 2;
    for reference in references {
        let reference_width = reference.chars().count();
        if column > 2 && column + 1 + reference_width > width {
            out.push_str("\n#:");
            column = 2;
        }
        out.push(' ');
        out.push_str(reference);
        column += 1 + reference_width;
    }
    out.push('\n');
}

/// `keyword "text"`, or `keyword ""` and one line per `\n`-ended piece when the text has a line
/// break before its end.
fn write_string(out: &mut String, prefix: &str, keyword: &str, text: &str, layout: Layout) {
    if let Some(width) = layout.width {
        super::wrap::write_string(out, prefix, keyword, text, width);
        return;
    }
    let pieces: Vec<&str> = text.split_inclusive('\n').collect();
    out.push_str(prefix);
    out.push_str(keyword);
    if pieces.len() <= 1 {
        out.push(' ');
        write_quoted(out, text);
        out.push('\n');
        return;
    }
    out.push_str(" \"\"\n");
    for piece in pieces {
        out.push_str(prefix);
        write_quoted(out, piece);
        out.push('\n');
    }
}

fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            other => {
                let _ = out.write_char(other);
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(context: &str, id: &str, text: &str) -> Entry {
        Entry { msgctxt: Some(context.into()), msgid: id.into(), msgstr: text.into(), ..Entry::default() }
    }

    #[test]
    fn reads_what_it_writes() {
        let mut first = entry("s.n:say", "Hello {name}\nsecond line", "Hola {name}\nsegunda");
        first.extracted_comments = vec!["mirror, node n: the agent says this".into()];
        first.references = vec!["scripts/s.defuse:4".into()];
        first.flags = vec!["python-brace-format".into()];
        first.fuzzy = true;
        first.previous_msgid = Some("Hi {name}".into());
        first.translator_comments = vec!["checked by Ana".into(), String::new()];
        let mut old = entry("s.gone:say", "Bye \"now\"\t\\", "Adiós");
        old.obsolete = true;
        old.previous_msgctxt = Some("s.older:say".into());
        let catalog = Catalog { entries: vec![first, old] };
        let written = write(&catalog);
        let mut read = parse(written.as_bytes()).unwrap();
        for entry in &mut read.entries {
            entry.msgid_at = 0..0;
            entry.msgstr_at = 0..0;
        }
        assert_eq!(read, catalog, "{written}");
        assert_eq!(write(&read), written);
    }

    #[test]
    fn accepts_crlf_a_bom_and_escapes() {
        let text = "\u{feff}# c\r\n#, fuzzy\r\nmsgctxt \"a\"\r\nmsgid \"x\\101\\x42\"\r\n\"y\"\r\nmsgstr \"z\"\r\n";
        let catalog = parse(text.as_bytes()).unwrap();
        let entry = &catalog.entries[0];
        assert_eq!(entry.msgid, "xABy");
        assert!(entry.fuzzy);
        assert_eq!(&text[entry.msgstr_at.clone()], "msgstr");
    }

    #[test]
    fn joins_a_line_that_ends_in_a_backslash_as_gettext_does() {
        let text = "# note \\\n#, fuzzy\nmsgid \"ab\\\ncd\"\nmsgstr \"x\"\nmsgstr \"y\"\n";
        let problem = parse(text.as_bytes()).unwrap_err();
        assert_eq!(&text[problem.span.clone()], "msgstr", "{problem:?}");
        assert_eq!(problem.span.start, text.rfind("msgstr").unwrap());
        let catalog = parse(text.rsplit_once("msgstr \"y\"\n").unwrap().0.as_bytes()).unwrap();
        let entry = &catalog.entries[0];
        assert_eq!(entry.translator_comments, ["note #, fuzzy"]);
        assert!(!entry.fuzzy);
        assert_eq!(entry.msgid, "abcd");
        assert_eq!(&text[entry.msgstr_at.clone()], "msgstr");
    }

    #[test]
    fn refuses_what_defuse_cannot_use_with_a_span() {
        let cases: &[(&[u8], &str, &str)] = &[
            (b"msgid \"a\"\nmsgstr \"\xff\"\n", "\u{fffd}", "not UTF-8"),
            (b"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n", "msgid_plural", "plural"),
            (b"msgid \"a\"\n", "msgid", "no `msgstr`"),
            (b"msgid \"a\nmsgstr \"b\"\n", "\"a", "closing"),
            (b"msgid \"a\" junk\nmsgstr \"b\"\n", "junk", "one string"),
            (b"msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n", "msgid", "repeats"),
            (
                b"msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\n\"\n",
                "msgstr",
                "charset=ISO-8859-1",
            ),
            (b"hello\n", "hello", "expected"),
            (b"\"loose\"\n", "\"loose\"", "belongs to no"),
            (b"msgid \"a\"\nmsgstr \"\\q\"\n", "\\q", "escape"),
            (b"#~ msgid \"a\"\nmsgstr \"b\"\n", "msgstr", "obsolete"),
        ];
        for (input, blamed, says) in cases {
            let problem = parse(input).expect_err(&String::from_utf8_lossy(input));
            let shown = String::from_utf8_lossy(&input[problem.span.clone()]);
            assert_eq!(shown, *blamed, "{problem:?}");
            assert!(problem.message.contains(says), "{problem:?}");
        }
    }

    #[test]
    fn wraps_references_at_column_79_as_gettext_does() {
        let long = "f".repeat(70) + ":1";
        let mut one = entry("c", "q", "");
        one.references = vec!["a:1".into(), long.clone()];
        assert_eq!(write(&Catalog { entries: vec![one.clone()] }).lines().filter(|l| l.starts_with("#:")).count(), 1);
        one.references[1] = "f".repeat(71) + ":1";
        assert_eq!(write(&Catalog { entries: vec![one] }).lines().filter(|l| l.starts_with("#:")).count(), 2);
    }

    #[test]
    fn drops_fuzzy_on_untranslated_and_untranslated_obsolete_entries() {
        let mut untranslated = entry("c", "q", "");
        untranslated.fuzzy = true;
        let mut gone = entry("c", "old", "");
        gone.obsolete = true;
        let written = write(&Catalog { entries: vec![untranslated, gone] });
        assert_eq!(written, "msgctxt \"c\"\nmsgid \"q\"\nmsgstr \"\"\n");
    }
}
