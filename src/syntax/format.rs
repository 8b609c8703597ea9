//! `defuse fmt`: the one canonical layout.
//!
//! Two-space indent, one statement per line, one blank line between nodes and after the
//! headers, `meta` before `vars` (repeated headers are merged). String literals are copied
//! from the source byte for byte (escapes and multi-line text included), so formatting never
//! changes what is said.
//!
//! The output is a sequence of *elements*, one per line: a `use`, the item's head, a header
//! (or, for a `meta` block that holds comments, its head, entries and `}`), a node's head, a
//! statement, a closing brace. Comments come from [`super::comments`] (found from the parse)
//! and each is attached to one element, by source position:
//! - a comment inside an element, or after it on the same line, is *attached* to it and stays
//!   at the end of that element's line (`reply "yes" # c` then `-> o` gives
//!   `reply "yes" -> o  # c`); when several are attached, the last stays on the line and the
//!   others go on their own lines just above it;
//! - a comment on its own line is *leading* and goes on its own line before the element that
//!   follows it (or at the end of the file).
//!
//! Because attachment is by element and not by position in the output, a comment travels with
//! its element when headers are reordered or merged.
//!
//! Line endings: the first line ending outside strings and comments decides (`\n`, `\r\n`, or a
//! lone `\r`); every line break the formatter writes uses it. A lone `\r` is kept only when the
//! file has no line feed at all (a `#` comment runs to a line feed, so in a mixed file a comment
//! written with `\r` after it would swallow the next line); a file without any line ending
//! gets `\n`. A byte-order mark at the start of the file is kept.
//!
//! **Invariant:** `format` is only called on text that parsed without errors, and
//! `format(format(x)) == format(x)`; every comment of the input is in the output.

use super::ast::{File, Item, ItemKind, Node, Stmt, StmtKind};
use super::comments::{comments, string_spans, Comment};
use crate::source::Span;

const INDENT: &str = "  ";
const MAX_WIDTH: usize = 100;
const BOM: char = '\u{FEFF}';

/// The line break the formatter writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineEnding {
    Lf,
    CrLf,
    Cr,
}

impl LineEnding {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }
}

/// The line ending `format` writes for `text` (see the module docs).
pub(crate) fn line_ending(text: &str, file: &File, comments: &[Comment]) -> LineEnding {
    let mut skipped = string_spans(file);
    skipped.extend(comments.iter().map(|c| c.span));
    skipped.sort_unstable_by_key(|s| s.start());
    let (mut first, mut has_line_feed) = (None, false);
    let (mut pos, mut next) = (0, 0);
    loop {
        let gap_end = skipped.get(next).map_or(text.len(), |s| s.start()).max(pos);
        let gap = &text[pos..gap_end];
        if first.is_none() {
            first = gap.find(['\r', '\n']).map(|i| ending_at(text, pos + i));
        }
        has_line_feed |= gap.contains('\n');
        match skipped.get(next) {
            Some(span) if first.is_none() || !has_line_feed => {
                pos = span.end().max(pos);
                next += 1;
            }
            _ => break,
        }
    }
    match first {
        None => LineEnding::Lf,
        Some(LineEnding::Cr) if has_line_feed => LineEnding::Lf,
        Some(ending) => ending,
    }
}

/// The kind of line break at `at`, a `\r` or `\n`. A run of `\r` before a `\n` is one CRLF
/// break (a comment ending in `\r\r\n` ends a CRLF line).
fn ending_at(text: &str, at: usize) -> LineEnding {
    let rest = &text.as_bytes()[at..];
    let carriage_returns = rest.iter().take_while(|&&b| b == b'\r').count();
    match (carriage_returns, rest.get(carriage_returns)) {
        (0, _) => LineEnding::Lf,
        (_, Some(b'\n')) => LineEnding::CrLf,
        _ => LineEnding::Cr,
    }
}

/// Whether a comment is on its own line before its element or attached to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Leading,
    Attached,
}

/// Comments after the last element, printed at the end of the file.
const END: usize = usize::MAX;

