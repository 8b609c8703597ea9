//! Reading input files: every command, every `use` and the config read through here.
//!
//! A [`FileSource`] hands out the text of a file. Whatever the source, a read
//! - gives only **regular files**: a FIFO, device, socket or directory is refused (on disk the
//!   file is opened with `O_NONBLOCK`, so opening a FIFO cannot block, and the *opened handle*
//!   is checked with `fstat`, so nothing can be swapped between the check and the read);
//! - respects a **size limit**, checked from the metadata before a byte is read, and enforced
//!   again while reading (a file that grows is cut off and refused, never read to exhaustion);
//! - is **UTF-8** text, or a readable error;
//! - with [`FileSource::read_within`], stays **inside the project root** after every symlink is
//!   resolved: the text of a file outside it is never read.
//!
//! Errors are a [`ReadError`], whose text is a short, lower-case phrase (`not a regular file
//! (a FIFO)`) that callers put after `cannot read `path`: `.
//!
//! Sources: [`Disk`] (the file system) and [`Overlay`] (in-memory texts that shadow the disk,
//! for a language server's unsaved editor buffers). A git revision for `defuse diff` is meant to
//! be a third source, `GitRevision { repo, rev }`, whose `read` runs `git show REV:path` (size
//! from `git cat-file -s` first) and whose `canonicalize` is lexical inside the repository; no
//! code needs to change to use it, only a source to pass.
//!
//! **Invariant:** no module outside `files/` opens a file for reading.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest script defuse reads: [`crate::source::MAX_FILE_BYTES`] (256 MiB).
pub const MAX_SCRIPT_BYTES: u64 = crate::source::MAX_FILE_BYTES as u64;
/// The largest `defuse.toml` defuse reads: 1 MiB.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Why a file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// What the file system answered, in [`describe_io_error`]'s words.
    Io {
        kind: std::io::ErrorKind,
        said: String,
    },
    /// Not a regular file: what it is instead (`a FIFO`, `a directory`, `a submodule`).
    NotRegular(&'static str),
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// A file that grew past the limit while it was read.
    Grew {
        limit: u64,
    },
    /// A stream (standard input) longer than the limit.
    LongInput {
        limit: u64,
    },
    /// Not UTF-8: the offset of the first invalid byte.
    NotUtf8 {
        at: usize,
    },
    /// The source's own reason: git's, for a blob a partial clone lacks.
    Source(String),
}

impl ReadError {
    pub(crate) fn io(error: &std::io::Error) -> ReadError {
        ReadError::Io { kind: error.kind(), said: describe_io_error(error) }
    }

