//! `.dtest` text to its [`ast`](super::ast): the pest parser of `grammar/dtest.pest`, the
//! lowering (one function per rule), and parse errors in the test writer's words.
//!
//! **Invariant:** parsing never panics: it returns the file (when the text parses) and every
//! `test` diagnostic (syntax, bad escapes, a test name used twice).

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::CODE;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::suggest::closest;
use crate::syntax::ast::{Ident, Outcome, Str, Target};
use crate::syntax::expected::{describe_rules, expected_message, expected_names, pasted_quotes, pest_error, Found};
use crate::syntax::strings::lower_string;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/common.pest"]
#[grammar = "../grammar/dtest.pest"]
pub(crate) struct DtestParser;

/// The words reserved in `.dtest` files (spec section 7).
pub(crate) const KEYWORDS: &[&str] = &[
    "use",
    "test",
    "vars",
    "start",
    "answer",
    "otherwise",
    "pick",
    "go",
    "expect",
    "close",
    "outcome",
    "path",
    "says",
    "not",
    "follow_up",
    "under",
];
const STEPS: &[&str] = &["vars", "start", "answer", "pick", "go", "expect"];
const EXPECTATIONS: &[&str] = &["close", "outcome", "path", "says", "not", "follow_up", "under"];

/// The result of parsing one `.dtest` file.
pub struct Parsed {
    /// `None` when the text does not parse.
    pub file: Option<DtestFile>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse(file: FileId, text: &str) -> Parsed {
    let pair = match DtestParser::parse(Rule::dtest, text) {
        Ok(mut pairs) => pairs.next().expect("a successful parse yields the dtest rule"),
        Err(error) => return Parsed { file: None, diagnostics: vec![syntax_error(file, text, &error)] },
    };
    let mut lowerer = Lowerer { file, diagnostics: Vec::new() };
    let dtest = lowerer.dtest(pair);
    let mut diagnostics = lowerer.diagnostics;
    for (i, test) in dtest.tests.iter().enumerate() {
        if let Some(first) = dtest.tests[..i].iter().find(|t| t.name.value == test.name.value) {
            diagnostics.push(
                Diagnostic::new(CODE, file, test.name.span, format!("two tests are named \"{}\"", test.name.value))
                    .label("second test with this name")
                    .with(file, first.name.span, "first test with this name")
                    .help("give each test in a file its own name, so a report says which one failed"),
            );
        }
    }
    Parsed { file: Some(dtest), diagnostics }
}

/// Lowering: pest pairs to the AST, collecting bad escapes as diagnostics.
struct Lowerer {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
}

impl Lowerer {
    fn dtest(&mut self, pair: Pair<Rule>) -> DtestFile {
        let mut script = None;
        let mut use_span = Span::default();
        let mut locale = None;
        let mut locale_span = Span::default();
        let mut tests = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::use_decl => {
                    use_span = inner.as_span().into();
                    let string = inner.into_inner().find(|p| p.as_rule() == Rule::string).expect("use has a string");
                    script = Some(self.string(string));
                }
                Rule::locale_decl => {
                    locale_span = inner.as_span().into();
                    let string = inner.into_inner().find(|p| p.as_rule() == Rule::string).expect("locale has a string");
                    locale = Some(self.string(string));
                }
                Rule::test => tests.push(self.test(inner)),
                Rule::EOI => {}
                rule => unreachable!("dtest: unexpected {rule:?}"),
            }
        }
        DtestFile { script: script.expect("the grammar requires `use`"), use_span, locale, locale_span, tests }
    }

    fn test(&mut self, pair: Pair<Rule>) -> Test {
        let span = pair.as_span().into();
        let mut name = None;
        let mut open = Span::default();
        let mut steps = Vec::new();
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::lbrace => open = inner.as_span().into(),
                Rule::kw_test | Rule::rbrace => {}
                Rule::string => name = Some(self.string(inner)),
                Rule::step => steps.push(self.step(inner)),
                rule => unreachable!("test: unexpected {rule:?}"),
            }
        }
        Test { name: name.expect("a test has a name"), span, open, steps }
    }

    fn step(&mut self, pair: Pair<Rule>) -> Step {
        let step = pair.into_inner().next().expect("step wraps one step");
        let span = step.as_span().into();
        let rule = step.as_rule();
        let mut parts = step.into_inner().skip(1);
        let kind = match rule {
            Rule::vars_step => StepKind::Vars(
                parts
                    .map(|value| {
                        let mut inner = value.into_inner();
                        let name = ident(inner.next().expect("a var has a name"));
                        (name, self.string(inner.next().expect("a var has a value")))
                    })
                    .collect(),
            ),
            Rule::start_step => StepKind::Start(target(parts.next().expect("start has a target"))),
            Rule::go_step => StepKind::Go(target(parts.next().expect("go has a target"))),
            Rule::pick_step => StepKind::Pick(self.string(parts.next().expect("pick has a label"))),
            Rule::answer_step => {
                let answer = parts.next().expect("answer has a label or `otherwise`");
                StepKind::Answer((answer.as_rule() == Rule::string).then(|| self.string(answer)))
            }
            Rule::expect_step => StepKind::Expect(self.expectation(parts.next().expect("expect has an expectation"))),
            rule => unreachable!("step: unexpected {rule:?}"),
        };
        Step { kind, span }
    }

    fn expectation(&mut self, pair: Pair<Rule>) -> Expectation {
        let expectation = pair.into_inner().next().expect("expectation wraps one expectation");
        let rule = expectation.as_rule();
        let is_keyword = |rule| {
            matches!(
                rule,
                Rule::kw_close
                    | Rule::kw_outcome
                    | Rule::kw_path
                    | Rule::kw_says
                    | Rule::kw_not
                    | Rule::kw_follow_up
                    | Rule::kw_under
            )
        };
        let mut values = expectation.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let value = values.next().expect("an expectation has a value");
        match rule {
            Rule::expect_close => Expectation::Close(target(value)),
            Rule::expect_outcome => {
                Expectation::Outcome(Outcome::from_keyword(value.as_str()).expect("the grammar accepts only outcomes"))
            }
            Rule::expect_path => Expectation::Path(std::iter::once(value).chain(values).map(target).collect()),
            Rule::expect_says => Expectation::Says(self.string(value)),
            Rule::expect_not_says => Expectation::NotSays(self.string(value)),
            Rule::expect_follow_up => Expectation::FollowUp(self.string(value)),
            Rule::expect_under => Expectation::Under(self.string(value)),
            rule => unreachable!("expectation: unexpected {rule:?}"),
        }
    }

    fn string(&mut self, pair: Pair<Rule>) -> Str {
        debug_assert_eq!(pair.as_rule(), Rule::string);
        let start = pair.as_span().start();
        match lower_string(pair.as_str(), start) {
            Ok(string) => string,
            Err(bad) => {
                self.diagnostics.push(
                    Diagnostic::new(CODE, self.file, bad.span, format!("unknown escape `{}` in a string", bad.found))
                        .label("unknown escape")
                        .help("the escapes are \\\" \\\\ \\n \\t \\{ \\}; write \\\\ for a backslash"),
                );
                let raw = pair.as_str();
                let quote = if raw.starts_with("\"\"\"") && raw.len() >= 6 { 3 } else { 1 };
                Str {
                    value: raw[quote..raw.len() - quote].to_owned(),
                    span: pair.as_span().into(),
                    placeholders: Box::default(),
                    triple: quote == 3,
                    escaped: false,
                }
            }
        }
    }
}

