//! `defuse strings extract|merge|export|import|status`: the translation files of a project
//! (contract section 12, "Files" and "Commands").
//!
//! Every subcommand opens the project as `check` does (the walk, the config, the root: the
//! directory of `defuse.toml` as found), makes the template of every script and library it finds
//! ([`crate::locale::extract::template`]), and works on `<root>/<dir>/templates/<name>.pot` and
//! `<root>/<dir>/<L>/<name>.po` ([`Layout`]).
//!
//! - Source errors (`syntax`, `duplicate-script`) stop every subcommand before it writes: a
//!   template of a file that does not parse would lose its lines.
//! - A PO or XLIFF file that cannot be read as one is a `locale-file` diagnostic with its span,
//!   printed as `check` prints reports; that file is left as it is and the run exits 1.
//! - Writes go through [`Writer`] (atomic, symlinks written through, modes kept, read-only files
//!   refused, never over an input of the run) and only land inside the root; a file whose bytes
//!   would not change is not written at all, so a second `merge` touches nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::{CliError, CommandResult, Problem, Status};
use super::shared;
use crate::config::locales::Locale;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::files::write::Writer;
use crate::locale::files::{self as locale_files, Layout, MAX_LOCALE_BYTES};
use crate::locale::po::{self, Catalog, Entry};
use crate::locale::{extract, merge, xliff};
use crate::source::{SourceFile, Sources, Span};
use crate::syntax::ast::ItemKind;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Strings,
}

#[derive(clap::Subcommand)]
enum Strings {
    /// Write the translation template locales/templates/<name>.pot of every script and library
    Extract(ExtractArgs),
    /// Bring locales/<L>/<name>.po up to date with the source (as msgmerge --previous), creating
    /// missing ones
    Merge(MergeArgs),
    /// Write <name>.<L>.xlf (XLIFF 1.2) or <name>.<L>.po for translators and agencies
    Export(ExportArgs),
    /// Read translated PO or XLIFF (1.1, 1.2) files back into locales/<L>/<name>.po
    Import(ImportArgs),
    /// Count translated, fuzzy, missing and obsolete lines per script and locale
    Status(StatusArgs),
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files and directories to extract from (default: the current directory)
    paths: Vec<PathBuf>,
    /// Write nothing; list the templates that would change and exit 1 if any would
    #[arg(long)]
    check: bool,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// Files and directories whose scripts to merge (default: the current directory)
    paths: Vec<PathBuf>,
    /// Merge this locale (repeatable; default: `[locales] targets`), e.g. `es`, `fr_CA`
    #[arg(long, value_name = "L")]
    locale: Vec<String>,
    /// Drop the translations of lines that are no longer in the source instead of keeping them
    /// as obsolete (`#~`) entries
    #[arg(long)]
    no_obsolete: bool,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// XLIFF 1.2, as the OASIS representation guide for gettext PO (for agencies and CAT tools)
    Xliff,
    /// The PO file, brought up to date with the source
    Po,
}

