//! Helpers: run the `defuse` binary, and render check reports the way the CLI does.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use defuse::diagnostic::Diagnostic;
use defuse::report::human::HumanRenderer;
use defuse::source::FileId;
use defuse::workspace::Workspace;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A run of the `defuse` binary: `Defuse::new(["check", "x"]).dir(d).stdin("1\n").run()`.
pub struct Defuse {
    args: Vec<String>,
    dir: PathBuf,
    stdin: Option<String>,
}

impl Defuse {
    pub fn new<I: IntoIterator<Item = S>, S: AsRef<str>>(args: I) -> Defuse {
        Defuse {
            args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
            dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            stdin: None,
        }
    }

    pub fn dir(mut self, dir: impl AsRef<Path>) -> Defuse {
        self.dir = dir.as_ref().to_path_buf();
        self
    }

    pub fn stdin(mut self, input: &str) -> Defuse {
        self.stdin = Some(input.to_owned());
        self
    }

    pub fn run(self) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_defuse"))
            .args(&self.args)
            .current_dir(&self.dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the defuse binary runs");
        let mut stdin = child.stdin.take().expect("stdin is piped");
        if let Some(input) = &self.stdin {
            stdin.write_all(input.as_bytes()).expect("stdin accepts input");
        }
        drop(stdin);
        let output = child.wait_with_output().expect("the defuse binary finishes");
        Run {
            status: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs and asserts the exit status, showing both streams when it differs.
    pub fn status(self, expected: i32) -> Run {
        let run = self.run();
        assert_eq!(run.status, expected, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
        run
    }
}

/// A path relative to the crate root, which is the working directory of every test.
pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).to_path_buf()
}

/// Checks `paths` and returns the diagnostics and the human report (no colour, width 100).
pub fn check(paths: &[PathBuf]) -> (Vec<Diagnostic>, String) {
    // Messages name paths relative to where the tests run, as `defuse check` does.
    let from = Some(Path::new("."));
    let mut workspace = Workspace::open(paths, None, from).expect("fixture configs are valid");
    assert!(workspace.project.load_errors.is_empty(), "{:?}", workspace.project.load_errors);
    let root = defuse::workspace::root_of(&paths[0], &workspace.config, from);
    let mut diagnostics = defuse::check::locales::check_with_locales(
        &mut workspace.project,
        &workspace.config,
        &defuse::files::read::Disk,
        (&root.path, &defuse::workspace::shown_root(&paths[0], &workspace.config, from)),
        &[],
        false,
    );
    // As `defuse check` does: broken transcript tests fail the check too.
    defuse::dtest::check::add_test_files(&mut workspace.project, paths, &workspace.config, from, &mut diagnostics);
    let report = HumanRenderer::new(false, 100).render_all(&workspace.project, &diagnostics);
    (diagnostics, report)
}

/// A temporary directory holding `files` (name, contents), subdirectories created.
pub fn project<B: AsRef<[u8]>>(files: &[(&str, B)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// The AST's Debug text with every span and offset removed: what a text *means*.
pub fn meaning(text: &str) -> String {
    let ast = defuse::syntax::parse(FileId::from_index(0), text).ast.expect("parses");
    let debug = format!("{ast:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("Span { start: ") {
            rest = &after[after.find(" }").unwrap() + 2..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// Every script the emitters and exports must handle: the examples, the hostile-text fixture
/// and the shapes only phone exports care about.
pub fn emitted_scripts() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir("scripts")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "defuse"))
        .collect();
    paths.sort();
    paths.push(PathBuf::from("tests/fixtures/emit/hostile.defuse"));
    paths.push(PathBuf::from("tests/fixtures/emit/ivr_edges.defuse"));
    paths
}

/// Loads `path` and returns the workspace with the id of the one script it holds.
pub fn load_script(path: &Path) -> (Workspace, defuse::source::FileId) {
    let workspace = Workspace::open(&[path.to_path_buf()], None, None).unwrap();
    let project = &workspace.project;
    let script = project
        .files()
        .find(|&f| {
            project.module(f).requested
                && project.item(f).is_some_and(|i| i.kind == defuse::syntax::ast::ItemKind::Script)
        })
        .expect("the file holds a script");
    (workspace, script)
}

/// A small script that passes every check: a trigger, an acknowledgement, a mirror, two options
/// and two closes (for tests that need any valid script to act on).
pub const SMALL_SCRIPT: &str = r#"script s {
  trigger t { customer "Hi" -> sorry }
  acknowledge sorry { say "I'm sorry." -> check }
  mirror check { ask "It did not arrive, right?" reply "yes" -> offer }
  options offer {
    option "Refund" -> done
    option "Call back" -> later
  }
  close done { say "Bye." follow_up "48h" "Check the refund" }
  close later { say "We will call." outcome callback follow_up "24h" "Call back" }
}
"#;
