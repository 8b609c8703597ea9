//! A project in a locale (contract section 12, "A translation is used when…"): the same
//! scripts with every translatable text replaced by its used translation, parsed again, so
//! that every rule, emitter and rehearsal runs on it unchanged.
//!
//! For each translatable line ([`super::extract::lines`]) the locale's chain is tried in order
//! (`fr_CA`, then `fr`): an entry is **used** when it is present, has a translation, is not
//! fuzzy and is placeholder-consistent. A line with no used translation keeps its source text,
//! and the reason is a diagnostic (`missing-`, `fuzzy-`, `stale-translation`,
//! `placeholder-mismatch`). A used translation of a spoken line longer than its word ceiling is
//! `long-translation`.
//!
//! The new text keeps every byte outside the replaced literals, so names, targets, comments
//! (and suppression comments) are the source's. [`Localised::to_source`] maps a span of the
//! new text back: into the source file, or, inside a used translation, to its `msgstr` in the
//! PO file.
//!
//! **Invariant:** node names, edges, stages and outcomes of the localised project are those of
//! the source, in the same order, so graph results and node keys carry over.

use super::brace;
use super::extract::{lines, Line};
use super::translations::{TranslationFile, Translations};
use crate::config::locales::Locale;
use crate::diagnostic::{Code, Diagnostic};
use crate::graph::timing;
use crate::resolve::{Module, NameIndex, NodeKey, Project};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::strings::Piece;

/// Where a replaced literal came from.
#[derive(Clone, Debug)]
struct Replaced {
    /// The literal in the source text.
    source: Span,
    /// The literal in the localised text.
    localised: Span,
    /// The PO file and the `msgstr` keyword of the translation used.
    msgstr: (FileId, Span),
}

/// A span of the localised text, back where a writer or translator looks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Outside every translation: the same place in the source file.
    Source(Span),
    /// Inside a used translation: its `msgstr` in the PO file, and the source line.
    Translation { po_file: FileId, msgstr: Span, source: Span },
}

/// A project in one locale.
pub(crate) struct Localised {
    pub locale: Locale,
    /// The project with the locale's text: its modules have the source project's file ids.
    pub project: Project,
    /// Per module: the literals replaced, in text order.
    replaced: Vec<Vec<Replaced>>,
    /// What kept a line in the source language, and translations too long to say.
    pub problems: Vec<Diagnostic>,
    /// The nodes with a line that kept its source text: a transcript test in this locale fails
    /// when its walk passes one.
    pub fallback_nodes: std::collections::HashSet<NodeKey>,
}

/// How a line's lookup through the locale chain ended.
enum Lookup<'t> {
    Used {
        file: &'t TranslationFile,
        index: usize,
        text: String,
    },
    /// No used translation; the diagnostic says why, when one applies.
    Fallback(Option<Diagnostic>),
}

/// Settings for the per-line checks.
pub(crate) struct Settings {
    pub max_stretch: f64,
    /// Words a placeholder counts for, in the source's timing.
    pub placeholder_words: f64,
    /// The language of the `.defuse` text: in it, every line is as written.
    pub source: Locale,
}

impl Settings {
    pub(crate) fn of(config: &crate::config::Config) -> Settings {
        Settings {
            max_stretch: config.locales.max_stretch,
            placeholder_words: config.timing.placeholder_words,
            source: config.locales.source.clone(),
        }
    }
}

/// `project` in `locale`, from `translations` (which hold `project`'s PO sources).
pub(crate) fn localise(
    project: &Project,
    translations: &Translations,
    locale: &Locale,
    settings: &Settings,
) -> Localised {
    use rayon::prelude::*;
    // Each file is localised on its own (in parallel), then the files are put back in order.
    let files: Vec<LocalisedFile> = (0..project.modules.len())
        .into_par_iter()
        .map(|file| localise_file(project, FileId::from_index(file), translations, locale, settings))
        .collect();
    let mut localised = Project::default();
    let mut replaced = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    let mut fallback_nodes = std::collections::HashSet::new();
    for (file, done) in project.files().zip(files) {
        localised.sources.add(done.source);
        localised.diagnostics.extend(done.diagnostics);
        localised.modules.push(done.module);
        replaced.push(done.replaced);
        problems.extend(done.problems);
        fallback_nodes.extend(done.fallback_nodes.into_iter().map(|index| NodeKey { file, index }));
    }
    if *locale == settings.source {
        // The source's own language (a page with `--locale en --locale es`): the text as written.
        problems.clear();
        fallback_nodes.clear();
    }
    let problems = problems.into_iter().map(|p| p.with_locale(locale)).collect();
    Localised { locale: locale.clone(), project: localised, replaced, problems, fallback_nodes }
}