#[derive(clap::Args)]
struct ExportArgs {
    /// Files and directories whose scripts to export (default: the current directory)
    paths: Vec<PathBuf>,
    /// File format
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The locale to export, e.g. `es`, `fr_CA`
    #[arg(long, value_name = "L")]
    locale: String,
    /// Write one file per script or library into DIR (default: the current directory), named
    /// <name>.<L>.xlf or <name>.<L>.po
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    out_dir: Option<PathBuf>,
    /// Write to FILE (one script or library only); `-` is standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Translated PO or XLIFF files (from a translator, a translation platform or an agency)
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The files' locale (default: the XLIFF `target-language`, or the PO `Language` header)
    #[arg(long, value_name = "L")]
    locale: Option<String>,
    /// The project's scripts: files and directories (default: the current directory)
    #[arg(long = "scripts", value_name = "PATH")]
    scripts: Vec<PathBuf>,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum StatusFormat {
    /// An aligned table
    Text,
    /// One JSON document
    Json,
}

#[derive(clap::Args)]
struct StatusArgs {
    /// Files and directories whose scripts to count (default: the current directory)
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: StatusFormat,
    /// Count this locale (repeatable; default: `[locales] targets`)
    #[arg(long, value_name = "L")]
    locale: Vec<String>,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> CommandResult {
    match args.command {
        Strings::Extract(args) => extract_run(args),
        Strings::Merge(args) => merge_run(args),
        Strings::Export(args) => export_run(args),
        Strings::Import(args) => import_run(args),
        Strings::Status(args) => status_run(args),
    }
}

/// One script or library: its name, its file and its template.
struct Unit {
    name: String,
    /// The source path relative to the project root, with `/` (as in `#:` references).
    reference_path: String,
    template: Catalog,
}

/// The project as `strings` sees it.
struct Translations {
    config: Config,
    layout: Layout,
    /// In name order.
    units: Vec<Unit>,
    /// PO and XLIFF files read, for `locale-file` reports.
    files: Sources,
    /// `locale-file` diagnostics so far.
    diagnostics: Vec<Diagnostic>,
    /// The scripts, and the files `import` reads: no write replaces one of them.
    read: Vec<PathBuf>,
    /// The text of each translation file read, to tell whether a write would change it.
    texts: BTreeMap<PathBuf, String>,
}

/// Which files' translations a command works on.
#[derive(Clone, Copy, PartialEq)]
enum Units {
    /// The files asked for and the libraries they use: what `check` covers in a locale
    /// (`extract`, `merge`, `status`).
    Reached,
    /// The files asked for only (`export` and `import` name one file's translations).
    Named,
}

impl Translations {
    fn open(paths: &[PathBuf], config: Option<&Path>, units_of: Units) -> Result<Translations, CliError> {
        let paths = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
        let crate::workspace::Workspace { config, mut project } = shared::open(&paths, config)?;
        if !project.load_errors.is_empty() {
            return Err(CliError::unreadable(std::mem::take(&mut project.load_errors)));
        }
        let errors: Vec<Diagnostic> = project
            .diagnostics
            .iter()
            .filter(|d| matches!(d.code, Code::Syntax | Code::DuplicateScript))
            .cloned()
            .map(|mut d| {
                d.severity = Severity::Error;
                d
            })
            .collect();
        if !errors.is_empty() {
            let report = shared::renderer(shared::stderr_is_terminal()).render_all(&project, &errors);
            return Err(CliError::many(Status::Failed, vec![Problem::Report(report), Problem::line(NOTHING_WRITTEN)]));
        }
        let root = crate::workspace::root_of(&paths[0], &config, shared::working_directory().as_deref());
        let layout = Layout::new(root.path, &config.locales.dir);
        let mut units = Vec::new();
        for file in project.files() {
            let module = &project.module(file);
            let wanted = |item: &&crate::syntax::ast::Item| {
                module.requested || (units_of == Units::Reached && item.kind == ItemKind::Library)
            };
            let Some(item) = module.item().filter(wanted) else { continue };
            let reference_path = reference_path(&project.sources.get(file).path, &layout.root);
            let settings = extract::Settings {
                reference_path: &reference_path,
                timing: &config.timing,
                max_stretch: config.locales.max_stretch,
            };
            let Some(template) = extract::template(&project, file, &settings) else { continue };
            units.push(Unit { name: item.name.name.clone(), reference_path, template });
        }
        units.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(twice) = units.windows(2).find(|pair| pair[0].name == pair[1].name) {
            return Err(CliError::failed(format!(
                "two files define `{}` (`{}` and `{}`); their translation files would be the same, so rename one",
                twice[0].name, twice[0].reference_path, twice[1].reference_path
            )));
        }
        if units.is_empty() {
            return Err(CliError::input("no script or library to translate was found"));
        }
        let read = project.sources.ids().map(|id| project.sources.get(id).path.clone()).collect();
        Ok(Translations {
            config,
            layout,
            units,
            files: Sources::default(),
            diagnostics: Vec::new(),
            read,
            texts: BTreeMap::new(),
        })
    }

