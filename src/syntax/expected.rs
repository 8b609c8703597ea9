//! Syntax errors in a script writer's words.
//!
//! pest reports the grammar rules it tried at the furthest position. [`describe`] gives every
//! rule a human name (one exhaustive match, so a new rule cannot ship without one), and
//! [`syntax_error`] turns pest's error into a diagnostic: what was expected, what was found,
//! a "did you mean" for misspelled keywords, and help for the common slips.
//!
//! The wording is shared with `.dtest` files (`dtest::parse`), whose grammar is another pest
//! grammar: [`pest_error`] (where, and the rules pest tried), [`expected_names`] (their human
//! names and keywords), [`Found`] (what stands there) and [`expected_message`].

use pest::error::{ErrorVariant, InputLocation};
use pest::RuleType;

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
pub(crate) const OUTCOMES: &[&str] = &["resolved", "escalated", "callback", "ended"];
pub(crate) const RESERVED: &[&str] = &[
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

/// `match $rule { … }` over a parser's `Rule` type that names the rules of
/// `grammar/common.pest` (the tokens both grammars share) as every error shows them, then
/// `$arms`, the rules of the parser's own grammar: still one exhaustive match per parser.
macro_rules! describe_rules {
    ($Rule:ident, $rule:expr, { $($arms:tt)* }) => {
        match $rule {
            $Rule::EOI => ("end of file", &[]),
            $Rule::lbrace => ("`{`", &[]),
            $Rule::rbrace => ("`}`", &[]),
            $Rule::string => ("a string in double quotes", &[]),
            $Rule::ident => ("a name", &[]),
            $Rule::target => ("a node name (`node` or `library.node`)", &[]),
            $Rule::outcome => ("an outcome (resolved, escalated, callback, ended)", $crate::syntax::expected::OUTCOMES),
            $Rule::kw_use => ("`use`", &["use"]),
            $Rule::kw_vars => ("`vars`", &["vars"]),
            $Rule::kw_otherwise => ("`otherwise`", &["otherwise"]),
            $Rule::kw_outcome => ("`outcome`", &["outcome"]),
            $Rule::kw_follow_up => ("`follow_up`", &["follow_up"]),
            // Silent helpers: pest never reports them, but every rule needs a name.
            $Rule::WHITESPACE => ("whitespace", &[]),
            $Rule::COMMENT => ("a comment", &[]),
            $Rule::plain_chars | $Rule::triple_chars => ("text", &[]),
            $Rule::ident_char => ("a letter, digit or `_`", &[]),
            $($arms)*
        }
    };
}
pub(crate) use describe_rules;

/// The human name of a grammar rule, and the keywords a misspelling of it may be meant as.
fn describe(rule: GrammarRule) -> (&'static str, &'static [&'static str]) {
    describe_rules!(GrammarRule, rule, {
        GrammarRule::arrow => ("`->`", &[]),
        GrammarRule::var_name => ("a var name", &[]),
        GrammarRule::stage => ("a stage (trigger, acknowledge, mirror, root-cause, options, close)", STAGES),
        GrammarRule::node => ("a node (a stage: trigger, acknowledge, mirror, root-cause, options, close)", STAGES),
        GrammarRule::use_decl => ("`use`", &["use"]),
        GrammarRule::kw_script | GrammarRule::script => ("`script`", &["script"]),
        GrammarRule::kw_library | GrammarRule::library => ("`library`", &["library"]),
        GrammarRule::kw_meta | GrammarRule::meta => ("`meta`", &["meta"]),
        GrammarRule::vars => ("`vars`", &["vars"]),
        GrammarRule::header => ("`meta` or `vars`", &["meta", "vars"]),
        GrammarRule::meta_entry => ("a meta entry (`key \"value\"`)", &[]),
        GrammarRule::kw_say | GrammarRule::say_stmt => ("`say`", &["say"]),
        GrammarRule::kw_ask | GrammarRule::ask_stmt => ("`ask`", &["ask"]),
        GrammarRule::kw_customer | GrammarRule::customer_stmt => ("`customer`", &["customer"]),
        GrammarRule::kw_note | GrammarRule::note_stmt => ("`note`", &["note"]),
        GrammarRule::goto_stmt => ("`->`", &[]),
        GrammarRule::kw_reply | GrammarRule::reply_stmt => ("`reply`", &["reply"]),
        GrammarRule::otherwise_stmt => ("`otherwise`", &["otherwise"]),
        GrammarRule::kw_option | GrammarRule::option_stmt => ("`option`", &["option"]),
        GrammarRule::kw_hold | GrammarRule::hold_stmt => ("`hold`", &["hold"]),
        GrammarRule::kw_transfer | GrammarRule::transfer_stmt => ("`transfer`", &["transfer"]),
        GrammarRule::outcome_stmt => ("`outcome`", &["outcome"]),
        GrammarRule::follow_up_stmt => ("`follow_up`", &["follow_up"]),
        GrammarRule::stmt => (
            "a statement (say, ask, customer, note, ->, reply, otherwise, option, hold, transfer, outcome, follow_up)",
            STATEMENTS,
        ),
        GrammarRule::file | GrammarRule::head => ("a script or library", &["script", "library", "use"]),
        GrammarRule::script_head => ("`script`", &["script"]),
        GrammarRule::library_head => ("`library`", &["library"]),
        GrammarRule::tail => ("`}`", &[]),
        GrammarRule::keyword => ("a keyword", RESERVED),
    })
}

/// Builds the `syntax` diagnostic for a pest error in `text`.
pub(crate) fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<GrammarRule>) -> Diagnostic {
    let (pos, positives) = pest_error(error);
    let found = Found::at(text, pos);

    if let Some(unclosed) = unclosed_string(text, pos, &positives) {
        return unclosed.into_diagnostic(file);
    }

    let after_arrow = text[..pos].trim_end().ends_with("->");
    let (names, keywords) = expected_names(
        &positives,
        |rule| matches!(rule, GrammarRule::rbrace | GrammarRule::EOI),
        |rule| match rule {
            GrammarRule::ident if after_arrow => describe(GrammarRule::target),
            _ => describe(rule),
        },
    );
    let diagnostic =
        Diagnostic::new(Code::Syntax, file, found.span, expected_message(&names, &found)).label("unexpected here");
    if let Some(slip) = common_slip(text, pos, &found, &positives) {
        return slip.apply(diagnostic, file);
    }

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
            // The word found is the misspelled keyword: an editor can replace it.
            Some(best) => return diagnostic.did_you_mean(found.span, best),
            None if positives == [GrammarRule::EOI] => {
                Some("a file holds exactly one script or library; move this one into a file of its own".to_owned())
            }
            None => None,
        },
        None if found.text == "." => Some("write `library.node` with no spaces around the dot".to_owned()),
        None => None,
    };
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// What a writer's common slip (spec section 2, "Messages for common slips") adds to the
/// diagnostic: a help that fixes it, and maybe a better label and a label elsewhere.
struct Slip {
    help: String,
    label: Option<&'static str>,
    /// Other places involved (the `{` left open), with their labels.
    elsewhere: Vec<(Span, String)>,
}

