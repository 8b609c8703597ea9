//! `defuse init [DIR]`: a config with every option (commented), an example script that
//! checks clean, a transcript test of it that passes, and a GitHub Actions workflow. All or nothing: if any of the files exists
//! (or cannot be made), nothing is written, and a failure half way removes what was made.

use std::path::{Path, PathBuf};

use super::error::{CliError, CommandResult, Problem, Status};
use crate::files::write::Reason;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Where to create the files (default: the current directory)
    dir: Option<PathBuf>,
}

pub(crate) const FILES: [(&str, &str); 4] = [
    ("defuse.toml", include_str!("templates/defuse.toml")),
    ("scripts/example.defuse", include_str!("templates/example.defuse")),
    ("scripts/example.dtest", include_str!("templates/example.dtest")),
    (".github/workflows/defuse.yml", include_str!("templates/defuse.yml")),
];

pub fn run(args: Args) -> CommandResult {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let files: Vec<(PathBuf, &[u8])> =
        FILES.iter().map(|(name, contents)| (dir.join(name), contents.as_bytes())).collect();
    if let Err(errors) = crate::files::write::create_all(&files) {
        let (existing, other): (Vec<_>, Vec<_>) =
            errors.iter().partition(|error| matches!(error.reason(), Reason::Exists));
        let mut problems: Vec<Problem> = other.iter().map(|error| Problem::line(error.to_string())).collect();
        if existing.is_empty() {
            problems.push(Problem::line("nothing was written"));
        } else {
            let names: Vec<String> = existing.iter().map(|error| shown(error.path())).collect();
            problems.push(Problem::line(format!("not overwriting {}; nothing was written", names.join(", "))));
        }
        return Err(CliError::many(Status::BadInput, problems));
    }
    for (path, _) in &files {
        crate::outln!("created {}", shown(path));
    }
    crate::outln!(
        "\nNext: `defuse check` to check the scripts, `defuse test` to run the transcript tests, \
         `defuse play scripts/example.defuse` to rehearse one."
    );
    Ok(Status::Clean)
}

fn shown(path: &Path) -> String {
    crate::source::display_path(path)
}