    /// The PO or POT at `path`: `Ok(None)` when there is none; a file that does not parse is a
    /// `locale-file` diagnostic and [`Stop::Skipped`]; an unreadable one stops the run (exit 2).
    fn read_catalog(&mut self, path: &Path) -> Result<Option<Catalog>, Stop> {
        let bytes = self.layout.read(path).map_err(|why| Stop::Input(unreadable(path, &why)))?;
        let Some(bytes) = bytes else { return Ok(None) };
        match po::parse(&bytes) {
            Ok(catalog) => {
                // It parsed, so it is UTF-8.
                self.texts.insert(path.to_path_buf(), String::from_utf8(bytes).unwrap_or_default());
                Ok(Some(catalog))
            }
            Err(problem) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                self.locale_file(path, text, problem.span, problem.message, Severity::Error);
                Err(Stop::Skipped)
            }
        }
    }

    /// Records a `locale-file` diagnostic at `span` of the file `path` (whose text is `text`).
    fn locale_file(
        &mut self,
        path: &Path,
        text: String,
        span: std::ops::Range<usize>,
        message: String,
        severity: Severity,
    ) {
        let display = PathBuf::from(shown(path));
        let known = self.files.ids().find(|&id| self.files.get(id).path == display);
        let file = known.unwrap_or_else(|| self.files.add(SourceFile::new(display, text)));
        // On character boundaries: a bad byte's span may end inside the U+FFFD shown for it.
        let text = &self.files.get(file).text;
        let mut end = span.end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let mut start = span.start.min(end);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut diagnostic = Diagnostic::new(Code::LocaleFile, file, Span::new(start, end), message);
        diagnostic.severity = severity;
        self.diagnostics.push(diagnostic);
    }