fn ident(pair: Pair<Rule>) -> Ident {
    Ident { name: pair.as_str().to_owned(), span: pair.as_span().into() }
}

fn target(pair: Pair<Rule>) -> Target {
    debug_assert_eq!(pair.as_rule(), Rule::target);
    let span = pair.as_span().into();
    let mut idents = pair.into_inner();
    let first = ident(idents.next().expect("a target has a name"));
    match idents.next() {
        Some(node) => Target { library: Some(Box::new(first)), node: ident(node), span },
        None => Target { library: None, node: first, span },
    }
}

/// The human name of a grammar rule, and the keywords a misspelling of it may be meant as.
fn describe(rule: Rule) -> (&'static str, &'static [&'static str]) {
    describe_rules!(Rule, rule, {
        Rule::var_value => ("a name", &[]),
        Rule::path_target => ("a node name (`node` or `library.node`)", &[]),
        Rule::use_decl => ("`use`", &["use"]),
        Rule::kw_test | Rule::test => ("`test`", &["test"]),
        Rule::kw_locale | Rule::locale_decl => ("`locale`", &["locale"]),
        Rule::vars_step => ("`vars`", &["vars"]),
        Rule::kw_start | Rule::start_step => ("`start`", &["start"]),
        Rule::kw_answer | Rule::answer_step => ("`answer`", &["answer"]),
        Rule::kw_pick | Rule::pick_step => ("`pick`", &["pick"]),
        Rule::kw_go | Rule::go_step => ("`go`", &["go"]),
        Rule::kw_expect | Rule::expect_step => ("`expect`", &["expect"]),
        Rule::kw_close | Rule::expect_close => ("`close`", &["close"]),
        Rule::expect_outcome => ("`outcome`", &["outcome"]),
        Rule::kw_path | Rule::expect_path => ("`path`", &["path"]),
        Rule::kw_says | Rule::expect_says => ("`says`", &["says"]),
        Rule::kw_not | Rule::expect_not_says => ("`not says`", &["not"]),
        Rule::expect_follow_up => ("`follow_up`", &["follow_up"]),
        Rule::kw_under | Rule::expect_under => ("`under`", &["under"]),
        Rule::step => ("a step (vars, start, answer, pick, go, expect)", STEPS),
        Rule::expectation => ("an expectation (close, outcome, path, says, not says, follow_up, under)", EXPECTATIONS),
        Rule::dtest => ("`use \"script.defuse\"`", &["use"]),
        Rule::keyword => ("a keyword", KEYWORDS),
    })
}

/// The `test` diagnostic for a pest error in `text`: what was expected, what was found, and
/// "did you mean" for a misspelled keyword.
fn syntax_error(file: FileId, text: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let (pos, positives) = pest_error(error);
    if text[pos..].starts_with('"') && (positives.contains(&Rule::string) || text[..pos].ends_with("\"\"")) {
        return Diagnostic::new(CODE, file, Span::new(pos, pos + 1), "this string is never closed")
            .label("the string starts here")
            .help("close it with `\"` on the same line, or use `\"\"\"…\"\"\"` for text over several lines");
    }
    let (names, keywords) = expected_names(&positives, |rule| matches!(rule, Rule::rbrace | Rule::EOI), describe);
    let found = Found::at(text, pos);
    let span = found.span;
    let diagnostic = Diagnostic::new(CODE, file, span, expected_message(&names, &found)).label("unexpected here");
    if positives.contains(&Rule::string) {
        if let Some(help) = pasted_quotes(text, pos) {
            return diagnostic.help(help);
        }
    }
    let word = found.word.unwrap_or_default();
    let wants_name = positives.iter().any(|r| matches!(r, Rule::ident | Rule::target | Rule::var_value));
    if wants_name && KEYWORDS.contains(&word) {
        return diagnostic.help(format!("`{word}` is a reserved word in .dtest files"));
    }
    match closest(word, keywords.iter().copied()) {
        Some(best) if !word.is_empty() => diagnostic.did_you_mean(span, best),
        _ => diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> DtestFile {
        let parsed = parse(FileId::from_index(0), text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.file.unwrap()
    }

    fn error(text: &str) -> (String, Option<String>) {
        let parsed = parse(FileId::from_index(0), text);
        let diagnostic = parsed.diagnostics.into_iter().next().expect("an error");
        (diagnostic.message, diagnostic.help)
    }

    /// Section 7's strings are section 2's, and so is the slip of a pasted quote.
    #[test]
    fn a_pasted_quote_asks_for_straight_quotes() {
        let (_, help) = error("use \"s.defuse\"\ntest “refund” {\n  expect close done\n}\n");
        assert_eq!(help.as_deref(), Some("use straight double quotes: `\"refund\"`"));
    }

    #[test]
    fn lowers_every_step_and_expectation() {
        let file = parse_ok(
            r#"use "s.defuse" # the script
test "all" {
  vars name "Sam" code "4\"2"
  start t
  answer "yes" answer otherwise pick "Refund" go lib.n
  expect close lib.done expect outcome resolved expect path t a lib.done
  expect says "Sorry" expect not says "calm down" expect follow_up "48h" expect under "3m"
}"#,
        );
        assert_eq!(file.script.value, "s.defuse");
        let steps = &file.tests[0].steps;
        assert_eq!(steps.len(), 13);
        let StepKind::Vars(vars) = &steps[0].kind else { panic!() };
        assert_eq!(vars[1].1.value, "4\"2");
        assert!(matches!(&steps[3].kind, StepKind::Answer(None)));
        let StepKind::Expect(Expectation::Path(path)) = &steps[8].kind else { panic!() };
        assert_eq!(path.iter().map(Target::display).collect::<Vec<_>>(), ["t", "a", "lib.done"]);
        let StepKind::Expect(Expectation::NotSays(text)) = &steps[10].kind else { panic!() };
        assert_eq!(text.value, "calm down");
    }

    #[test]
    fn a_path_list_stops_at_the_next_keyword() {
        let file = parse_ok("use \"s\" test \"x\" { expect path a b expect outcome ended }");
        assert_eq!(file.tests[0].steps.len(), 2);
    }

    #[test]
    fn errors_say_what_was_expected_and_suggest_keywords() {
        let (message, help) = error("use \"s\" test \"x\" { anwser \"yes\" }");
        assert_eq!(message, "expected a step (vars, start, answer, pick, go, expect) or `}`, found `anwser`");
        assert_eq!(help.as_deref(), Some("did you mean `answer`?"));
        let (message, _) = error("test \"x\" { }");
        assert_eq!(message, "expected `use`, found `test`");
        let (message, help) = error("use \"s\" test \"x\" { expect sayz \"a\" }");
        assert!(message.starts_with("expected an expectation"), "{message}");
        assert_eq!(help.as_deref(), Some("did you mean `says`?"));
        let (message, _) = error("use \"s\" test \"x\" { pick \"open }");
        assert_eq!(message, "this string is never closed");
    }

    #[test]
    fn duplicate_names_and_bad_escapes_are_diagnostics() {
        let parsed = parse(FileId::from_index(0), "use \"s\" test \"x\" { } test \"x\" { expect says \"\\q\" }");
        let messages: Vec<_> = parsed.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["unknown escape `\\q` in a string", "two tests are named \"x\""]);
        assert!(parsed.diagnostics.iter().all(|d| d.code == crate::diagnostic::Code::Test));
    }
}