impl Slip {
    fn help(help: impl Into<String>) -> Slip {
        Slip { help: help.into(), label: None, elsewhere: Vec::new() }
    }

    fn apply(self, mut diagnostic: Diagnostic, file: FileId) -> Diagnostic {
        if let Some(label) = self.label {
            diagnostic = diagnostic.label(label);
        }
        for (span, label) in self.elsewhere {
            diagnostic = diagnostic.with(file, span, label);
        }
        diagnostic.help(self.help)
    }
}

/// Quotes a word processor or a habit from other languages puts where `"` belongs: each with
/// the characters that may close it.
const PASTED_QUOTES: &[(char, &[char])] = &[
    ('“', &['”', '“']),
    ('”', &['”', '“']),
    ('„', &['“', '”']),
    ('‘', &['’', '‘']),
    ('’', &['’']),
    ('\'', &['\'']),
    ('«', &['»']),
    ('»', &['«', '»']),
];

/// Dashes and arrows written where `->` belongs (a word processor turns `->` into `→`).
const NOT_ARROWS: &[char] = &['→', '⇒', '=', '-', '–', '—', '>'];

/// The help for a slip the writer is likely to make at `pos`, if it is one.
fn common_slip(text: &str, pos: usize, found: &Found, positives: &[GrammarRule]) -> Option<Slip> {
    let first = found.text.chars().next();
    if positives.contains(&GrammarRule::string) {
        if let Some(help) = pasted_quotes(text, pos) {
            return Some(Slip::help(help));
        }
        if let Some(slip) = meta_left_open(text, pos) {
            return Some(slip);
        }
        if follows_one_follow_up_string(&text[..pos]) {
            return Some(Slip {
                label: Some("what to do goes here"),
                ..Slip::help(
                    "`follow_up` takes two strings: when and what, \
                     e.g. `follow_up \"2d\" \"call to check the refund arrived\"`",
                )
            });
        }
    }
    if !positives.is_empty() && positives.iter().all(|rule| *rule == GrammarRule::arrow) {
        return Some(match found.word {
            Some(word) if !word.starts_with('-') && !RESERVED.contains(&word) => {
                Slip::help(format!("did you forget `->` before `{word}`?"))
            }
            _ if first.is_some_and(|c| NOT_ARROWS.contains(&c)) => {
                Slip::help("write the arrow as `->`: a hyphen, then `>`")
            }
            _ => Slip::help("add `->` and the name of the node to go to, e.g. `-> clarify`"),
        });
    }
    let wants_target = text[..pos].trim_end().ends_with("->") && positives.contains(&GrammarRule::ident);
    if wants_target && (found.text == "\"" || first.is_some_and(|c| PASTED_QUOTES.iter().any(|(q, _)| *q == c))) {
        let name: String =
            text[pos + found.text.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let example = if name.is_empty() { "clarify".to_owned() } else { name };
        return Some(Slip::help(format!("a target is a node's name, written without quotes: `-> {example}`")));
    }
    // A node's name where a statement belongs, right after a line: `say "…" next`.
    if positives.contains(&GrammarRule::stmt) && text[..pos].trim_end().ends_with('"') {
        if let Some(word) = found.word.filter(|word| !RESERVED.contains(word) && declares_node(text, word)) {
            return Some(Slip::help(format!("did you forget `->` before `{word}`?")));
        }
    }
    let at_stage = found.word.is_some_and(|word| STAGES.contains(&word));
    if positives.contains(&GrammarRule::rbrace) && (found.text.is_empty() || at_stage) {
        return unclosed_braces(text, pos, at_stage);
    }
    None
}

/// Whether `text` declares a node called `name` (`<stage> name {`), read lexically: the file
/// does not parse.
fn declares_node(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].trim_end();
        let after = text[at + name.len()..].trim_start();
        let whole_word = !text[at + name.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        whole_word && after.starts_with('{') && STAGES.iter().any(|stage| before.ends_with(stage))
    })
}

