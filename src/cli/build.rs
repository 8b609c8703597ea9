//! `defuse build PATH --emit json|dot|mermaid|scxml|twilio-studio|connect|connect-guide|html [-o FILE | --out-dir DIR]
//! [--cards cover|all] [--max N] [--diagram builtin|graphviz] [--layout lr|tb] [--highlight IDS]
//! [--locale L]...`.
//!
//! Checks first: on any error the diagnostics are printed and nothing is written (exit 1).
//! Without `-o`/`--out-dir` (or with `-o -`) the output goes to stdout, which needs exactly one
//! script. Files are written through [`Writer`]: never over a file this run read.
//! Exports report what their target cannot express as `not-exported` diagnostics on stderr, at
//! the level `[rules]` gives that code (a warning by default). A guide over Amazon Connect's
//! limits (`--emit connect-guide`) is an error that names the script and the limit: exit 1,
//! nothing written.
//! `--emit html --diagram graphviz` runs Graphviz's `dot -Tsvg` on the DOT output and puts its
//! SVG in the page ([`crate::emit::html::StageDiagram`]); `dot` runs here, so `emit` stays
//! pure. When `dot` is missing or fails the run stops with exit 2 and writes nothing: the
//! trainer asked for Graphviz's layout, so a page with another diagram would be a surprise
//! (docs/decisions.md).
//! `--locale L` localises the project once per locale and emits from each copy (one file per
//! script and locale), except `--emit html`: one page per script holds every locale asked for,
//! with a language switch ([`crate::emit::html::render_in`]).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::choices::{EmitArg, LayoutArg};
use super::error::{CliError, CommandResult, Problem, Status};
use super::shared;
use crate::config::locales::Locale;
use crate::diagnostic::{Code, Level, Severity};
use crate::emit::diagram::{Diagram, Layout};
use crate::emit::html::{CardSet, StageDiagram};
use crate::emit::Emit;
use crate::files::write::Writer;
use crate::graph::ScriptGraph;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// A script file, or a directory of scripts
    path: PathBuf,
    /// Output format
    #[arg(long, value_enum)]
    emit: EmitArg,
    /// Write to FILE (one script only); `-` is standard output
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write one file per script into DIR, named after the script
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// With `--emit html`: which paths become role-play cards: cover (a few that take every
    /// step, as `paths --cover` lists) or all (every path, as `paths` lists)
    #[arg(long, value_enum, value_name = "SET", default_value_t = CardsArg::Cover)]
    cards: CardsArg,
    /// With `--emit html`: write at most N role-play cards
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    max: u64,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// With `--emit html`: who draws the stage diagram
    #[arg(long, value_enum, value_name = "BY", default_value_t = DiagramBy::Builtin)]
    diagram: DiagramBy,
    /// Diagram direction: lr (screen) or tb (print); dot, mermaid and html with `--diagram graphviz`
    #[arg(long, value_enum, value_name = "DIRECTION")]
    layout: Option<LayoutArg>,
    /// Draw this path in bold: node ids in order, e.g. "greet listen done"; dot, mermaid and html
    /// with `--diagram graphviz`
    #[arg(long, value_name = "IDS")]
    highlight: Option<String>,
    /// Emit the text of this locale (from `locales/L/*.po`); repeatable: with `--out-dir`, one
    /// file per script and locale, `<name>.<L>.<ext>`; with `--emit html`, one page per script
    /// with a language switch, the first locale shown
    #[arg(long = "locale", value_name = "L")]
    locales: Vec<String>,
}

/// Which paths the trainer page makes cards of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum CardsArg {
    /// A few cards that together take every step of the call (`paths --cover`)
    Cover,
    /// One card per path (`paths`), at most `--max`
    All,
}

impl From<CardsArg> for CardSet {
    fn from(cards: CardsArg) -> CardSet {
        match cards {
            CardsArg::Cover => CardSet::Cover,
            CardsArg::All => CardSet::All,
        }
    }
}

/// Who draws the trainer page's stage diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum DiagramBy {
    /// defuse itself: one column per stage, no other program needed
    Builtin,
    /// Graphviz's `dot -Tsvg` (must be installed), from the DOT that `--emit dot` writes
    Graphviz,
}

impl Args {
    /// What `--emit` asked for, as the emitters name it.
    fn emit(&self) -> Emit {
        self.emit.into()
    }
}

