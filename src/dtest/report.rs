//! `defuse test` reports: human (one line per test, then miette reports of what failed),
//! JSON (spec section 7, exactly), JUnit XML (a `testsuite` per `.dtest` file, a `testcase`
//! per test) and GitHub workflow commands (an annotation per failure).
//!
//! Problems that stop a file from running at all (it does not parse) have no test to hang on:
//! human and GitHub reports show them with the failures; JSON and JUnit callers get them on
//! standard error (JSON) or as an `error` test case named after the file (JUnit).

use serde::Serialize;

use super::{shown, Results, Suite};
use crate::diagnostic::Diagnostic;
use crate::output::{github_data as escape_data, github_property as escape_property, xml_attribute, xml_text};
use crate::report::human::HumanRenderer;
use crate::source::FileId;

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "5 tests: 4 passed, 1 failed".
pub(crate) fn summary(results: &Results) -> String {
    let failed = results.failed();
    format!("{}: {} passed, {} failed", plural(results.results.len(), "test"), results.results.len() - failed, failed)
}

/// The diagnostics a report shows: the suite's, then each failure, each once (the tests of a
/// broken script share its diagnostic), with the name of the first test that failed with it.
fn problems<'a>(suite: &'a Suite, results: &'a Results) -> Vec<(&'a Diagnostic, Option<&'a str>)> {
    let mut seen = std::collections::HashSet::new();
    let failures = results.results.iter().filter_map(|r| Some((r.failure.as_ref()?, Some(r.name.as_str()))));
    suite.diagnostics.iter().map(|d| (d, None)).chain(failures).filter(|(d, _)| seen.insert(*d)).collect()
}

pub(crate) fn human(suite: &Suite, results: &Results, renderer: &HumanRenderer, coverage: bool) -> String {
    let mut out = String::new();
    for file in &suite.files {
        out.push_str(&format!("test {}\n", suite.sources.get(file.id).display_path()));
        for result in results.results.iter().filter(|r| r.file == file.id) {
            let status = if result.failure.is_some() { "FAILED" } else { "ok" };
            out.push_str(&format!("  {status:<6} {}\n", shown(&result.name)));
        }
    }
    for (diagnostic, _) in problems(suite, results) {
        out.push('\n');
        out.push_str(&renderer.render(diagnostic, &suite.sources));
    }
    if coverage {
        out.push('\n');
        out.push_str(&human_coverage(results));
    }
    out.push('\n');
    out.push_str(&summary(results));
    if !suite.diagnostics.is_empty() {
        out.push_str(&format!("; {}", plural(suite.diagnostics.len(), "error")));
    }
    out.push('\n');
    out
}

fn human_coverage(results: &Results) -> String {
    if results.uncovered.is_empty() {
        return "coverage: every edge of the tested scripts is walked\n".to_owned();
    }
    let mut out = format!("coverage: {} no test walks:\n", plural(results.uncovered.len(), "edge"));
    for edge in &results.uncovered {
        let via = edge.label.as_ref().map(|l| format!(" (\"{}\")", shown(l))).unwrap_or_default();
        out.push_str(&format!("  {}: {} -> {}{via}\n", edge.script, edge.from, edge.to));
    }
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    tests: usize,
    passed: usize,
    failed: usize,
    results: Vec<JsonResult<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uncovered: Option<&'a [super::coverage::Uncovered]>,
}

#[derive(Serialize)]
struct JsonResult<'a> {
    file: String,
    name: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    walk: &'a [String],
}

pub(crate) fn json(suite: &Suite, results: &Results, coverage: bool) -> String {
    let failed = results.failed();
    let report = JsonReport {
        tests: results.results.len(),
        passed: results.results.len() - failed,
        failed,
        results: results
            .results
            .iter()
            .map(|result| JsonResult {
                file: suite.sources.get(result.file).display_path(),
                name: &result.name,
                status: if result.failure.is_some() { "failed" } else { "passed" },
                message: result.failure.as_ref().map(|f| f.message.as_str()),
                line: result.failure.as_ref().map(|f| line(suite, f.primary.file, f.primary.span.start())),
                walk: &result.walk,
            })
            .collect(),
        uncovered: coverage.then_some(results.uncovered.as_slice()),
    };
    let mut text = serde_json::to_string_pretty(&report).expect("the report serializes");
    text.push('\n');
    text
}

fn line(suite: &Suite, file: FileId, offset: usize) -> usize {
    suite.sources.get(file).line_col(offset).line
}

/// A diagnostic as plain text for JUnit and GitHub: message, where, help.
fn plain(suite: &Suite, diagnostic: &Diagnostic) -> String {
    let at = |label: &crate::diagnostic::Label| {
        let source = suite.sources.get(label.file);
        let position = source.line_col(label.span.start());
        format!("{}:{}:{}", source.display_path(), position.line, position.column)
    };
    let mut text = format!("{}\n  at {}: {}", diagnostic.message, at(&diagnostic.primary), diagnostic.primary.message);
    for label in &diagnostic.secondary {
        text.push_str(&format!("\n  at {}: {}", at(label), label.message));
    }
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

pub(crate) fn junit(suite: &Suite, results: &Results) -> String {
    let failed = results.failed();
    let errors = suite.files.iter().filter(|f| f.ast.is_none()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"defuse test\" tests=\"{}\" failures=\"{failed}\" errors=\"{errors}\">\n",
        results.results.len() + errors
    ));
    for file in &suite.files {
        let path = xml_attribute(&suite.sources.get(file.id).display_path());
        let tests: Vec<_> = results.results.iter().filter(|r| r.file == file.id).collect();
        if file.ast.is_none() {
            out.push_str(&format!("  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">\n"));
            out.push_str(&format!("    <testcase name=\"{path}\" classname=\"{path}\">\n"));
            for diagnostic in suite.diagnostics.iter().filter(|d| d.file() == file.id) {
                out.push_str(&format!(
                    "      <error message=\"{}\" type=\"test\">{}</error>\n",
                    xml_attribute(&diagnostic.message),
                    xml_text(&plain(suite, diagnostic))
                ));
            }
            out.push_str("    </testcase>\n  </testsuite>\n");
            continue;
        }
        let file_failed = tests.iter().filter(|r| r.failure.is_some()).count();
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{file_failed}\" errors=\"0\">\n",
            tests.len()
        ));
        for result in tests {
            let head = format!(
                "    <testcase name=\"{}\" classname=\"{path}\" file=\"{path}\" line=\"{}\"",
                xml_attribute(&result.name),
                result.line
            );
            match &result.failure {
                None => out.push_str(&format!("{head}/>\n")),
                Some(failure) => out.push_str(&format!(
                    "{head}>\n      <failure message=\"{}\" type=\"test\">{}</failure>\n    </testcase>\n",
                    xml_attribute(&failure.message),
                    xml_text(&plain(suite, failure))
                )),
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

pub(crate) fn github(suite: &Suite, results: &Results) -> String {
    let mut out = String::new();
    for (diagnostic, test) in problems(suite, results) {
        let source = suite.sources.get(diagnostic.primary.file);
        let start = source.line_col(diagnostic.primary.span.start());
        let end = source.line_col(diagnostic.primary.span.end());
        let title = match test {
            // As the human report shows it: a control character is an escape, not a byte
            // the log viewer would act on.
            Some(name) => format!("defuse test: {}", shown(name)),
            None => "defuse test".to_owned(),
        };
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::error file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&source.display_path()),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&title),
            escape_data(&message)
        ));
    }
    out.push_str(&summary(results));
    out.push('\n');
    out
}
