//! `strings extract`: the translation template (POT) of one script or library (contract section
//! 12, "Translatable text", "Entry", "`#.` comments", "Header").
//!
//! Entries come in source order: the title, then every translatable statement as written. The key
//! is `<unit>.<node>:<kind>` (or `<unit>:title`) with the line's text, so inserting a line never
//! changes another line's key, and identical text of one kind in one node is one entry with a
//! reference per place. The `#.` comments tell a translator what they cannot see in a PO editor:
//! the stage and role, what the caller said just before, what each placeholder is, and how many
//! words the line may take at the source's speaking rate.
//!
//! **Invariant:** the template depends on the source text and the settings alone: no date, no
//! version, no order from a hash map, so extracting twice gives the same bytes.

use super::brace;
use super::po::{Catalog, Entry};
use crate::config::timing::Timing;
use crate::graph::timing;
use crate::resolve::Project;
use crate::source::FileId;
use crate::syntax::ast::{Item, ItemKind, Node, Stage, Stmt, StmtKind, Str};
use crate::syntax::strings::Piece;

/// What a template needs besides the script.
pub(crate) struct Settings<'a> {
    /// The file's path relative to the project root, with `/` separators (for `#:` lines).
    pub reference_path: &'a str,
    /// The source locale's `[timing]` (speaking rate and placeholder words, for `spoken:`).
    pub timing: &'a Timing,
    /// `[locales] max_stretch`: how many times the source's words a translation may take.
    pub max_stretch: f64,
}

/// The POT of the script or library in `file`, or `None` when the file does not parse.
pub(crate) fn template(project: &Project, file: FileId, settings: &Settings) -> Option<Catalog> {
    let item = project.item(file)?;
    let source = project.sources.get(file);
    let text = source.text.as_str();
    let line_of = |offset: usize| source.line_col(offset).line;
    let mut entries = vec![header(&item.name.name)];
    let incoming = Incoming::of(item);
    // Entries are merged only within a node (the msgctxt names it), so only the entries of the
    // current node are searched: the template stays linear in the script.
    let (mut node_start, mut current_node) = (entries.len(), None);

    for line in lines(item, text) {
        let reference = format!("{}:{}", settings.reference_path, line_of(line.text.span.start()));
        let Some((node, stmt_index)) = line.statement else {
            entries.push(Entry {
                extracted_comments: vec![format!("title of {}, shown to trainers and in exports", item.name.name)],
                references: vec![reference],
                msgctxt: Some(line.msgctxt),
                msgid: line.msgid,
                ..Entry::default()
            });
            continue;
        };
        if current_node != Some(node) {
            (node_start, current_node) = (entries.len(), Some(node));
        }
        // Identical text of one kind in one node is one entry, with a reference per place.
        if let Some(known) = entries[node_start..]
            .iter_mut()
            .find(|entry| entry.msgctxt.as_deref() == Some(&line.msgctxt) && entry.msgid == line.msgid)
        {
            if !known.references.contains(&reference) {
                known.references.push(reference);
            }
            continue;
        }
        let node = &item.nodes[node];
        let context = Context { item, node, stmt_index, text, incoming: &incoming };
        let pieces = line.text.pieces(text);
        entries.push(Entry {
            extracted_comments: comments(&context, line.kind, line.text, &pieces, settings),
            references: vec![reference],
            flags: vec!["python-brace-format".into()],
            msgctxt: Some(line.msgctxt),
            msgid: line.msgid,
            ..Entry::default()
        });
    }
    Some(Catalog { entries })
}

/// One translatable text of a script or library, with its key (contract section 12,
/// "Translatable text", "Entry").
pub struct Line<'a> {
    /// `title`, or the statement kind: `say ask customer note reply option hold follow_up`.
    pub kind: &'static str,
    pub msgctxt: String,
    /// The text as translators see it: brace-format for statements, plain for the title.
    pub msgid: String,
    pub text: &'a Str,
    /// The node index and statement index of a statement; `None` for the title.
    pub statement: Option<(usize, usize)>,
}