/// The help for a string opened at `pos` with a quote a word processor pasted, if it is one
/// (`.dtest` files, whose strings are the same, use it too).
pub(crate) fn pasted_quotes(text: &str, pos: usize) -> Option<String> {
    let first = text[pos..].chars().next()?;
    let (quote, closers) = PASTED_QUOTES.iter().find(|(quote, _)| *quote == first)?;
    Some(straight_quotes(text, pos + quote.len_utf8(), closers))
}

/// "use straight double quotes: `"no"`", the text between the pasted opening quote (which
/// ends just before `from`) and its closer on the same line, when there is one.
fn straight_quotes(text: &str, from: usize, closers: &[char]) -> String {
    let line = &text[from..text[from..].find('\n').map_or(text.len(), |n| from + n)];
    // A closing single quote is one not followed by a letter: `'I'm here'` closes at the end.
    let closes = |(i, c): &(usize, char)| {
        closers.contains(c) && !line[i + c.len_utf8()..].starts_with(|next: char| next.is_alphanumeric())
    };
    let inner = line.char_indices().find(closes).map(|(i, _)| &line[..i]);
    match inner {
        Some(inner) if !inner.contains(['"', '\\']) && inner.chars().count() <= 60 => {
            format!("use straight double quotes: `\"{inner}\"`")
        }
        _ => "use straight double quotes (`\"`) around the text".to_owned(),
    }
}