pub fn run(args: Args) -> CommandResult {
    let graphviz = args.diagram == DiagramBy::Graphviz;
    if graphviz && args.emit() != Emit::Html {
        return Err(CliError::input("--diagram applies to --emit html only"));
    }
    let diagram = matches!(args.emit(), Emit::Dot | Emit::Mermaid) || graphviz;
    if !diagram && (args.layout.is_some() || args.highlight.is_some()) {
        return Err(CliError::input(
            "--layout and --highlight apply to --emit dot and --emit mermaid only (and to --emit html with --diagram graphviz)",
        ));
    }
    let crate::workspace::Workspace { config, mut project } =
        shared::open(std::slice::from_ref(&args.path), args.config.as_deref())?;
    let diagnostics = crate::check::check(&project, &config);
    if !diagnostics.is_empty() {
        let renderer = shared::renderer(shared::stderr_is_terminal());
        let _ = renderer.write_all(&project, &diagnostics, &mut crate::output::stderr().raw_writer());
    }
    if !project.load_errors.is_empty() {
        return Err(CliError::unreadable(std::mem::take(&mut project.load_errors)));
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(CliError::failed(NOT_WRITTEN));
    }

    let (locales, _) = shared::asked_locales(&args.locales)?;
    // A trainer page holds every locale asked for, with a language switch: one file per script.
    let one_page = args.emit() == Emit::Html;
    if locales.len() > 1 && args.out_dir.is_none() && !one_page {
        return Err(CliError::input("several --locale values write one file each: use `--out-dir DIR`"));
    }
    // Every file this run read is protected: the scripts, the config and the translations.
    let mut localised = Vec::new();
    for locale in &locales {
        localised.push(shared::localise(&mut project, &config, &args.path, locale)?);
    }
    let protected: Vec<PathBuf> =
        project.sources.ids().map(|id| project.sources.get(id).path.clone()).chain(config.path.clone()).collect();
    if localised.is_empty() {
        return emit(&args, &[(&project, None)], &config, &protected, (&project, None));
    }
    if one_page {
        let config = config.for_locale(&localised[0].locale);
        let languages: Vec<Language> = localised.iter().map(|l| (&l.project, Some(&l.locale))).collect();
        return emit(&args, &languages, &config, &protected, (&project, Some(&localised[0])));
    }
    for localised in &localised {
        let config = config.for_locale(&localised.locale);
        let languages = [(&localised.project, Some(&localised.locale))];
        emit(&args, &languages, &config, &protected, (&project, Some(localised)))?;
    }
    Ok(Status::Clean)
}

/// The project in one language: the source (`None`) or a locale's localised copy, which has
/// the same file ids and node names.
type Language<'a> = (&'a crate::resolve::Project, Option<&'a Locale>);

/// The project reports are drawn from (the checked one, which holds the translation files)
/// and the localisation whose spans its diagnostics are moved back through.
type Shown<'a> = (&'a crate::resolve::Project, Option<&'a crate::locale::localise::Localised>);

