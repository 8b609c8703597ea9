//! Every fix a diagnostic offers applies cleanly. Over every fixture and the example scripts,
//! each diagnostic with a fix has edits whose spans lie in their file, and the text with the
//! edits made, checked again in a copy of its project, no longer has that problem and has no
//! new syntax error. A fix an editor offers is then always one worth taking.

use std::path::{Path, PathBuf};

use defuse::diagnostic::{Code, Diagnostic, Fix};
use defuse::dtest::Suite;
use defuse::resolve::Input;
use defuse::source::Sources;
use defuse::workspace::Workspace;

/// What `defuse check` checks at once: a fixture file, a project directory, the example scripts.
fn units() -> Vec<PathBuf> {
    let fixtures = Path::new("tests/fixtures");
    let mut units = vec![PathBuf::from("scripts"), fixtures.join("dtest")];
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.push(fixtures.to_path_buf());
    dirs.sort();
    for dir in dirs.iter().filter(|dir| dir.is_dir()) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        if dir.ends_with("projects") {
            units.extend(entries.into_iter().filter(|entry| entry.is_dir()));
        } else {
            units.extend(entries.into_iter().filter(|entry| entry.extension().is_some_and(|e| e == "defuse")));
        }
    }
    units
}

/// Checks `path` as `defuse check` does (transcript tests included): the sources and diagnostics.
fn check(path: &Path) -> (Sources, Vec<Diagnostic>) {
    let paths = [path.to_path_buf()];
    let mut workspace = Workspace::open(&paths, None, None).expect("fixture configs are valid");
    let mut diagnostics = defuse::check::check(&workspace.project, &workspace.config);
    defuse::dtest::check::add_test_files(&mut workspace.project, &paths, &workspace.config, None, &mut diagnostics);
    (workspace.project.sources, diagnostics)
}

/// How many diagnostics in `path` have `code` and `message`.
fn count(sources: &Sources, diagnostics: &[Diagnostic], path: &Path, code: Code, message: &str) -> usize {
    let in_path = |d: &&Diagnostic| sources.get(d.file()).path == path;
    diagnostics.iter().filter(in_path).filter(|d| d.code == code && d.message == message).count()
}

fn syntax_errors(sources: &Sources, diagnostics: &[Diagnostic], path: &Path) -> usize {
    let in_path = |d: &&Diagnostic| sources.get(d.file()).path == path;
    diagnostics.iter().filter(in_path).filter(|d| d.code == Code::Syntax).count()
}

/// Copies `from` (a file or a directory, recursively) to `to`.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap().path();
            copy(&entry, &to.join(entry.file_name().unwrap()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// `text` with `fix`'s edits in `file` made (they do not overlap: made from the last back).
fn apply(text: &str, fix: &Fix, file: defuse::source::FileId) -> String {
    let mut edits: Vec<_> = fix.edits.iter().filter(|edit| edit.file == file).collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.span.start()));
    let mut text = text.to_owned();
    for edit in edits {
        text.replace_range(edit.span.start()..edit.span.end(), &edit.replacement);
    }
    text
}

/// Runs the transcript tests under `path` as `defuse test` does: the sources and the failures.
fn run_tests(path: &Path) -> (Sources, Vec<Diagnostic>) {
    let workspace = Workspace::open(&[path.to_path_buf()], None, None).expect("fixture configs are valid");
    let root = defuse::workspace::root_of(path, &workspace.config, None);
    let (files, _) = defuse::resolve::walk::files(path, defuse::dtest::EXTENSION);
    let inputs: Vec<Input> = files.into_iter().map(|path| Input { path, root: root.clone() }).collect();
    let suite = Suite::load(&inputs, &workspace.config);
    let failures = suite.run().results.into_iter().filter_map(|result| result.failure).collect();
    (suite.sources, failures)
}

