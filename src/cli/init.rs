//! `defuse init [DIR]`: a config with every option (commented), an example script that
//! checks clean, and a GitHub Actions workflow. Never overwrites: if any of the files
//! exists, nothing is written.

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Where to create the files (default: the current directory)
    dir: Option<PathBuf>,
}

pub const FILES: [(&str, &str); 3] = [
    ("defuse.toml", include_str!("templates/defuse.toml")),
    ("scripts/example.defuse", include_str!("templates/example.defuse")),
    (".github/workflows/defuse.yml", include_str!("templates/defuse.yml")),
];

pub fn run(args: Args) -> u8 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let existing: Vec<String> =
        FILES.iter().map(|(name, _)| dir.join(name)).filter(|p| p.exists()).map(|p| shown(&p)).collect();
    if !existing.is_empty() {
        crate::errln!("error: not overwriting {}; nothing was written", existing.join(", "));
        return 2;
    }
    for (name, contents) in FILES {
        let path = dir.join(name);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| crate::files::write::write(&path, contents.as_bytes()));
        if let Err(error) = written {
            crate::errln!("error: cannot write `{}`: {error}", shown(&path));
            return 2;
        }
        crate::outln!("created {}", shown(&path));
    }
    crate::outln!("\nNext: `defuse check` to check the scripts, `defuse play scripts/example.defuse` to rehearse one.");
    0
}

fn shown(path: &Path) -> String {
    crate::source::display_path(path)
}