/// Builds every requested script of the first of `languages` (in its locale, when it has one)
/// and writes the outputs, none if any fails. A trainer page shows every one of `languages`
/// (the others are given for `--emit html` only).
fn emit(
    args: &Args,
    languages: &[Language],
    config: &crate::config::Config,
    protected: &[PathBuf],
    (shown, localised): Shown,
) -> CommandResult {
    let (project, locale) = languages[0];
    // What an export leaves out is reported where the writer or translator looks: the source
    // line, or the translation's msgstr.
    let relocated = |found: Vec<crate::diagnostic::Diagnostic>| -> Vec<crate::diagnostic::Diagnostic> {
        match localised {
            Some(localised) => found.into_iter().map(|d| localised.relocate(d)).collect(),
            None => found,
        }
    };
    let graphviz = args.diagram == DiagramBy::Graphviz;
    let scripts = project.requested_scripts();
    if scripts.is_empty() {
        return Err(CliError::input(format!("`{}` holds no script to build", args.path.display())));
    }
    if args.out_dir.is_none() && scripts.len() > 1 {
        return Err(CliError::input(format!(
            "`{}` holds {} scripts; use `--out-dir DIR` to write one file per script",
            args.path.display(),
            scripts.len()
        )));
    }

    let suffix = locale.filter(|_| args.locales.len() > 1 && args.emit() != Emit::Html);
    let targets: Vec<Option<PathBuf>> = scripts
        .iter()
        .map(|&file| target(args, &project.item(file).expect("scripts parsed").name.name, suffix))
        .collect();
    // Every target is checked before the first is written, so a refused target does not leave
    // the run half done.
    let writer = Writer::refusing(protected.iter().map(PathBuf::as_path));
    // Made now, since the targets in it are checked before any export is made; removed again
    // if the run ends with it empty (a refusal writes nothing, not even a directory).
    let mut _made = RemovedIfEmpty(Vec::new());
    if let Some(dir) = &args.out_dir {
        // The directories that do not exist yet, the deepest first.
        _made.0 = dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).map(PathBuf::from).collect();
        crate::files::write::create_directory(dir).map_err(|reason| {
            CliError::input(format!("cannot create the directory `{}`: {reason}", crate::source::display_path(dir)))
        })?;
    }
    // Every highlight is checked before the first file is written.
    let mut diagrams = Vec::new();
    for &file in &scripts {
        let layout = args.layout.map(Layout::from).unwrap_or_default();
        let choice = match &args.highlight {
            Some(ids) => Diagram::highlighting(layout, ids, project, &ScriptGraph::build(project, file)),
            None => Ok(Diagram { layout, path: Vec::new() }),
        };
        diagrams.push(choice.map_err(CliError::input)?);
    }
    let refused: Vec<Problem> = targets
        .iter()
        .flatten()
        .filter_map(|target| writer.check(target).err())
        .map(|error| Problem::line(error.to_string()))
        .collect();
    if !refused.is_empty() {
        return Err(CliError::many(Status::BadInput, refused));
    }

    // Every export is made before the first is written: with `not-exported = "error"` a
    // warning stops the run with nothing written, as any check error does.
    let level = crate::check::registry::level(config, Code::NotExported);
    let options = crate::emit::Options {
        timing: config.timing.clone(),
        max_paths: usize::try_from(args.max).unwrap_or(usize::MAX),
        cards: args.cards.into(),
        locale: locale.cloned(),
        voice: config.voice.clone(),
    };
    let mut outputs: Vec<crate::emit::Output> = Vec::with_capacity(scripts.len());
    let mut refusals = Vec::new();
    for (&file, diagram) in scripts.iter().zip(&diagrams) {
        let graph = ScriptGraph::build(project, file);
        let text = match args.emit() {
            Emit::Dot => crate::emit::diagram::dot::render_with(project, &graph, diagram),
            Emit::Mermaid => crate::emit::diagram::mermaid::render_with(project, &graph, diagram),
            Emit::Html => {
                let name = &project.item(file).expect("scripts parsed").name.name;
                let source = &config.locales.source;
                let page = trainer_page(languages, file, graphviz.then_some(diagram), source, &options);
                page.map_err(|reason| {
                    let needs = format!("the trainer page of script `{name}` needs Graphviz's diagram: {reason}");
                    CliError::many(Status::BadInput, vec![Problem::line(needs), Problem::line("nothing was written")])
                })?
            }
            _ => {
                match args.emit().try_output_with(project, &graph, &options) {
                    Ok(output) => outputs.push(output),
                    Err(refusal) => refusals.push(refusal),
                }
                continue;
            }
        };
        outputs.push(crate::emit::Output { text, warnings: Vec::new() });
    }
    if !refusals.is_empty() {
        let mut problems = Vec::new();
        for refusal in refusals {
            problems.push(Problem::line(refusal.message));
            problems.push(Problem::Help(crate::emit::guide::connect::Refusal::HELP.to_owned()));
        }
        problems.push(Problem::line("nothing was written"));
        return Err(CliError::many(Status::Failed, problems));
    }
    for output in &mut outputs {
        // A `# defuse: allow not-exported "…"` comment silences the warning where it stands.
        output.warnings =
            crate::check::rules::suppression::silence_exports(project, std::mem::take(&mut output.warnings));
        match level {
            Level::Allow => output.warnings.clear(),
            Level::Warning => {}
            Level::Error => output.warnings.iter_mut().for_each(|warning| warning.severity = Severity::Error),
        }
    }
    if level == Level::Error && outputs.iter().any(|output| !output.warnings.is_empty()) {
        let errors: Vec<_> = outputs.into_iter().flat_map(|output| output.warnings).collect();
        let renderer = shared::renderer(shared::stderr_is_terminal());
        let _ = renderer.write_all(shown, &relocated(errors), &mut crate::output::stderr().raw_writer());
        return Err(CliError::failed(NOT_WRITTEN));
    }

    for (crate::emit::Output { text, warnings }, target) in outputs.into_iter().zip(targets) {
        if !warnings.is_empty() {
            let renderer = shared::renderer(shared::stderr_is_terminal());
            let _ = renderer.write_all(shown, &relocated(warnings), &mut crate::output::stderr().raw_writer());
        }
        let Some(target) = target else {
            crate::output::stdout().raw(&text);
            continue;
        };
        writer.write(&target, text.as_bytes()).map_err(|error| CliError::input(error.to_string()))?;
        crate::errln!("wrote {}", crate::source::display_path(&target));
    }
    Ok(Status::Clean)
}

