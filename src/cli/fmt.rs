//! `defuse fmt [PATH]... [--check]`.
//!
//! A file that does not parse is reported and left untouched; a file is rewritten only when
//! its canonical form differs, atomically. `--check` writes nothing, shows a short diff of
//! each file that would change, and exits 1 if any would.
//!
//! **Invariant:** nothing is written unless the formatted text parses again with the same
//! comments as the original (counted from both parses); otherwise the file is left as it is
//! and the run reports an internal error (exit 2). The `--check` diff costs time linear in
//! the file, whatever the change.

use std::path::PathBuf;

use rayon::prelude::*;

use super::error::{CliError, CommandResult, Problem, Status};
use super::shared;
use crate::resolve::walk::defuse_files;
use crate::resolve::{LoadError, Unloadable};
use crate::source::FileId;
use crate::source::{display_path, SourceFile, Sources};
use crate::syntax;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files and directories to format (default: the current directory)
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that would change, with a diff, and exit 1 if any
    #[arg(long)]
    check: bool,
}

enum FileOutcome {
    Unchanged,
    Changed {
        original: std::sync::Arc<String>,
        formatted: String,
    },
    /// The formatter's output lost or changed a comment, or does not parse: a bug, and the
    /// file is not touched.
    Refused(String),
    Unparsable {
        source: SourceFile,
        diagnostics: Vec<crate::diagnostic::Diagnostic>,
    },
    Unreadable(LoadError),
}

pub fn run(args: Args) -> CommandResult {
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

    let outcomes: Vec<(PathBuf, FileOutcome)> = files
        .into_par_iter()
        .map(|path| {
            let outcome = format_file(&path);
            (path, outcome)
        })
        .collect();

    let renderer = shared::renderer(shared::stderr_is_terminal());
    let (mut changed, mut unparsable, mut unwritten) = (0, 0, 0);
    // Said in the order of the files, after the listing; unreadable files last.
    let mut problems = Vec::new();
    for (path, outcome) in outcomes {
        let shown = display_path(&path);
        match outcome {
            FileOutcome::Unchanged => {}
            FileOutcome::Unreadable(error) => errors.push(error),
            FileOutcome::Refused(why) => errors.push(LoadError { path: shown, reason: Unloadable::FormatRefused(why) }),
            FileOutcome::Unparsable { source, diagnostics } => {
                unparsable += 1;
                let mut sources = Sources::default();
                sources.add(source);
                for diagnostic in &diagnostics {
                    problems.push(Problem::Report(renderer.render(diagnostic, &sources)));
                }
                problems.push(Problem::line(format!("`{shown}` does not parse; it was left unchanged")));
            }
            FileOutcome::Changed { original, formatted } if args.check => {
                changed += 1;
                crate::outln!("would reformat {shown}");
                crate::output::stdout().text(&short_diff(&original, &formatted, &shown));
            }
            FileOutcome::Changed { formatted, .. } => match crate::files::write::write(&path, formatted.as_bytes()) {
                Ok(()) => {
                    changed += 1;
                    crate::outln!("formatted {shown}");
                }
                Err(error) => {
                    // A write failure is not a read failure: its own message, same exit status.
                    problems.push(Problem::line(error.to_string()));
                    unwritten += 1;
                }
            },
        }
    }
    let bad_input = !errors.is_empty() || unwritten > 0;
    problems.extend(errors.into_iter().map(Problem::Unreadable));
    match (bad_input, unparsable > 0) {
        (true, _) => Err(CliError::many(Status::BadInput, problems)),
        (false, true) => Err(CliError::many(Status::Failed, problems)),
        (false, false) => Ok(Status::failed_if(args.check && changed > 0)),
    }
}

fn format_file(path: &std::path::Path) -> FileOutcome {
    let text = match crate::files::read::read(path) {
        Ok(text) => text,
        Err(error) => return FileOutcome::Unreadable(LoadError { path: display_path(path), reason: error.into() }),
    };
    if path.extension().is_some_and(|e| e == crate::dtest::EXTENSION) {
        return match crate::dtest::format::format(&text) {
            Ok(formatted) if formatted == *text => FileOutcome::Unchanged,
            Ok(formatted) => FileOutcome::Changed { original: text, formatted },
            Err(diagnostics) => {
                FileOutcome::Unparsable { source: SourceFile::new(path.to_path_buf(), text), diagnostics }
            }
        };
    }
    let parsed = syntax::parse(FileId::from_index(0), &text);
    match parsed.ast {
        Some(ast) if parsed.diagnostics.is_empty() => {
            let formatted = syntax::format::format(&ast, &text);
            if formatted == *text {
                return FileOutcome::Unchanged;
            }
            match same_comments(&text, &ast, &formatted) {
                Ok(()) => FileOutcome::Changed { original: text, formatted },
                Err(why) => FileOutcome::Refused(why),
            }
        }
        _ => FileOutcome::Unparsable {
            source: SourceFile::new(path.to_path_buf(), text),
            diagnostics: parsed.diagnostics,
        },
    }
}

