//! `defuse fmt`: the one canonical layout.
//!
//! Two-space indent, one statement per line, one blank line between nodes and after the
//! headers, `meta` before `vars`. String literals are copied from the source byte for byte
//! (escapes and multi-line text included), so formatting never changes what is said.
//!
//! Comments are not in the AST (the grammar skips them), so [`comments`] finds them in the
//! text, which is known to parse. Each comment is either *trailing* (only spaces between
//! it and the end of the element before it, on the same line) and stays at the end of that
//! element's line, or *leading* and goes on its own line before the next element. No comment
//! is ever dropped: whatever is left at the end is written at the end.
//!
//! **Invariant:** `format` is only called on text that parsed without errors, and
//! `format(format(x)) == format(x)`.

use super::ast::{File, Item, ItemKind, Node, Stmt, StmtKind};
use crate::source::Span;

const INDENT: &str = "  ";
const MAX_WIDTH: usize = 100;

/// A `#` comment: its span, without the line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
}

/// Every comment in `text`, which must be text that parses (so strings are well formed).
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let end = if text[..end].ends_with('\r') { end - 1 } else { end };
                found.push(Comment { span: Span::new(i, end) });
                i = end;
            }
            // Byte comparisons only: after `\` the index may land inside a multi-byte character,
            // which is harmless for bytes (ASCII never occurs inside one) but not for `str`.
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 3;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    found
}

/// The canonical text of `file`, parsed from `source`.
pub fn format(file: &File, source: &str) -> String {
    let mut printer = Printer { source, out: String::new(), comments: comments(source), next: 0 };
    for use_decl in &file.uses {
        printer.line(0, &format!("use {}", printer.raw(use_decl.path.span)), use_decl.span);
    }
    if !file.uses.is_empty() {
        printer.blank();
    }
    printer.item(&file.item);
    printer.rest();
    printer.out
}

struct Printer<'a> {
    source: &'a str,
    out: String,
    comments: Vec<Comment>,
    /// Index of the first comment not yet written.
    next: usize,
}

impl Printer<'_> {
    /// The offset just after the first `{` at or after `from` that is not in a comment.
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

    fn raw(&self, span: Span) -> &str {
        &self.source[span.start()..span.end()]
    }

    /// Writes the comments that come before `position`, each on its own line.
    fn leading(&mut self, indent: usize, position: usize) {
        while let Some(comment) = self.comments.get(self.next).filter(|c| c.span.start() < position) {
            let text = self.raw(comment.span).to_owned();
            self.push_line(indent, &text);
            self.next += 1;
        }
    }

    /// Writes one element: its leading comments, its text, and a trailing comment.
    fn line(&mut self, indent: usize, text: &str, span: Span) {
        self.leading(indent, span.start());
        let mut text = text.to_owned();
        if let Some(comment) = self.comments.get(self.next) {
            let between = &self.source[span.end().min(comment.span.start())..comment.span.start()];
            if comment.span.start() >= span.end() && !between.contains('\n') && between.trim().is_empty() {
                text.push_str("  ");
                text.push_str(self.raw(comment.span));
                self.next += 1;
            }
        }
        self.push_line(indent, &text);
    }

    fn push_line(&mut self, indent: usize, text: &str) {
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Comments after the last element.
    fn rest(&mut self) {
        self.leading(0, usize::MAX);
    }

    fn item(&mut self, item: &Item) {
        let mut head = format!("{} {}", item.kind.keyword(), item.name.name);
        if let Some(title) = &item.title {
            head.push(' ');
            head.push_str(self.raw(title.span));
        }
        head.push_str(" {");
        let open_end = self.after_open_brace(item.title.as_ref().map_or(item.name.span.end(), |t| t.span.end()));
        self.line(0, &head, Span::new(item.span.start(), open_end));

        if item.kind == ItemKind::Script {
            self.headers(item);
        }
        for (i, node) in item.nodes.iter().enumerate() {
            if i > 0 || !item.meta_blocks.is_empty() || !item.vars.is_empty() {
                self.blank();
            }
            self.node(node);
        }
        let close = item.span.end() - 1;
        self.leading(1, close);
        self.line(0, "}", Span::new(close, item.span.end()));
    }

    fn headers(&mut self, item: &Item) {
        if let (Some(first), Some(last)) = (item.meta_blocks.first(), item.meta_blocks.last()) {
            let entries: Vec<String> = item
                .meta
                .iter()
                .map(|entry| {
                    let values: Vec<&str> = entry.values.iter().map(|v| self.raw(v.span)).collect();
                    format!("{} {}", entry.key.name, values.join(" "))
                })
                .collect();
            let one_line =
                if entries.is_empty() { "meta {}".to_owned() } else { format!("meta {{ {} }}", entries.join(" ")) };
            let inside =
                |c: &Comment| item.meta_blocks.iter().any(|b| c.span.start() > b.start() && c.span.start() < b.end());
            let has_comments = self.comments[self.next..].iter().any(inside);
            let multiline_values = entries.iter().any(|e| e.contains('\n'));
            if one_line.len() + INDENT.len() <= MAX_WIDTH && !has_comments && !multiline_values {
                self.line(1, &one_line, Span::new(first.start(), last.end()));
            } else {
                self.line(1, "meta {", Span::new(first.start(), self.after_open_brace(first.start())));
                for (entry, text) in item.meta.iter().zip(&entries) {
                    let end = entry.values.last().map_or(entry.key.span.end(), |v| v.span.end());
                    self.line(2, text, Span::new(entry.key.span.start(), end));
                }
                self.leading(2, last.end() - 1);
                self.line(1, "}", Span::new(last.end() - 1, last.end()));
            }
        }
        if !item.vars.is_empty() {
            let names: Vec<&str> = item.vars.iter().map(|v| v.name.as_str()).collect();
            let span = Span::new(item.vars[0].span.start(), item.vars.last().expect("not empty").span.end());
            self.line(1, &format!("vars {}", names.join(" ")), span);
        }
    }

    fn node(&mut self, node: &Node) {
        let head = format!("{} {} {{", node.stage.keyword(), node.name.name);
        let open_end = self.after_open_brace(node.name.span.end());
        self.line(1, &head, Span::new(node.span.start(), open_end));
        for stmt in &node.stmts {
            let text = self.stmt(stmt);
            self.line(2, &text, stmt.span);
        }
        let close = node.span.end() - 1;
        self.leading(2, close);
        self.line(1, "}", Span::new(close, node.span.end()));
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
    use crate::syntax::parse;

    fn fmt(text: &str) -> String {
        let parsed = parse(0, text);
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

    #[test]
    fn an_escaped_multibyte_character_does_not_split_the_scan() {
        // Found by the fuzzer: `\` followed by a BOM inside a string.
        assert_eq!(comments("say \"a\\\u{feff}b\" # c"), vec![Comment { span: Span::new(13, 16) }]);
        assert_eq!(comments("say \"\"\"\\\u{feff}\"\"\" # c").len(), 1);
    }

    #[test]
    fn hashes_in_strings_are_not_comments() {
        assert_eq!(comments("say \"#1 \\\" #2\" # real"), vec![Comment { span: Span::new(15, 21) }]);
        assert!(comments("say \"\"\"# no\n\"\"\"").is_empty());
    }
}