/// Whether `before` ends with `follow_up` and one string: where the second string is missing.
fn follows_one_follow_up_string(before: &str) -> bool {
    let before = before.trim_end();
    let opening = if let Some(rest) = before.strip_suffix("\"\"\"") {
        rest.rfind("\"\"\"")
    } else if let Some(rest) = before.strip_suffix('"') {
        // The opening quote: the last `"` on the line not escaped by a backslash.
        let line_start = rest.rfind('\n').map_or(0, |n| n + 1);
        rest[line_start..]
            .match_indices('"')
            .map(|(i, _)| line_start + i)
            .rfind(|&i| rest[..i].chars().rev().take_while(|&c| c == '\\').count() % 2 == 0)
    } else {
        None
    };
    opening.is_some_and(|i| {
        let keyword = before[..i].trim_end();
        keyword.ends_with("follow_up")
            && !keyword[..keyword.len() - "follow_up".len()].ends_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

/// A `meta {` left open: the next node's stage keyword (or `vars`) was read as a meta key, and
/// the parser wants its value where the node's name stands.
fn meta_left_open(text: &str, pos: usize) -> Option<Slip> {
    let key = text[..pos].trim_end().rsplit(char::is_whitespace).next()?;
    let before =
        if key == "vars" { "`vars`".to_owned() } else { STAGES.contains(&key).then(|| "this node".to_owned())? };
    let brace = *open_braces(text, pos).last()?;
    (brace_owner(text, brace) == "the `meta` block").then(|| Slip {
        elsewhere: vec![(Span::new(brace, brace + 1), "the `meta` block opens here".to_owned())],
        ..Slip::help(format!("the `meta` block is missing its closing `}}`: add it before {before}"))
    })
}

/// Labels the `{` left open where the parser met the end of the file or, with `at_stage`, the
/// next node: the innermost open `{` is the block missing its `}`.
fn unclosed_braces(text: &str, pos: usize, at_stage: bool) -> Option<Slip> {
    let open = open_braces(text, pos);
    let innermost = *open.last()?;
    if at_stage {
        let owner = brace_owner(text, innermost);
        return Some(Slip {
            elsewhere: vec![(Span::new(innermost, innermost + 1), format!("{owner} opens here"))],
            ..Slip::help(format!("{owner} is missing its closing `}}`: add it before this node"))
        });
    }
    let owners: Vec<String> = open.iter().rev().map(|&brace| brace_owner(text, brace)).collect();
    let elsewhere = open
        .iter()
        .rev()
        .zip(&owners)
        .map(|(&brace, owner)| (Span::new(brace, brace + 1), format!("{owner} opens here and is never closed")))
        .collect();
    let help = match owners.as_slice() {
        [one] => format!("every `{{` needs a matching `}}`: add one at the end to close {one}"),
        [inner, rest @ ..] => {
            format!("every `{{` needs a matching `}}`: add one to close {inner}, then one for {}", rest.join(", then "))
        }
        [] => unreachable!("`open` is not empty"),
    };
    Some(Slip { elsewhere, ..Slip::help(help) })
}

/// The `{` still open at `pos`, outermost first: a scan that skips comments and strings as
/// the grammar does (a plain string ends at a line break).
fn open_braces(text: &str, pos: usize) -> Vec<usize> {
    let bytes = &text.as_bytes()[..pos];
    let mut open = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'#' => at = text[at..pos].find('\n').map_or(pos, |n| at + n),
            b'"' if bytes[at..].starts_with(b"\"\"\"") => {
                at += 3;
                while at < bytes.len() && !bytes[at..].starts_with(b"\"\"\"") {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 3;
            }
            b'"' => {
                at += 1;
                while at < bytes.len() && !matches!(bytes[at], b'"' | b'\n') {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'{' => {
                open.push(at);
                at += 1;
            }
            b'}' => {
                open.pop();
                at += 1;
            }
            _ => at += 1,
        }
    }
    open
}

/// What the `{` at `brace` opens, in the writer's words: "node `done`", "script `s`",
/// "the `meta` block".
fn brace_owner(text: &str, brace: usize) -> String {
    let mut before = text[..brace].trim_end();
    if before.ends_with("meta") {
        return "the `meta` block".to_owned();
    }
    // A script's title stands between its name and `{`.
    if before.ends_with('"') {
        if let Some(open) = before[..before.len() - 1].rfind('"') {
            before = before[..open].trim_end();
        }
    }
    let name_start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let name = &before[name_start..];
    let keyword = before[..name_start].trim_end();
    let keyword = &keyword[keyword.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(0, |i| i + 1)..];
    match keyword {
        "script" | "library" if !name.is_empty() => format!("{keyword} `{name}`"),
        _ if STAGES.contains(&keyword) && !name.is_empty() => format!("node `{name}`"),
        _ => "this block".to_owned(),
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
/// Where pest's `error` stands, and the rules it tried there.
pub(crate) fn pest_error<R: RuleType>(error: &pest::error::Error<R>) -> (usize, Vec<R>) {
    let pos = match error.location {
        InputLocation::Pos(pos) => pos,
        InputLocation::Span((start, _)) => start,
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    (pos, positives)
}

/// The human names of the rules pest tried (each once, in pest's order but with the rules
/// `last` picks after the others: "expected a statement or `}`" reads best), and the keywords
/// a misspelled word there may be meant as, each once. `describe` names one rule.
pub(crate) fn expected_names<R: Copy>(
    rules: &[R],
    last: impl Fn(R) -> bool,
    describe: impl Fn(R) -> (&'static str, &'static [&'static str]),
) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut ordered = rules.to_vec();
    ordered.sort_by_key(|rule| last(*rule));
    let mut names: Vec<&'static str> = Vec::new();
    let mut keywords: Vec<&'static str> = Vec::new();
    for rule in ordered {
        let (name, words) = describe(rule);
        if !names.contains(&name) {
            names.push(name);
        }
        for word in words {
            if !keywords.contains(word) {
                keywords.push(word);
            }
        }
    }
    (names, keywords)
}

/// "expected a, b, or c, found `x`", or "unexpected `x`" when nothing is named.
pub(crate) fn expected_message(names: &[&str], found: &Found) -> String {
    match names {
        [] => format!("unexpected {}", found.describe()),
        names => format!("expected {}, found {}", join_or(names), found.describe()),
    }
}

/// What stands where a parse failed: a word (letters, digits, `_`, `-`), one character, or
/// the end of the file.
pub(crate) struct Found<'a> {
    pub span: Span,
    pub word: Option<&'a str>,
    pub text: &'a str,
}

impl<'a> Found<'a> {
    pub(crate) fn at(text: &'a str, pos: usize) -> Found<'a> {
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

    /// As a message shows it: `` `word` ``, "end of line", "end of file".
    pub(crate) fn describe(&self) -> String {
        match self.text {
            "" => "end of file".to_owned(),
            "\n" | "\r" => "end of line".to_owned(),
            // Shown as itself (a pasted `'` is not `\'`); control characters as escapes.
            text => format!("`{}`", text.chars().map(shown).collect::<String>()),
        }
    }
}

/// A character of the found text as an error message shows it.
fn shown(c: char) -> String {
    match c {
        '\'' | '"' => c.to_string(),
        _ => c.escape_debug().to_string(),
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

#[cfg(test)]
mod tests {
    use crate::source::FileId;
    use crate::syntax::parse;

    /// The help of the one syntax error in `text`.
    fn help(text: &str) -> String {
        let parsed = parse(FileId::from_index(0), text);
        assert_eq!(parsed.diagnostics.len(), 1, "{text}");
        parsed.diagnostics[0].help.clone().unwrap_or_default()
    }

    #[test]
    fn slips_get_the_help_that_fixes_them() {
        let node = |body: &str| format!("script s {{\n  mirror m {{\n    {body}\n  }}\n}}\n");
        let cases = [
            (node("reply “no” -> m"), "use straight double quotes: `\"no\"`"),
            (node("say ‘Sorry’ -> m"), "use straight double quotes: `\"Sorry\"`"),
            (node("say 'I'm sorry' -> m"), "use straight double quotes: `\"I'm sorry\"`"),
            (node("say “no end"), "use straight double quotes (`\"`) around the text"),
            (node("reply \"no\" offer"), "did you forget `->` before `offer`?"),
            (node("otherwise offer"), "did you forget `->` before `offer`?"),
            (node("reply \"no\" → offer"), "write the arrow as `->`: a hyphen, then `>`"),
            (node("reply \"no\" - > offer"), "write the arrow as `->`: a hyphen, then `>`"),
            (node("reply \"no\" say \"ok\""), "add `->` and the name of the node to go to, e.g. `-> clarify`"),
            (node("follow_up \"2d\" -> m"), "`follow_up` takes two strings"),
            (node("-> \"offer\""), "a target is a node's name, written without quotes: `-> offer`"),
            (node("reply \"no\" -> “offer”"), "written without quotes: `-> offer`"),
            (node("follow_up \"a \\\"b\\\"\" }"), "`follow_up` takes two strings"),
            (node("follow_up \"\"\"2d\n\"\"\""), "`follow_up` takes two strings"),
            ("script s {\n  meta { owner \"x\"\n".to_owned(), "close the `meta` block, then one for script `s`"),
            (
                "script s \"A {t}\" { # {\n  close c { say \"{x}\" }\n".to_owned(),
                "add one at the end to close script `s`",
            ),
            ("library l {\n  close c { say \"x\"\n".to_owned(), "close node `c`, then one for library `l`"),
        ];
        for (text, expected) in cases {
            assert!(help(&text).contains(expected), "{text}\n→ {}", help(&text));
        }
    }

    #[test]
    fn a_note_about_follow_up_is_not_a_follow_up() {
        let text = "script s {\n  close c { note \"follow_up\" -> c say }\n}\n";
        assert!(!help(text).contains("follow_up"), "{}", help(text));
        let text = "script s {\n  close c { my_follow_up \"x\" }\n}\n";
        assert!(!help(text).contains("two strings"), "{}", help(text));
    }

    #[test]
    fn every_prefix_of_a_script_gets_a_diagnostic_without_panicking() {
        let text = "script s \"T {x}\" {\n  meta { k \"v\" }\n  vars x\n  trigger t { customer \"é\\\"\" -> m }\n  \
                    mirror m { ask \"\"\"a\n\"\"\" # {\n reply “é” -> c follow_up \"1d\" \"x\" }\n  close c { say 'x' }\n}\n";
        for end in (0..=text.len()).filter(|&end| text.is_char_boundary(end)) {
            let _ = parse(FileId::from_index(0), &text[..end]);
        }
    }
}
