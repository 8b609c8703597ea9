//! Writing files: the one way defuse writes a user's file (`fmt`, `build -o/--out-dir`,
//! `init`, `play --record` and `--transcript`). Contract §4, "Writes".
//!
//! Invariants:
//! - **Complete or absent.** New bytes go to a temporary file in the real target's directory,
//!   are synced, and replace the target with one rename. On any error the temporary file is
//!   removed and the target is untouched. The one exception is a file with several hard links,
//!   rewritten in place (see [`Writer::write`] and `docs/decisions.md`).
//! - **A symlink is written through**: the file it points to is replaced (its own directory holds
//!   the temporary file); the link stays a link.
//! - **Only regular files are replaced.** A FIFO, socket, device or directory is refused, never
//!   opened (opening a FIFO blocks) and never renamed over.
//! - **Read-only files are not rewritten.** Decided from the mode bits, because root (CI) is
//!   never denied a write; a rename would bypass the file's permissions anyway.
//! - **A run's inputs are not overwritten** ([`Writer::refusing`]), whatever name reaches them:
//!   files are compared by identity (device and inode), not by spelling.
//! - **Metadata:** a replaced file keeps its mode and, when allowed (as root), its owner; a new
//!   file gets 0666 less the umask, like any file a shell creates.
//! - **A process's own descriptor is written, not replaced.** `/dev/stdout`, `/dev/stderr`,
//!   `/dev/fd/N` and `/proc/self/fd/N` (also reached through a link) are written like `-o -`,
//!   to the open descriptor at its offset: following the descriptor's link to the file the
//!   shell opened and renaming over it would lose what the shell wrote there.
//! - **Honest errors:** a [`WriteError`] names the user's path and the real reason, never the
//!   temporary file.

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// At most this many symbolic links are followed, as the kernel's own limit (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Why a file was not written, naming the path the user gave.
#[derive(Debug)]
pub struct WriteError {
    path: PathBuf,
    reason: Reason,
}

/// What stood in the way of a write.
#[derive(Debug)]
pub(crate) enum Reason {
    /// The target is a FIFO, socket, device or directory (`real` when reached through a link).
    NotRegular {
        kind: &'static str,
        real: Option<PathBuf>,
    },
    /// The mode grants nobody a write (`chmod a-w`); root would be allowed, so we ask first.
    ReadOnly {
        mode: u32,
    },
    /// The mode grants others a write, not this user.
    NotWritable,
    /// The target is a file this run reads: writing it would destroy the input.
    Input,
    /// `create_all` never replaces a file (or a link) that is already there.
    Exists,
    MissingDirectory(PathBuf),
    NotADirectory(PathBuf),
    /// `out/`: a name ending in `/` can only be a directory.
    EndsWithSlash,
    LinkLoop,
    /// `/dev/fd/N` (or the like) names a descriptor this process does not have open.
    DescriptorNotOpen(u32),
    /// Any other failure of the system: what was being done and the system's words.
    Io {
        doing: String,
        error: io::Error,
    },
}

impl WriteError {
    fn new(path: &Path, reason: Reason) -> WriteError {
        WriteError { path: path.to_path_buf(), reason }
    }

    /// The path as the user gave it.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn reason(&self) -> &Reason {
        &self.reason
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write `{}`: {}", shown(&self.path), self.reason)
    }
}

impl std::error::Error for WriteError {}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::NotRegular { kind, real: None } => write!(f, "it is {kind}, not a regular file"),
            Reason::NotRegular { kind, real: Some(real) } => {
                write!(f, "it links to `{}`, which is {kind}, not a regular file", shown(real))
            }
            Reason::ReadOnly { mode } => {
                write!(f, "it is read-only (mode {mode:04o}); make it writable to let defuse change it")
            }
            Reason::NotWritable => write!(f, "it is read-only for this user (permission denied)"),
            Reason::Input => write!(f, "it is an input of this run; choose another output path"),
            Reason::Exists => write!(f, "it already exists"),
            Reason::MissingDirectory(dir) => write!(f, "the directory `{}` does not exist", shown(dir)),
            Reason::NotADirectory(dir) => write!(f, "`{}` is not a directory", shown(dir)),
            Reason::EndsWithSlash => write!(f, "a file name cannot end with `/`"),
            Reason::LinkLoop => write!(f, "too many levels of symbolic links"),
            Reason::DescriptorNotOpen(fd) => write!(f, "descriptor {fd} is not open"),
            Reason::Io { doing, error } => write!(f, "{doing}: {}", system_words(error)),
        }
    }
}