    /// Prints the `locale-file` diagnostics on standard error, as `check` prints its reports.
    fn report(&self) {
        let renderer = shared::renderer(shared::stderr_is_terminal());
        for diagnostic in &self.diagnostics {
            crate::output::stderr().raw(&renderer.render(diagnostic, &self.files));
        }
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The locales of `--locale`, else `[locales] targets`.
    fn locales(&self, given: &[String], doing: &str) -> Result<Vec<Locale>, CliError> {
        let mut locales = Vec::new();
        for text in given {
            let locale = Locale::parse(text).map_err(CliError::input)?;
            if !locales.contains(&locale) {
                locales.push(locale);
            }
        }
        if locales.is_empty() {
            locales = self.config.locales.targets.clone();
        }
        if locales.is_empty() {
            return Err(CliError::many(
                Status::BadInput,
                vec![
                    Problem::line(format!("no locale to {doing}: the project has no `[locales] targets`")),
                    Problem::Help(
                        "add `[locales]` with `targets = [\"es\"]` to defuse.toml, or pass `--locale es`".to_owned(),
                    ),
                ],
            ));
        }
        Ok(locales)
    }

    /// A writer that refuses every file this run read.
    fn writer(&self) -> Writer {
        Writer::refusing(self.read.iter().map(PathBuf::as_path).chain(self.config.path.as_deref()))
    }

    /// The bytes a catalog is written as (`[locales] wrap`).
    fn text_of(&self, catalog: &Catalog) -> String {
        po::write_width(catalog, self.config.locales.wrap)
    }

    /// `unit`'s PO for `locale` as `merge` makes it from `old` (none: a new file).
    fn merged(&self, unit: &Unit, locale: &Locale, old: Option<&Catalog>, keep_obsolete: bool) -> Catalog {
        let empty = Catalog { entries: vec![locale_files::new_po_header(&unit.name, locale)] };
        let mut merged = merge::merge(old.unwrap_or(&empty), &unit.template, keep_obsolete);
        locale_files::set_header(&mut merged, &unit.name, locale);
        merged
    }
}

/// Why one file was not done: its diagnostic is recorded (`Skipped`), or the run stops.
enum Stop {
    Skipped,
    Input(CliError),
}

/// `path` as the run's messages name it: relative to where the command runs.
fn shown(path: &Path) -> String {
    crate::source::display_relative(path, shared::working_directory().as_deref())
}

/// What the run says when source errors stop it.
const NOTHING_WRITTEN: &str = "nothing was written because of the errors above";

fn unreadable(path: &Path, why: &str) -> CliError {
    CliError::input(format!("cannot read `{}`: {why}", shown(path)))
}

/// `path` relative to `root` with `/`, else as given.
fn reference_path(path: &Path, root: &Path) -> String {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match canonical.strip_prefix(root) {
        Ok(relative) => crate::source::display_path(relative),
        Err(_) => crate::source::display_path(path),
    }
}

/// Writes `text` to `path` inside the root, creating its directory; `Ok(false)` when the file
/// already holds exactly these bytes.
fn write_if_changed(
    translations: &Translations,
    writer: &Writer,
    path: &Path,
    text: &str,
    old: Option<&str>,
) -> Result<bool, CliError> {
    if old == Some(text) {
        return Ok(false);
    }
    let shown = shown(path);
    let refuse = |why: String| CliError::input(format!("cannot write `{shown}`: {why}"));
    translations.layout.check_inside(path).map_err(refuse)?;
    if let Some(dir) = path.parent() {
        crate::files::write::create_directory(dir).map_err(|reason| refuse(reason.to_string()))?;
    }
    translations.layout.check_inside(path).map_err(refuse)?;
    writer.write(path, text.as_bytes()).map_err(|error| refuse(error.reason().to_string()))?;
    Ok(true)
}

/// Writes each of `results` (path, text) whose bytes changed, saying which, then the run's
/// diagnostics: what `merge` and `import` end with.
fn write_all(translations: &Translations, results: &[(PathBuf, String)]) -> Result<(), CliError> {
    let writer = translations.writer();
    let mut written = 0;
    for (path, text) in results {
        let old = current_text(translations, path);
        if write_if_changed(translations, &writer, path, text, old.as_deref())? {
            let verb = if old.is_some() { "updated" } else { "created" };
            crate::errln!("{verb} {}", shown(path));
            written += 1;
        }
    }
    if written == 0 && !results.is_empty() && translations.diagnostics.is_empty() {
        crate::errln!("every translation file is up to date");
    }
    translations.report();
    Ok(())
}

/// The text of a file in the layout, for comparing: `None` when it is missing or unreadable
/// (then writing it says why). A file this run read already is not read again.
fn current_text<'a>(translations: &'a Translations, path: &Path) -> Option<std::borrow::Cow<'a, str>> {
    if let Some(text) = translations.texts.get(path) {
        return Some(std::borrow::Cow::Borrowed(text));
    }
    let bytes = translations.layout.read(path).ok().flatten()?;
    String::from_utf8(bytes).ok().map(std::borrow::Cow::Owned)
}

/// Ends a run without freeing its catalogs one entry at a time: the process exits right after,
/// and on a 10,000-node script the frees took a sixth of a merge.
fn finish<T>(status: Status, translations: Translations, rest: T) -> CommandResult {
    std::mem::forget(translations);
    std::mem::forget(rest);
    Ok(status)
}

fn extract_run(args: ExtractArgs) -> CommandResult {
    let translations = Translations::open(&args.paths, args.config.as_deref(), Units::Reached)?;
    let writer = translations.writer();
    let mut stale = 0;
    let mut written = 0;
    for unit in &translations.units {
        let path = translations.layout.template(&unit.name);
        let text = translations.text_of(&unit.template);
        let old = current_text(&translations, &path);
        let shown = shown(&path);
        if args.check {
            if old.as_deref() != Some(text.as_str()) {
                stale += 1;
                let verb = if old.is_some() { "update" } else { "create" };
                crate::outln!("would {verb} {shown}");
            }
            continue;
        }
        if write_if_changed(&translations, &writer, &path, &text, old.as_deref())? {
            let verb = if old.is_some() { "updated" } else { "created" };
            crate::errln!("{verb} {shown}");
            written += 1;
        }
    }
    if !args.check && written == 0 {
        crate::errln!("every template is up to date");
    }
    let failed = stale > 0;
    if stale > 0 {
        crate::errln!(
            "{stale} template{} out of date with the source; run `defuse strings extract`",
            if stale == 1 { " is" } else { "s are" }
        );
    }
    finish(Status::failed_if(failed), translations, writer)
}