/// The canonical text of `file`, parsed from `source`.
pub fn format(file: &File, source: &str) -> String {
    let comments = comments(source, file);
    let eol = line_ending(source, file, &comments).as_str();
    let layout = Layout::new(file, source, &comments);
    let mut placed = place_comments(&layout, file, source, &comments);
    // Stable: the comments of one element stay in source order.
    placed.sort_by_key(|&(element, place, _)| (element, place));
    let mut printer = Printer { source, eol, out: String::new(), lines: 0, blank: false, comments, placed, next: 0 };
    if source.starts_with(BOM) {
        printer.out.push(BOM);
    }
    printer.file(file, &layout);
    printer.out
}

/// Element numbers in print order; see the module docs for what an element is.
struct Layout<'a> {
    source: &'a str,
    uses: usize,
    /// `meta` on one line (no comment inside any block) or as head, entries and `}`.
    meta_one_line: bool,
    has_meta: bool,
    meta_entries: usize,
    has_vars: bool,
}

impl<'a> Layout<'a> {
    fn new(file: &File, source: &'a str, comments: &[Comment]) -> Layout<'a> {
        let item = &file.item;
        let inside_a_block = item.meta_blocks.iter().any(|block| {
            let first_after = comments.partition_point(|c| c.span.start() <= block.start());
            comments.get(first_after).is_some_and(|c| c.span.start() < block.end())
        });
        let entries: Vec<String> = meta_entry_texts(item, source);
        let one_line = one_line_meta(&entries);
        let multiline_values = entries.iter().any(|e| e.contains(['\n', '\r']));
        Layout {
            source,
            uses: file.uses.len(),
            meta_one_line: one_line.len() + INDENT.len() <= MAX_WIDTH && !inside_a_block && !multiline_values,
            has_meta: !item.meta_blocks.is_empty(),
            meta_entries: item.meta.len(),
            has_vars: !item.vars.is_empty(),
        }
    }

    fn head(&self) -> usize {
        self.uses
    }

    /// The one-line `meta`, or the multi-line `meta {`.
    fn meta(&self) -> usize {
        self.head() + 1
    }

    fn meta_entry(&self, index: usize) -> usize {
        self.meta() + 1 + index
    }

    fn meta_close(&self) -> usize {
        self.meta_entry(self.meta_entries)
    }

    fn vars(&self) -> usize {
        match (self.has_meta, self.meta_one_line) {
            (false, _) => self.meta(),
            (true, true) => self.meta() + 1,
            (true, false) => self.meta_close() + 1,
        }
    }

    fn first_node(&self) -> usize {
        self.vars() + usize::from(self.has_vars)
    }

    /// The offset just after the first `{` at or after `from` that is not in a comment (only
    /// names, spaces and comments come between a head's start and its brace).
    fn after_open_brace(&self, from: usize) -> usize {
        let mut in_comment = false;
        for (i, c) in self.source[from..].char_indices() {
            match c {
                '\n' => in_comment = false,
                '#' => in_comment = true,
                '{' if !in_comment => return from + i + 1,
                _ => {}
            }
        }
        from
    }

    /// Every element's source spans with its number, in source order, to `visit`.
    fn elements(&self, file: &File, mut visit: impl FnMut(Span, usize)) {
        let item = &file.item;
        for (i, use_decl) in file.uses.iter().enumerate() {
            visit(use_decl.span, i);
        }
        let name_end = item.title.as_ref().map_or(item.name.span.end(), |t| t.span.end());
        visit(Span::new(item.span.start(), self.after_open_brace(name_end)), self.head());

        let mut headers: Vec<(Span, usize)> = Vec::new();
        for block in &item.meta_blocks {
            if self.meta_one_line {
                headers.push((*block, self.meta()));
            } else {
                headers.push((Span::new(block.start(), self.after_open_brace(block.start())), self.meta()));
                headers.push((Span::new(block.end() - 1, block.end()), self.meta_close()));
            }
        }
        if !self.meta_one_line {
            for (i, entry) in item.meta.iter().enumerate() {
                headers.push((meta_entry_span(entry), self.meta_entry(i)));
            }
        }
        headers.extend(item.vars_blocks.iter().map(|block| (*block, self.vars())));
        headers.sort_unstable_by_key(|(span, _)| span.start());
        for (span, element) in headers {
            visit(span, element);
        }

        let mut element = self.first_node();
        for node in &item.nodes {
            visit(Span::new(node.span.start(), self.after_open_brace(node.name.span.end())), element);
            for stmt in &node.stmts {
                element += 1;
                visit(stmt.span, element);
            }
            visit(Span::new(node.span.end() - 1, node.span.end()), element + 1);
            element += 2;
        }
        visit(Span::new(item.span.end() - 1, item.span.end()), element);
    }
}

fn meta_entry_span(entry: &super::ast::MetaEntry) -> Span {
    Span::new(entry.key.span.start(), entry.values.last().map_or(entry.key.span.end(), |v| v.span.end()))
}

fn meta_entry_texts(item: &Item, source: &str) -> Vec<String> {
    item.meta
        .iter()
        .map(|entry| {
            let values: Vec<&str> = entry.values.iter().map(|v| &source[v.span.start()..v.span.end()]).collect();
            format!("{} {}", entry.key.name, values.join(" "))
        })
        .collect()
}

fn one_line_meta(entries: &[String]) -> String {
    if entries.is_empty() {
        "meta {}".to_owned()
    } else {
        format!("meta {{ {} }}", entries.join(" "))
    }
}

/// Each comment's element and place: `(element, place, comment index)`, in source order.
fn place_comments(layout: &Layout, file: &File, source: &str, comments: &[Comment]) -> Vec<(usize, Place, usize)> {
    let mut placed = Vec::with_capacity(comments.len());
    if comments.is_empty() {
        return placed;
    }
    let same_line = |from: usize, to: usize| !source[from..to].contains(['\n', '\r']);
    let mut next = 0;
    let mut previous: Option<(Span, usize)> = None;
    layout.elements(file, |span, element| {
        while let Some(comment) = comments.get(next) {
            let start = comment.span.start();
            if start >= span.end() {
                break;
            }
            let place = if start > span.start() {
                (element, Place::Attached)
            } else {
                match previous {
                    Some((before, owner)) if same_line(before.end(), start) => (owner, Place::Attached),
                    _ => (element, Place::Leading),
                }
            };
            placed.push((place.0, place.1, next));
            next += 1;
        }
        previous = Some((span, element));
    });
    for (index, comment) in comments.iter().enumerate().skip(next) {
        let start = comment.span.start();
        match previous {
            Some((before, owner)) if before.end() <= start && same_line(before.end(), start) => {
                placed.push((owner, Place::Attached, index))
            }
            _ => placed.push((END, Place::Leading, index)),
        }
    }
    placed
}

struct Printer<'a> {
    source: &'a str,
    eol: &'static str,
    out: String,
    /// Lines written so far, and whether the last one was blank.
    lines: usize,
    blank: bool,
    comments: Vec<Comment>,
    /// `(element, place, comment)`, sorted by element: elements are printed in number order.
    placed: Vec<(usize, Place, usize)>,
    /// Index of the first entry of `placed` not yet written.
    next: usize,
}

