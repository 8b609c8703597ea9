//! `defuse fmt [PATH]... [--check]`.
//!
//! A file that does not parse is reported and left untouched; a file is rewritten only when
//! its canonical form differs, atomically. `--check` writes nothing, shows a short diff of
//! each file that would change, and exits 1 if any would.

use std::path::PathBuf;

use rayon::prelude::*;

use super::workspace;
use crate::resolve::walk::defuse_files;
use crate::resolve::LoadError;
use crate::source::{display_path, SourceFile, Sources};
use crate::syntax;

#[derive(clap::Args)]
pub struct Args {
    /// Files and directories to format (default: the current directory)
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that would change, with a diff, and exit 1 if any
    #[arg(long)]
    check: bool,
}

enum Outcome {
    Unchanged,
    Changed { formatted: String },
    Unparsable { source: SourceFile, diagnostics: Vec<crate::diagnostic::Diagnostic> },
    Unreadable(LoadError),
}

pub fn run(args: Args) -> u8 {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        let (found, walk_errors) = defuse_files(path);
        files.extend(found);
        errors.extend(walk_errors);
        // Transcript tests too, when the walk finds any (a named file came back above).
        let tests = crate::resolve::walk::files(path, crate::dtest::EXTENSION).0;
        files.extend(tests.into_iter().filter(|f| f.extension().is_some_and(|e| e == crate::dtest::EXTENSION)));
    }
    files.sort();
    files.dedup();

    let outcomes: Vec<(PathBuf, Outcome)> = files
        .into_par_iter()
        .map(|path| {
            let outcome = format_file(&path);
            (path, outcome)
        })
        .collect();

    let renderer = workspace::renderer(workspace::stderr_is_terminal());
    let (mut changed, mut unparsable, mut unwritten) = (0, 0, 0);
    for (path, outcome) in outcomes {
        let shown = display_path(&path);
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Unreadable(error) => errors.push(error),
            Outcome::Unparsable { source, diagnostics } => {
                unparsable += 1;
                let mut sources = Sources::default();
                sources.add(source);
                for diagnostic in &diagnostics {
                    eprint!("{}", renderer.render(diagnostic, &sources));
                }
                eprintln!("error: `{shown}` does not parse; it was left unchanged");
            }
            Outcome::Changed { formatted } if args.check => {
                changed += 1;
                let original = std::fs::read_to_string(&path).unwrap_or_default();
                println!("would reformat {shown}");
                print!("{}", short_diff(&original, &formatted, &shown));
            }
            Outcome::Changed { formatted } => match crate::files::write::write(&path, formatted.as_bytes()) {
                Ok(()) => {
                    changed += 1;
                    println!("formatted {shown}");
                }
                Err(error) => {
                    // A write failure is not a read failure: its own message, same exit status.
                    eprintln!("error: {error}");
                    unwritten += 1;
                }
            },
        }
    }
    workspace::print_load_errors(&errors);
    if !errors.is_empty() || unwritten > 0 {
        return 2;
    }
    if unparsable > 0 || (args.check && changed > 0) {
        return 1;
    }
    0
}

fn format_file(path: &std::path::Path) -> Outcome {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            return Outcome::Unreadable(LoadError {
                path: display_path(path),
                message: "the file is not valid UTF-8".into(),
            })
        }
        Err(error) => return Outcome::Unreadable(LoadError { path: display_path(path), message: error.to_string() }),
    };
    if path.extension().is_some_and(|e| e == crate::dtest::EXTENSION) {
        return match crate::dtest::format::format(&text) {
            Ok(formatted) if formatted == text => Outcome::Unchanged,
            Ok(formatted) => Outcome::Changed { formatted },
            Err(diagnostics) => Outcome::Unparsable { source: SourceFile::new(path.to_path_buf(), text), diagnostics },
        };
    }
    let parsed = syntax::parse(0, &text);
    match parsed.ast {
        Some(ast) if parsed.diagnostics.is_empty() => {
            let formatted = syntax::format::format(&ast, &text);
            if formatted == text {
                Outcome::Unchanged
            } else {
                Outcome::Changed { formatted }
            }
        }
        _ => Outcome::Unparsable { source: SourceFile::new(path.to_path_buf(), text), diagnostics: parsed.diagnostics },
    }
}

/// A unified diff with one line of context, capped so a badly formatted file stays readable.
fn short_diff(old: &str, new: &str, name: &str) -> String {
    const MAX_LINES: usize = 40;
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(1).header(name, name).to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_LINES {
        return text;
    }
    format!("{}\n… ({} more diff lines)\n", lines[..MAX_LINES].join("\n"), lines.len() - MAX_LINES)
}
