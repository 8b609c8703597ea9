//! Translations in the editor (contract section 12, "Every command takes a locale", `lsp`).
//!
//! - The analysis of a project with `[locales] targets` checks every target locale too
//!   ([`check`], as `defuse check` does): the PO files are read through the server's overlay, so
//!   an unsaved PO buffer counts, and each becomes a file of the analysis (its diagnostics are
//!   published to its URI, open or not).
//! - An open `.po` file is no script: [`groups`] puts in its place the scripts its `#:`
//!   references name (every script of the project when it names none, e.g. when it does not
//!   parse), so its project is analysed and its diagnostics published with its version.
//! - Hover on a translatable line shows the line in each target locale ([`hover`]); go to
//!   definition from a `#:` reference or a `msgctxt` line lands on the source line
//!   ([`definition`]).
//!
//! **Invariant:** a PO file that does not parse is one `locale-file` diagnostic and nothing
//! else; nothing here panics on a PO's text (lines are scanned, never indexed blindly).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::Url;

use super::position::Encoding;
use super::server::publish;
use super::state::{self, Analysis, Document};
use super::transport::Connection;
use crate::config::locales::Locale;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::files::read::FileSource;
use crate::locale::extract::{lines, Line};
use crate::locale::{brace, po};
use crate::resolve::Project;
use crate::source::{FileId, Span};

/// Whether `path` is a translation file (a PO, or a template) rather than a script.
pub(crate) fn is_translation(path: &Path) -> bool {
    matches!(path.extension().and_then(|ext| ext.to_str()), Some("po" | "pot"))
}

/// Adds to `diagnostics` (the source's, from `check`) those of every `[locales] targets` locale
/// with a directory under `root`: the translation files read become files of `project` (and
/// `paths`), so their diagnostics are published to them.
pub(crate) fn add(
    project: &mut Project,
    paths: &mut Vec<PathBuf>,
    config: &Config,
    source: &dyn FileSource,
    root: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(root) = root.filter(|_| !config.locales.targets.is_empty()) else { return };
    crate::check::locales::add_locales(project, config, source, (root, root), (&[], false), diagnostics);
    for file in project.sources.ids().skip(paths.len()) {
        let shown = &project.sources.get(file).path;
        paths.push(source.canonicalize(shown).unwrap_or_else(|_| shown.clone()));
    }
}

/// [`state::groups`] with each open translation file replaced by the scripts it translates
/// (see the module's documentation). A group left with no script is dropped.
pub(crate) fn groups(open: &BTreeMap<PathBuf, Document>) -> HashMap<Option<PathBuf>, Vec<PathBuf>> {
    let mut groups = state::groups(open);
    for (config, inputs) in &mut groups {
        if !inputs.iter().any(|path| is_translation(path)) {
            continue;
        }
        let roots = crate::workspace::Roots::under(config.as_deref());
        let root = roots.config_root();
        let mut scripts: BTreeSet<PathBuf> = BTreeSet::new();
        for path in inputs.iter() {
            if !is_translation(path) {
                scripts.insert(path.clone());
            } else if let Some(root) = root {
                let text = open.get(path).map_or("", |document| document.text.as_str());
                scripts.extend(translated_scripts(text, root, open));
            }
        }
        *inputs = scripts.into_iter().collect();
    }
    groups.retain(|_, inputs| !inputs.is_empty());
    groups
}

/// The scripts a PO's `#:` references name, inside `root`; every script under `root` when
/// they name none.
fn translated_scripts(text: &str, root: &Path, open: &BTreeMap<PathBuf, Document>) -> Vec<PathBuf> {
    let mut found = BTreeSet::new();
    for line in text.lines().filter(|line| line.starts_with("#:")) {
        for token in line[2..].split_whitespace() {
            let Some((path, _)) = reference(token) else { continue };
            let path = state::canonical_identity(&crate::resolve::paths::normalize(&root.join(path)));
            if path.starts_with(root) && (open.contains_key(&path) || path.is_file()) {
                found.insert(path);
            }
        }
    }
    if found.is_empty() {
        found.extend(crate::workspace::scripts_under(root).iter().map(|file| state::canonical_identity(file)));
    }
    found.into_iter().collect()
}

/// A `#:` token `path:line`: the path and the 1-based line.
fn reference(token: &str) -> Option<(&str, usize)> {
    let (path, line) = token.rsplit_once(':')?;
    let line = line.parse().ok().filter(|&line| line > 0)?;
    (!path.is_empty()).then_some((path, line))
}