impl Printer<'_> {
    fn raw(&self, span: Span) -> &str {
        &self.source[span.start()..span.end()]
    }

    fn comment(&self, index: usize) -> &str {
        self.comments[index].text(self.source)
    }

    /// Writes element number `element`: its leading comments at `lead_indent`, then its text
    /// at `indent` with its last attached comment; other attached comments go just above it.
    fn element(&mut self, element: usize, indent: usize, lead_indent: usize, text: &str) {
        let mut attached = Vec::new();
        while let Some(&(owner, place, comment)) = self.placed.get(self.next) {
            if owner != element {
                debug_assert!(owner > element, "comments are placed on elements in print order");
                break;
            }
            match place {
                Place::Leading => {
                    let text = self.comment(comment).to_owned();
                    self.push_line(lead_indent, &text);
                }
                Place::Attached => attached.push(comment),
            }
            self.next += 1;
        }
        match attached.split_last() {
            Some((last, above)) => {
                for &comment in above {
                    let text = self.comment(comment).to_owned();
                    self.push_line(lead_indent, &text);
                }
                let line = format!("{text}  {}", self.comment(*last));
                self.push_line(indent, &line);
            }
            None => self.push_line(indent, text),
        }
    }

    fn push_line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
        self.out.push_str(text);
        self.out.push_str(self.eol);
        self.lines += 1;
        self.blank = false;
    }

    fn blank_line(&mut self) {
        if self.lines > 0 && !self.blank {
            self.out.push_str(self.eol);
            self.lines += 1;
            self.blank = true;
        }
    }

    fn file(&mut self, file: &File, layout: &Layout) {
        for (i, use_decl) in file.uses.iter().enumerate() {
            let text = format!("use {}", self.raw(use_decl.path.span));
            self.element(i, 0, 0, &text);
        }
        if !file.uses.is_empty() {
            self.blank_line();
        }
        self.item(&file.item, layout);
        // Comments after the last element, and (defensively) any not yet written.
        while let Some(&(_, _, comment)) = self.placed.get(self.next) {
            let text = self.comment(comment).to_owned();
            self.push_line(0, &text);
            self.next += 1;
        }
    }

    fn item(&mut self, item: &Item, layout: &Layout) {
        let mut head = format!("{} {}", item.kind.keyword(), item.name.name);
        if let Some(title) = &item.title {
            head.push(' ');
            head.push_str(self.raw(title.span));
        }
        head.push_str(" {");
        self.element(layout.head(), 0, 0, &head);

        if item.kind == ItemKind::Script {
            self.headers(item, layout);
        }
        let mut element = layout.first_node();
        for (i, node) in item.nodes.iter().enumerate() {
            if i > 0 || layout.has_meta || layout.has_vars {
                self.blank_line();
            }
            self.node(node, element);
            element += node.stmts.len() + 2;
        }
        self.element(element, 0, 1, "}");
    }

    fn headers(&mut self, item: &Item, layout: &Layout) {
        if layout.has_meta {
            let entries = meta_entry_texts(item, self.source);
            if layout.meta_one_line {
                self.element(layout.meta(), 1, 1, &one_line_meta(&entries));
            } else {
                self.element(layout.meta(), 1, 1, "meta {");
                for (i, text) in entries.iter().enumerate() {
                    self.element(layout.meta_entry(i), 2, 2, text);
                }
                self.element(layout.meta_close(), 1, 2, "}");
            }
        }
        if layout.has_vars {
            let names: Vec<&str> = item.vars.iter().map(|v| v.name.as_str()).collect();
            self.element(layout.vars(), 1, 1, &format!("vars {}", names.join(" ")));
        }
    }

    fn node(&mut self, node: &Node, first_element: usize) {
        let head = format!("{} {} {{", node.stage.keyword(), node.name.name);
        self.element(first_element, 1, 1, &head);
        for (i, stmt) in node.stmts.iter().enumerate() {
            let text = self.stmt(stmt);
            self.element(first_element + 1 + i, 2, 2, &text);
        }
        self.element(first_element + 1 + node.stmts.len(), 1, 2, "}");
    }

    fn stmt(&self, stmt: &Stmt) -> String {
        let keyword = stmt.keyword_text();
        match &stmt.kind {
            StmtKind::Say(s)
            | StmtKind::Ask(s)
            | StmtKind::Customer(s)
            | StmtKind::Note(s)
            | StmtKind::Hold(s)
            | StmtKind::Transfer(s) => format!("{keyword} {}", self.raw(s.span)),
            StmtKind::Goto(target) => format!("-> {}", target.display()),
            StmtKind::Otherwise(target) => format!("otherwise -> {}", target.display()),
            StmtKind::Reply(label, target) | StmtKind::Option(label, target) => {
                format!("{keyword} {} -> {}", self.raw(label.span), target.display())
            }
            StmtKind::Outcome(outcome) => format!("outcome {}", outcome.keyword()),
            StmtKind::FollowUp { after, note } => format!("follow_up {} {}", self.raw(after.span), self.raw(note.span)),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::syntax::parse;

    fn fmt(text: &str) -> String {
        let parsed = parse(FileId::from_index(0), text);
        assert!(parsed.diagnostics.is_empty());
        format(&parsed.ast.unwrap(), text)
    }

    #[test]
    fn canonical_layout() {
        let text = "use \"lib/a.defuse\" script s \"T\" { vars b a meta { k \"v\" } trigger t { customer \"hi\" -> x } close x { say \"bye\" outcome ended } }";
        assert_eq!(
            fmt(text),
            "use \"lib/a.defuse\"\n\nscript s \"T\" {\n  meta { k \"v\" }\n  vars b a\n\n  trigger t {\n    customer \"hi\"\n    -> x\n  }\n\n  close x {\n    say \"bye\"\n    outcome ended\n  }\n}\n"
        );
    }

    #[test]
    fn comments_are_kept_in_place() {
        let text = "# head\nscript s { # after brace\n  # before node\n  trigger t { -> t # trailing\n  # before close\n  }\n}\n# end\n";
        let once = fmt(text);
        assert_eq!(
            once,
            "# head\nscript s {  # after brace\n  # before node\n  trigger t {\n    -> t  # trailing\n    # before close\n  }\n}\n# end\n"
        );
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn strings_are_copied_exactly() {
        let text = "script s { trigger t { customer \"\"\"a\n   \"b\" \\{x\\}\"\"\" say \"tab\\there\" -> t } }";
        let out = fmt(text);
        assert!(out.contains("customer \"\"\"a\n   \"b\" \\{x\\}\"\"\"\n"), "{out}");
        assert!(out.contains("say \"tab\\there\"\n"), "{out}");
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn meta_with_comments_stays_multiline() {
        let text = "script s {\n  meta { # why\n    owner \"x\" # who\n  }\n  trigger t { -> t }\n}\n";
        let once = fmt(text);
        assert_eq!(
            once,
            "script s {\n  meta {  # why\n    owner \"x\"  # who\n  }\n\n  trigger t {\n    -> t\n  }\n}\n"
        );
        assert_eq!(fmt(&once), once);
    }

    /// Formats `text`, checks that formatting again changes nothing, and returns the result.
    fn fmt_twice(text: &str) -> String {
        let once = fmt(text);
        assert_eq!(fmt(&once), once, "not idempotent, from:\n{text:?}");
        once
    }

    fn comment_texts(text: &str) -> Vec<String> {
        let parsed = parse(FileId::from_index(0), text);
        crate::syntax::comments(text, &parsed.ast.unwrap()).iter().map(|c| c.text(text).to_owned()).collect()
    }

    #[test]
    fn a_false_triple_quote_does_not_eat_the_comments_after_it() {
        let text = "script s {\n  trigger t {\n    follow_up \"\"\"48h\"  # when\n    -> t  # loop\n  }\n}\n# end\n";
        let canonical =
            "script s {\n  trigger t {\n    follow_up \"\" \"48h\"  # when\n    -> t  # loop\n  }\n}\n# end\n";
        assert_eq!(fmt_twice(text), canonical);
    }

    #[test]
    fn a_trailing_comment_on_vars_stays_on_its_line() {
        let text = "script s {\n  vars who   # filled from the CRM\n  meta { k \"v\" }\n  trigger t { -> t }\n}\n";
        let out = fmt_twice(text);
        assert!(out.contains("  vars who  # filled from the CRM\n"), "{out}");
    }

    /// `vars x` (one name) once took the comment on the next line as its own: a suppression
    /// before the first node moved onto the `vars` line and stopped covering the node.
    #[test]
    fn a_comment_after_a_one_name_vars_stays_before_the_node() {
        let text = "script s {\n  vars x\n  # defuse: allow hold \"IVR music\"\n  trigger t { -> t }\n}\n";
        let out = fmt_twice(text);
        assert_eq!(
            out,
            "script s {\n  vars x\n\n  # defuse: allow hold \"IVR music\"\n  trigger t {\n    -> t\n  }\n}\n"
        );
        let text = "script s {\n  vars x # the caller's name\n  # greeting first\n  trigger t { -> t }\n}\n";
        let out = fmt_twice(text);
        assert!(
            out.starts_with("script s {\n  vars x  # the caller's name\n\n  # greeting first\n  trigger t {"),
            "{out}"
        );
    }

    #[test]
    fn comments_travel_with_repeated_headers() {
        let text = "script s {\n  meta { a \"1\" }\n  vars x # about x\n  meta { b \"2\" } # about b\n  vars y\n  trigger t { -> t }\n}\n";
        let out = fmt_twice(text);
        assert_eq!(
            out,
            "script s {\n  meta { a \"1\" b \"2\" }  # about b\n  vars x y  # about x\n\n  trigger t {\n    -> t\n  }\n}\n"
        );
    }

    #[test]
    fn a_comment_inside_a_statement_stays_on_its_line() {
        let text = "script s {\n  trigger t {\n    reply \"yes\" # c\n    -> t\n    otherwise -> t\n  }\n}\n";
        let out = fmt_twice(text);
        assert!(out.contains("    reply \"yes\" -> t  # c\n    otherwise -> t\n"), "{out}");
    }

    #[test]
    fn several_comments_on_one_statement_are_all_kept_in_order() {
        let text = "script s { trigger t { reply # a\n \"yes\" # b\n -> # c\n t # d\n } }";
        let out = fmt_twice(text);
        assert_eq!(comment_texts(&out), ["# a", "# b", "# c", "# d"]);
        assert!(out.contains("    # c\n    reply \"yes\" -> t  # d\n"), "{out}");
    }

    #[test]
    fn a_comment_ending_in_cr_cr_lf_is_idempotent() {
        let text = "script s { # c\r\r\n trigger t { -> t } }\n";
        let out = fmt_twice(text);
        assert_eq!(comment_texts(&out), ["# c"]);
    }

    #[test]
    fn crlf_and_a_bom_are_kept() {
        let text = "\u{feff}# top\r\nscript s { trigger t { say \"\"\"a\nb\"\"\" -> t } }";
        let out = fmt_twice(text);
        assert_eq!(
            out,
            "\u{feff}# top\r\nscript s {\r\n  trigger t {\r\n    say \"\"\"a\nb\"\"\"\r\n    -> t\r\n  }\r\n}\r\n"
        );
    }

    #[test]
    fn the_first_line_ending_outside_strings_and_comments_decides() {
        // The LF inside the title and the CR inside the comment are not line endings.
        let text = "script s \"\"\"a\nb\"\"\" { # x\ry\r\n trigger t { -> t } }\n";
        let out = fmt_twice(text);
        assert!(out.starts_with("script s \"\"\"a\nb\"\"\" {  # x\ry\r\n  trigger t {\r\n"), "{out:?}");
    }

    #[test]
    fn a_lone_cr_file_stays_cr_unless_it_has_line_feeds() {
        let text = "script s {\r trigger t { -> t }\r}\r# a\r# b";
        assert_eq!(fmt_twice(text), "script s {\r  trigger t {\r    -> t\r  }\r}\r# a\r# b\r");
        let mixed = "script s {\r trigger t { -> t } # c\n}\n";
        assert_eq!(fmt_twice(mixed), "script s {\n  trigger t {\n    -> t\n  }  # c\n}\n");
    }

    #[test]
    fn comments_at_the_end_without_a_newline_are_kept() {
        assert_eq!(
            fmt_twice("script s { trigger t { -> t } } # end"),
            "script s {\n  trigger t {\n    -> t\n  }\n}  # end\n"
        );
        assert_eq!(
            fmt_twice("script s { trigger t { -> t } }\n# end"),
            "script s {\n  trigger t {\n    -> t\n  }\n}\n# end\n"
        );
    }

    #[test]
    fn comments_inside_heads_stay_with_the_head() {
        let text = "use # u\n \"a.defuse\"\nscript # s\n s { trigger # t\n t { -> t } }\n";
        let out = fmt_twice(text);
        assert_eq!(comment_texts(&out), ["# u", "# s", "# t"]);
        assert!(
            out.contains("use \"a.defuse\"  # u\n")
                && out.contains("script s {  # s\n")
                && out.contains("  trigger t {  # t\n"),
            "{out}"
        );
    }
}
