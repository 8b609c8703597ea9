//! The translation files of one run (contract section 12, "Files"): for every script and
//! library of the project and every locale asked for, `<root>/<dir>/<locale>/<name>.po`, read
//! once, under section 4's rules (regular files inside the root, a size limit, UTF-8).
//!
//! Each file read becomes a source of the project (with an empty module, so that a file id
//! still indexes both), after its scripts, so that a diagnostic
//! about a translation points into the PO file the translator changed and every report format
//! can quote it. A file that cannot be used is one `locale-file` diagnostic; its lines then
//! fall back to the source, as for a missing file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::po::{self, Catalog, Entry};
use crate::config::locales::Locale;
use crate::diagnostic::{Code, Diagnostic};
use crate::files::read::FileSource;
use crate::resolve::Project;
use crate::source::{FileId, SourceFile, Span};

/// The largest translation file defuse reads: that of a script.
pub(crate) const MAX_PO_BYTES: u64 = crate::files::read::MAX_SCRIPT_BYTES;

/// One PO file that parsed, with its entries indexed by key.
pub(crate) struct TranslationFile {
    /// The file among the project's sources.
    pub file: FileId,
    pub catalog: Catalog,
    /// Entry indices by `msgctxt`, then `msgid`: looked up without building a key.
    exact: HashMap<String, HashMap<String, usize>>,
}

impl TranslationFile {
    fn new(file: FileId, catalog: Catalog) -> TranslationFile {
        let mut exact: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (index, entry) in catalog.entries.iter().enumerate() {
            if entry.obsolete || entry.is_header() {
                continue;
            }
            let context = entry.msgctxt.clone().unwrap_or_default();
            exact.entry(context).or_default().entry(entry.msgid.clone()).or_insert(index);
        }
        TranslationFile { file, catalog, exact }
    }

    /// The entry of key (`msgctxt`, `msgid`), if the file has it (obsolete entries never count).
    pub(crate) fn exact(&self, msgctxt: &str, msgid: &str) -> Option<&Entry> {
        self.exact_index(msgctxt, msgid).map(|index| &self.catalog.entries[index])
    }

    /// The index in `catalog.entries` of [`TranslationFile::exact`]'s entry.
    pub(crate) fn exact_index(&self, msgctxt: &str, msgid: &str) -> Option<usize> {
        self.exact.get(msgctxt)?.get(msgid).copied()
    }
}

/// What reading one translation file gave.
enum FileRead {
    Missing,
    /// After symlinks, outside the project root: not read.
    Outside,
    Unreadable(String),
    Text(std::path::PathBuf, std::sync::Arc<String>, Result<Catalog, po::PoError>),
}

/// Every translation file read for a run, by locale and unit name.
#[derive(Default)]
pub(crate) struct Translations {
    files: BTreeMap<(Locale, String), TranslationFile>,
    /// The locales whose directory exists under the locale dir.
    present: Vec<Locale>,
    /// Files that exist but cannot be used (a `locale-file` problem says why).
    unusable: Vec<(Locale, String)>,
    /// `locale-file` problems met while reading.
    pub problems: Vec<Diagnostic>,
    /// Where each unit's file would be, for messages: `locales/es/refund.po`.
    dir: String,
}

impl Translations {
    /// Reads the PO files of every parsed script and library of `project` for each locale of
    /// `locales` and the locales they fall back to. `root` is the project root (canonical),
    /// `base` the same directory as the user named it (reports show paths from there), `dir`
    /// the `[locales] dir` under it.
    pub fn load(
        project: &mut Project,
        source: &dyn FileSource,
        root: &Path,
        base: &Path,
        dir: &str,
        locales: &[Locale],
    ) -> Translations {
        Translations::read(project, source, root, base, dir, locales).attach(project)
    }

    /// [`Translations::load`]'s reading and parsing, which needs the project only to read it
    /// (so it can run beside the source's check); [`ReadFiles::attach`] finishes the load.
    pub(crate) fn read(
        project: &Project,
        source: &dyn FileSource,
        root: &Path,
        base: &Path,
        dir: &str,
        locales: &[Locale],
    ) -> ReadFiles {
        let mut translations = Translations { dir: dir.to_owned(), ..Translations::default() };
        let mut wanted: Vec<Locale> = locales.iter().flat_map(Locale::chain).collect();
        wanted.sort();
        wanted.dedup();
        let units: Vec<(FileId, String)> =
            project.files().filter_map(|file| project.item(file).map(|item| (file, item.name.name.clone()))).collect();
        // Which files to read, in a fixed order (a repeated script name is read once:
        // `duplicate-script` reports it).
        let layout = super::files::Layout::new(base.to_path_buf(), dir);
        let mut jobs: Vec<(Locale, FileId, String)> = Vec::new();
        for locale in &wanted {
            if source.canonicalize(&layout.dir.join(locale.as_str())).is_ok() {
                translations.present.push(locale.clone());
            }
            for (unit_file, name) in &units {
                if !jobs.iter().any(|(l, _, n)| l == locale && n == name) {
                    jobs.push((locale.clone(), *unit_file, name.clone()));
                }
            }
        }
        // Read and parse in parallel; the results are taken in job order.
        use rayon::prelude::*;
        let reads: Vec<FileRead> = jobs
            .par_iter()
            .map(|(locale, _, name)| {
                let path = layout.po(locale, name);
                // One resolution of the path says whether the file exists and where it leads
                // (as `read_within` would, without resolving it twice).
                let canonical = match source.canonicalize(&path) {
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => return FileRead::Missing,
                    Err(error) => return FileRead::Unreadable(crate::files::read::describe_io_error(&error)),
                    Ok(canonical) if !canonical.starts_with(root) => return FileRead::Outside,
                    Ok(canonical) => canonical,
                };
                match source.read(&canonical, MAX_PO_BYTES) {
                    Ok(text) => {
                        let parsed = po::parse(text.as_bytes());
                        FileRead::Text(path, text, parsed)
                    }
                    Err(error) => FileRead::Unreadable(error.to_string()),
                }
            })
            .collect();
        ReadFiles { translations, files: jobs.into_iter().zip(reads).collect() }
    }
}