/// Every translatable text of `item` (whose source is `text`), in source order: the title,
/// then the statements as written. The one list extraction and localisation both walk.
pub(crate) fn lines<'a>(item: &'a Item, text: &str) -> Vec<Line<'a>> {
    let unit = &item.name.name;
    let mut lines = Vec::new();
    if let Some(title) = &item.title {
        lines.push(Line {
            kind: "title",
            msgctxt: format!("{unit}:title"),
            msgid: title.value.clone(),
            text: title,
            statement: None,
        });
    }
    for (node_index, node) in item.nodes.iter().enumerate() {
        for (stmt_index, stmt) in node.stmts.iter().enumerate() {
            let Some((kind, line)) = translatable(stmt) else { continue };
            lines.push(Line {
                kind,
                msgctxt: format!("{unit}.{}:{kind}", node.name.name),
                msgid: brace::msgid(&line.pieces(text)),
                text: line,
                statement: Some((node_index, stmt_index)),
            });
        }
    }
    lines
}

/// The POT header: gettext's placeholder values, so `msginit` and Weblate can start a language
/// from it, and nothing that changes from run to run.
fn header(name: &str) -> Entry {
    let fields = [
        ("Project-Id-Version", name),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", "defuse"),
    ];
    let msgstr = fields.iter().map(|(key, value)| format!("{key}: {value}\n")).collect();
    Entry { fuzzy: true, msgstr, ..Entry::default() }
}

/// The kind (the msgctxt's last part) and text of a translatable statement. Not translatable:
/// targets, outcomes, the `follow_up` delay and the `transfer` queue name (exports route on it).
fn translatable(stmt: &Stmt) -> Option<(&'static str, &Str)> {
    Some(match &stmt.kind {
        StmtKind::Say(line) => ("say", line),
        StmtKind::Ask(line) => ("ask", line),
        StmtKind::Customer(line) => ("customer", line),
        StmtKind::Note(line) => ("note", line),
        StmtKind::Hold(line) => ("hold", line),
        StmtKind::Reply(label, _) => ("reply", label),
        StmtKind::Option(label, _) => ("option", label),
        StmtKind::FollowUp { note, .. } => ("follow_up", note),
        StmtKind::Goto(_) | StmtKind::Otherwise(_) | StmtKind::Transfer(_) | StmtKind::Outcome(_) => return None,
    })
}

/// Where a statement stands, for its comments.
struct Context<'a> {
    item: &'a Item,
    node: &'a Node,
    stmt_index: usize,
    text: &'a str,
    incoming: &'a Incoming<'a>,
}

/// The first edges into each node of the file, found in one pass (source order), so "after the
/// caller" does not scan the whole file for every line.
#[derive(Default)]
struct Incoming<'a> {
    /// Node name → the label of the first `reply` into it.
    reply: rustc_hash::FxHashMap<&'a str, &'a Str>,
    /// Node name → the index of the node whose plain `->` is the first into it.
    goto: rustc_hash::FxHashMap<&'a str, usize>,
}