fn merge_run(args: MergeArgs) -> CommandResult {
    let mut translations = Translations::open(&args.paths, args.config.as_deref(), Units::Reached)?;
    let locales = translations.locales(&args.locale, "merge")?;
    let mut results = Vec::new();
    for locale in &locales {
        for index in 0..translations.units.len() {
            let path = translations.layout.po(locale, &translations.units[index].name);
            let old = match translations.read_catalog(&path) {
                Ok(old) => old,
                Err(Stop::Skipped) => continue,
                Err(Stop::Input(error)) => return Err(error),
            };
            let merged = translations.merged(&translations.units[index], locale, old.as_ref(), !args.no_obsolete);
            results.push((path, translations.text_of(&merged)));
        }
    }
    write_all(&translations, &results)?;
    let status = Status::failed_if(translations.has_errors());
    finish(status, translations, results)
}

fn export_run(args: ExportArgs) -> CommandResult {
    let mut translations = Translations::open(&args.paths, args.config.as_deref(), Units::Named)?;
    let locale = Locale::parse(&args.locale).map_err(CliError::input)?;
    if args.output.is_some() && translations.units.len() > 1 {
        return Err(CliError::input(format!(
            "{} scripts and libraries were found; `-o` writes one, so use `--out-dir DIR` for one file each",
            translations.units.len()
        )));
    }
    let extension = match args.format {
        ExportFormat::Xliff => "xlf",
        ExportFormat::Po => "po",
    };
    let mut outputs = Vec::new();
    for index in 0..translations.units.len() {
        let unit = &translations.units[index];
        let path = translations.layout.po(&locale, &unit.name);
        let old = match translations.read_catalog(&path) {
            Ok(old) => old,
            Err(Stop::Skipped) => continue,
            Err(Stop::Input(error)) => return Err(error),
        };
        if old.is_some() {
            // An input of this run, which `-o` must not replace (contract section 4).
            translations.read.push(path.clone());
        }
        let unit = &translations.units[index];
        let catalog = translations.merged(unit, &locale, old.as_ref(), true);
        let text = match args.format {
            ExportFormat::Po => translations.text_of(&catalog),
            ExportFormat::Xliff => {
                let source = translations.config.locales.source.bcp47();
                let target = locale.bcp47();
                let document = xliff::Document { name: &unit.name, source_language: &source, target_language: &target };
                xliff::write(&catalog, &document)
            }
        };
        let target = match (&args.output, &args.out_dir) {
            (Some(output), _) if output.as_os_str() == "-" => None,
            (Some(output), _) => Some(output.clone()),
            (None, dir) => {
                let dir = dir.clone().unwrap_or_else(|| PathBuf::from("."));
                Some(dir.join(format!("{}.{locale}.{extension}", unit.name)))
            }
        };
        outputs.push((target, text));
    }
    if translations.has_errors() {
        translations.report();
        return Err(CliError::failed(NOTHING_WRITTEN));
    }
    let writer = translations.writer();
    if let Some(dir) = &args.out_dir {
        crate::files::write::create_directory(dir).map_err(|reason| {
            CliError::input(format!("cannot create the directory `{}`: {reason}", crate::source::display_path(dir)))
        })?;
    }
    let refused: Vec<Problem> = outputs
        .iter()
        .filter_map(|(target, _)| target.as_ref())
        .filter_map(|target| writer.check(target).err())
        .map(|error| Problem::line(error.to_string()))
        .collect();
    if !refused.is_empty() {
        return Err(CliError::many(Status::BadInput, refused));
    }
    for (target, text) in outputs {
        match target {
            None => crate::output::stdout().raw(&text),
            Some(target) => {
                writer.write(&target, text.as_bytes()).map_err(|error| CliError::input(error.to_string()))?;
                crate::errln!("wrote {}", crate::source::display_path(&target));
            }
        }
    }
    Ok(Status::Clean)
}