/// Writes `contents` to `path` with no inputs to protect (see [`Writer`]).
pub fn write(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    Writer::default().write(path, contents)
}

/// Writes files for one run, refusing to overwrite the files that run read.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    inputs: Vec<Identity>,
}

/// What a target turned out to be, after following symlinks.
enum Target {
    New {
        real: PathBuf,
    },
    Existing {
        real: PathBuf,
        metadata: fs::Metadata,
    },
    /// One of this process's own open descriptors (`/dev/stdout`, `/dev/fd/3`): written like
    /// `-o -`, to the descriptor, never replaced.
    Descriptor(u32),
}

impl Writer {
    /// A writer that refuses every file in `inputs` (by identity, so a link or another spelling
    /// of the same file is refused too). Inputs that cannot be read are skipped: they were not
    /// read, so there is nothing to protect.
    pub(crate) fn refusing<'a>(inputs: impl IntoIterator<Item = &'a Path>) -> Writer {
        let inputs = inputs.into_iter().filter_map(|path| identity(path, &fs::metadata(path).ok()?)).collect();
        Writer { inputs }
    }

    /// Every check [`Writer::write`] makes, without writing: lets a command refuse a run
    /// before it writes its first file.
    pub(crate) fn check(&self, path: &Path) -> Result<(), WriteError> {
        self.target(path).map(|_| ()).map_err(|reason| WriteError::new(path, reason))
    }

    /// Writes `contents` to `path`: a new file, or the regular file `path` is or links to.
    ///
    /// A file with one link is replaced by a rename, so a reader sees the old bytes or the new
    /// ones, never a mix. A file with several hard links is rewritten in place, because a rename
    /// would cut it off from its other names; the new bytes are fully prepared first, and if the
    /// rewrite fails the old bytes are put back.
    pub fn write(&self, path: &Path, contents: &[u8]) -> Result<(), WriteError> {
        let fail = |reason| WriteError::new(path, reason);
        match self.target(path).map_err(fail)? {
            Target::New { real } => create(&real, contents, Placing::MayReplace).map_err(fail),
            Target::Existing { real, metadata } if link_count(&metadata) > 1 => {
                rewrite_in_place(&real, contents).map_err(fail)
            }
            Target::Existing { real, metadata } => replace(&real, &metadata, contents).map_err(fail),
            Target::Descriptor(fd) => write_descriptor(fd, contents).map_err(fail),
        }
    }

    fn target(&self, path: &Path) -> Result<Target, Reason> {
        if path.as_os_str().to_string_lossy().ends_with(std::path::is_separator) {
            return Err(Reason::EndsWithSlash);
        }
        if let Some(fd) = own_descriptor(path)? {
            // Following `/proc/self/fd/1` would lead to the file the shell opened and replace
            // it, losing what was written to it before (and after, into a deleted file).
            return match fs::metadata(descriptor_path(fd)) {
                Ok(_) => Ok(Target::Descriptor(fd)),
                Err(_) => Err(Reason::DescriptorNotOpen(fd)),
            };
        }
        let real = follow_links(path)?;
        let through_link = (real != path).then(|| real.clone());
        match fs::symlink_metadata(&real) {
            Ok(metadata) if metadata.is_file() => {
                if identity(&real, &metadata).is_some_and(|id| self.inputs.contains(&id)) {
                    return Err(Reason::Input);
                }
                check_writable(&real, &metadata)?;
                Ok(Target::Existing { real, metadata })
            }
            Ok(metadata) => Err(Reason::NotRegular { kind: kind(&metadata), real: through_link }),
            Err(error) if error.kind() == io::ErrorKind::NotFound || error.kind() == io::ErrorKind::NotADirectory => {
                check_directory(&parent(&real))?;
                Ok(Target::New { real })
            }
            Err(error) => Err(Reason::Io { doing: "cannot look at it".to_owned(), error }),
        }
    }
}

