//! `suppression`: `# defuse: allow CODE… "reason"` comments, and the check of those comments.
//!
//! [`apply`] runs in the check driver after every rule and before levels apply: it drops each
//! diagnostic that a suppression in scope names, and reports the suppressions that are
//! malformed, name an unknown code, lack a reason, or silence nothing. "Silences nothing" is
//! said only where the named check ran: a graph rule skipped by the cascade (a syntax or name
//! error in the script or a library it uses) or never run on a library node has not looked, and
//! a writer who deletes the comment then would get the warning back once the error is fixed.
//!
//! Scope (spec section 2): before the `script`/`library` keyword, the whole file; inside a
//! node (or at the end of the line where the node ends), that node; on its own line directly
//! before a node (only blank lines or comments between), that node. A diagnostic is in a node
//! when its primary label starts inside the node. `suppression` reports themselves are not
//! silenced by comments (only by `[rules] suppression = "allow"`).
//!
//! Cost: linear in the text plus (diagnostics × log nodes).

use rustc_hash::FxHashMap;

use crate::check::rule::{Level, Rule};
use crate::check::{registry, GraphCoverage};
use crate::diagnostic::{Code, Diagnostic, Edit, Fix, Label};
use crate::resolve::Project;
use crate::source::{FileId, Span};
use crate::syntax::comments::{comments, Comment};

pub(crate) const RULE: Rule = Rule::new(
    crate::diagnostic::Code::Suppression,
    Level::Warning,
    "a `# defuse: allow` comment that is malformed, names an unknown code, has no reason, or silences nothing",
    r#"## What it does
A comment `# defuse: allow CODE [CODE…] "reason"` silences the named checks where it stands:
- at the end of a line inside a node, or on its own line directly before a node (only blank
  lines or comments between): diagnostics whose main label lies in that node;
- before the `script` or `library` keyword: the whole file.

Any code that `[rules]` in `defuse.toml` accepts can be named. This rule reports a
suppression comment that is malformed, names an unknown code, gives no reason, or silences
nothing where it stands (so stale suppressions do not pile up). A reason written without
quotes is one report that says to quote it.

A suppression is not called useless when the check it names did not run where it stands: a
script with a syntax or name error (say, a misspelled target) skips the path and flow checks
until that error is fixed, and a library node is only checked as part of a script that reaches
it. Keep the comment; it is checked again once those checks run.

## Why is this bad?
A suppression is a promise that someone looked at the warning and decided it does not apply.
Without a reason the next writer cannot judge whether that still holds; one that silences
nothing hides nothing today but would silently hide a new problem tomorrow.

## Example
```defuse
  # defuse: allow hold
  root-cause check { say "One moment." hold "checking" -> offer }
```

## Use instead
```defuse
  # defuse: allow hold "the warehouse system needs a minute; the caller is told so first"
  root-cause check { say "One moment while I check." hold "checking" -> offer }
```"#,
);

/// What a suppression covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    File,
    /// A node: its index in the file's item, and its span.
    Node(usize, Span),
    /// Stands where it covers nothing.
    Nowhere,
}

struct Suppression {
    file: FileId,
    /// Its comment's index in the problems found per comment.
    comment: usize,
    scope: Scope,
    /// Valid codes with their spans, and whether each silenced something.
    codes: Vec<(Code, Span, bool)>,
}

/// The suppressions of one file (indices into the list): file-wide ones, and node ones with
/// their node's span, sorted by it.
type InFile = (Vec<usize>, Vec<(Span, usize)>);

/// Drops the diagnostics that suppressions silence and adds the `suppression` reports, for a
/// check without locales (see [`Suppressions`] for one with them).
pub(crate) fn apply(project: &Project, found: Vec<Diagnostic>, coverage: &GraphCoverage) -> Vec<Diagnostic> {
    let mut suppressions = Suppressions::read(project);
    if suppressions.is_empty() {
        return found;
    }
    let (mut kept, used) = suppressions.silence(project, found);
    suppressions.mark(&used);
    kept.extend(suppressions.reports(project, coverage, false));
    kept
}