/// One imported file, read: its units and the locale it says it is in.
struct Imported {
    path: PathBuf,
    units: Vec<xliff::Unit>,
    locale: Option<String>,
}

fn import_run(args: ImportArgs) -> CommandResult {
    let mut translations = Translations::open(&args.scripts, args.config.as_deref(), Units::Named)?;
    let given = args.locale.as_deref().map(Locale::parse).transpose().map_err(CliError::input)?;
    let mut imported = Vec::new();
    for path in &args.files {
        let bytes = crate::files::read::read_bytes(path, MAX_LOCALE_BYTES)
            .map_err(|why| CliError::input(format!("cannot read `{}`: {why}", crate::source::display_path(path))))?;
        translations.read.push(path.clone());
        if let Some(file) = read_import(&mut translations, path, &bytes) {
            imported.push(file);
        }
    }
    // Each (locale, unit): the units that go into it, in file order.
    let mut into: BTreeMap<(Locale, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for (file_index, file) in imported.iter().enumerate() {
        let locale = match (&given, &file.locale) {
            (Some(locale), _) => locale.clone(),
            (None, Some(said)) => Locale::parse(said).map_err(|why| {
                CliError::input(format!(
                    "`{}` says its language is `{said}`, which defuse cannot use ({why}); pass --locale L",
                    crate::source::display_path(&file.path)
                ))
            })?,
            (None, None) => {
                return Err(CliError::input(format!(
                    "`{}` does not say its language (no XLIFF target-language, no PO Language header); pass --locale L",
                    crate::source::display_path(&file.path)
                )))
            }
        };
        for (unit_index, unit) in file.units.iter().enumerate() {
            match unit_of(&translations.units, unit) {
                Some(owner) => into.entry((locale.clone(), owner)).or_default().push((file_index, unit_index)),
                None => {
                    let message = format!(
                        "this entry (`{}`) belongs to no script or library of the project; it was skipped",
                        shorten(&unit.source)
                    );
                    warn_at(&mut translations, file, unit, message);
                }
            }
        }
    }
    let mut results = Vec::new();
    for ((locale, owner), members) in &into {
        let name = translations.units[*owner].name.clone();
        let path = translations.layout.po(locale, &name);
        let old = match translations.read_catalog(&path) {
            Ok(old) => old,
            Err(Stop::Skipped) => continue,
            Err(Stop::Input(error)) => return Err(error),
        };
        let mut catalog = match old {
            Some(mut old) => {
                locale_files::set_header(&mut old, &name, locale);
                old
            }
            None => translations.merged(&translations.units[*owner], locale, None, true),
        };
        let units: Vec<xliff::Unit> = members.iter().map(|&(file, unit)| imported[file].units[unit].clone()).collect();
        let unmatched: Vec<usize> = {
            let left = xliff::import(&units, &mut catalog);
            left.iter().filter_map(|unit| units.iter().position(|known| std::ptr::eq(known, *unit))).collect()
        };
        for index in unmatched {
            let (file, unit) = members[index];
            let message = format!(
                "this entry (`{}`) matches no line of `{name}`; it was skipped (run `defuse strings merge` if the source changed)",
                shorten(&imported[file].units[unit].source)
            );
            warn_at(&mut translations, &imported[file], &imported[file].units[unit], message);
        }
        results.push((path, translations.text_of(&catalog)));
    }
    write_all(&translations, &results)?;
    Ok(Status::failed_if(translations.has_errors()))
}

/// The units of one file to import (PO, or XLIFF when it starts with `<`); `None` when it does not
/// parse (its `locale-file` diagnostic is recorded).
fn read_import(translations: &mut Translations, path: &Path, bytes: &[u8]) -> Option<Imported> {
    let stem = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let xml = body.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'<');
    if xml {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(bad) => {
                let at = bad.valid_up_to();
                let message = "this file is not UTF-8 text; save it as UTF-8".to_owned();
                let lossy = String::from_utf8_lossy(bytes).into_owned();
                translations.locale_file(path, lossy, at..at + 1, message, Severity::Error);
                return None;
            }
        };
        match xliff::read(text) {
            Ok(units) => {
                let locale = xliff_target_language(text);
                Some(Imported { path: path.to_path_buf(), units, locale })
            }
            Err(problem) => {
                translations.locale_file(path, text.to_owned(), problem.at, problem.message, Severity::Error);
                None
            }
        }
    } else {
        match po::parse(bytes) {
            Ok(catalog) => {
                let locale = catalog.header_field("Language").filter(|l| !l.is_empty()).map(str::to_owned);
                let units = catalog
                    .entries
                    .iter()
                    .filter(|entry| !entry.is_header() && !entry.obsolete)
                    .map(|entry| po_unit(entry, &stem))
                    .collect();
                Some(Imported { path: path.to_path_buf(), units, locale })
            }
            Err(problem) => {
                let text = String::from_utf8_lossy(bytes).into_owned();
                translations.locale_file(path, text, problem.span, problem.message, Severity::Error);
                None
            }
        }
    }
}