/// Creates every file of `files` (path, contents) or none: nothing that exists is replaced,
/// and on any failure the files and directories already created are removed again. Every
/// problem found before writing is returned, not only the first.
pub(crate) fn create_all(files: &[(PathBuf, &[u8])]) -> Result<(), Vec<WriteError>> {
    let problems: Vec<WriteError> = files
        .iter()
        .filter_map(|(path, _)| check_new(path).err().map(|reason| WriteError::new(path, reason)))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut created_dirs = Vec::new();
    let mut created_files = Vec::new();
    let result = files.iter().try_for_each(|(path, contents)| {
        create_directories(&parent(path), &mut created_dirs).map_err(|reason| WriteError::new(path, reason))?;
        create(path, contents, Placing::NeverReplace).map_err(|reason| WriteError::new(path, reason))?;
        created_files.push(path);
        Ok(())
    });
    if let Err(error) = result {
        for path in created_files {
            let _ = fs::remove_file(path);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(vec![error]);
    }
    Ok(())
}

/// Makes `dir` and its missing parents, for a command that writes into it (`--out-dir`).
pub(crate) fn create_directory(dir: &Path) -> Result<(), Reason> {
    match fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(Reason::NotADirectory(dir.to_path_buf())),
        Err(_) => {
            check_new(dir)?;
            create_directories(dir, &mut Vec::new())
        }
    }
}

/// The path a chain of symlinks ends at (`path` itself when it is not a link). The end may not
/// exist: writing through a dangling link creates its target, as a shell's `>` does.
fn follow_links(path: &Path) -> Result<PathBuf, Reason> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = fs::read_link(&current)
                    .map_err(|error| Reason::Io { doing: "cannot read the symbolic link".to_owned(), error })?;
                // A relative target is relative to the link's directory; an absolute one replaces it.
                current = parent(&current).join(target);
            }
            _ => return Ok(current),
        }
    }
    Err(Reason::LinkLoop)
}

/// The descriptor of this process that `path` names, itself or through the symbolic links it
/// passes (`out -> /dev/stdout -> /proc/self/fd/1`): `/dev/stdin`, `/dev/stdout`,
/// `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, `/proc/thread-self/fd/N` or
/// `/proc/<this pid>/fd/N`. Decided from the spelling of each step, never by following a
/// descriptor's link, whose target is the file or pipe behind it.
fn own_descriptor(path: &Path) -> Result<Option<u32>, Reason> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if let Some(fd) = descriptor_named(&current) {
            return Ok(Some(fd));
        }
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => match fs::read_link(&current) {
                Ok(target) => current = parent(&current).join(target),
                Err(_) => return Ok(None),
            },
            _ => return Ok(None),
        }
    }
    Err(Reason::LinkLoop)
}

/// Whether `path` names one of this process's open descriptors (see [`own_descriptor`]): what
/// is written there goes to a stream, not to a file at that path.
pub(crate) fn is_own_descriptor(path: &Path) -> bool {
    own_descriptor(path).is_ok_and(|fd| fd.is_some())
}