impl<'a> Incoming<'a> {
    fn of(item: &'a Item) -> Incoming<'a> {
        let mut incoming = Incoming::default();
        for (from, node) in item.nodes.iter().enumerate() {
            for stmt in &node.stmts {
                let Some((target, _)) = stmt.edge() else { continue };
                if target.library.is_some() {
                    continue;
                }
                let name = target.node.name.as_str();
                match &stmt.kind {
                    StmtKind::Reply(label, _) => {
                        incoming.reply.entry(name).or_insert(label);
                    }
                    StmtKind::Goto(_) => {
                        incoming.goto.entry(name).or_insert(from);
                    }
                    _ => {}
                }
            }
        }
        incoming
    }
}

/// The `#.` lines of a statement entry, in the contract's order.
fn comments(context: &Context, kind: &str, line: &Str, pieces: &[Piece], settings: &Settings) -> Vec<String> {
    let Context { node, stmt_index, .. } = *context;
    let role = match kind {
        "say" => "the agent says this".to_string(),
        "ask" => "the agent asks this".to_string(),
        "customer" => "an example of what the caller says".to_string(),
        "note" => "a note for trainers, never spoken".to_string(),
        "reply" => "a reply of the caller that the agent listens for".to_string(),
        "option" => "an option the agent offers".to_string(),
        "hold" => "said while putting the caller on hold".to_string(),
        _ => {
            let after = node.stmts[stmt_index..].iter().find_map(|stmt| match &stmt.kind {
                StmtKind::FollowUp { after, .. } => Some(after.value.as_str()),
                _ => None,
            });
            format!("a follow-up task for the agent, after {}", after.unwrap_or(""))
        }
    };
    let mut comments = vec![format!("{}, node {}: {role}", node.stage.keyword(), node.name.name)];
    if matches!(kind, "say" | "ask" | "option" | "hold") {
        if let Some(caller) = caller_before(context) {
            comments.push(format!("after the caller: \"{}\"", one_line(&caller)));
        }
    }
    if kind == "reply" {
        let asked = node.stmts[..stmt_index].iter().rev().find_map(|stmt| match &stmt.kind {
            StmtKind::Ask(question) => Some(question),
            _ => None,
        });
        if let Some(question) = asked {
            comments.push(format!("answers: \"{}\"", one_line(&brace::msgid(&question.pieces(context.text)))));
        }
    }
    let mut named: Vec<&str> = Vec::new();
    for piece in pieces {
        if let Piece::Var(name) = piece {
            if !named.contains(name) {
                named.push(name);
                comments.push(format!("{{{name}}} is filled in during the call (var {name}); keep it as it is"));
            }
        }
    }
    if matches!(kind, "say" | "ask" | "option") {
        let words = timing::str_words(line, settings.timing.placeholder_words);
        let seconds = words * 60.0 / settings.timing.agent_wpm;
        let ceiling = (words * settings.max_stretch).ceil();
        comments.push(format!(
            "spoken: {} words, {} s at {} wpm; keep within {} words",
            number(words),
            number(timing::round(seconds)),
            number(settings.timing.agent_wpm),
            number(ceiling)
        ));
    }
    comments
}

/// What the caller said just before a line (contract section 12): the last `customer` line
/// earlier in the node; else the label of the first `reply` into the node in this file; else
/// the last `customer` line of the trigger whose plain `->` is the first into the node.
fn caller_before(context: &Context) -> Option<String> {
    let Context { item, node, stmt_index, text, incoming } = *context;
    let said = |stmts: &[Stmt]| {
        stmts.iter().rev().find_map(|stmt| match &stmt.kind {
            StmtKind::Customer(line) => Some(brace::msgid(&line.pieces(text))),
            _ => None,
        })
    };
    if let Some(line) = said(&node.stmts[..stmt_index]) {
        return Some(line);
    }
    if let Some(label) = incoming.reply.get(node.name.name.as_str()) {
        return Some(brace::msgid(&label.pieces(text)));
    }
    let from = &item.nodes[*incoming.goto.get(node.name.name.as_str())?];
    if from.stage == Stage::Trigger && item.kind == ItemKind::Script {
        return said(&from.stmts);
    }
    None
}

/// Text on one comment line: line breaks, tabs and carriage returns as their escapes.
fn one_line(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n").replace('\t', "\\t").replace('\r', "\\r")
}

/// A figure as people write it: `12`, `4.8`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{}", timing::round(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::po;

    fn pot(text: &str) -> String {
        let project = crate::resolve::load_text("scripts/refund.defuse".into(), text);
        let timing = Timing::default();
        let settings = Settings { reference_path: "scripts/refund.defuse", timing: &timing, max_stretch: 1.3 };
        po::write(&template(&project, FileId::from_index(0), &settings).expect("parses"))
    }