    pub(crate) fn missing() -> ReadError {
        ReadError::io(&std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io { said, .. } | ReadError::Source(said) => f.write_str(said),
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "the file is larger than {limit} bytes, the most defuse reads (it has {size})")
            }
            ReadError::Grew { limit } => {
                write!(f, "the file grew past {limit} bytes while it was read, the most defuse reads")
            }
            ReadError::LongInput { limit } => {
                write!(f, "the input is larger than {limit} bytes, the most defuse reads")
            }
            ReadError::NotUtf8 { at } => write!(f, "the file is not valid UTF-8 (invalid byte at offset {at})"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Where file texts come from.
pub trait FileSource: Sync {
    /// The text of the regular file at `path`, if it is at most `limit` bytes of UTF-8.
    fn read(&self, path: &Path, limit: u64) -> Result<Arc<String>, ReadError>;

    /// `path` absolute, with every symlink resolved: the identity of a file, for
    /// deduplication and for the root check. Fails when there is no such file.
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf>;

    /// [`FileSource::read`] of `path` only when, after symlinks, it lies inside `root` (which
    /// is canonical); `Ok(None)` when it lies outside, without reading it.
    fn read_within(&self, path: &Path, root: &Path, limit: u64) -> Result<Option<Arc<String>>, ReadError> {
        let canonical = self.canonicalize(path).map_err(|error| ReadError::io(&error))?;
        if !canonical.starts_with(root) {
            return Ok(None);
        }
        self.read(&canonical, limit).map(Some)
    }
}

/// The file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Disk;

impl FileSource for Disk {
    fn read(&self, path: &Path, limit: u64) -> Result<Arc<String>, ReadError> {
        text(read_bytes(path, limit)?)
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them, whatever their encoding:
/// for readers that report bad bytes themselves, with a place (translation files).
pub(crate) fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut file = open_nonblocking(path).map_err(|error| ReadError::io(&error))?;
    let metadata = file.metadata().map_err(|error| ReadError::io(&error))?;
    if !metadata.is_file() {
        return Err(not_regular(&metadata.file_type()));
    }
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { size: metadata.len(), limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    (&mut file).take(limit + 1).read_to_end(&mut bytes).map_err(|error| ReadError::io(&error))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::Grew { limit });
    }
    Ok(bytes)
}

/// Texts held in memory (an editor's unsaved buffers) in front of another source: a path in
/// the overlay reads as its text, any other path reads from the fallback.
#[derive(Debug, Default)]
pub struct Overlay<S> {
    texts: HashMap<PathBuf, Arc<String>>,
    fallback: S,
}

impl<S: FileSource> Overlay<S> {
    pub fn new(fallback: S) -> Overlay<S> {
        Overlay { texts: HashMap::new(), fallback }
    }

    /// Shadows `path` (absolute, as the editor names it) with `text`.
    pub fn insert(&mut self, path: PathBuf, text: impl Into<Arc<String>>) {
        self.texts.insert(path, text.into());
    }

    pub fn remove(&mut self, path: &Path) {
        self.texts.remove(path);
    }
}

impl<S: FileSource> FileSource for Overlay<S> {
    fn read(&self, path: &Path, limit: u64) -> Result<Arc<String>, ReadError> {
        match self.texts.get(path) {
            Some(text) if text.len() as u64 > limit => Err(ReadError::TooLarge { size: text.len() as u64, limit }),
            Some(text) => Ok(text.clone()),
            None => self.fallback.read(path, limit),
        }
    }

    /// A buffer is its own identity (it may not exist on disk yet), also when named through a
    /// directory that resolves to the buffer's; other paths resolve in the fallback.
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        if self.texts.contains_key(path) {
            return Ok(path.to_path_buf());
        }
        if let (Some(dir), Some(name)) = (path.parent(), path.file_name()) {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            if let Ok(dir) = self.fallback.canonicalize(dir) {
                let buffer = dir.join(name);
                if self.texts.contains_key(&buffer) {
                    return Ok(buffer);
                }
            }
        }
        self.fallback.canonicalize(path)
    }
}

/// The file's text from disk, at most [`MAX_SCRIPT_BYTES`], in the shared form the sources
/// keep (one copy per file).
pub fn read(path: &Path) -> Result<Arc<String>, ReadError> {
    Disk.read(path, MAX_SCRIPT_BYTES)
}

/// At most `limit` bytes of UTF-8 from `input` (standard input for `check -`), refused
/// once it is longer, without reading further.
pub(crate) fn read_stream(input: impl Read, limit: u64) -> Result<Arc<String>, ReadError> {
    let mut bytes = Vec::new();
    input.take(limit + 1).read_to_end(&mut bytes).map_err(|error| ReadError::io(&error))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::LongInput { limit });
    }
    text(bytes)
}

pub(crate) fn describe_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => error.to_string(),
    }
}

/// Opens for reading without blocking on a FIFO that has no writer (the type check that
/// follows refuses it); the flag changes nothing for a regular file.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Why a file of this type is not read: `not a regular file (a FIFO)` and the like.
pub(crate) fn not_regular(file_type: &std::fs::FileType) -> ReadError {
    let what = if file_type.is_dir() {
        "a directory"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                "a FIFO"
            } else if file_type.is_socket() {
                "a socket"
            } else if file_type.is_char_device() || file_type.is_block_device() {
                "a device"
            } else {
                "not a file"
            }
        }
        #[cfg(not(unix))]
        "not a file"
    };
    ReadError::NotRegular(what)
}