/// The safety net: `formatted` must parse and hold the same comments as `original` (the
/// formatter may move a comment with its element, so they are compared as a sorted list).
fn same_comments(original: &str, ast: &syntax::ast::File, formatted: &str) -> Result<(), String> {
    let reparsed = syntax::parse(FileId::from_index(0), formatted);
    let Some(new_ast) = reparsed.ast.filter(|_| reparsed.diagnostics.is_empty()) else {
        return Err("the formatted text does not parse".into());
    };
    let texts = |text: &str, ast: &syntax::ast::File| {
        let mut texts: Vec<String> = syntax::comments(text, ast).iter().map(|c| c.text(text).to_owned()).collect();
        texts.sort_unstable();
        texts
    };
    let (before, after) = (texts(original, ast), texts(formatted, &new_ast));
    if before != after {
        return Err(format!(
            "formatting would keep {} of the file's {} comments",
            after.len().min(before.len()),
            before.len()
        ));
    }
    Ok(())
}

/// A unified diff with one line of context, capped at [`MAX_DIFF_LINES`] lines so a badly
/// formatted file stays readable, in time linear in the file: equal lines at both ends are
/// trimmed first, and only a window of the rest is diffed, widened until it yields enough
/// lines (Myers' diff is quadratic on two long, very different texts).
fn short_diff(old: &str, new: &str, name: &str) -> String {
    use similar::{udiff::UnifiedHunkHeader, Algorithm, DiffOp, DiffTag};

    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = old_lines.iter().zip(&new_lines).take_while(|(a, b)| a == b).count();
    let suffix =
        old_lines[prefix..].iter().rev().zip(new_lines[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let old_middle = &old_lines[prefix..old_lines.len() - suffix];
    let new_middle = &new_lines[prefix..new_lines.len() - suffix];
    // Ops this close to a cut window edge may only be there because of the cut.
    const EDGE: usize = 16;
    let mut window = 256;
    loop {
        let (old_window, new_window) =
            (&old_middle[..old_middle.len().min(window)], &new_middle[..new_middle.len().min(window)]);
        let whole = old_window.len() == old_middle.len() && new_window.len() == new_middle.len();
        // Lines kept around the middle as context, with their real line numbers.
        let (context_before, context_after) = (prefix.min(1), if whole { suffix.min(1) } else { 0 });
        let old_slice = &old_lines[prefix - context_before..prefix + old_window.len() + context_after];
        let new_slice = &new_lines[prefix - context_before..prefix + new_window.len() + context_after];
        let offset = prefix - context_before;
        let ops = similar::capture_diff_slices(Algorithm::Myers, old_slice, new_slice);
        let ops: Vec<DiffOp> = if whole {
            ops
        } else {
            clip(ops, old_slice.len().saturating_sub(EDGE), new_slice.len().saturating_sub(EDGE))
        };
        let ops: Vec<DiffOp> = ops.into_iter().map(|op| shift(op, offset)).collect();
        let mut lines = vec![format!("--- {name}"), format!("+++ {name}")];
        for group in similar::group_diff_ops(ops, 1) {
            lines.push(UnifiedHunkHeader::new(&group).to_string());
            for op in &group {
                let (tag, old_range, new_range) = op.as_tag_tuple();
                let mut push = |sign: char, line: &str| {
                    lines.push(format!("{sign}{}", line.strip_suffix('\n').unwrap_or(line)));
                    if !line.ends_with('\n') {
                        lines.push("\\ No newline at end of file".to_owned());
                    }
                };
                match tag {
                    DiffTag::Equal => old_range.clone().for_each(|i| push(' ', old_lines[i])),
                    DiffTag::Delete => old_range.clone().for_each(|i| push('-', old_lines[i])),
                    DiffTag::Insert => new_range.clone().for_each(|i| push('+', new_lines[i])),
                    DiffTag::Replace => {
                        old_range.clone().for_each(|i| push('-', old_lines[i]));
                        new_range.clone().for_each(|i| push('+', new_lines[i]));
                    }
                }
            }
        }
        if whole || lines.len() > MAX_DIFF_LINES {
            if lines.len() <= MAX_DIFF_LINES {
                return lines.iter().map(|line| format!("{line}\n")).collect();
            }
            let more = if whole {
                format!("{} more diff lines", lines.len() - MAX_DIFF_LINES)
            } else {
                "more diff lines".to_owned()
            };
            return format!("{}\n… ({more})\n", lines[..MAX_DIFF_LINES].join("\n"));
        }
        window *= 4;
    }
}

/// How many lines of diff `fmt --check` shows per file.
const MAX_DIFF_LINES: usize = 40;

/// The ops cut to the lines before `old_limit` and `new_limit`, so that a change running past
/// the window's edge still shows its first lines.
fn clip(ops: Vec<similar::DiffOp>, old_limit: usize, new_limit: usize) -> Vec<similar::DiffOp> {
    use similar::DiffOp;
    let mut clipped = Vec::new();
    for op in ops {
        let (old_start, new_start) = (op.old_range().start, op.new_range().start);
        if old_start >= old_limit || new_start >= new_limit {
            break;
        }
        let (old_room, new_room) = (old_limit - old_start, new_limit - new_start);
        clipped.push(match op {
            DiffOp::Equal { old_index, new_index, len } => {
                DiffOp::Equal { old_index, new_index, len: len.min(old_room).min(new_room) }
            }
            DiffOp::Delete { old_index, old_len, new_index } => {
                DiffOp::Delete { old_index, old_len: old_len.min(old_room), new_index }
            }
            DiffOp::Insert { old_index, new_index, new_len } => {
                DiffOp::Insert { old_index, new_index, new_len: new_len.min(new_room) }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                DiffOp::Replace { old_index, old_len: old_len.min(old_room), new_index, new_len: new_len.min(new_room) }
            }
        });
    }
    clipped
}

/// `op` with its line numbers moved down by `offset`.
fn shift(op: similar::DiffOp, offset: usize) -> similar::DiffOp {
    use similar::DiffOp;
    match op {
        DiffOp::Equal { old_index, new_index, len } => {
            DiffOp::Equal { old_index: old_index + offset, new_index: new_index + offset, len }
        }
        DiffOp::Delete { old_index, old_len, new_index } => {
            DiffOp::Delete { old_index: old_index + offset, old_len, new_index: new_index + offset }
        }
        DiffOp::Insert { old_index, new_index, new_len } => {
            DiffOp::Insert { old_index: old_index + offset, new_index: new_index + offset, new_len }
        }
        DiffOp::Replace { old_index, old_len, new_index, new_len } => {
            DiffOp::Replace { old_index: old_index + offset, old_len, new_index: new_index + offset, new_len }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn output_that_loses_a_comment_is_refused() {
        let original = "script s { trigger t { -> t } } # keep\n";
        let ast = syntax::parse(FileId::from_index(0), original).ast.unwrap();
        let lost = "script s {\n  trigger t {\n    -> t\n  }\n}\n";
        assert!(same_comments(original, &ast, lost).unwrap_err().contains("0 of the file's 1 comments"));
        assert!(same_comments(original, &ast, "script s {").unwrap_err().contains("does not parse"));
        assert!(same_comments(original, &ast, "script s {\n  trigger t {\n    -> t\n  }\n}  # keep\n").is_ok());
    }

    /// The diff of the whole texts, as `similar` writes it: what `short_diff` must match when
    /// it is short.
    fn whole_diff(old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new).unified_diff().context_radius(1).header("f", "f").to_string()
    }

    #[test]
    fn short_diffs_match_a_whole_file_diff() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc\nd\ne\nf\ng\n", "x\nb\nc\nd\ne\nf\ny\n"),
            ("one line", "one\nline\n"),
            ("a\nb\n", "a\nb\nc\n"),
            ("a\r\nb\r\n", "a\r\n b\r\n"),
            ("", "a\n"),
        ];
        for (old, new) in cases {
            assert_eq!(short_diff(old, new, "f"), whole_diff(old, new), "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn a_long_diff_is_cut_at_forty_lines() {
        let old: String = (0..10_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..10_000).map(|i| format!("Line {i}\n")).collect();
        let diff = short_diff(&old, &new, "f");
        assert_eq!(diff.lines().count(), MAX_DIFF_LINES + 1);
        assert!(diff.starts_with("--- f\n+++ f\n@@ -1,"), "{diff}");
        assert!(diff.ends_with("… (more diff lines)\n"), "{diff}");
    }
}
