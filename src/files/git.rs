//! A git revision as a [`FileSource`]: the files of one commit, read through git, never
//! checked out. `defuse diff REV:PATH` loads a side through it, so `use` resolves at the same
//! revision.
//!
//! The revision is resolved to a commit once ([`GitRevision::open`]) and its whole tree is
//! listed once (`git ls-tree -r -l --full-tree`): modes, object ids and sizes. Reads go to one
//! `git cat-file --batch` process (started at the first read, ended when the source is
//! dropped), refused before they are asked when the listed size is over the limit, so a
//! revision of 10,000 scripts costs two processes, not 10,000.
//!
//! Paths are the paths the files would have in the working tree (`<top>/scripts/a.defuse`), so
//! reports name files as the writer knows them. [`FileSource::canonicalize`] is lexical inside
//! the repository and follows symlinks *as committed* (mode `120000`, at most 40 hops); a path
//! outside the repository does not exist at a revision. Only blobs of mode `100644`/`100755`
//! are regular files: a tree, a submodule or a link to outside is refused like a FIFO on disk.
//!
//! A committed symlink's blob is its target: one of more than [`MAX_LINK_BYTES`] is refused
//! from its listed size, before it is read (a link to a 400 MB blob packs to a few MB).
//!
//! Every git call goes through [`git_command`]: `GIT_NO_LAZY_FETCH=1` (a partial clone's
//! missing blob is reported "not in this clone; fetch it first", never fetched from the
//! promisor remote), `-c protocol.allow=never` (no transport at all, so a
//! `remote.origin.uploadpack` command in the repository's config never runs) and
//! `-c core.fsmonitor=false` (no fsmonitor hook).
//!
//! **Invariant:** nothing is written to the repository or the working tree, and git never
//! reaches the network or runs a command the repository configures.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

use super::read::{text, FileSource, ReadError};

/// How many symlinks one path may go through, as the kernel allows.
const MAX_LINKS: usize = 40;
/// The longest symlink target read, in bytes: the kernel's `PATH_MAX`.
pub(crate) const MAX_LINK_BYTES: u64 = 4096;
/// Why a blob of a partial clone is not read.
pub(crate) const NOT_IN_CLONE: &str = "not in this clone; fetch it first";

#[derive(Clone, Debug)]
struct Entry {
    mode: String,
    oid: String,
    /// `None` for what is not a blob (a submodule commit) and for a blob that is not in
    /// this clone (a partial clone lists its size as `BAD`).
    size: Option<u64>,
}

impl Entry {
    /// The blob's size, or why it cannot be read.
    fn blob_size(&self) -> Result<u64, ReadError> {
        self.size.ok_or_else(|| ReadError::Source(NOT_IN_CLONE.to_owned()))
    }
}

/// The files of one commit.
#[derive(Debug)]
pub struct GitRevision {
    /// The repository's top directory, canonical.
    top: PathBuf,
    /// The directory relative paths are read from (the one `open` was given), canonical.
    dir: PathBuf,
    /// The commit it resolved to.
    commit: String,
    /// Every entry of the tree, by path relative to `top`.
    entries: HashMap<PathBuf, Entry>,
    /// Every directory of the tree, relative to `top` (the top itself is `""`).
    dirs: HashSet<PathBuf>,
    /// The `git cat-file --batch` process, once a blob was read.
    batch: Mutex<Option<Batch>>,
}

/// A running `git cat-file --batch`: an object id in, its header and bytes out.
#[derive(Debug)]
struct Batch {
    child: Child,
    input: Option<ChildStdin>,
    output: BufReader<ChildStdout>,
}

impl Batch {
    fn start(top: &Path) -> Result<Batch, String> {
        let mut child = git_command(top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot run git: {error}"))?;
        let input = child.stdin.take();
        let output = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Batch { child, input, output })
    }

