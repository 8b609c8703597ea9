//! The output layer: every byte defuse prints goes through here, made safe for its sink.
//!
//! - [`terminal_text`] shows control characters of script text as visible escapes, so a
//!   script cannot clear the screen, fake a summary line or plant a hyperlink.
//! - [`github_data`] / [`github_property`] escape GitHub workflow commands.
//! - [`sarif_uri`] percent-encodes a path for a SARIF `uri` (RFC 3986).
//! - [`html_text`], [`xml_attribute`] and [`xml_text`] escape script text for the trainer
//!   page, SCXML and JUnit reports: one escaper, so the markup targets cannot drift apart.
//! - [`markdown_text`] escapes script text for Markdown: a rehearsal handout or a pull-request
//!   comment ([`Markdown`] says which, and why their rules differ).
//! - [`Sink`] writes to standard output or error and ends quietly on a closed pipe.
//!
//! **Invariant:** the only raw control characters defuse writes are its own: newlines and
//! tabs, and the colour codes of the miette report (whose script text was neutralised
//! before rendering). A closed pipe never panics: the stream is marked closed and later
//! writes are dropped, so a command ends with the status its run had.

use std::borrow::Cow;
use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Whether `c` is shown as an escape: C0 except tab and newline, DEL and C1.
fn is_unsafe(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// `text` with every control character but tab and newline shown as `\u{1b}` (Rust's
/// escape form). A carriage return just before a newline stays: it only ends a CRLF line.
pub(crate) fn terminal_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else {
            push_terminal_char(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// A file name for a terminal: one line, so a newline or tab in it is escaped too (a name
/// holding `\n0 errors` cannot fake a line of the report).
pub(crate) fn terminal_name(name: &str) -> Cow<'_, str> {
    escape_where(name, char::is_control)
}

/// `text` with every character `shown_escaped` picks written as a visible escape; borrowed
/// when there is none.
fn escape_where(text: &str, shown_escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&shown_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if shown_escaped(c) {
            push_visible_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Appends `c`, as an escape when it is unsafe for a terminal; returns how many characters
/// it took.
pub(crate) fn push_terminal_char(out: &mut String, c: char) -> usize {
    if is_unsafe(c) {
        push_visible_escape(out, c)
    } else {
        out.push(c);
        1
    }
}

/// Appends `c` in Rust's escape form, `\u{1b}`: how every output shows a control character
/// it will not write raw. Returns how many characters it took.
pub(crate) fn push_visible_escape(out: &mut String, c: char) -> usize {
    let escape = format!("\\u{{{:x}}}", u32::from(c));
    out.push_str(&escape);
    escape.len()
}

/// The escaping GitHub's runner applies to a workflow command's message.
pub(crate) fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value also escapes the separators `:` and `,`.
pub(crate) fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `::error file=…::message` (or without a file): how a run's own errors read under
/// `--format github`, so a file name cannot start a command of its own.
pub(crate) fn github_error(file: Option<&str>, message: &str) -> String {
    match file {
        Some(file) => format!("::error file={}::{}\n", github_property(file), github_data(message)),
        None => format!("::error::{}\n", github_data(message)),
    }
}

/// A relative path as a SARIF `uri`: every byte outside RFC 3986's unreserved set and `/`
/// is percent-encoded (UTF-8), so `#`, `%`, spaces and control characters survive.
pub(crate) fn sarif_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Where [`escape_markup`] puts the text: each target keeps what it can hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// HTML text or a quoted attribute value: white space stays as written.
    Html,
    /// An XML attribute value: tab, newline and carriage return as character references, so
    /// attribute-value normalization does not turn them into spaces.
    XmlAttribute,
    /// XML element text: tab and newline stay; a carriage return is a reference, since a raw
    /// one is read back as a newline.
    XmlText,
}

/// `text` safe anywhere in HTML text or a quoted attribute value.
pub fn html_text(text: &str) -> String {
    escape_markup(text, Markup::Html)
}

/// `text` safe inside a quoted XML 1.0 attribute value, read back as written (but for the
/// control characters [`escape_markup`] shows as escapes).
pub(crate) fn xml_attribute(text: &str) -> String {
    escape_markup(text, Markup::XmlAttribute)
}

/// `text` safe as XML 1.0 element content, read back as written (but for the control
/// characters [`escape_markup`] shows as escapes).
pub(crate) fn xml_text(text: &str) -> String {
    escape_markup(text, Markup::XmlText)
}

/// Markup characters as entities (`'` as `&#39;` in HTML, which HTML 4 lacks `&apos;` for).
/// Control characters other than white space (C0 but tab, newline and carriage return; DEL;
/// C1) and U+FFFE/U+FFFF show as `\u{1b}` escapes, as on a terminal: XML 1.0 cannot hold the
/// C0 ones even as references, and HTML reads them as parse errors (a NUL is dropped, and
/// `&#x80;`…`&#x9F;` mean Windows-1252 characters), so no target keeps them faithfully.
fn escape_markup(text: &str, markup: Markup) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if markup == Markup::Html => out.push_str("&#39;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' if markup == Markup::XmlAttribute => out.push_str(&format!("&#{};", u32::from(c))),
            '\r' if markup != Markup::Html => out.push_str("&#13;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if is_invisible_in_markup(c) => {
                push_visible_escape(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The control characters [`escape_markup`] shows as escapes.
fn is_invisible_in_markup(c: char) -> bool {
    is_unsafe(c) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// `text` for a page's script to show with `textContent`: the control characters the markup
/// escapers show as `\u{1b}` are shown the same way, so the page reads alike everywhere.
pub(crate) fn page_text(text: &str) -> Cow<'_, str> {
    escape_where(text, is_invisible_in_markup)
}

/// Where Markdown script text goes, which decides what is escaped. The two rules differ on
/// purpose: a handout is read as plain text too, a pull-request comment is read by GitHub,
/// which also links mentions and references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Markdown {
    /// A document people also read in an email or an editor (`play --transcript`), text that
    /// follows other text on its line (a heading's or speaker's words); each later line starts
    /// a line. Only what CommonMark or GitHub's extensions could read as markup at its
    /// position is backslash-escaped: `anything.` stays as it is.
    Handout,
    /// A pull-request comment's paragraph, list item or table cell (`diff --format
    /// markdown`): all Markdown punctuation backslash-escaped, `<`, `>`, `&`, `@` and `#` as
    /// entities (no tag, mention or issue reference), a newline as `<br>` (the cell stays on
    /// its row), control characters as visible escapes.
    Comment,
}

/// Script text as Markdown shows it literally, in the place `target` says.
pub(crate) fn markdown_text(text: &str, target: Markdown) -> String {
    match target {
        Markdown::Handout => handout_text(text),
        Markdown::Comment => comment_text(text),
    }
}

/// [`Markdown::Handout`]: what is escaped, by position —
///
/// - anywhere: `\`, `` ` ``, `*`, `[` (links and images; `]`, `(` and `!` mean nothing without
///   it), `~` and `|` (strikethrough, table cells); `<` before a letter, `/`, `!` or `?` (HTML,
///   autolinks); `&` that starts an entity (`&amp;`, `&#38;`); `_` unless between two letters
///   or digits (`snake_case` is no emphasis);
/// - at the start of a line, after up to three spaces: `#` (heading), `>` (quote), `+`, `-`,
///   `=` (lists, rules, setext headings) and the `.` or `)` after a number (ordered lists).
fn handout_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (number, line) in text.split('\n').enumerate() {
        if number > 0 {
            out.push('\n');
        }
        handout_line(line, number > 0, &mut out);
    }
    out
}

fn handout_line(line: &str, starts_line: bool, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let indent = chars.iter().take_while(|&&c| c == ' ').count();
    // The `.` or `)` that would make `1.` an ordered list item.
    let digits = chars[indent.min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let list_mark = (starts_line && digits > 0 && digits <= 9).then_some(indent + digits);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let at_line_start = starts_line && i == indent && indent <= 3;
        let escape = match c {
            '\\' | '`' | '*' | '[' | '~' | '|' => true,
            '<' => after.is_some_and(|a| a.is_alphabetic() || matches!(a, '/' | '!' | '?')),
            '&' => starts_entity(&chars[i + 1..]),
            '_' => !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)),
            '#' | '>' | '+' | '-' | '=' => at_line_start,
            '.' | ')' => list_mark == Some(i),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether `rest` (the text after a `&`) makes it an HTML entity: `amp;`, `#38;`, `#x26;`.
fn starts_entity(rest: &[char]) -> bool {
    let name = rest.iter().take(32).take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name > 0 && rest.get(name) == Some(&';')
}

/// [`Markdown::Comment`].
fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("&#64;"),
            '#' => out.push_str("&#35;"),
            '\n' => out.push_str("<br>"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '+' | '-' | '.' | '!' | '|' | '~' | '='
            | ':' | '"' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                push_visible_escape(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out
}

/// When human output is coloured (`--color`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Color {
    /// On a terminal, unless `NO_COLOR` is set (the default).
    Auto,
    Always,
    Never,
}

static COLOR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Sets the run's colour choice (once, from the command line).
pub(crate) fn set_color(color: Color) {
    COLOR.store(color as u8, Ordering::Relaxed);
}

/// Whether a report written to a stream (a terminal or not) gets colour.
pub(crate) fn use_color(stream_is_terminal: bool) -> bool {
    match COLOR.load(Ordering::Relaxed) {
        x if x == Color::Always as u8 => true,
        x if x == Color::Never as u8 => false,
        _ => stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    }
}

/// Which standard stream a [`Sink`] writes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// What happened to a stream: closed by the reader, or failed otherwise (first error kept).
struct State {
    closed: AtomicBool,
    failure: Mutex<Option<std::io::Error>>,
}

static STDOUT: State = State { closed: AtomicBool::new(false), failure: Mutex::new(None) };
static STDERR: State = State { closed: AtomicBool::new(false), failure: Mutex::new(None) };

/// A handle on standard output or error. Text written with [`Sink::text`] (and through
/// `fmt::Write`) is neutralised for terminals; [`Sink::raw`] writes bytes that are already
/// safe (machine formats, the miette report). Writing after the stream was closed does
/// nothing; `fmt::Write` then returns an error so a renderer stops early.
#[derive(Clone, Copy)]
pub(crate) struct Sink {
    stream: Stream,
    /// Whether `fmt::Write` neutralises (off for [`Sink::raw_writer`]).
    neutralise: bool,
}

pub(crate) fn stdout() -> Sink {
    Sink { stream: Stream::Stdout, neutralise: true }
}

pub(crate) fn stderr() -> Sink {
    Sink { stream: Stream::Stderr, neutralise: true }
}

impl Sink {
    fn state(self) -> &'static State {
        match self.stream {
            Stream::Stdout => &STDOUT,
            Stream::Stderr => &STDERR,
        }
    }

    /// This sink as a `fmt::Write` that writes text as it is (a miette report).
    pub(crate) fn raw_writer(self) -> Sink {
        Sink { neutralise: false, ..self }
    }

    /// Whether the reader went away (or the stream failed): further output is dropped.
    pub(crate) fn is_closed(self) -> bool {
        self.state().closed.load(Ordering::Relaxed)
    }

    /// Writes `text` neutralised for a terminal.
    pub fn text(self, text: &str) {
        self.raw(&terminal_text(text));
    }

    /// [`Sink::text`] and a newline.
    pub(crate) fn line(self, text: &str) {
        let mut owned = terminal_text(text).into_owned();
        owned.push('\n');
        self.raw(&owned);
    }

    /// Writes `text` as it is: only for text that is safe already.
    pub(crate) fn raw(self, text: &str) {
        if self.is_closed() || text.is_empty() {
            return;
        }
        let written = match self.stream {
            Stream::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes()).and_then(|()| if text.ends_with('\n') { Ok(()) } else { out.flush() })
            }
            Stream::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
        };
        if let Err(error) = written {
            self.fail(error);
        }
    }

    /// Flushes what is buffered (before reading input, and at exit).
    pub(crate) fn flush(self) {
        if self.is_closed() {
            return;
        }
        let flushed = match self.stream {
            Stream::Stdout => std::io::stdout().lock().flush(),
            Stream::Stderr => std::io::stderr().lock().flush(),
        };
        if let Err(error) = flushed {
            self.fail(error);
        }
    }

    fn fail(self, error: std::io::Error) {
        let state = self.state();
        state.closed.store(true, Ordering::Relaxed);
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let mut failure = state.failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            failure.get_or_insert(error);
        }
    }

    /// The error that stopped this stream, other than a closed pipe (which is no error:
    /// the reader had enough, as `head` does).
    pub(crate) fn failure(self) -> Option<String> {
        let failure = self.state().failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        failure.as_ref().map(ToString::to_string)
    }
}

impl fmt::Write for Sink {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        if self.neutralise {
            self.text(text);
        } else {
            self.raw(text);
        }
        if self.is_closed() {
            Err(fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// Byte writers (`write!`, serde) go through the same text path. Callers write whole UTF-8
/// strings, so a buffer is never cut inside a character; a broken one shows as U+FFFD.
impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // `from_utf8` first: it checks ASCII a word at a time, `from_utf8_lossy` a byte at a
        // time (88% of `paths --format json` writing a 4 MB label on 1,024 paths).
        let text = std::str::from_utf8(buf).map_or_else(|_| String::from_utf8_lossy(buf), std::borrow::Cow::Borrowed);
        fmt::Write::write_str(self, &text).map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Sink::flush(*self);
        if self.is_closed() {
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
        } else {
            Ok(())
        }
    }
}

/// `println!` through the neutralising [`Sink`] of standard output.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::stdout().raw("\n") };
    ($($arg:tt)*) => { $crate::output::stdout().line(&format!($($arg)*)) };
}

/// `eprintln!` through the neutralising [`Sink`] of standard error.
#[macro_export]
macro_rules! errln {
    () => { $crate::output::stderr().raw("\n") };
    ($($arg:tt)*) => { $crate::output::stderr().line(&format!($($arg)*)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_escapes() {
        assert_eq!(terminal_text("a\u{1b}[2J\u{7}b"), "a\\u{1b}[2J\\u{7}b");
        assert_eq!(terminal_text("del\u{7f} c1\u{9b}"), "del\\u{7f} c1\\u{9b}");
        assert_eq!(terminal_text("nul\0 cr\rx"), "nul\\u{0} cr\\u{d}x");
    }

    #[test]
    fn tabs_newlines_crlf_and_other_text_stay() {
        let text = "a\tb\nc d “é” 😀 \u{a0}";
        assert!(matches!(terminal_text(text), Cow::Borrowed(_)));
        assert_eq!(terminal_text("a\r\nb\r\n"), "a\r\nb\r\n");
    }

    #[test]
    fn file_names_stay_on_one_line() {
        assert_eq!(terminal_name("a\n0 errors\t\u{1b}.defuse"), "a\\u{a}0 errors\\u{9}\\u{1b}.defuse");
        assert!(matches!(terminal_name("dir/é.defuse"), Cow::Borrowed(_)));
    }

    #[test]
    fn github_escapes_like_the_actions_toolkit() {
        assert_eq!(github_data("50% off\nnow\r"), "50%25 off%0Anow%0D");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(
            github_error(Some("x\n::add-mask::y"), "cannot read"),
            "::error file=x%0A%3A%3Aadd-mask%3A%3Ay::cannot read\n"
        );
        assert_eq!(github_error(None, "a\n::error::b"), "::error::a%0A::error::b\n");
    }

    #[test]
    fn markup_escapes_markup_characters_for_each_target() {
        let text = r#"<img src=x onerror="a('b')">&amp;"#;
        assert_eq!(html_text(text), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;amp;");
        assert_eq!(xml_attribute(text), "&lt;img src=x onerror=&quot;a(&apos;b&apos;)&quot;&gt;&amp;amp;");
        assert_eq!(xml_text(text), xml_attribute(text));
    }

    #[test]
    fn markup_keeps_white_space_where_the_target_reads_it_back() {
        let text = "a\tb\r\nc";
        assert_eq!(html_text(text), text);
        assert_eq!(xml_attribute(text), "a&#9;b&#13;&#10;c");
        assert_eq!(xml_text(text), "a\tb&#13;\nc");
    }

    #[test]
    fn markup_shows_control_characters_as_visible_escapes() {
        let text = "nul\0 esc\u{1b} del\u{7f} c1\u{9b} \u{FFFE}\u{FFFF} é";
        let shown = "nul\\u{0} esc\\u{1b} del\\u{7f} c1\\u{9b} \\u{fffe}\\u{ffff} é";
        assert_eq!(html_text(text), shown);
        assert_eq!(xml_attribute(text), shown);
        assert_eq!(xml_text(text), shown);
    }

    #[test]
    fn handout_markdown_escapes_depend_on_the_position() {
        for (text, shown) in [
            ("anything.", "anything."),
            ("Refund (full) - today!", "Refund (full) - today!"),
            ("a < 5 & b > 2", "a < 5 & b > 2"),
            ("<b>x</b> &amp; &#38;", "\\<b>x\\</b> \\&amp; \\&#38;"),
            ("*x* `y` [z] ~w~ a|b", "\\*x\\* \\`y\\` \\[z] \\~w\\~ a\\|b"),
            ("snake_case _em_ back\\slash", "snake_case \\_em\\_ back\\\\slash"),
            ("# - 1. 2)", "# - 1. 2)"),
            (
                "x\n# h\n- l\n10. n\n3) m\n   > q\n    - deep\n=",
                "x\n\\# h\n\\- l\n10\\. n\n3\\) m\n   \\> q\n    - deep\n\\=",
            ),
            ("x\n1234567890. not a list", "x\n1234567890. not a list"),
        ] {
            assert_eq!(markdown_text(text, Markdown::Handout), shown, "{text:?}");
        }
    }

    #[test]
    fn comment_markdown_escapes_every_markup_character() {
        let text = "a.b <i> @team #12 [x](y) `c` | d\ne\u{1b}";
        let shown = "a\\.b &lt;i&gt; &#64;team &#35;12 \\[x\\]\\(y\\) \\`c\\` \\| d<br>e\\u{1b}";
        assert_eq!(markdown_text(text, Markdown::Comment), shown);
    }

    #[test]
    fn sarif_uris_are_percent_encoded() {
        assert_eq!(sarif_uri("dir/weird #1 50%.defuse"), "dir/weird%20%231%2050%25.defuse");
        assert_eq!(sarif_uri("a-b_c.d~e/f.defuse"), "a-b_c.d~e/f.defuse");
        assert_eq!(sarif_uri("é\n"), "%C3%A9%0A");
    }
}