/// A PO entry as the unit an XLIFF file would hold.
fn po_unit(entry: &Entry, original: &str) -> xliff::Unit {
    xliff::Unit {
        original: original.to_owned(),
        msgctxt: entry.msgctxt.clone(),
        source: entry.msgid.clone(),
        target: Some(entry.msgstr.clone()).filter(|text| !text.is_empty()),
        fuzzy: entry.fuzzy,
        references: entry.references.clone(),
        at: entry.msgid_at.clone(),
    }
}

/// The first `target-language` of an XLIFF document.
fn xliff_target_language(text: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let document = roxmltree::Document::parse_with_options(text, options).ok()?;
    let language = document
        .descendants()
        .find(|node| node.is_element() && node.tag_name().name() == "file")?
        .attribute("target-language")?;
    Some(language.to_owned()).filter(|language| !language.is_empty())
}

/// Which unit an imported entry belongs to (contract: the msgctxt prefix, the referenced file,
/// the `original` stem).
fn unit_of(units: &[Unit], unit: &xliff::Unit) -> Option<usize> {
    let named = |name: &str| units.iter().position(|known| known.name == name);
    if let Some(context) = &unit.msgctxt {
        let prefix = context.split(['.', ':']).next().unwrap_or("");
        if let Some(found) = named(prefix) {
            return Some(found);
        }
    }
    for reference in &unit.references {
        let file = reference.rsplit_once(':').map_or(reference.as_str(), |(file, _)| file);
        if let Some(found) = units.iter().position(|known| known.reference_path == file) {
            return Some(found);
        }
    }
    let original = unit.original.rsplit(['/', '\\']).next().unwrap_or("");
    named(original.split('.').next().unwrap_or(""))
}

/// A `locale-file` warning at an imported unit.
fn warn_at(translations: &mut Translations, file: &Imported, unit: &xliff::Unit, message: String) {
    let bytes = crate::files::read::read_bytes(&file.path, MAX_LOCALE_BYTES).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    translations.locale_file(&file.path, text, unit.at.clone(), message, Severity::Warning);
}

/// At most 40 characters of a line, on one line.
fn shorten(text: &str) -> String {
    let one_line = text.replace('\n', "\\n");
    let mut short: String = one_line.chars().take(40).collect();
    if short.len() < one_line.len() {
        short.push('…');
    }
    short
}