/// Drops the export warnings (`not-exported`) that suppression comments silence. `check`
/// reports the comments themselves.
pub(crate) fn silence_exports(project: &Project, warnings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    Suppressions::read(project).silence(project, warnings).0
}

/// The codes only the locale checks report: their suppressions are judged only when a locale
/// was checked.
const LOCALE_CODES: [Code; 6] = [
    Code::MissingTranslation,
    Code::FuzzyTranslation,
    Code::StaleTranslation,
    Code::PlaceholderMismatch,
    Code::LongTranslation,
    Code::LocaleFile,
];

/// Which code of which suppression silenced something: `(suppression, code)` indices.
pub(crate) type Used = Vec<(usize, usize)>;

/// Every `defuse:` comment of a project's parsed files: each comment's problems, and the
/// suppressions among them with what they silenced so far. Read once; the source's diagnostics
/// and each locale's are silenced against it (in parallel: [`Suppressions::silence`] only
/// reads), then the marks are joined and the comments judged.
pub(crate) struct Suppressions {
    problems_of: Vec<Vec<Diagnostic>>,
    suppressions: Vec<Suppression>,
    by_file: FxHashMap<FileId, InFile>,
}

impl Suppressions {
    pub(crate) fn read(project: &Project) -> Suppressions {
        // Each `defuse:` comment's problems, reported together at the end: once per comment.
        let mut problems_of: Vec<Vec<Diagnostic>> = Vec::new();
        let mut suppressions: Vec<Suppression> = Vec::new();
        for (file, module) in project.files().zip(&project.modules) {
            let Some(ast) = &module.ast else { continue };
            let text = &project.sources.get(file).text;
            if !text.contains("defuse:") {
                continue;
            }
            let all = comments(text, ast);
            let nodes: Vec<Span> = ast.item.nodes.iter().map(|n| n.span).collect();
            let next_code = next_code_after(text, &all);
            for (k, comment) in all.iter().enumerate() {
                let mut problems = Vec::new();
                let parsed = parse(comment.body(text), comment.span.start() + 1, file, &mut problems);
                let index = problems_of.len();
                problems_of.push(problems);
                let Some(parsed) = parsed else { continue };
                let scope = scope(text, comment, next_code[k], ast.item.span.start(), &nodes);
                suppressions.push(Suppression { file, comment: index, scope, codes: parsed });
            }
        }
        // Per file: file-wide suppressions, and node suppressions by node start.
        let mut by_file: FxHashMap<FileId, InFile> = FxHashMap::default();
        for (index, suppression) in suppressions.iter().enumerate() {
            let entry = by_file.entry(suppression.file).or_default();
            match suppression.scope {
                Scope::File => entry.0.push(index),
                Scope::Node(_, span) => entry.1.push((span, index)),
                Scope::Nowhere => {}
            }
        }
        for entry in by_file.values_mut() {
            entry.1.sort_by_key(|(span, index)| (span.start(), *index));
        }
        Suppressions { problems_of, suppressions, by_file }
    }

    fn is_empty(&self) -> bool {
        self.suppressions.is_empty() && self.problems_of.iter().all(Vec::is_empty)
    }