/// The descriptor an absolute path spells, `..` and `.` resolved lexically.
fn descriptor_named(path: &Path) -> Option<u32> {
    use std::path::Component;
    if !path.is_absolute() {
        return None;
    }
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop();
            }
            _ => {}
        }
    }
    let parts: Vec<&str> = parts.iter().map(|part| part.to_str()).collect::<Option<_>>()?;
    let number = |text: &str| text.parse::<u32>().ok().filter(|_| text.bytes().all(|b| b.is_ascii_digit()));
    let own =
        |process: &str| process == "self" || process == "thread-self" || number(process) == Some(std::process::id());
    match parts.as_slice() {
        ["dev", "stdin"] => Some(0),
        ["dev", "stdout"] => Some(1),
        ["dev", "stderr"] => Some(2),
        ["dev", "fd", fd] => number(fd),
        ["proc", process, "fd", fd] if own(process) => number(fd),
        _ => None,
    }
}

/// Where this process's descriptor `fd` can be looked at.
fn descriptor_path(fd: u32) -> PathBuf {
    PathBuf::from(format!("/dev/fd/{fd}"))
}

/// Writes `contents` to this process's descriptor `fd`, as `-o -` writes standard output: at
/// the shell's offset, so in order with what was written before and after. A reader that
/// went away ends the write quietly, as a closed standard output does.
fn write_descriptor(fd: u32, contents: &[u8]) -> Result<(), Reason> {
    let written = match fd {
        1 => {
            let mut out = io::stdout().lock();
            out.write_all(contents).and_then(|()| out.flush())
        }
        2 => io::stderr().lock().write_all(contents),
        _ => duplicate(fd).and_then(|mut file| file.write_all(contents)),
    };
    match written {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            Err(Reason::Io { doing: format!("cannot write to descriptor {fd}"), error })
        }
        _ => Ok(()),
    }
}

/// A duplicate of this process's open descriptor `fd`: it shares the descriptor's offset and
/// flags (opening `/dev/fd/N` again would not: the new file would start at offset 0, and
/// the shell's next write would overwrite ours).
#[cfg(unix)]
fn duplicate(fd: u32) -> io::Result<fs::File> {
    use std::os::fd::{AsRawFd, BorrowedFd};
    let raw = i32::try_from(fd).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: `raw` is open (`target` found it under /dev/fd, and nothing in defuse closes
    // descriptors it did not open), and the borrow ends with the `dup` on this line.
    let owned = unsafe { BorrowedFd::borrow_raw(raw) }.try_clone_to_owned()?;
    debug_assert_ne!(owned.as_raw_fd(), raw);
    Ok(fs::File::from(owned))
}

#[cfg(not(unix))]
fn duplicate(_fd: u32) -> io::Result<fs::File> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The directory a file is in (`.` for a bare name).
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `dir` exists and is a directory (through links): a new file can be created in it.
fn check_directory(dir: &Path) -> Result<(), Reason> {
    match fs::metadata(dir) {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        Ok(_) => Err(Reason::NotADirectory(dir.to_path_buf())),
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            // `a/b` is missing because `a` is a file? Name the file, it is what to fix.
            match dir.ancestors().skip(1).find(|a| !a.as_os_str().is_empty() && fs::metadata(a).is_ok()) {
                Some(ancestor) if !ancestor.is_dir() => Err(Reason::NotADirectory(ancestor.to_path_buf())),
                _ => Err(Reason::MissingDirectory(dir.to_path_buf())),
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotADirectory => {
            let ancestor = dir.ancestors().skip(1).find(|a| fs::metadata(a).is_ok_and(|m| !m.is_dir()));
            Err(Reason::NotADirectory(ancestor.unwrap_or(dir).to_path_buf()))
        }
        Err(error) => Err(Reason::Io { doing: format!("cannot look at the directory `{}`", shown(dir)), error }),
    }
}

/// For [`create_all`]: nothing is at `path` (not even a dangling link), and every ancestor
/// that exists is a directory, so the missing ones can be created.
fn check_new(path: &Path) -> Result<(), Reason> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(Reason::Exists);
    }
    for ancestor in path.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
        match fs::metadata(ancestor) {
            Ok(metadata) if metadata.is_dir() => return Ok(()),
            Ok(_) => return Err(Reason::NotADirectory(ancestor.to_path_buf())),
            // A dangling link where a directory should be created.
            Err(_) if fs::symlink_metadata(ancestor).is_ok() => {
                return Err(Reason::NotADirectory(ancestor.to_path_buf()))
            }
            Err(_) => {}
        }
    }
    Ok(())
}

