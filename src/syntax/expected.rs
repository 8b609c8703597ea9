//! Syntax errors in a script writer's words.
//!
//! pest reports the grammar rules it tried at the furthest position. [`describe`] gives every
//! rule a human name (one exhaustive match, so a new rule cannot ship without one), and
//! [`syntax_error`] turns pest's error into a diagnostic: what was expected, what was found,
//! a "did you mean" for misspelled keywords, and help for the common slips.

use pest::error::{ErrorVariant, InputLocation};

use super::parser::Rule as GrammarRule;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::suggest::closest;

const STAGES: &[&str] = &["trigger", "acknowledge", "mirror", "root-cause", "options", "close"];
const STATEMENTS: &[&str] = &[
    "say",
    "ask",
    "customer",
    "note",
    "->",
    "reply",
    "otherwise",
    "option",
    "hold",
    "transfer",
    "outcome",
    "follow_up",
];
const OUTCOMES: &[&str] = &["resolved", "escalated", "callback", "ended"];
pub const RESERVED: &[&str] = &[
    "use",
    "script",
    "library",
    "meta",
    "vars",
    "trigger",
    "acknowledge",
    "mirror",
    "options",
    "close",
    "say",
    "ask",
    "customer",
    "note",
    "reply",
    "otherwise",
    "option",
    "hold",
    "transfer",
    "outcome",
    "follow_up",
];