    /// The bytes of blob `oid`, known to be `size` bytes long.
    fn blob(&mut self, oid: &str, size: u64) -> std::io::Result<Vec<u8>> {
        let input = self.input.as_mut().ok_or_else(|| std::io::Error::other("git is gone"))?;
        writeln!(input, "{oid}")?;
        input.flush()?;
        let mut header = String::new();
        self.output.read_line(&mut header)?;
        // `<oid> blob <size>`, or `<oid> missing`.
        if header.trim_end().ends_with(" missing") {
            return Err(std::io::Error::other(NOT_IN_CLONE));
        }
        let listed: Option<u64> = header.split_whitespace().nth(2).and_then(|size| size.parse().ok());
        if listed != Some(size) {
            return Err(std::io::Error::other(format!("git answered `{}`", header.trim())));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        (&mut self.output).take(size).read_to_end(&mut bytes)?;
        let mut newline = [0u8; 1];
        self.output.read_exact(&mut newline)?;
        Ok(bytes)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Closing its input ends `cat-file`; waiting reaps it.
        drop(self.input.take());
        let _ = self.child.wait();
    }
}

impl GitRevision {
    /// The revision `rev` of the repository that holds `dir`; relative paths are read from
    /// `dir`.
    pub fn open(dir: &Path, rev: &str) -> Result<GitRevision, String> {
        let top = git(dir, &["rev-parse", "--show-toplevel"])
            .map_err(|error| format!("`{}` is not in a git repository ({error})", dir.display()))?;
        let top = std::fs::canonicalize(String::from_utf8_lossy(&top).trim_end_matches('\n'))
            .map_err(|error| format!("cannot find the repository's top: {error}"))?;
        if rev.starts_with('-') {
            return Err(format!("`{rev}` is not a revision"));
        }
        let commit = git(&top, &["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{rev}^{{commit}}")])
            .map_err(|_| format!("`{rev}` is not a commit of the repository at `{}`", top.display()))?;
        let commit = String::from_utf8_lossy(&commit).trim().to_owned();
        let listing = git(&top, &["ls-tree", "-r", "-t", "-l", "-z", "--full-tree", &commit])?;
        let mut entries = HashMap::new();
        let mut dirs = HashSet::from([PathBuf::new()]);
        for record in listing.split(|&byte| byte == 0).filter(|record| !record.is_empty()) {
            let record = String::from_utf8_lossy(record);
            let Some((meta, path)) = record.split_once('\t') else { continue };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let [mode, kind, oid, size] = fields[..] else { continue };
            let path = PathBuf::from(path);
            if kind == "tree" {
                dirs.insert(path);
                continue;
            }
            let entry = Entry { mode: mode.to_owned(), oid: oid.to_owned(), size: size.parse().ok() };
            entries.insert(path, entry);
        }
        // Canonical, like the top, so one strips off the other.
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Ok(GitRevision { top, dir, commit, entries, dirs, batch: Mutex::new(None) })
    }

    /// The repository's top directory (canonical): the project root of a side read from git.
    pub(crate) fn top(&self) -> &Path {
        &self.top
    }

    /// The full commit id the revision named when it was opened.
    pub fn commit(&self) -> &str {
        &self.commit
    }

    /// Whether `path` (absolute, in the working tree's terms) is a directory at this revision.
    pub(crate) fn is_dir(&self, path: &Path) -> bool {
        self.relative(path).is_some_and(|relative| self.dirs.contains(&relative))
    }

    /// Whether `path` (absolute, in the working tree's terms) lies inside the repository,
    /// whether or not the revision has it.
    pub(crate) fn contains(&self, path: &Path) -> bool {
        self.relative(path).is_some()
    }

    /// Every regular file ending in `.{extension}` at or under `path` at this revision, sorted
    /// (absolute). Committed files are what git tracks, so no ignore rule applies.
    pub(crate) fn files_with_extension(&self, path: &Path, extension: &str) -> Vec<PathBuf> {
        let Some(under) = self.relative(path) else { return Vec::new() };
        let mut found: Vec<PathBuf> = self
            .entries
            .iter()
            .filter(|(file, entry)| {
                file.starts_with(&under)
                    && is_regular(&entry.mode)
                    && file.extension().is_some_and(|ext| ext == extension)
            })
            .map(|(file, _)| self.top.join(file))
            .collect();
        found.sort();
        found
    }