    #[test]
    fn writes_each_translatable_line_with_what_a_translator_needs() {
        insta::assert_snapshot!(pot(r#"script refund "Refund has not arrived" {
  vars name
  trigger start {
    customer "Where is my refund?"
    -> hear
  }
  acknowledge hear {
    say "I'm sorry, {name}. Code \{E42\} is on it."
    say "I'm sorry, {name}. Code \{E42\} is on it."
    -> check
  }
  root-cause check {
    ask "Did you get an email?"
    reply "yes" -> offer
    reply "no" -> offer
    otherwise -> offer
  }
  options offer {
    option "Refund today" -> done
    option "Talk to a supervisor" -> done
  }
  close done {
    hold "One moment"
    transfer "billing-queue"
    outcome resolved
    follow_up "48h" "Check the refund\nwent through"
  }
}"#), @r##"
        #, fuzzy
        msgid ""
        msgstr ""
        "Project-Id-Version: refund\n"
        "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
        "Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
        "Language-Team: LANGUAGE <LL@li.org>\n"
        "Language: \n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "X-Generator: defuse\n"

        #. title of refund, shown to trainers and in exports
        #: scripts/refund.defuse:1
        msgctxt "refund:title"
        msgid "Refund has not arrived"
        msgstr ""

        #. trigger, node start: an example of what the caller says
        #: scripts/refund.defuse:4
        #, python-brace-format
        msgctxt "refund.start:customer"
        msgid "Where is my refund?"
        msgstr ""

        #. acknowledge, node hear: the agent says this
        #. after the caller: "Where is my refund?"
        #. {name} is filled in during the call (var name); keep it as it is
        #. spoken: 9 words, 3.6 s at 150 wpm; keep within 12 words
        #: scripts/refund.defuse:8 scripts/refund.defuse:9
        #, python-brace-format
        msgctxt "refund.hear:say"
        msgid "I'm sorry, {name}. Code {{E42}} is on it."
        msgstr ""

        #. root-cause, node check: the agent asks this
        #. spoken: 5 words, 2 s at 150 wpm; keep within 7 words
        #: scripts/refund.defuse:13
        #, python-brace-format
        msgctxt "refund.check:ask"
        msgid "Did you get an email?"
        msgstr ""

        #. root-cause, node check: a reply of the caller that the agent listens for
        #. answers: "Did you get an email?"
        #: scripts/refund.defuse:14
        #, python-brace-format
        msgctxt "refund.check:reply"
        msgid "yes"
        msgstr ""

        #. root-cause, node check: a reply of the caller that the agent listens for
        #. answers: "Did you get an email?"
        #: scripts/refund.defuse:15
        #, python-brace-format
        msgctxt "refund.check:reply"
        msgid "no"
        msgstr ""

        #. options, node offer: an option the agent offers
        #. after the caller: "yes"
        #. spoken: 2 words, 0.8 s at 150 wpm; keep within 3 words
        #: scripts/refund.defuse:19
        #, python-brace-format
        msgctxt "refund.offer:option"
        msgid "Refund today"
        msgstr ""

        #. options, node offer: an option the agent offers
        #. after the caller: "yes"
        #. spoken: 4 words, 1.6 s at 150 wpm; keep within 6 words
        #: scripts/refund.defuse:20
        #, python-brace-format
        msgctxt "refund.offer:option"
        msgid "Talk to a supervisor"
        msgstr ""

        #. close, node done: said while putting the caller on hold
        #: scripts/refund.defuse:23
        #, python-brace-format
        msgctxt "refund.done:hold"
        msgid "One moment"
        msgstr ""

        #. close, node done: a follow-up task for the agent, after 48h
        #: scripts/refund.defuse:26
        #, python-brace-format
        msgctxt "refund.done:follow_up"
        msgid ""
        "Check the refund\n"
        "went through"
        msgstr ""
        "##);
    }

    #[test]
    fn inserting_a_line_changes_no_other_key() {
        let before = pot("script s { trigger t { customer \"hi\" -> a } acknowledge a { say \"one\" say \"two\" } }");
        let after = pot(
            "script s { trigger t { customer \"hi\" -> a } acknowledge a { say \"zero\" say \"one\" say \"two\" } }",
        );
        let keys = |text: &str| -> Vec<(Option<String>, String)> {
            po::parse(text.as_bytes()).unwrap().entries.into_iter().map(|entry| (entry.msgctxt, entry.msgid)).collect()
        };
        let (before, after) = (keys(&before), keys(&after));
        assert!(before.iter().all(|key| after.contains(key)), "{before:?}\n{after:?}");
    }
}