/// The translation files read and parsed, not yet sources of the project.
pub(crate) struct ReadFiles {
    translations: Translations,
    /// Each file's locale, unit and name, and what reading it gave, in a fixed order.
    files: Vec<((Locale, FileId, String), FileRead)>,
}

impl ReadFiles {
    /// Makes each file read a source of `project` (after its scripts, with an empty module)
    /// and its problems `locale-file` diagnostics.
    pub(crate) fn attach(self, project: &mut Project) -> Translations {
        let ReadFiles { mut translations, files } = self;
        let dir = translations.dir.clone();
        for ((locale, unit_file, name), read) in files {
            let locale = &locale;
            let unit_span = project.item(unit_file).map_or(Span::default(), |item| item.name.span);
            let cannot = |message: String| {
                Diagnostic::new(Code::LocaleFile, unit_file, unit_span, message)
                    .label(format!("the {locale} translation of this"))
                    .with_locale(locale)
            };
            let shown = format!("{dir}/{locale}/{name}.po");
            let key = (locale.clone(), name.clone());
            let (path, text, parsed) = match read {
                FileRead::Missing => continue,
                FileRead::Outside => {
                    let problem = cannot(format!("`{shown}` leads outside the project; it is not read"))
                        .help("make it a regular file inside the project");
                    translations.problems.push(problem);
                    translations.unusable.push(key);
                    continue;
                }
                FileRead::Unreadable(message) => {
                    translations.problems.push(cannot(format!("cannot read `{shown}`: {message}")));
                    translations.unusable.push(key);
                    continue;
                }
                FileRead::Text(path, text, parsed) => (path, text, parsed),
            };
            let file = project.sources.add(SourceFile::new(path, text));
            // A file id indexes both sources and modules: a translation file has no script.
            project.modules.push(crate::resolve::Module {
                ast: None,
                uses: Vec::new(),
                imports: Default::default(),
                nodes: Default::default(),
                requested: false,
            });
            match parsed {
                Ok(catalog) => {
                    translations.files.insert(key, TranslationFile::new(file, catalog));
                }
                Err(error) => {
                    let span = Span::new(error.span.start, error.span.end);
                    let problem = Diagnostic::new(
                        Code::LocaleFile,
                        file,
                        span,
                        format!("`{shown}` cannot be used: {}", error.message),
                    )
                    .label("here")
                    .help("until it is fixed, every line of this locale falls back to the source text");
                    translations.problems.push(problem.with_locale(locale));
                    translations.unusable.push(key);
                }
            }
        }
        translations
    }
}

impl Translations {
    /// The file of `unit` in exactly `locale` (no fallback).
    pub fn file(&self, locale: &Locale, unit: &str) -> Option<&TranslationFile> {
        self.files.get(&(locale.clone(), unit.to_owned()))
    }

    /// Whether the file of `unit` in `locale` exists but cannot be used.
    pub(crate) fn unusable(&self, locale: &Locale, unit: &str) -> bool {
        self.unusable.iter().any(|(l, u)| l == locale && u == unit)
    }

    /// Every translation file read, with its locale, in a fixed order.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&Locale, &TranslationFile)> {
        self.files.iter().map(|((locale, _), file)| (locale, file))
    }

    /// The translation file read as source `file`, with its locale.
    pub(crate) fn by_source(&self, file: FileId) -> Option<(&Locale, &TranslationFile)> {
        self.files.iter().find(|(_, f)| f.file == file).map(|((locale, _), f)| (locale, f))
    }

    /// Whether `<dir>/<locale>` exists: `check` covers a target locale only then.
    pub(crate) fn has_directory(&self, locale: &Locale) -> bool {
        self.present.contains(locale)
    }

    /// How a message names the file of `unit` in `locale`: `locales/es/refund.po`.
    pub(crate) fn shown_path(&self, locale: &Locale, unit: &str) -> String {
        format!("{}/{locale}/{unit}.po", self.dir)
    }
}