    /// `path` relative to the top, lexically; `None` outside the repository.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = if path.is_absolute() { path.to_path_buf() } else { self.dir.join(path) };
        let normal = normalize(&absolute);
        let relative = normal.strip_prefix(&self.top).ok()?;
        Some(relative.to_path_buf())
    }

    /// `relative` with every committed symlink on the way resolved.
    fn resolve(&self, relative: &Path) -> std::io::Result<PathBuf> {
        let not_found = || std::io::Error::new(std::io::ErrorKind::NotFound, "no such file at this revision");
        let mut pending: Vec<std::ffi::OsString> =
            relative.components().rev().map(|c| c.as_os_str().to_os_string()).collect();
        let mut resolved = PathBuf::new();
        let mut hops = 0;
        while let Some(part) = pending.pop() {
            if part == ".." {
                if !resolved.pop() {
                    return Err(not_found());
                }
                continue;
            }
            if part == "." {
                continue;
            }
            let candidate = resolved.join(&part);
            match self.entries.get(&candidate) {
                Some(entry) if entry.mode == "120000" => {
                    hops += 1;
                    if hops > MAX_LINKS {
                        return Err(std::io::Error::other("too many levels of symbolic links"));
                    }
                    let size = entry.blob_size().map_err(std::io::Error::other)?;
                    if size > MAX_LINK_BYTES {
                        return Err(std::io::Error::other(format!(
                            "`{}` is a symbolic link of {size} bytes; a link target is at most {MAX_LINK_BYTES} bytes",
                            candidate.display()
                        )));
                    }
                    let target = self.blob(entry).map_err(std::io::Error::other)?;
                    let target = PathBuf::from(String::from_utf8_lossy(&target).into_owned());
                    if target.is_absolute() {
                        // A link out of the repository: nothing there at this revision.
                        return Err(not_found());
                    }
                    pending.extend(target.components().rev().map(|c| c.as_os_str().to_os_string()));
                }
                Some(_) => resolved = candidate,
                None if self.dirs.contains(&candidate) => resolved = candidate,
                None => return Err(not_found()),
            }
        }
        Ok(resolved)
    }

    /// The bytes of a listed blob, through the one `cat-file --batch` process.
    fn blob(&self, entry: &Entry) -> Result<Vec<u8>, ReadError> {
        let mut batch = self.batch.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if batch.is_none() {
            *batch = Some(Batch::start(&self.top).map_err(ReadError::Source)?);
        }
        let running = batch.as_mut().expect("started above");
        running.blob(&entry.oid, entry.blob_size()?).map_err(|error| {
            // A broken exchange leaves the stream out of step: start afresh next time.
            *batch = None;
            ReadError::Source(if error.to_string() == NOT_IN_CLONE {
                NOT_IN_CLONE.to_owned()
            } else {
                format!("cannot read it from git: {error}")
            })
        })
    }
}

impl FileSource for GitRevision {
    fn read(&self, path: &Path, limit: u64) -> Result<Arc<String>, ReadError> {
        let relative = self.relative(path).ok_or_else(ReadError::missing)?;
        let relative = self.resolve(&relative).map_err(|error| ReadError::io(&error))?;
        let Some(entry) = self.entries.get(&relative) else {
            return Err(if self.dirs.contains(&relative) {
                ReadError::NotRegular("a directory")
            } else {
                ReadError::missing()
            });
        };
        if !is_regular(&entry.mode) {
            return Err(ReadError::NotRegular("a submodule"));
        }
        let size = entry.blob_size()?;
        if size > limit {
            return Err(ReadError::TooLarge { size, limit });
        }
        text(self.blob(entry)?)
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        let outside = || std::io::Error::new(std::io::ErrorKind::NotFound, "outside the repository");
        let relative = self.relative(path).ok_or_else(outside)?;
        Ok(self.top.join(self.resolve(&relative)?))
    }
}

fn is_regular(mode: &str) -> bool {
    mode == "100644" || mode == "100755"
}