/// One file in a locale.
struct LocalisedFile {
    source: SourceFile,
    module: Module,
    /// Its parse errors (none when every translation is a valid literal, as [`literal`] makes).
    diagnostics: Vec<Diagnostic>,
    replaced: Vec<Replaced>,
    problems: Vec<Diagnostic>,
    /// The indices of its nodes with a line that kept its source text.
    fallback_nodes: Vec<usize>,
}

fn localise_file(
    project: &Project,
    file: FileId,
    translations: &Translations,
    locale: &Locale,
    settings: &Settings,
) -> LocalisedFile {
    let module = project.module(file);
    let source = project.sources.get(file);
    let mut done = LocalisedFile {
        source: SourceFile::new(source.path.clone(), source.text.clone()),
        module: unparsed_copy(module),
        diagnostics: Vec::new(),
        replaced: Vec::new(),
        problems: Vec::new(),
        fallback_nodes: Vec::new(),
    };
    let Some(item) = module.item() else { return done };
    let chain = locale.chain();
    let unit = item.name.name.as_str();
    let files: Vec<&TranslationFile> = chain.iter().filter_map(|l| translations.file(l, unit)).collect();
    let broken = chain.iter().any(|l| translations.unusable(l, unit));
    // No translation file yet: each line is untranslated, as with an empty one (the contract's
    // `missing-translation`, at the source line).
    let no_file = (files.is_empty() && !broken).then(|| translations.shown_path(locale, unit));
    let text = source.text.as_str();
    let all_lines = lines(item, text);
    // Which entry each line is a rewording of matters only for a line without its own entry:
    // the fuzzy matching is skipped for a file that has every line.
    let stale: Vec<Vec<Option<usize>>> = files
        .iter()
        .map(|po| {
            if all_lines.iter().all(|line| po.exact_index(&line.msgctxt, &line.msgid).is_some()) {
                vec![None; all_lines.len()]
            } else {
                reworded_from(po, &all_lines)
            }
        })
        .collect();
    let mut new_text = String::with_capacity(text.len());
    let mut at = 0;
    for (line_index, line) in all_lines.iter().enumerate() {
        let stale_entries: Vec<Option<usize>> = stale.iter().map(|per_file| per_file[line_index]).collect();
        let lookup = look_up(project, file, line, &files, &stale_entries, settings, &mut done.problems);
        let Lookup::Used { file: po, index, text: translation } = lookup else {
            match (lookup, &no_file) {
                (Lookup::Fallback(Some(problem)), _) => done.problems.push(problem),
                (_, Some(shown)) => done.problems.push(
                    Diagnostic::new(
                        Code::MissingTranslation,
                        file,
                        line.text.span,
                        format!("{} is not translated", describe(line)),
                    )
                    .label(format!("no `{shown}` yet"))
                    .help("`defuse strings merge` creates it, ready for translators"),
                ),
                _ => {}
            }
            if let Some((node, _)) = line.statement {
                done.fallback_nodes.push(node);
            }
            continue;
        };
        let span = line.text.span;
        new_text.push_str(&text[at..span.start()]);
        let start = new_text.len();
        new_text.push_str(&translation);
        let entry = &po.catalog.entries[index];
        done.replaced.push(Replaced {
            source: span,
            localised: Span::new(start, new_text.len()),
            msgstr: (po.file, msgstr_span(entry)),
        });
        at = span.end();
    }
    new_text.push_str(&text[at..]);
    let parsed =
        relocated(project, file, &done.replaced, &new_text).unwrap_or_else(|| crate::syntax::parse(file, &new_text));
    debug_assert_eq!(parsed.ast, crate::syntax::parse(file, &new_text).ast, "relocating equals parsing");
    done.source = SourceFile::new(source.path.clone(), new_text);
    done.diagnostics = parsed.diagnostics;
    let nodes = parsed.ast.as_ref().map(|ast| NameIndex::build(&ast.item.nodes)).unwrap_or_default();
    done.module = Module {
        ast: parsed.ast,
        uses: module.uses.clone(),
        imports: module.imports.clone(),
        nodes,
        requested: module.requested,
    };
    done
}

