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
    for &format in <report::Format as clap::ValueEnum>::value_variants() {
        let _ = report::machine(format, &project, &diagnostics);
    }

    let Some(ast) = project.modules[0].ast.as_ref() else { return };
    let has_syntax_errors = diagnostics.iter().any(|d| d.code == Code::Syntax);
    if !has_syntax_errors {
        let formatted = syntax::format::format(ast, text);
        let reparsed = syntax::parse(0, &formatted);
        assert!(reparsed.diagnostics.is_empty(), "formatted text does not parse:\n{formatted}");
        let again = syntax::format::format(reparsed.ast.as_ref().expect("parses"), &formatted);
        assert_eq!(again, formatted, "formatting is not idempotent");
    }
    let errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if ast.item.kind == ItemKind::Script && !errors {
        let graph = ScriptGraph::build(&project, 0);
        for &emit in <Emit as clap::ValueEnum>::value_variants() {
            let _ = emit.output(&project, &graph);
        }
        let mut count = 0;
        for_each_trail(&project, &graph, |_| {
            count += 1;
            count < 100
        });
    }
}