/// One row of `strings status`.
#[derive(serde::Serialize)]
struct StatusRow {
    unit: String,
    locale: String,
    /// The PO file, relative to the project root.
    file: String,
    /// Whether the PO file exists.
    exists: bool,
    /// Translatable lines in the source.
    total: usize,
    translated: usize,
    fuzzy: usize,
    missing: usize,
    obsolete: usize,
}

/// `strings status --format json`.
#[derive(serde::Serialize)]
struct StatusReport {
    units: Vec<StatusRow>,
}

fn status_run(args: StatusArgs) -> CommandResult {
    let mut translations = Translations::open(&args.paths, args.config.as_deref(), Units::Reached)?;
    let locales = translations.locales(&args.locale, "count")?;
    let mut rows = Vec::new();
    for index in 0..translations.units.len() {
        for locale in &locales {
            let path = translations.layout.po(locale, &translations.units[index].name);
            let old = match translations.read_catalog(&path) {
                Ok(old) => old,
                Err(Stop::Skipped) => continue,
                Err(Stop::Input(error)) => return Err(error),
            };
            let unit = &translations.units[index];
            let relative = path.strip_prefix(&translations.layout.root).unwrap_or(&path);
            rows.push(count(unit, locale, crate::source::display_path(relative), old.as_ref()));
        }
    }
    match args.format {
        StatusFormat::Json => {
            let report = StatusReport { units: rows };
            let text = serde_json::to_string_pretty(&report).expect("the status serializes");
            crate::outln!("{text}");
        }
        StatusFormat::Text => crate::output::stdout().raw(&status_table(&rows)),
    }
    translations.report();
    Ok(Status::failed_if(translations.has_errors()))
}

/// The counts of one unit in one locale, against the current source: a line is translated when
/// its exact entry has a translation and is not fuzzy; obsolete counts the PO's entries that no
/// line of the source has any more (`#~`, or left over since the last merge).
fn count(unit: &Unit, locale: &Locale, file: String, po: Option<&Catalog>) -> StatusRow {
    let wanted: Vec<&Entry> = unit.template.entries.iter().filter(|entry| !entry.is_header()).collect();
    let mut row = StatusRow {
        unit: unit.name.clone(),
        locale: locale.to_string(),
        file,
        exists: po.is_some(),
        total: wanted.len(),
        translated: 0,
        fuzzy: 0,
        missing: 0,
        obsolete: 0,
    };
    let entries: Vec<&Entry> = po.map(|po| po.entries.iter().filter(|e| !e.is_header()).collect()).unwrap_or_default();
    let key = |entry: &Entry| (entry.msgctxt.clone(), entry.msgid.clone());
    let live: BTreeMap<_, &Entry> = entries.iter().filter(|e| !e.obsolete).map(|e| (key(e), *e)).collect();
    for entry in &wanted {
        match live.get(&key(entry)) {
            Some(found) if !found.msgstr.is_empty() && found.fuzzy => row.fuzzy += 1,
            Some(found) if !found.msgstr.is_empty() => row.translated += 1,
            _ => row.missing += 1,
        }
    }
    let current: std::collections::BTreeSet<_> = wanted.iter().map(|entry| key(entry)).collect();
    row.obsolete = entries.iter().filter(|entry| entry.obsolete || !current.contains(&key(entry))).count();
    row
}

/// The text table of `strings status`: one row per unit and locale, numbers right-aligned.
fn status_table(rows: &[StatusRow]) -> String {
    let header = ["unit", "locale", "translated", "fuzzy", "missing", "obsolete"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|row| {
            let missing = if row.exists { row.missing.to_string() } else { format!("{} (no file)", row.missing) };
            [
                crate::output::terminal_text(&row.unit).into_owned(),
                row.locale.clone(),
                row.translated.to_string(),
                row.fuzzy.to_string(),
                missing,
                row.obsolete.to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: [&str; 6]| {
        let mut text = String::new();
        for (column, cell) in cells.iter().enumerate() {
            let pad = widths[column] - cell.chars().count();
            if column > 0 {
                text.push_str("  ");
            }
            if column < 2 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header);
    for row in &cells {
        line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]]);
    }
    out
}