/// The trainer page of the script in `file`, in every one of `languages` (a language switch
/// when there are several), with Graphviz's diagram when `graphviz` gives its direction and
/// path. The error says why Graphviz's diagram cannot be had.
fn trainer_page(
    languages: &[Language],
    file: crate::source::FileId,
    graphviz: Option<&Diagram>,
    source: &Locale,
    options: &crate::emit::Options,
) -> Result<String, String> {
    let graphs: Vec<ScriptGraph> = languages.iter().map(|(project, _)| ScriptGraph::build(project, file)).collect();
    let mut svgs = Vec::new();
    if let Some(diagram) = graphviz {
        for ((project, _), graph) in languages.iter().zip(&graphs) {
            svgs.push(graphviz_svg(&crate::emit::diagram::dot::render_with(project, graph, diagram))?);
        }
    }
    let pages: Vec<crate::emit::html::Language> = languages
        .iter()
        .zip(&graphs)
        .enumerate()
        .map(|(index, (&(project, locale), graph))| crate::emit::html::Language {
            project,
            graph,
            stages: match graphviz {
                Some(diagram) => StageDiagram::Graphviz { svg: &svgs[index], diagram },
                None => StageDiagram::Builtin,
            },
            locale: locale.filter(|_| languages.len() > 1),
            lang: locale.unwrap_or(source).bcp47(),
        })
        .collect();
    crate::emit::html::render_in(&pages, options.cards, options.max_paths)
}

/// Why a run with errors in its scripts or exports wrote nothing (the diagnostics above say
/// which).
const NOT_WRITTEN: &str = "nothing was written because of the errors above";

/// What a run with `--diagram graphviz` says when `dot` is not installed.
const DOT_MISSING: &str = "Graphviz's `dot` was not found on PATH; install Graphviz (e.g. `apt-get install \
     graphviz`), or leave out `--diagram graphviz` for the diagram defuse draws itself";

/// The SVG that Graphviz's `dot -Tsvg` (from `PATH`) makes of `dot_text`, or why there is none.
fn graphviz_svg(dot_text: &str) -> Result<String, String> {
    let spawned =
        Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(DOT_MISSING.to_owned()),
        Err(error) => return Err(format!("cannot run Graphviz's `dot`: {error}")),
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from another thread while this one reads: a large graph fills both pipes. A
    // `dot` that exits early closes its end; its status says why.
    let output = std::thread::scope(|scope| {
        scope.spawn(move || {
            let _ = stdin.write_all(dot_text.as_bytes());
        });
        child.wait_with_output()
    })
    .map_err(|error| format!("cannot read what Graphviz's `dot` wrote: {error}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said: Vec<&str> = stderr.lines().filter(|line| !line.trim().is_empty()).take(5).collect();
        let said = if said.is_empty() { String::new() } else { format!(": {}", said.join(" / ")) };
        return Err(format!("`dot -Tsvg` failed ({}){said}", output.status));
    }
    String::from_utf8(output.stdout).map_err(|_| "`dot -Tsvg` wrote text that is not UTF-8".to_owned())
}

/// Where the script called `name` goes: a file, or `None` for standard output (no `-o`, or
/// `-o -`; a file named `-` is `./-`).
/// With several locales, each file is `<name>.<locale>.<ext>`.
fn target(args: &Args, name: &str, locale: Option<&Locale>) -> Option<PathBuf> {
    let name = match locale {
        Some(locale) => format!("{name}.{locale}"),
        None => name.to_owned(),
    };
    match (&args.output, &args.out_dir) {
        (Some(output), _) if output.as_os_str() == "-" => None,
        (Some(output), _) => Some(output.clone()),
        (None, Some(dir)) => Some(dir.join(format!("{name}.{}", args.emit().extension()))),
        (None, None) => None,
    }
}

/// The directories this run made, deepest first, removed when the run ends and they are still
/// empty (`remove_dir` never removes a directory that holds anything).
struct RemovedIfEmpty(Vec<PathBuf>);

impl Drop for RemovedIfEmpty {
    fn drop(&mut self) {
        for dir in &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
}
