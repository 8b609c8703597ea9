//! `defuse build PATH --emit json|dot|mermaid|scxml|twilio-studio|connect [-o FILE | --out-dir DIR]`.
//!
//! Checks first: on any error the diagnostics are printed and nothing is written (exit 1).
//! Without `-o`/`--out-dir` the output goes to stdout, which needs exactly one script.
//! Exports report what their target cannot express as `not-exported` warnings on stderr.

use std::io::Write;
use std::path::PathBuf;

use super::workspace;
use crate::diagnostic::Severity;
use crate::emit::Emit;
use crate::graph::ScriptGraph;
use crate::syntax::ast::ItemKind;

#[derive(clap::Args)]
pub struct Args {
    /// A script file, or a directory of scripts
    path: PathBuf,
    /// Output format
    #[arg(long, value_enum)]
    emit: Emit,
    /// Write to FILE (one script only)
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Write one file per script into DIR, named after the script
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Use this config instead of the nearest defuse.toml
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> u8 {
    let Ok(workspace::Workspace { config, project }) =
        workspace::open(std::slice::from_ref(&args.path), args.config.as_deref())
    else {
        return 2;
    };
    let diagnostics = crate::check::check(&project, &config);
    if !diagnostics.is_empty() {
        let renderer = workspace::renderer(workspace::stderr_is_terminal());
        eprint!("{}", renderer.render_all(&project, &diagnostics));
    }
    if !project.load_errors.is_empty() {
        workspace::print_load_errors(&project.load_errors);
        return 2;
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        eprintln!("error: nothing was written because of the errors above");
        return 1;
    }

    let scripts: Vec<_> = (0..project.modules.len())
        .filter(|&file| {
            project.modules[file].requested && project.item(file).is_some_and(|item| item.kind == ItemKind::Script)
        })
        .collect();
    if scripts.is_empty() {
        eprintln!("error: `{}` holds no script to build", args.path.display());
        return 2;
    }
    if args.out_dir.is_none() && scripts.len() > 1 {
        eprintln!(
            "error: `{}` holds {} scripts; use `--out-dir DIR` to write one file per script",
            args.path.display(),
            scripts.len()
        );
        return 2;
    }

    for file in scripts {
        let graph = ScriptGraph::build(&project, file);
        let crate::emit::Output { text, warnings } = args.emit.output_with(&project, &graph, &config.timing);
        if !warnings.is_empty() {
            let renderer = workspace::renderer(workspace::stderr_is_terminal());
            eprint!("{}", renderer.render_all(&project, &warnings));
        }
        let name = &project.item(file).expect("scripts parsed").name.name;
        let target = match (&args.output, &args.out_dir) {
            (Some(output), _) => output.clone(),
            (None, Some(dir)) => {
                if let Err(error) = std::fs::create_dir_all(dir) {
                    eprintln!("error: cannot create `{}`: {error}", dir.display());
                    return 2;
                }
                dir.join(format!("{name}.{}", args.emit.extension()))
            }
            (None, None) => {
                if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
                    return 2;
                }
                continue;
            }
        };
        if let Err(error) = crate::files::write::write(&target, text.as_bytes()) {
            eprintln!("error: cannot write `{}`: {error}", target.display());
            return 2;
        }
        eprintln!("wrote {}", crate::source::display_path(&target));
    }
    0
}