    /// `found` without the diagnostics a suppression in scope names, and which codes silenced
    /// them. A diagnostic about a translation (its main label in a translation file) stands
    /// where its source line does.
    pub(crate) fn silence(&self, project: &Project, found: Vec<Diagnostic>) -> (Vec<Diagnostic>, Used) {
        let mut used = Vec::new();
        if self.suppressions.is_empty() {
            return (found, used);
        }
        let mut kept = Vec::with_capacity(found.len());
        for diagnostic in found {
            let in_translation = project.module(diagnostic.file()).ast.is_none();
            let place = match in_translation {
                true => diagnostic.secondary.iter().find(|label| self.by_file.contains_key(&label.file)),
                false => Some(&diagnostic.primary),
            };
            let Some((file_wide, by_node)) = place.and_then(|label| self.by_file.get(&label.file)) else {
                kept.push(diagnostic);
                continue;
            };
            let at = place.expect("found above").span.start();
            let mut candidates: Vec<usize> = file_wide.clone();
            // Node spans do not overlap: the node holding `at` is the last one starting at or
            // before it; every suppression of that node sits just before `after`.
            let after = by_node.partition_point(|(span, _)| span.start() <= at);
            if let Some(&(node, _)) = after.checked_sub(1).map(|last| &by_node[last]) {
                if at < node.end() {
                    candidates
                        .extend(by_node[..after].iter().rev().take_while(|(span, _)| *span == node).map(|&(_, i)| i));
                }
            }
            let before = used.len();
            for index in candidates {
                for (k, code) in self.suppressions[index].codes.iter().enumerate() {
                    if code.0 == diagnostic.code {
                        used.push((index, k));
                    }
                }
            }
            if used.len() == before {
                kept.push(diagnostic);
            }
        }
        (kept, used)
    }

    pub(crate) fn mark(&mut self, used: &[(usize, usize)]) {
        for &(index, k) in used {
            self.suppressions[index].codes[k].2 = true;
        }
    }

    /// The `suppression` reports, one per comment. A code that silenced nothing is reported
    /// only where its check ran: not for a graph rule skipped by the cascade or never run on a
    /// library node (it may be needed once the other error is fixed), not for `not-exported`
    /// (exports report it, after every check), and for the locale codes only when
    /// `locales_ran`.
    pub(crate) fn reports(self, project: &Project, coverage: &GraphCoverage, locales_ran: bool) -> Vec<Diagnostic> {
        let Suppressions { mut problems_of, suppressions, .. } = self;
        for suppression in &suppressions {
            for &(code, span, used) in &suppression.codes {
                let ran = match code {
                    Code::NotExported => false,
                    code if LOCALE_CODES.contains(&code) => locales_ran,
                    code => {
                        !registry::rule(code).is_graph_rule()
                            || match suppression.scope {
                                Scope::File => coverage.file(project, suppression.file),
                                Scope::Node(index, _) => coverage.node(suppression.file, index),
                                Scope::Nowhere => true,
                            }
                    }
                };
                if used || !ran {
                    continue;
                }
                let (message, help) = match suppression.scope {
                    Scope::Nowhere => (
                        format!("this suppression of `{code}` stands where it covers nothing"),
                        "write it before the `script`/`library` keyword (whole file), inside a node, or on its own \
                         line directly before a node",
                    ),
                    _ => (
                        format!("this suppression of `{code}` silences nothing: no `{code}` diagnostic here"),
                        "remove it: the problem it silenced is gone",
                    ),
                };
                problems_of[suppression.comment].push(
                    Diagnostic::new(RULE.code, suppression.file, span, message).label("silences nothing").help(help),
                );
            }
        }
        problems_of.into_iter().filter_map(one_report).collect()
    }
}

/// For each comment, the offset of the first byte after it that is neither whitespace nor
/// part of a later comment. Computed back to front, so the gaps are scanned once.
fn next_code_after(text: &str, comments: &[Comment]) -> Vec<usize> {
    let mut next = vec![text.len(); comments.len()];
    for k in (0..comments.len()).rev() {
        let end = comments[k].span.end();
        let skipped = end + (text[end..].len() - text[end..].trim_start().len());
        next[k] = match comments.get(k + 1) {
            Some(following) if following.span.start() == skipped => next[k + 1],
            _ => skipped,
        };
    }
    next
}