/// Makes `diagnostic`'s fix in a copy of `unit` and `check`s the copy again.
fn assert_fix_applies(
    check: fn(&Path) -> (Sources, Vec<Diagnostic>),
    unit: &Path,
    sources: &Sources,
    diagnostics: &[Diagnostic],
    diagnostic: &Diagnostic,
) {
    let fix = diagnostic.fix.as_ref().unwrap();
    let blamed = &sources.get(diagnostic.file()).path;
    let what = format!("{} in {}: {} ({fix:?})", diagnostic.code, blamed.display(), diagnostic.message);
    assert!(!fix.edits.is_empty(), "{what}: a fix without edits");
    for edit in &fix.edits {
        let text = &sources.get(edit.file).text;
        assert!(text.get(edit.span.start()..edit.span.end()).is_some(), "{what}: an edit outside its text");
    }

    // The copy keeps the layout under the unit's directory, so `use` paths and roots hold.
    let base = if unit.is_dir() { unit } else { unit.parent().unwrap() };
    let dir = tempfile::tempdir().unwrap();
    let copied = dir.path().canonicalize().unwrap();
    copy(base, &copied);
    let moved =
        |path: &Path| copied.join(path.strip_prefix(base).unwrap_or_else(|_| panic!("{what}: outside the unit")));
    for &file in fix.edits.iter().map(|edit| &edit.file).collect::<std::collections::BTreeSet<_>>() {
        let source = sources.get(file);
        std::fs::write(moved(&source.path), apply(&source.text, fix, file)).unwrap();
    }
    let (after_sources, after) = check(&moved(unit));
    let before = count(sources, diagnostics, blamed, diagnostic.code, &diagnostic.message);
    let left = count(&after_sources, &after, &moved(blamed), diagnostic.code, &diagnostic.message);
    assert!(left < before, "{what}: still there after the fix");
    // Nothing of the kind is blamed where it was either (a wrong label would fail the same
    // step with another message).
    let start = diagnostic.primary.span.start();
    let shift: isize = fix
        .edits
        .iter()
        .filter(|edit| edit.file == diagnostic.file() && edit.span.end() <= start)
        .map(|edit| edit.replacement.len() as isize - edit.span.len() as isize)
        .sum();
    let moved_start = start.checked_add_signed(shift).unwrap();
    let same_place = |d: &&Diagnostic| {
        d.code == diagnostic.code
            && after_sources.get(d.file()).path == moved(blamed)
            && d.primary.span.start() == moved_start
    };
    assert!(!after.iter().any(|d| same_place(&d)), "{what}: the same kind of problem is still at its place");
    for &file in fix.edits.iter().map(|edit| &edit.file).collect::<std::collections::BTreeSet<_>>() {
        let path = &sources.get(file).path;
        let (was, now) =
            (syntax_errors(sources, diagnostics, path), syntax_errors(&after_sources, &after, &moved(path)));
        assert!(now <= was, "{what}: the fix adds a syntax error to {}", path.display());
    }
}

/// A help that says "did you mean" comes with the fix it means: none is written as prose alone.
fn assert_every_suggestion_is_a_fix(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        let suggests = d.help.as_deref().is_some_and(|help| help.contains("did you mean"));
        assert!(!suggests || d.fix.is_some(), "{}: {} (help: {:?}) has no fix", d.code, d.message, d.help);
    }
}

#[test]
fn every_fix_applies_cleanly_and_removes_its_problem() {
    let mut fixed = Vec::new();
    for unit in units() {
        let (sources, diagnostics) = check(&unit);
        assert_every_suggestion_is_a_fix(&diagnostics);
        for diagnostic in diagnostics.iter().filter(|d| d.fix.is_some()) {
            assert_fix_applies(check, &unit, &sources, &diagnostics, diagnostic);
            fixed.push(diagnostic.code);
        }
    }
    fixed.sort();
    fixed.dedup();
    // The fixtures hold a suggestion of each kind (in the order codes sort): a test that
    // checks nothing cannot pass.
    let expected = [
        Code::Suppression,
        Code::Syntax,
        Code::Test,
        Code::UnknownLibrary,
        Code::UnknownPlaceholder,
        Code::UnknownTarget,
        Code::UseNotFound,
        Code::UseOutsideRoot,
    ];
    assert_eq!(fixed, expected);
}

#[test]
fn every_fix_for_a_failed_transcript_test_applies_cleanly() {
    let unit = Path::new("tests/fixtures/dtest");
    let (sources, failures) = run_tests(unit);
    assert_every_suggestion_is_a_fix(&failures);
    let fixed: Vec<&Diagnostic> = failures.iter().filter(|d| d.fix.is_some()).collect();
    assert!(!fixed.is_empty(), "the fixtures hold a misspelt reply or option");
    for diagnostic in fixed {
        assert_fix_applies(run_tests, unit, &sources, &failures, diagnostic);
    }
}

#[test]
fn sarif_carries_each_fix_as_a_replacement() {
    let run =
        crate::support::Defuse::new(["check", "tests/fixtures/projects/use-nearby", "--format", "sarif"]).status(1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let fixes: Vec<String> = results
        .iter()
        .filter(|result| {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .ends_with("deep.defuse")
        })
        .map(|result| serde_json::to_string_pretty(&result["fixes"]).unwrap())
        .collect();
    insta::assert_snapshot!(fixes.join("\n"), @r#"
    [
      {
        "artifactChanges": [
          {
            "artifactLocation": {
              "uri": "tests/fixtures/projects/use-nearby/scripts/deep.defuse"
            },
            "replacements": [
              {
                "deletedRegion": {
                  "endColumn": 26,
                  "endLine": 2,
                  "startColumn": 5,
                  "startLine": 2
                },
                "insertedContent": {
                  "text": "\"../lib/closings.defuse\""
                }
              }
            ]
          }
        ],
        "description": {
          "text": "did you mean `use \"../lib/closings.defuse\"`? (the path is relative to this file)"
        }
      }
    ]
    "#);
}
