//! Source files and spans.
//!
//! **Invariant:** a [`Span`] is a pair of byte offsets into one file's text, always on
//! `char` boundaries. Lines and columns (1-based, columns counted in characters, as the
//! JSON report promises) are computed only when a diagnostic is printed.

use std::path::PathBuf;
use std::sync::Arc;

/// Index of a file in [`Sources`]; also the index of its module in `Project::modules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(usize);

impl FileId {
    /// The file at position `index` of [`Sources`].
    pub const fn from_index(index: usize) -> FileId {
        FileId(index)
    }

    /// The file's position in [`Sources`] (and in any vector kept per file).
    pub(crate) const fn index(self) -> usize {
        self.0
    }
}

/// A half-open byte range `start..end` in one file. Offsets are stored as `u32` because
/// spans are most of the AST (files are at most [`MAX_FILE_BYTES`], far under 4 GiB).
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest script defuse reads, 256 MiB; larger ones are refused from their metadata
/// before they are read (a load error). Real scripts are tens of KiB; the limit keeps a
/// stray multi-gigabyte file from exhausting memory, and stays far under the 4 GiB that
/// 32-bit spans address.
pub(crate) const MAX_FILE_BYTES: usize = 256 << 20;

// Every offset up to the limit fits a span's `u32`s: the casts in `Span::new` never wrap.
const _: () = assert!(MAX_FILE_BYTES as u64 <= u32::MAX as u64);

impl Span {
    /// The range `start..end`.
    ///
    /// Panics, in release builds too, when `end` is past [`MAX_FILE_BYTES`] or `start > end`:
    /// texts longer than the limit are refused before they are parsed (`files::read`,
    /// `syntax::parse`), so such an offset is a bug, and a wrapped offset would silently point
    /// into the wrong part of the file.
    pub fn new(start: usize, end: usize) -> Span {
        assert!(
            start <= end && end <= MAX_FILE_BYTES,
            "span {start}..{end} is not a range in a file of at most {MAX_FILE_BYTES} bytes"
        );
        Span { start: start as u32, end: end as u32 }
    }

    pub fn start(&self) -> usize {
        self.start as usize
    }

    pub fn end(&self) -> usize {
        self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// `Span { start: 3, end: 7 }`, as before spans were packed: tests compare Debug output.
impl std::fmt::Debug for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Span").field("start", &self.start).field("end", &self.end).finish()
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Span {
        Span::new(span.start(), span.end())
    }
}

/// One loaded file: the path as the user should see it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// Display path, relative as given on the command line (or joined from a `use`).
    pub path: PathBuf,
    /// An `Arc<String>` rather than `Arc<str>`: building one from the `String` read from disk
    /// moves it instead of copying every byte (19 MB for the largest benchmark script).
    pub text: Arc<String>,
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

/// A 1-based line and character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<String>>) -> SourceFile {
        SourceFile { path, text: text.into(), line_starts: std::sync::OnceLock::new() }
    }

    /// The path with forward slashes, as printed in every report.
    pub(crate) fn display_path(&self) -> String {
        display_path(&self.path)
    }

    pub(crate) fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let column = self.text[self.line_starts()[line]..offset].chars().count() + 1;
        LineCol { line: line + 1, column }
    }

    /// The bytes of whole lines from `margin` lines before `span` to `margin` lines after
    /// it, and the 0-based number of the first of those lines.
    pub(crate) fn lines_around(&self, span: std::ops::Range<usize>, margin: usize) -> (std::ops::Range<usize>, usize) {
        let line_starts = self.line_starts();
        let first = self.line_index(span.start.min(self.text.len())).saturating_sub(margin);
        let last = self.line_index(span.end.min(self.text.len())) + margin;
        let end = line_starts.get(last + 1).copied().unwrap_or(self.text.len());
        (line_starts[first]..end, first)
    }

    /// The 0-based line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_index(offset.min(self.text.len()))
    }

    /// How many lines the text has (a final line break starts no new line).
    pub(crate) fn line_count(&self) -> usize {
        let starts = self.line_starts().len();
        if starts > 1 && self.line_starts()[starts - 1] == self.text.len() {
            starts - 1
        } else {
            starts
        }
    }

    /// The bytes of 0-based line `line`, its line break included.
    pub(crate) fn line_span(&self, line: usize) -> std::ops::Range<usize> {
        let line_starts = self.line_starts();
        line_starts[line]..line_starts.get(line + 1).copied().unwrap_or(self.text.len())
    }

    fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    fn line_starts(&self) -> &[usize] {
        // Built on the first report only: a clean run never needs it.
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }
}

/// Paths print with `/` on every platform so reports and snapshots are identical everywhere.
pub(crate) fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// `path` relative to `from` when it is inside it (`.` for `from` itself), so messages do not
/// depend on where a repository is checked out. `from` is the command's working directory,
/// which only `cli/` reads; `None` (the language server) shows `path` whole.
pub(crate) fn display_relative(path: &std::path::Path, from: Option<&std::path::Path>) -> String {
    let relative = from
        .and_then(|from| std::fs::canonicalize(from).ok())
        .and_then(|from| path.strip_prefix(from).ok().map(std::path::Path::to_path_buf));
    match relative {
        Some(relative) if relative.as_os_str().is_empty() => ".".to_owned(),
        Some(relative) => display_path(&relative),
        None => display_path(path),
    }
}

/// Every file of one run; a [`FileId`] indexes into it.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub(crate) fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.index()]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Every file's id, in the order the files were added.
    pub fn ids(&self) -> impl Iterator<Item = FileId> + use<> {
        (0..self.files.len()).map(FileId)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_reach_the_size_limit() {
        let span = Span::new(MAX_FILE_BYTES - 1, MAX_FILE_BYTES);
        assert_eq!((span.start(), span.end(), span.len()), (MAX_FILE_BYTES - 1, MAX_FILE_BYTES, 1));
    }

    /// An offset past the limit is a bug upstream; it must not wrap to a small offset.
    #[test]
    #[should_panic(expected = "is not a range in a file of at most")]
    #[cfg(target_pointer_width = "64")]
    fn a_span_past_the_size_limit_is_refused_not_wrapped() {
        let _ = Span::new(0, MAX_FILE_BYTES + 1);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("a".into(), "é x\r\nab".to_owned());
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(3), LineCol { line: 1, column: 3 });
        assert_eq!(file.line_col(6), LineCol { line: 2, column: 1 });
        assert_eq!(file.line_col(7), LineCol { line: 2, column: 2 });
    }
}