/// The human name of a grammar rule, and the keywords a misspelling of it may be meant as.
fn describe(rule: GrammarRule) -> (&'static str, &'static [&'static str]) {
    match rule {
        GrammarRule::EOI => ("end of file", &[]),
        GrammarRule::lbrace => ("`{`", &[]),
        GrammarRule::rbrace => ("`}`", &[]),
        GrammarRule::arrow => ("`->`", &[]),
        GrammarRule::string => ("a string in double quotes", &[]),
        GrammarRule::ident => ("a name", &[]),
        GrammarRule::var_name => ("a var name", &[]),
        GrammarRule::target => ("a node name (`node` or `library.node`)", &[]),
        GrammarRule::stage => ("a stage (trigger, acknowledge, mirror, root-cause, options, close)", STAGES),
        GrammarRule::node => ("a node (a stage: trigger, acknowledge, mirror, root-cause, options, close)", STAGES),
        GrammarRule::outcome => ("an outcome (resolved, escalated, callback, ended)", OUTCOMES),
        GrammarRule::kw_use | GrammarRule::use_decl => ("`use`", &["use"]),
        GrammarRule::kw_script | GrammarRule::script => ("`script`", &["script"]),
        GrammarRule::kw_library | GrammarRule::library => ("`library`", &["library"]),
        GrammarRule::kw_meta | GrammarRule::meta => ("`meta`", &["meta"]),
        GrammarRule::kw_vars | GrammarRule::vars => ("`vars`", &["vars"]),
        GrammarRule::header => ("`meta` or `vars`", &["meta", "vars"]),
        GrammarRule::meta_entry => ("a meta entry (`key \"value\"`)", &[]),
        GrammarRule::kw_say | GrammarRule::say_stmt => ("`say`", &["say"]),
        GrammarRule::kw_ask | GrammarRule::ask_stmt => ("`ask`", &["ask"]),
        GrammarRule::kw_customer | GrammarRule::customer_stmt => ("`customer`", &["customer"]),
        GrammarRule::kw_note | GrammarRule::note_stmt => ("`note`", &["note"]),
        GrammarRule::goto_stmt => ("`->`", &[]),
        GrammarRule::kw_reply | GrammarRule::reply_stmt => ("`reply`", &["reply"]),
        GrammarRule::kw_otherwise | GrammarRule::otherwise_stmt => ("`otherwise`", &["otherwise"]),
        GrammarRule::kw_option | GrammarRule::option_stmt => ("`option`", &["option"]),
        GrammarRule::kw_hold | GrammarRule::hold_stmt => ("`hold`", &["hold"]),
        GrammarRule::kw_transfer | GrammarRule::transfer_stmt => ("`transfer`", &["transfer"]),
        GrammarRule::kw_outcome | GrammarRule::outcome_stmt => ("`outcome`", &["outcome"]),
        GrammarRule::kw_follow_up | GrammarRule::follow_up_stmt => ("`follow_up`", &["follow_up"]),
        GrammarRule::stmt => (
            "a statement (say, ask, customer, note, ->, reply, otherwise, option, hold, transfer, outcome, follow_up)",
            STATEMENTS,
        ),
        GrammarRule::file | GrammarRule::head => ("a script or library", &["script", "library", "use"]),
        GrammarRule::script_head => ("`script`", &["script"]),
        GrammarRule::library_head => ("`library`", &["library"]),
        GrammarRule::tail => ("`}`", &[]),
        // Silent helpers: pest never reports them, but every rule needs a name.
        GrammarRule::WHITESPACE => ("whitespace", &[]),
        GrammarRule::COMMENT => ("a comment", &[]),
        GrammarRule::plain_chars | GrammarRule::triple_chars => ("text", &[]),
        GrammarRule::ident_char => ("a letter, digit or `_`", &[]),
        GrammarRule::keyword => ("a keyword", RESERVED),
    }
}

/// Builds the `syntax` diagnostic for a pest error in `text`.
pub fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<GrammarRule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let found = Found::at(text, pos);

    if let Some(unclosed) = unclosed_string(text, pos, &positives) {
        return unclosed.into_diagnostic(file);
    }

    let mut names: Vec<&str> = Vec::new();
    let mut keywords: Vec<&str> = Vec::new();
    // Closing punctuation reads best last: "expected a statement or `}`".
    let mut ordered = positives.clone();
    ordered.sort_by_key(|rule| matches!(rule, GrammarRule::rbrace | GrammarRule::EOI));
    let after_arrow = text[..pos].trim_end().ends_with("->");
    for rule in &ordered {
        let (name, words) = match rule {
            GrammarRule::ident if after_arrow => describe(GrammarRule::target),
            _ => describe(*rule),
        };
        if !names.contains(&name) {
            names.push(name);
        }
        for word in words {
            if !keywords.contains(word) {
                keywords.push(word);
            }
        }
    }
    let expected = join_or(&names);
    let message = if expected.is_empty() {
        format!("unexpected {}", found.describe())
    } else {
        format!("expected {expected}, found {}", found.describe())
    };
    let diagnostic = Diagnostic::new(Code::Syntax, file, found.span, message).label("unexpected here");

    let wants_name =
        positives.iter().any(|r| matches!(r, GrammarRule::ident | GrammarRule::target | GrammarRule::var_name));
    let help = match found.word {
        Some(word) if wants_name && RESERVED.contains(&word) => {
            Some(format!("`{word}` is a reserved word; choose another name"))
        }
        Some(word @ ("meta" | "vars")) if positives.contains(&GrammarRule::stage) => {
            Some(format!("`{word}` goes before the first node of the script"))
        }
        Some(word) => match closest(word, keywords.iter().copied()) {
            Some(best) => Some(format!("did you mean `{best}`?")),
            None if positives == [GrammarRule::EOI] => {
                Some("a file holds exactly one script or library; move this one into a file of its own".to_owned())
            }
            None if STAGES.contains(&word) && positives.contains(&GrammarRule::rbrace) => {
                Some("the node before this one is missing its closing `}`".to_owned())
            }
            None => None,
        },
        None if found.text == "." => Some("write `library.node` with no spaces around the dot".to_owned()),
        None if found.text.is_empty() && positives.contains(&GrammarRule::rbrace) => {
            Some("every `{` needs a matching `}`".to_owned())
        }
        None => None,
    };
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// A string literal that starts at (or just before) `pos` and never ends.
struct Unclosed {
    span: Span,
    triple: bool,
}

impl Unclosed {
    fn into_diagnostic(self, file: FileId) -> Diagnostic {
        Diagnostic::new(Code::Syntax, file, self.span, "this string is never closed")
            .label("the string starts here")
            .help(if self.triple {
                "close it with `\"\"\"`"
            } else {
                "close it with `\"` on the same line, or use `\"\"\"…\"\"\"` for text over several lines"
            })
    }
}

fn unclosed_string(text: &str, pos: usize, positives: &[GrammarRule]) -> Option<Unclosed> {
    if !text[pos..].starts_with('"') {
        return None;
    }
    // An unclosed `"""` parses as the empty string `""` followed by a stray `"`.
    if text[..pos].ends_with("\"\"") {
        return Some(Unclosed { span: Span::new(pos - 2, pos + 1), triple: true });
    }
    // Where a string was expected and a quote stands, the string did not end.
    positives.contains(&GrammarRule::string).then(|| {
        let triple = text[pos..].starts_with("\"\"\"");
        Unclosed { span: Span::new(pos, pos + if triple { 3 } else { 1 }), triple }
    })
}

/// What the parser met where it stopped.
struct Found<'a> {
    span: Span,
    word: Option<&'a str>,
    text: &'a str,
}

impl<'a> Found<'a> {
    fn at(text: &'a str, pos: usize) -> Found<'a> {
        let rest = &text[pos..];
        let word_len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(rest.len(), |(i, _)| i);
        if word_len > 0 {
            let word = &rest[..word_len];
            return Found { span: Span::new(pos, pos + word_len), word: Some(word), text: word };
        }
        match rest.chars().next() {
            None => Found { span: Span::new(pos, pos), word: None, text: "" },
            Some(c) => {
                let len = if rest.starts_with("->") { 2 } else { c.len_utf8() };
                Found { span: Span::new(pos, pos + len), word: None, text: &rest[..len] }
            }
        }
    }

    fn describe(&self) -> String {
        match self.text {
            "" => "end of file".to_owned(),
            "\n" | "\r" => "end of line".to_owned(),
            text => format!("`{}`", text.escape_debug()),
        }
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [one, two] => format!("{one} or {two}"),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}