/// The translation files of `analysis` (those its locale checks read).
fn translation_files(analysis: &Analysis) -> impl Iterator<Item = FileId> + '_ {
    (0..analysis.paths.len()).map(FileId::from_index).filter(|&file| {
        is_translation(&analysis.paths[file.index()])
            && analysis.project.modules.get(file.index()).is_some_and(|module| module.ast.is_none())
    })
}

/// Whether an edit of `changed` may change the diagnostics of every file of `analysis`: when it
/// checks translations, a script's edit changes its PO files' diagnostics and the reverse.
pub(crate) fn affected(analysis: &Analysis, changed: &BTreeSet<PathBuf>) -> bool {
    translation_files(analysis).next().is_some() && analysis.paths.iter().any(|path| changed.contains(path))
}

/// The PO files that are not open but have diagnostics published: they are cleared once no
/// analysis reads them any more.
#[derive(Default)]
pub(crate) struct ClosedFiles {
    published: BTreeSet<Url>,
}

impl ClosedFiles {
    /// Publishes the diagnostics of every translation file that is not open (the open ones are
    /// published with their version, as every open file is), and clears those no analysis
    /// reads any more.
    pub(crate) fn publish(
        &mut self,
        analyses: &[Analysis],
        open: &BTreeMap<PathBuf, Document>,
        changed: &BTreeSet<PathBuf>,
        encoding: Encoding,
        connection: &Connection,
    ) {
        let mut known = BTreeSet::new();
        for analysis in analyses {
            let touched = affected(analysis, changed);
            for file in translation_files(analysis) {
                if open.contains_key(&analysis.paths[file.index()]) {
                    continue;
                }
                let Some(uri) = analysis.uri(file, open) else { continue };
                known.insert(uri.clone());
                if !touched {
                    continue;
                }
                let found = super::diagnostics::for_file(analysis, file, open, encoding);
                if !found.is_empty() || self.published.contains(&uri) {
                    if found.is_empty() {
                        self.published.remove(&uri);
                    } else {
                        self.published.insert(uri.clone());
                    }
                    publish(connection, uri, found, None);
                }
            }
        }
        let gone: Vec<Url> = self.published.iter().filter(|uri| !known.contains(*uri)).cloned().collect();
        for uri in gone {
            self.published.remove(&uri);
            let reopened =
                uri.to_file_path().ok().is_some_and(|path| open.contains_key(&state::canonical_identity(&path)));
            if !reopened {
                publish(connection, uri, Vec::new(), None);
            }
        }
    }
}

/// The project root and `[locales]` of the file at `path` (its `defuse.toml`); `None` without
/// one or without target locales.
pub(crate) fn project_locales(path: &Path) -> Option<(PathBuf, Config)> {
    let config_path = crate::workspace::config_path_of(path)?;
    let (config, _) = state::load_config(Some(&config_path));
    let root = crate::workspace::Roots::of(&config).config_root()?.to_path_buf();
    (!config.locales.targets.is_empty()).then_some((root, config))
}

/// The hover text of the translatable line at `offset` of script `file`: one line per target
/// locale, and the line's span. `None` off a translatable line.
pub(crate) fn hover(
    analysis: &Analysis,
    file: FileId,
    offset: usize,
    root: &Path,
    config: &Config,
) -> Option<(String, Span)> {
    let item = analysis.project.item(file)?;
    let source = analysis.project.sources.get(file);
    let text = source.text.as_str();
    let all = lines(item, text);
    let touches = |line: &&Line| line.text.span.start() <= offset && offset <= line.text.span.end();
    let on_line = |line: &&Line| source.line_of(line.text.span.start()) == source.line_of(offset);
    let line = all.iter().find(touches).or_else(|| all.iter().find(on_line))?;
    let unit = item.name.name.as_str();
    let mut out = String::from("**Translations**\n\n");
    for locale in &config.locales.targets {
        let status = locale_status(analysis, root, &config.locales.dir, locale, unit, line, text);
        out.push_str(&format!("- {locale}: {status}\n"));
    }
    Some((out, line.text.span))
}

