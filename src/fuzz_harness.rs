//! Runs one text through every phase and every output, for the fuzzer (`fuzz/`) and the
//! property tests: parse, names, every rule, every report format, every emitter, `paths`,
//! and the formatter round trip. Anything that panics here is a bug.

use crate::check;
use crate::config::Config;
use crate::diagnostic::{Code, Severity};
use crate::emit::Emit;
use crate::graph::trails::for_each_trail;
use crate::graph::ScriptGraph;
use crate::report;
use crate::source::FileId;
use crate::syntax::{self, ast::ItemKind};

/// Exercises everything on `text`; panics (with the reason) on any broken invariant.
pub fn exercise(text: &str) {
    let project = crate::resolve::load_text("input.defuse".into(), text);
    let config = Config::default();
    let diagnostics = check::check(&project, &config);
    for diagnostic in &diagnostics {
        let span = diagnostic.primary.span;
        let source = &project.sources.get(diagnostic.file()).text;
        assert!(span.start() <= span.end() && span.end() <= source.len(), "span out of range: {diagnostic:?}");
        assert!(source.is_char_boundary(span.start()) && source.is_char_boundary(span.end()), "{diagnostic:?}");
    }
    let _ = report::human::HumanRenderer::new(false, 80).render_all(&project, &diagnostics);
    for format in report::Format::ALL {
        let _ = report::machine(format, &project, &diagnostics);
    }

    let Some(ast) = project.modules[0].ast.as_ref() else { return };
    let has_syntax_errors = diagnostics.iter().any(|d| d.code == Code::Syntax);
    if !has_syntax_errors {
        let formatted = syntax::format::format(ast, text);
        let reparsed = syntax::parse(FileId::from_index(0), &formatted);
        assert!(reparsed.diagnostics.is_empty(), "formatted text does not parse:\n{formatted}");
        let again = syntax::format::format(reparsed.ast.as_ref().expect("parses"), &formatted);
        assert_eq!(again, formatted, "formatting is not idempotent");
    }
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if ast.item.kind == ItemKind::Script && !errors {
        let graph = ScriptGraph::build(&project, FileId::from_index(0));
        for emit in Emit::ALL {
            let _ = emit.output(&project, &graph);
        }
        let mut count = 0;
        for_each_trail(&project, &graph, |_| {
            count += 1;
            count < 100
        });
    }
}

/// Reads `bytes` as a PO file (and as XLIFF); what it accepts must write and read back to the
/// same entries.
/// Panics on any broken invariant (the `po` fuzz target and the property tests call it).
pub fn exercise_po(bytes: &[u8]) {
    use crate::locale::{po, xliff};
    if let Ok(text) = std::str::from_utf8(bytes) {
        // The same bytes as an XLIFF file to import: read, or refused with a place in the file.
        match xliff::read(text) {
            Ok(units) => assert!(units.iter().all(|unit| unit.at.end <= text.len())),
            Err(problem) => assert!(problem.at.start <= problem.at.end && problem.at.end <= text.len(), "{problem:?}"),
        }
    }
    let Ok(catalog) = po::parse(bytes) else { return };
    for entry in &catalog.entries {
        for span in [&entry.msgid_at, &entry.msgstr_at] {
            assert!(span.start <= span.end && span.end <= bytes.len(), "span out of range: {entry:?}");
        }
    }
    let written = po::write(&catalog);
    let again = po::parse(written.as_bytes())
        .unwrap_or_else(|problem| panic!("defuse cannot read what it wrote: {problem:?}\n{written}"));
    assert_eq!(po::write(&again), written, "writing is not stable");
    let keys = |catalog: &po::Catalog| -> Vec<(Option<String>, String, String, bool)> {
        catalog
            .entries
            .iter()
            .filter(|entry| !(entry.obsolete && entry.msgstr.is_empty()))
            .map(|entry| (entry.msgctxt.clone(), entry.msgid.clone(), entry.msgstr.clone(), entry.obsolete))
            .collect()
    };
    let mut expected = keys(&catalog);
    expected.sort_by_key(|key| key.3);
    assert_eq!(keys(&again), expected, "an entry changed on the way through write");
}