pub fn text(bytes: Vec<u8>) -> Result<Arc<String>, ReadError> {
    let text = String::from_utf8(bytes).map_err(|error| ReadError::NotUtf8 { at: error.utf8_error().valid_up_to() })?;
    Ok(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_reads_regular_files_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.defuse");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(*Disk.read(&file, 5).unwrap(), "hello");
        assert_eq!(Disk.read(&file, 4), Err(ReadError::TooLarge { size: 5, limit: 4 }));
        assert_eq!(Disk.read(dir.path(), 10).unwrap_err().to_string(), "not a regular file (a directory)");
        std::fs::write(&file, b"\xff").unwrap();
        assert_eq!(Disk.read(&file, 10), Err(ReadError::NotUtf8 { at: 0 }));
        #[cfg(unix)]
        assert_eq!(Disk.read(Path::new("/dev/null"), 10), Err(ReadError::NotRegular("a device")));
        assert_eq!(Disk.read(&dir.path().join("missing"), 10).unwrap_err().to_string(), "no such file or directory");
    }

    #[test]
    fn read_within_does_not_read_outside_the_root() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let canonical_root = std::fs::canonicalize(root.path()).unwrap();
        let path = root.path().join("../").join(outside.path().file_name().unwrap()).join("secret");
        assert_eq!(Disk.read_within(&outside.path().join("secret"), &canonical_root, 10), Ok(None));
        assert!(Disk.read_within(&path, &canonical_root, 10).unwrap().is_none());
        std::fs::write(root.path().join("inside"), "y").unwrap();
        assert_eq!(*Disk.read_within(&root.path().join("inside"), &canonical_root, 10).unwrap().unwrap(), "y");
    }

    #[test]
    fn an_overlay_shadows_the_disk_and_falls_back_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("a.defuse");
        std::fs::write(&on_disk, "disk").unwrap();
        let unsaved = dir.path().join("new.defuse");
        let mut overlay = Overlay::new(Disk);
        overlay.insert(unsaved.clone(), "buffer".to_owned());
        assert_eq!(*overlay.read(&unsaved, 100).unwrap(), "buffer");
        assert_eq!(overlay.canonicalize(&unsaved).unwrap(), unsaved);
        assert_eq!(*overlay.read(&on_disk, 100).unwrap(), "disk");
        assert_eq!(overlay.read(&unsaved, 3), Err(ReadError::TooLarge { size: 6, limit: 3 }));

        overlay.insert(on_disk.clone(), "edited".to_owned());
        assert_eq!(*overlay.read(&on_disk, 100).unwrap(), "edited");
        overlay.remove(&on_disk);
        assert_eq!(*overlay.read(&on_disk, 100).unwrap(), "disk");
        assert!(overlay.canonicalize(&dir.path().join("missing")).is_err());

        // Named relative to a directory that resolves to the buffer's directory.
        let canonical_dir = std::fs::canonicalize(dir.path()).unwrap();
        overlay.insert(canonical_dir.join("b.defuse"), "b".to_owned());
        let through = dir.path().join(".").join("b.defuse");
        assert_eq!(overlay.canonicalize(&through).unwrap(), canonical_dir.join("b.defuse"));
    }

    #[test]
    fn streams_are_capped() {
        assert_eq!(*read_stream(&b"abc"[..], 3).unwrap(), "abc");
        assert_eq!(read_stream(&b"abcd"[..], 3), Err(ReadError::LongInput { limit: 3 }));
        assert!(read_stream(std::io::repeat(0), 1000).is_err(), "an endless stream ends at the cap");
    }
}