/// `a/./b/../c` → `a/c`, lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `git -C dir` that only reads what is on this machine: no lazy fetch of a partial clone's
/// missing objects, no transport (so no `uploadpack` command), no fsmonitor hook, no lock
/// taken for an optional index refresh, no prompt.
fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .args(["-c", "protocol.allow=never", "-c", "core.fsmonitor=false"])
        .arg("-C")
        .arg(dir)
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0");
    command
}

/// Runs `git ARGS` in `dir`; its standard output, or its first line of complaint.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = git_command(dir).args(args).output().map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let complaint = String::from_utf8_lossy(&output.stderr);
        Err(complaint.lines().next().unwrap_or("git failed").trim().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"])
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn reads_files_as_committed_not_as_in_the_working_tree() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        run(&top, &["init", "-q"]);
        std::fs::create_dir(top.join("s")).unwrap();
        std::fs::write(top.join("s/a.defuse"), "old").unwrap();
        std::fs::write(top.join("s/notes.txt"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("a.defuse", top.join("s/link.defuse")).unwrap();
        run(&top, &["add", "."]);
        run(&top, &["commit", "-q", "-m", "one"]);
        std::fs::write(top.join("s/a.defuse"), "new").unwrap();

        let revision = GitRevision::open(&top, "HEAD").unwrap();
        assert_eq!(*revision.read(&top.join("s/a.defuse"), 100).unwrap(), "old");
        assert_eq!(revision.read(&top.join("s/a.defuse"), 2), Err(ReadError::TooLarge { size: 3, limit: 2 }));
        assert_eq!(revision.read(&top.join("s"), 100), Err(ReadError::NotRegular("a directory")));
        assert_eq!(revision.read(&top.join("s/b.defuse"), 100).unwrap_err().to_string(), "no such file or directory");
        assert!(revision.is_dir(&top.join("s")));
        #[cfg(unix)]
        {
            assert_eq!(revision.canonicalize(&top.join("s/link.defuse")).unwrap(), top.join("s/a.defuse"));
            assert_eq!(revision.files_with_extension(&top, "defuse"), [top.join("s/a.defuse")]);
        }
        assert!(revision.canonicalize(Path::new("/elsewhere/x")).is_err());
        assert!(GitRevision::open(&top, "no-such-rev").unwrap_err().contains("not a commit"));
        assert!(GitRevision::open(&top, "--output=x").is_err());
    }

    #[test]
    fn every_git_call_stays_local_and_runs_no_configured_command() {
        let command = git_command(Path::new("."));
        let args: Vec<&std::ffi::OsStr> = command.get_args().collect();
        for wanted in ["protocol.allow=never", "core.fsmonitor=false"] {
            assert!(args.iter().any(|arg| *arg == wanted), "{args:?}");
        }
        let envs: Vec<_> = command.get_envs().collect();
        assert!(envs.contains(&(std::ffi::OsStr::new("GIT_NO_LAZY_FETCH"), Some(std::ffi::OsStr::new("1")))));
    }

    /// A committed link whose blob is 3 MB: refused from the listed size, so `cat-file` is
    /// never even started.
    #[test]
    fn a_link_blob_over_the_limit_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let top = std::fs::canonicalize(dir.path()).unwrap();
        run(&top, &["init", "-q"]);
        std::fs::write(top.join("target"), "a/".repeat(1_500_000)).unwrap();
        let output = Command::new("git").arg("-C").arg(&top).args(["hash-object", "-w", "target"]).output().unwrap();
        let blob = String::from_utf8(output.stdout).unwrap().trim().to_owned();
        std::fs::remove_file(top.join("target")).unwrap();
        run(&top, &["update-index", "--add", "--cacheinfo", &format!("120000,{blob},big.defuse")]);
        run(&top, &["commit", "-q", "-m", "link"]);

        let revision = GitRevision::open(&top, "HEAD").unwrap();
        let error = revision.read(&top.join("big.defuse"), 1 << 30).unwrap_err();
        assert!(error.to_string().contains("symbolic link of 3000000 bytes"), "{error}");
        assert!(revision.canonicalize(&top.join("big.defuse/x")).is_err());
        assert!(revision.batch.lock().unwrap().is_none(), "the link's blob was asked for");
    }
}