fn scope(text: &str, comment: &Comment, next_code: usize, item_start: usize, nodes: &[Span]) -> Scope {
    let at = comment.span.start();
    if at < item_start {
        return Scope::File;
    }
    let holder = nodes.partition_point(|span| span.start() <= at);
    if holder > 0 {
        let node = nodes[holder - 1];
        if at < node.end() {
            return Scope::Node(holder - 1, node);
        }
        // `… }  # defuse: allow …` at the end of the line where the node ends.
        if !comment.own_line(text) && !text[node.end()..at].contains('\n') && text[node.end()..at].trim().is_empty() {
            return Scope::Node(holder - 1, node);
        }
    }
    if comment.own_line(text) {
        if let Some(node) = nodes.get(holder).filter(|node| node.start() == next_code) {
            return Scope::Node(holder, *node);
        }
    }
    Scope::Nowhere
}

/// The problems of one comment as one report (the contract reports a comment once): the first
/// problem's message and label, each other problem as a label of its own, every help, and
/// every fix's edits (none overlaps another: each problem is in its own words of the comment).
fn one_report(problems: Vec<Diagnostic>) -> Option<Diagnostic> {
    let mut problems = problems.into_iter();
    let mut report = problems.next()?;
    for problem in problems {
        report.secondary.push(Label { message: problem.message, ..problem.primary });
        for edit in problem.fix.into_iter().flat_map(|fix| fix.edits) {
            let fix = report.fix.get_or_insert_with(|| Fix { edits: Vec::new() });
            let overlaps = |other: &Edit| other.span.start() < edit.span.end() && edit.span.start() < other.span.end();
            if !fix.edits.iter().any(overlaps) {
                fix.edits.push(edit);
            }
        }
        if let Some(help) = problem.help {
            let helps = report.help.get_or_insert_with(String::new);
            if !helps.is_empty() && !helps.contains(&help) {
                helps.push_str("\nand ");
            }
            if !helps.contains(&help) {
                helps.push_str(&help);
            }
        }
    }
    Some(report)
}

/// Whether `word` is a code, or near enough to one to be its typo (`phrse`), rather than the
/// first word of a reason written without quotes.
fn looks_like_code(word: &str) -> bool {
    registry::find(word).is_some()
        || crate::suggest::closest(word, registry::RULES.iter().map(|rule| rule.code.as_str())).is_some()
}

/// The one report for a reason written without quotes (or with curly or single ones): the
/// comment rewritten with the reason in straight double quotes. `words` are `allow` and the
/// codes before the reason.
fn unquoted_reason(file: FileId, span: Span, words: &[(&str, Span)], reason: &str) -> Diagnostic {
    const PASTED_QUOTES: &[char] = &['“', '”', '„', '‘', '’', '\'', '«', '»'];
    let pasted = reason.starts_with(PASTED_QUOTES);
    let bare = reason.trim_matches(PASTED_QUOTES).trim();
    // Typos in the codes are reported on their own; the rewritten comment has them fixed.
    let codes = registry::RULES.iter().map(|rule| rule.code.as_str());
    let fixed_codes: Vec<&str> = words[1..]
        .iter()
        .map(|&(word, _)| match registry::find(word) {
            Some(_) => word,
            None => crate::suggest::closest(word, codes.clone()).unwrap_or(word),
        })
        .collect();
    let fixed = format!("# defuse: allow {} \"{bare}\"", fixed_codes.join(" "));
    let help = if pasted {
        format!("use straight double quotes (a word processor may have curled them): `{fixed}`")
    } else {
        format!("put the reason in double quotes: `{fixed}`")
    };
    let diagnostic = Diagnostic::new(RULE.code, file, span, "the reason of this suppression is not in double quotes")
        .label("reason without quotes");
    // The reason quoted (a reason holding `"` cannot be): with the codes' own fixes, the
    // comment the help shows.
    match bare.contains('"') {
        true => diagnostic.help(help),
        false => diagnostic.suggest(Fix::replace(file, span, format!("\"{bare}\"")), help),
    }
}