/// The parse of the localised text of `file` without parsing it: the source's AST with the
/// `replaced` literals lowered in place and every other span moved. `None` (parse the text)
/// when the source has a syntax diagnostic, whose parse of the new text could differ.
fn relocated(project: &Project, file: FileId, replaced: &[Replaced], new_text: &str) -> Option<crate::syntax::Parsed> {
    let ast = project.module(file).ast.as_ref()?;
    if project.diagnostics.iter().any(|d| d.code == Code::Syntax && d.file() == file) {
        return None;
    }
    let literals = replaced
        .iter()
        .map(|r| {
            let raw = &new_text[r.localised.start()..r.localised.end()];
            let lowered = crate::syntax::strings::lower_string(raw, r.localised.start()).ok()?;
            Some((r.source, lowered))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(crate::syntax::Parsed { ast: Some(ast.with_literals(&literals)), diagnostics: Vec::new() })
}

/// A module that did not parse, kept so file ids stay aligned.
fn unparsed_copy(module: &Module) -> Module {
    Module {
        ast: None,
        uses: module.uses.clone(),
        imports: module.imports.clone(),
        nodes: NameIndex::default(),
        requested: module.requested,
    }
}

/// The span of an entry's `msgstr` keyword: where diagnostics about its text point.
fn msgstr_span(entry: &super::po::Entry) -> Span {
    Span::new(entry.msgstr_at.start, entry.msgstr_at.end)
}

/// Finds the used translation of `line` through `files` (the locale chain's files, most
/// specific first).
fn look_up<'t>(
    project: &Project,
    file: FileId,
    line: &Line,
    files: &[&'t TranslationFile],
    stale: &[Option<usize>],
    settings: &Settings,
    problems: &mut Vec<Diagnostic>,
) -> Lookup<'t> {
    let source_span = line.text.span;
    let text = project.sources.get(file).text.as_str();
    let source_pieces = line.text.pieces(text);
    // Only a diagnostic names the line: not built for the lines that are simply translated.
    let what = || describe(line);
    let mut first_reason: Option<Diagnostic> = None;
    // The first entry of the line whose msgstr is empty, in a file of the chain.
    let mut empty: Option<(FileId, Span)> = None;
    let mut keep = |reason: Diagnostic| {
        if first_reason.is_none() {
            first_reason = Some(reason);
        }
    };
    for (po, stale) in files.iter().zip(stale) {
        let at_entry = |entry: &super::po::Entry, code: Code, message: String| {
            Diagnostic::new(code, po.file, msgstr_span(entry), message).with(file, source_span, "the source line")
        };
        let Some(index) = po.exact_index(&line.msgctxt, &line.msgid) else {
            if let Some(entry) = stale.map(|index| &po.catalog.entries[index]) {
                keep(
                    at_entry(
                        entry,
                        Code::StaleTranslation,
                        format!("the translation of {} is for an older wording of the line", what()),
                    )
                    .label("translated from the old text")
                    .help("run `defuse strings merge`: it keeps this translation, marked fuzzy for review"),
                );
            }
            continue;
        };
        let entry = &po.catalog.entries[index];
        if entry.msgstr.is_empty() {
            empty.get_or_insert((po.file, msgstr_span(entry)));
            continue;
        }
        if entry.fuzzy {
            keep(
                at_entry(entry, Code::FuzzyTranslation, format!("the translation of {} is marked fuzzy", what()))
                    .label("needs review")
                    .help("check it against the source line, then remove the `fuzzy` flag"),
            );
            continue;
        }
        if line.kind == "title" {
            return Lookup::Used { file: po, index, text: literal(&[Piece::Text(entry.msgstr.clone())]) };
        }
        let pieces = match brace::parse(&entry.msgstr) {
            Ok(pieces) => pieces,
            Err(problem) => {
                keep(
                    at_entry(
                        entry,
                        Code::PlaceholderMismatch,
                        format!("the translation of {} cannot be used: {}", what(), problem.message),
                    )
                    .label("here")
                    .help("keep each placeholder as `{name}`, and write a literal brace twice: `{{` or `}}`"),
                );
                continue;
            }
        };
        if let Some(difference) = brace::mismatch(&source_pieces, &pieces) {
            let names: Vec<String> = brace::placeholders(&source_pieces).iter().map(|n| format!("`{{{n}}}`")).collect();
            let help = if names.is_empty() {
                "the source line has no placeholder".to_owned()
            } else {
                format!("keep exactly the source line's placeholders: {}", names.join(", "))
            };
            keep(
                at_entry(entry, Code::PlaceholderMismatch, format!("{difference} ({})", what()))
                    .label("placeholders differ")
                    .help(help),
            );
            continue;
        }
        if matches!(line.kind, "say" | "ask" | "option") {
            let source_words = timing::str_words(line.text, settings.placeholder_words);
            let ceiling = (source_words * settings.max_stretch).ceil();
            let words = pieces_words(&pieces, settings.placeholder_words);
            if words > ceiling {
                problems.push(
                    at_entry(
                        entry,
                        Code::LongTranslation,
                        format!(
                            "the translation of {} has {} words; keep within {}",
                            what(),
                            format_number(words),
                            format_number(ceiling)
                        ),
                    )
                    .label("too long to say")
                    .help(format!(
                        "the source line has {} words; a translation may take {} times as many ([locales] max_stretch)",
                        format_number(source_words),
                        settings.max_stretch
                    )),
                );
            }
        }
        return Lookup::Used { file: po, index, text: literal(&pieces) };
    }
    if first_reason.is_none() && !files.is_empty() {
        let shown = project.sources.get(files[0].file).display_path();
        let mut missing =
            Diagnostic::new(Code::MissingTranslation, file, source_span, format!("{} is not translated", what()))
                .label(format!("no translation in `{shown}`"))
                .help("run `defuse strings merge`, then translate the empty entries");
        // The entry waiting for its translation: where the translator writes it, and where a
        // translator comment may allow it to stay empty.
        if let Some((po_file, msgstr)) = empty {
            missing = missing.with(po_file, msgstr, "empty here");
        }
        first_reason = Some(missing);
    }
    Lookup::Fallback(first_reason)
}

/// For each line, the entry of `po` the next `merge` would take as this line reworded (same
/// `msgctxt`, most similar text, each entry for one line): the line is then stale.
fn reworded_from(po: &TranslationFile, lines: &[Line]) -> Vec<Option<usize>> {
    let old: Vec<(usize, &super::po::Entry)> =
        po.catalog.entries.iter().enumerate().filter(|(_, entry)| !entry.is_header() && !entry.obsolete).collect();
    let wanted: Vec<super::po::Entry> = lines
        .iter()
        .map(|line| super::po::Entry {
            msgctxt: Some(line.msgctxt.clone()),
            msgid: line.msgid.clone(),
            ..super::po::Entry::default()
        })
        .collect();
    let old_refs: Vec<&super::po::Entry> = old.iter().map(|(_, entry)| *entry).collect();
    let wanted_refs: Vec<&super::po::Entry> = wanted.iter().collect();
    super::merge::match_entries(&old_refs, &wanted_refs)
        .into_iter()
        .zip(lines)
        .map(|(found, line)| match found {
            Some((index, true)) if old[index].1.msgctxt.as_deref() == Some(line.msgctxt.as_str()) => Some(old[index].0),
            _ => None,
        })
        .collect()
}

/// "the `say` line of node `hear`", "the title".
fn describe(line: &Line) -> String {
    let (node, kind) = match line.msgctxt.split_once(':') {
        Some((scope, kind)) => (scope.split_once('.').map(|(_, node)| node), kind),
        None => (None, line.kind),
    };
    match node {
        Some(node) => format!("the `{kind}` line of node `{node}`"),
        None => "the title".to_owned(),
    }
}

/// The words of a translation, each placeholder counting `placeholder_words`.
fn pieces_words(pieces: &[Piece], placeholder_words: f64) -> f64 {
    let mut words = 0.0;
    for piece in pieces {
        match piece {
            Piece::Text(text) => words += timing::words(text) as f64,
            Piece::Var(_) => words += placeholder_words,
        }
    }
    words
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A defuse string literal holding `pieces`: placeholders as `{name}`, every other brace,
/// quote, backslash, line break and tab escaped, so it parses back to exactly these pieces.
pub(crate) fn literal(pieces: &[Piece]) -> String {
    let mut out = String::from("\"");
    for piece in pieces {
        match piece {
            Piece::Var(name) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
            Piece::Text(text) => crate::syntax::strings::escape_into(text, &mut out),
        }
    }
    out.push('"');
    out
}

impl Localised {
    /// Where `span` of localised file `file` stands for a reader: in the source file, or in
    /// the translation that produced it.
    pub(crate) fn to_source(&self, file: FileId, span: Span) -> Origin {
        let Some(replaced) = self.replaced.get(file.index()) else { return Origin::Source(span) };
        // The last literal starting at or before `offset` (`before_end`: strictly before).
        let last = |offset: usize, before_end: bool| {
            let at = replaced.partition_point(|r| {
                if before_end {
                    r.localised.start() < offset
                } else {
                    r.localised.start() <= offset
                }
            });
            at.checked_sub(1).map(|i| &replaced[i])
        };
        if let Some(inside) = last(span.start(), false).filter(|r| span.start() < r.localised.end()) {
            let (po_file, msgstr) = inside.msgstr;
            return Origin::Translation { po_file, msgstr, source: inside.source };
        }
        // Outside the literals, the texts differ by what the literals before changed.
        let shifted = |offset: usize, before_end: bool| match last(offset, before_end) {
            None => offset,
            Some(r) if offset < r.localised.end() => r.source.end(),
            Some(r) => offset + r.source.end() - r.localised.end(),
        };
        Origin::Source(Span::new(shifted(span.start(), false), shifted(span.end(), true)))
    }

    /// Moves a diagnostic found in the localised project to where readers look: labels in a
    /// used translation go to its `msgstr`, with a label at the source line; the others to
    /// the same place in the source.
    pub(crate) fn relocate(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        for label in &mut diagnostic.secondary {
            label.span = match self.to_source(label.file, label.span) {
                Origin::Source(span) => span,
                Origin::Translation { source, .. } => source,
            };
        }
        match self.to_source(diagnostic.primary.file, diagnostic.primary.span) {
            Origin::Source(span) => diagnostic.primary.span = span,
            Origin::Translation { po_file, msgstr, source } => {
                let label = crate::diagnostic::Label {
                    file: diagnostic.primary.file,
                    span: source,
                    message: "the source line".to_owned(),
                };
                diagnostic.primary.file = po_file;
                diagnostic.primary.span = msgstr;
                diagnostic.secondary.insert(0, label);
            }
        }
        diagnostic.fix = None; // an edit of the localised text means nothing in the source
        diagnostic.with_locale(&self.locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_map_back_across_replaced_literals() {
        let replaced = vec![
            Replaced {
                source: Span::new(10, 20),
                localised: Span::new(10, 15),
                msgstr: (FileId::from_index(9), Span::new(1, 2)),
            },
            Replaced {
                source: Span::new(30, 35),
                localised: Span::new(25, 40),
                msgstr: (FileId::from_index(9), Span::new(3, 4)),
            },
        ];
        let localised = Localised {
            locale: Locale::parse("es").unwrap(),
            project: Project::default(),
            replaced: vec![replaced],
            problems: Vec::new(),
            fallback_nodes: Default::default(),
        };
        let at = |start, end| localised.to_source(FileId::from_index(0), Span::new(start, end));
        assert_eq!(at(0, 5), Origin::Source(Span::new(0, 5)));
        // A statement holding the first literal: its end moves with the literal.
        assert_eq!(at(5, 16), Origin::Source(Span::new(5, 21)));
        // Across both literals, and after them.
        assert_eq!(at(5, 41), Origin::Source(Span::new(5, 36)));
        assert_eq!(at(45, 50), Origin::Source(Span::new(40, 45)));
        assert_eq!(
            at(12, 13),
            Origin::Translation { po_file: FileId::from_index(9), msgstr: Span::new(1, 2), source: Span::new(10, 20) }
        );
    }

    #[test]
    fn a_literal_parses_back_to_its_pieces() {
        let pieces =
            vec![Piece::Text("Hola \"ya\" \\ {x}\n\tfin ".into()), Piece::Var("name"), Piece::Text("}".into())];
        let text = literal(&pieces);
        let source = format!("x {text}");
        let parsed = crate::syntax::strings::lower_string(&text, 2).ok().expect("a valid literal");
        assert_eq!(parsed.pieces(&source), pieces);
    }
}