/// Creates `dir` and its missing ancestors, recording each directory created (outermost first).
fn create_directories(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), Reason> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).collect();
    for ancestor in missing.into_iter().rev() {
        match fs::create_dir(ancestor) {
            Ok(()) => created.push(ancestor.to_path_buf()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists && ancestor.is_dir() => {}
            Err(error) => {
                return Err(Reason::Io { doing: format!("cannot create the directory `{}`", shown(ancestor)), error })
            }
        }
    }
    Ok(())
}

/// Refuses a file the mode bits make read-only, then one this user may not open for writing.
fn check_writable(real: &Path, metadata: &fs::Metadata) -> Result<(), Reason> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o7777;
        if mode & 0o222 == 0 {
            return Err(Reason::ReadOnly { mode });
        }
    }
    #[cfg(not(unix))]
    if metadata.permissions().readonly() {
        return Err(Reason::ReadOnly { mode: 0o444 });
    }
    // Opening without truncating changes nothing; it asks the system whether we may write.
    match fs::OpenOptions::new().write(true).open(real) {
        Err(error) if error.kind() == io::ErrorKind::PermissionDenied => Err(Reason::NotWritable),
        _ => Ok(()),
    }
}

/// How a new file is put in place, should a file appear at its path after the checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placing {
    /// `init`: keep the file that appeared (a rename that never replaces, or a hard link where
    /// the file system lacks one; some file systems support neither, so only `init` asks).
    NeverReplace,
    /// Any other write: a plain rename, which every file system supports.
    MayReplace,
}

/// A new file at `real` (whose directory exists), made by renaming a complete temporary file.
fn create(real: &Path, contents: &[u8], placing: Placing) -> Result<(), Reason> {
    let dir = parent(real);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".defuse-").suffix(".tmp");
    #[cfg(unix)]
    {
        // 0666: the system takes the umask off, as it does for any new file.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(&dir).map_err(|error| creating_in(&dir, error))?;
    fill(temp.as_file_mut(), contents)?;
    let persisted = match placing {
        Placing::NeverReplace => temp.persist_noclobber(real),
        Placing::MayReplace => temp.persist(real),
    };
    persisted.map_err(|error| match error.error.kind() {
        io::ErrorKind::AlreadyExists => Reason::Exists,
        _ => Reason::Io { doing: "cannot put the new file in place".to_owned(), error: error.error },
    })?;
    sync_directory(&dir);
    Ok(())
}