/// Parses the body of a comment (after `#`, starting at byte `start`): `None` when it is no
/// suppression or a malformed one (reported to `reports`), else its valid codes.
fn parse(body: &str, start: usize, file: FileId, reports: &mut Vec<Diagnostic>) -> Option<Vec<(Code, Span, bool)>> {
    let trimmed = body.trim_start();
    let rest = trimmed.strip_prefix("defuse:")?;
    let whole = Span::new(start - 1, start + body.trim_end().len());
    let offset = start + (body.len() - trimmed.len()) + "defuse:".len();
    let malformed = |message: String, reports: &mut Vec<Diagnostic>| {
        reports.push(
            Diagnostic::new(RULE.code, file, whole, message)
                .label("malformed suppression")
                .help("write `# defuse: allow CODE [CODE…] \"reason\"`"),
        );
        None
    };

    // Words before the reason: `allow` then the codes, each with its span.
    let quote = rest.find('"');
    let words_part = &rest[..quote.unwrap_or(rest.len())];
    let mut words = Vec::new();
    let mut scan = 0;
    for word in words_part.split_whitespace() {
        let at = scan + words_part[scan..].find(word).expect("split_whitespace yields substrings");
        words.push((word, Span::new(offset + at, offset + at + word.len())));
        scan = at + word.len();
    }
    let Some(((first, _), mut codes)) = words.split_first() else {
        return malformed("a `defuse:` comment must say `allow` and the codes it silences".to_owned(), reports);
    };
    if *first != "allow" {
        return malformed(format!("unknown suppression `{first}`: only `allow` is supported"), reports);
    }
    // Without a `"`, the codes end at the first word that is no code nor a near typo of one:
    // from there on the writer wrote the reason and forgot (or curled) its quotes.
    let unquoted = if quote.is_none() { codes.iter().position(|(word, _)| !looks_like_code(word)) } else { None };
    if let Some(at) = unquoted {
        (codes, _) = codes.split_at(at);
    }
    if codes.is_empty() {
        return malformed("`defuse: allow` names no code".to_owned(), reports);
    }

    let mut reason_ok = false;
    if let Some(at) = unquoted {
        let reason_start = words[at + 1].1.start();
        let reason = body[reason_start - start..].trim_end();
        reports.push(unquoted_reason(
            file,
            Span::new(reason_start, reason_start + reason.len()),
            &words[..at + 1],
            reason,
        ));
        reason_ok = true;
    }
    if let Some(quote) = quote {
        let reason = &rest[quote + 1..];
        let Some(close) = reason.find('"') else {
            return malformed("the reason's closing `\"` is missing".to_owned(), reports);
        };
        if !reason[close + 1..].trim().is_empty() {
            return malformed("text after the reason: one quoted reason ends the suppression".to_owned(), reports);
        }
        reason_ok = !reason[..close].trim().is_empty();
    }

    let mut valid = Vec::new();
    for &(code, span) in codes {
        match registry::find(code) {
            Some(rule) if rule.code.is_configurable() => valid.push((rule.code, span, false)),
            Some(rule) => reports.push(
                Diagnostic::new(RULE.code, file, span, format!("`{}` cannot be silenced", rule.code))
                    .label("not configurable")
                    .help("`syntax` and `use-*` errors always stop a script from compiling; fix them instead"),
            ),
            None => {
                let names = registry::RULES
                    .iter()
                    .filter(|r| r.code.is_configurable())
                    .map(|r| r.code.as_str());
                let diagnostic =
                    Diagnostic::new(RULE.code, file, span, format!("unknown code `{code}` in a suppression"))
                        .label("unknown code");
                reports.push(match crate::suggest::closest(code, names) {
                    Some(best) => diagnostic.did_you_mean(span, best),
                    None => diagnostic.help("`defuse rules` lists every code"),
                });
            }
        }
    }
    if !reason_ok {
        reports.push(
            Diagnostic::new(RULE.code, file, whole, "this suppression gives no reason")
                .label("no reason")
                .help("say why the check does not apply here: `# defuse: allow CODE \"reason\"`"),
        );
    }
    Some(valid)
}