/// How `line` reads in `locale` (through its fallback chain): `«text» (translated)`,
/// `«text» (fuzzy)`, `(missing)`, …
fn locale_status(
    analysis: &Analysis,
    root: &Path,
    dir: &str,
    locale: &Locale,
    unit: &str,
    line: &Line,
    text: &str,
) -> String {
    let mut unusable = None;
    for candidate in locale.chain() {
        let path = root.join(dir).join(candidate.as_str()).join(format!("{unit}.po"));
        let Some(po_file) = analysis.file_of(&path) else { continue };
        let catalog = match po::parse(analysis.text(po_file).as_bytes()) {
            Ok(catalog) => catalog,
            Err(_) => {
                unusable.get_or_insert_with(|| format!("{dir}/{candidate}/{unit}.po"));
                continue;
            }
        };
        let Some(entry) = catalog.entries.iter().find(|entry| {
            !entry.obsolete && entry.msgctxt.as_deref() == Some(line.msgctxt.as_str()) && entry.msgid == line.msgid
        }) else {
            continue;
        };
        if entry.msgstr.is_empty() {
            continue;
        }
        let shown = format!("«{}»", entry.msgstr.replace('\n', " "));
        let from = if candidate == *locale { String::new() } else { format!(", from {candidate}") };
        let state = if entry.fuzzy {
            "fuzzy".to_owned()
        } else if line.kind != "title" && !placeholders_agree(&line.text.pieces(text), &entry.msgstr) {
            "placeholders differ".to_owned()
        } else {
            "translated".to_owned()
        };
        return format!("{shown} ({state}{from})");
    }
    match unusable {
        Some(file) => format!("(missing: `{file}` does not parse)"),
        None => "(missing)".to_owned(),
    }
}

fn placeholders_agree(source: &[crate::syntax::strings::Piece], msgstr: &str) -> bool {
    brace::parse(msgstr).is_ok_and(|pieces| brace::mismatch(source, &pieces).is_none())
}

/// Where go-to-definition from `offset` of the PO text `po_text` leads: on a `#: path:line`
/// token, that line of that file (under `root`); on a `msgctxt` line, the source line of the
/// entry in `analysis` (the analysis holding the PO). Gives the file's identity and the span.
pub(crate) fn definition(
    po_text: &str,
    offset: usize,
    root: &Path,
    analysis: Option<&Analysis>,
) -> Option<(PathBuf, Span)> {
    let offset = offset.min(po_text.len());
    let start = po_text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let end = po_text[offset..].find('\n').map_or(po_text.len(), |at| offset + at);
    let line = po_text.get(start..end)?.trim_end_matches('\r');
    if let Some(rest) = line.strip_prefix("#:") {
        let mut at = start + 2;
        for token in rest.split(' ') {
            let (token_start, token_end) = (at, at + token.len());
            at = token_end + 1;
            if token.is_empty() || offset < token_start || offset > token_end {
                continue;
            }
            let (path, number) = reference(token.trim())?;
            let path = state::canonical_identity(&crate::resolve::paths::normalize(&root.join(path)));
            if !path.starts_with(root) {
                return None;
            }
            let analysis = analysis?;
            let file = analysis.file_of(&path)?;
            let source = analysis.project.sources.get(file);
            if number > source.line_count() {
                return None;
            }
            let bytes = source.line_span(number - 1);
            let whole = &source.text[bytes.clone()];
            let indent = whole.len() - whole.trim_start().len();
            return Some((path, Span::new(bytes.start + indent, bytes.start + whole.trim_end().len())));
        }
        return None;
    }
    let msgctxt = line.strip_prefix("msgctxt")?.trim();
    let msgctxt = msgctxt.strip_prefix('"')?.strip_suffix('"')?;
    let analysis = analysis?;
    // The entry's msgid, when the file parses: the first entry starting after this line.
    let msgid = po::parse(po_text.as_bytes()).ok().and_then(|catalog| {
        catalog.entries.into_iter().find(|entry| entry.msgid_at.start > start).map(|entry| entry.msgid)
    });
    let unit = msgctxt.split([':', '.']).next()?;
    let node = msgctxt.split_once(':').and_then(|(scope, _)| scope.split_once('.')).map(|(_, node)| node);
    for file in analysis.project.files() {
        let Some(item) = analysis.project.item(file).filter(|item| item.name.name == unit) else { continue };
        let all = lines(item, analysis.text(file));
        let with_context = || all.iter().filter(|line| line.msgctxt == msgctxt);
        let found = with_context()
            .find(|line| msgid.as_deref() == Some(line.msgid.as_str()))
            .or_else(|| with_context().next())
            .map(|line| line.text.span)
            .or_else(|| item.nodes.iter().find(|n| Some(n.name.name.as_str()) == node).map(|n| n.name.span))
            .unwrap_or(item.name.span);
        return Some((analysis.paths[file.index()].clone(), found));
    }
    None
}

#[cfg(test)]
mod tests;