/// Replaces the regular file `real` (one link) by a complete temporary file with its mode
/// and owner.
fn replace(real: &Path, metadata: &fs::Metadata, contents: &[u8]) -> Result<(), Reason> {
    let dir = parent(real);
    let mut temp = tempfile::Builder::new()
        .prefix(".defuse-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|error| creating_in(&dir, error))?;
    fill(temp.as_file_mut(), contents)?;
    // Owner before mode: changing the owner clears set-user-id and set-group-id bits.
    keep_owner(temp.as_file(), metadata);
    temp.as_file()
        .set_permissions(metadata.permissions())
        .map_err(|error| Reason::Io { doing: "cannot give the new file the old one's mode".to_owned(), error })?;
    temp.persist(real)
        .map_err(|error| Reason::Io { doing: "cannot put the new file in place".to_owned(), error: error.error })?;
    sync_directory(&dir);
    Ok(())
}

/// Rewrites a file with several hard links through its own inode, so every name sees the new
/// bytes. If the rewrite fails half way, the old bytes are written back.
fn rewrite_in_place(real: &Path, contents: &[u8]) -> Result<(), Reason> {
    let io = |doing: &'static str| move |error| Reason::Io { doing: doing.to_owned(), error };
    let mut file = fs::OpenOptions::new().read(true).write(true).open(real).map_err(io("cannot open it"))?;
    let mut old = Vec::new();
    file.read_to_end(&mut old).map_err(io("cannot read it"))?;
    let overwrite = |file: &mut fs::File, bytes: &[u8]| -> io::Result<()> {
        file.rewind()?;
        file.write_all(bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    };
    overwrite(&mut file, contents).map_err(|error| {
        let _ = overwrite(&mut file, &old);
        Reason::Io { doing: "cannot rewrite it (the old contents were put back)".to_owned(), error }
    })
}

/// Writes and syncs the temporary file: the rename must never expose bytes still in flight.
fn fill(file: &mut fs::File, contents: &[u8]) -> Result<(), Reason> {
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|error| Reason::Io { doing: "cannot write the new contents".to_owned(), error })
}

fn creating_in(dir: &Path, error: io::Error) -> Reason {
    match error.kind() {
        io::ErrorKind::NotFound => Reason::MissingDirectory(dir.to_path_buf()),
        _ => Reason::Io { doing: format!("cannot create a file in `{}`", shown(dir)), error },
    }
}

/// Makes the rename itself durable. Best effort: some file systems cannot sync a directory,
/// and the file is already complete either way.
fn sync_directory(dir: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Gives the new file the old file's owner and group. Only root may give a file away; any
/// other user keeps the file as their own (the system refuses, and that is not an error).
fn keep_owner(file: &fs::File, old: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(new) = file.metadata() {
            if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
                let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (file, old);
}

fn link_count(metadata: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(metadata)
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        1
    }
}

/// What a file is, in words, for a file that is not regular.
fn kind(metadata: &fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

/// Which file this is, whatever name reached it.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

#[cfg(unix)]
fn identity(_path: &Path, metadata: &fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path, _metadata: &fs::Metadata) -> Option<Identity> {
    fs::canonicalize(path).ok()
}

/// The system's message without Rust's ` (os error N)` tail, starting in lower case so it
/// reads as part of a sentence: "no space left on device".
fn system_words(error: &io::Error) -> String {
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
}

fn shown(path: &Path) -> String {
    crate::source::display_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_descriptors_are_named_by_their_spelling() {
        let pid = std::process::id();
        for (path, fd) in [
            ("/dev/stdout", Some(1)),
            ("/dev/stderr", Some(2)),
            ("/dev/stdin", Some(0)),
            ("/dev/fd/3", Some(3)),
            ("/proc/self/fd/7", Some(7)),
            ("/proc/thread-self/fd/1", Some(1)),
            (&format!("/proc/{pid}/fd/5"), Some(5)),
            ("/dev/./x/../stdout", Some(1)),
            ("/proc/1/fd/1", None),
            ("/dev/fd/+3", None),
            ("/dev/fd/x", None),
            ("dev/stdout", None),
            ("/dev/null", None),
            ("/dev/stdout/x", None),
        ] {
            assert_eq!(descriptor_named(Path::new(path)), fd, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_dev_stdout_is_standard_output_not_the_file_behind_it() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
        assert_eq!(own_descriptor(&link).unwrap(), Some(1));
        assert_eq!(own_descriptor(&dir.path().join("plain")).unwrap(), None);
        assert!(matches!(Writer::default().target(Path::new("/dev/fd/999")), Err(Reason::DescriptorNotOpen(999))));
    }

    fn entries(dir: &Path) -> usize {
        fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn replaces_contents_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        }
        assert_eq!(entries(dir.path()), 1, "no temporary file is left");
    }

    #[test]
    fn failure_leaves_no_file_and_names_the_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/dir/a.txt");
        let error = write(&missing, b"x").unwrap_err();
        assert!(matches!(error.reason(), Reason::MissingDirectory(d) if d.ends_with("no/such/dir")), "{error}");
        assert_eq!(error.path(), missing);
        assert!(!error.to_string().contains(".defuse-"), "the temporary file is not named: {error}");
        assert_eq!(entries(dir.path()), 0);
    }

    #[test]
    fn a_file_where_a_directory_should_be_is_named() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "").unwrap();
        let error = write(&dir.path().join("file/deeper/a.txt"), b"x").unwrap_err();
        assert!(matches!(error.reason(), Reason::NotADirectory(d) if d.ends_with("file")), "{error}");
    }

    #[test]
    fn the_runs_inputs_are_refused_by_identity() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.defuse");
        fs::write(&input, "script").unwrap();
        let writer = Writer::refusing([input.as_path()]);
        let other_spelling = dir.path().join(".").join("in.defuse");
        let error = writer.write(&other_spelling, b"json").unwrap_err();
        assert!(matches!(error.reason(), Reason::Input), "{error}");
        assert!(writer.check(&dir.path().join("out.json")).is_ok());
        assert_eq!(fs::read_to_string(&input).unwrap(), "script");
    }

    #[test]
    fn messages_read_as_sentences() {
        let error = WriteError::new(Path::new("./out/x.dot"), Reason::MissingDirectory(PathBuf::from("./out")));
        assert_eq!(error.to_string(), "cannot write `out/x.dot`: the directory `out` does not exist");
        let io = io::Error::from_raw_os_error(28);
        assert_eq!(system_words(&io), "no space left on device");
        let error = WriteError::new(Path::new("s.defuse"), Reason::ReadOnly { mode: 0o444 });
        assert!(error.to_string().starts_with("cannot write `s.defuse`: it is read-only (mode 0444)"));
    }

    #[test]
    fn a_name_ending_in_a_slash_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = write(&dir.path().join("out/"), b"x").unwrap_err();
        assert!(matches!(error.reason(), Reason::EndsWithSlash), "{error}");
        assert_eq!(entries(dir.path()), 0);
    }

    #[test]
    fn create_directory_names_a_file_in_the_way() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("file"), "").unwrap();
        create_directory(&dir.path().join("a/b")).unwrap();
        assert!(dir.path().join("a/b").is_dir());
        assert!(matches!(create_directory(&dir.path().join("file")), Err(Reason::NotADirectory(_))));
        assert!(
            matches!(create_directory(&dir.path().join("file/sub")), Err(Reason::NotADirectory(d)) if d.ends_with("file"))
        );
    }

    #[test]
    fn create_all_writes_every_file() {
        let dir = tempfile::tempdir().unwrap();
        let files = [(dir.path().join("a"), b"1".as_slice()), (dir.path().join("x/y/b"), b"2".as_slice())];
        create_all(&files).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("x/y/b")).unwrap(), "2");
    }

    #[test]
    fn create_all_writes_nothing_when_one_file_cannot_be_made() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("blocker"), "").unwrap();
        fs::write(dir.path().join("there"), "mine").unwrap();
        let files = [
            (dir.path().join("a/new"), b"1".as_slice()),
            (dir.path().join("blocker/b"), b"2".as_slice()),
            (dir.path().join("there"), b"3".as_slice()),
        ];
        let errors = create_all(&files).unwrap_err();
        assert_eq!(errors.len(), 2, "every problem is reported: {errors:?}");
        assert!(matches!(errors[0].reason(), Reason::NotADirectory(_)));
        assert!(matches!(errors[1].reason(), Reason::Exists));
        assert_eq!(entries(dir.path()), 2, "no file or directory was created");
        assert_eq!(fs::read_to_string(dir.path().join("there")).unwrap(), "mine");
    }

    #[test]
    fn create_all_removes_what_it_made_when_a_late_step_fails() {
        let dir = tempfile::tempdir().unwrap();
        // The same path twice passes the checks (neither exists yet), but the second creation
        // finds the first and never replaces it: the run must undo the first file and its directory.
        let files = [(dir.path().join("d/a"), b"1".as_slice()), (dir.path().join("d/a"), b"2".as_slice())];
        let errors = create_all(&files).unwrap_err();
        assert!(matches!(errors[0].reason(), Reason::Exists), "{errors:?}");
        assert_eq!(entries(dir.path()), 0, "the file and the directory made for it are gone");
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{symlink, FileTypeExt, MetadataExt, PermissionsExt};

        fn mode(path: &Path) -> u32 {
            fs::metadata(path).unwrap().permissions().mode() & 0o7777
        }

        #[test]
        fn a_fifo_is_refused_without_being_opened() {
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("fifo");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            // Opening a FIFO for writing would block until a reader comes: the test would hang.
            let error = write(&fifo, b"x").unwrap_err();
            assert!(matches!(error.reason(), Reason::NotRegular { kind: "a FIFO", real: None }), "{error}");
            assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
            assert_eq!(entries(dir.path()), 1);
        }

        #[test]
        fn a_symlink_is_written_through() {
            let dir = tempfile::tempdir().unwrap();
            fs::create_dir(dir.path().join("real")).unwrap();
            fs::write(dir.path().join("real/a"), "old").unwrap();
            symlink("real/a", dir.path().join("link")).unwrap();
            symlink(dir.path().join("link"), dir.path().join("link2")).unwrap();
            write(&dir.path().join("link2"), b"new").unwrap();
            assert!(fs::symlink_metadata(dir.path().join("link")).unwrap().file_type().is_symlink());
            assert!(fs::symlink_metadata(dir.path().join("link2")).unwrap().file_type().is_symlink());
            assert_eq!(fs::read_to_string(dir.path().join("real/a")).unwrap(), "new");
            assert_eq!(entries(&dir.path().join("real")), 1, "no temporary file is left");
        }

        #[test]
        fn a_link_loop_is_reported() {
            let dir = tempfile::tempdir().unwrap();
            symlink("b", dir.path().join("a")).unwrap();
            symlink("a", dir.path().join("b")).unwrap();
            assert!(matches!(write(&dir.path().join("a"), b"x").unwrap_err().reason(), Reason::LinkLoop));
        }

        #[test]
        fn hard_links_are_kept_and_the_file_shrinks() {
            let dir = tempfile::tempdir().unwrap();
            let (a, b) = (dir.path().join("a"), dir.path().join("b"));
            fs::write(&a, "a long old text").unwrap();
            fs::hard_link(&a, &b).unwrap();
            write(&a, b"new").unwrap();
            assert_eq!(fs::read_to_string(&b).unwrap(), "new");
            assert_eq!(fs::metadata(&a).unwrap().nlink(), 2);
        }

        #[test]
        fn a_read_only_file_is_refused_even_for_root() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a");
            fs::write(&path, "old").unwrap();
            fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
            let error = write(&path, b"new").unwrap_err();
            assert!(matches!(error.reason(), Reason::ReadOnly { mode: 0o444 }), "{error}");
            assert!(error.to_string().contains("is read-only"), "{error}");
            assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        }

        #[test]
        fn a_new_file_is_not_private() {
            // The exact mode depends on the test process's umask; a private 0600 is the bug.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("new");
            write(&path, b"x").unwrap();
            let umask_allows_group_read = {
                let probe = dir.path().join("probe");
                fs::OpenOptions::new().write(true).create(true).truncate(true).open(&probe).unwrap();
                mode(&probe) & 0o040 != 0
            };
            assert_eq!(mode(&path) & 0o040 != 0, umask_allows_group_read, "mode {:o}", mode(&path));
        }

        #[test]
        fn a_replaced_file_keeps_its_owner() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a");
            fs::write(&path, "old").unwrap();
            let is_root = std::os::unix::fs::chown(&path, Some(4321), Some(4321)).is_ok();
            let before = fs::metadata(&path).unwrap();
            write(&path, b"new").unwrap();
            let after = fs::metadata(&path).unwrap();
            assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
            if is_root {
                assert_eq!(after.uid(), 4321);
            }
        }
    }
}
