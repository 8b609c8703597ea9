//! Where translation files live (contract section 12, "Files"), and how `strings` reads and
//! places them under section 4's rules.
//!
//! ```text
//! <root>/<dir>/templates/<name>.pot
//! <root>/<dir>/<locale>/<name>.po
//! ```
//!
//! **Invariants:** a translation file is read only when, after every symlink, it lies inside the
//! project root (a PO that links out of the root is neither read nor written through); only
//! regular files are read, at most [`MAX_LOCALE_BYTES`]; a missing file is not an error (a new
//! locale has none yet).

use std::path::{Path, PathBuf};

use super::po::{Catalog, Entry};
use crate::config::locales::Locale;
use crate::files::read::{describe_io_error, read_bytes};

/// The largest PO, POT or XLIFF file defuse reads: 64 MiB (a 10,000-node script's PO is
/// about 4 MiB).
pub(crate) const MAX_LOCALE_BYTES: u64 = 64 << 20;

/// At most this many symbolic links are followed to find where a write lands.
const MAX_LINKS: usize = 40;

/// The translation files of one project.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The project root, canonical.
    pub root: PathBuf,
    /// `<root>/<[locales] dir>`.
    pub dir: PathBuf,
}

impl Layout {
    pub fn new(root: PathBuf, dir: &str) -> Layout {
        let dir = root.join(dir);
        Layout { root, dir }
    }

    /// `<dir>/templates/<name>.pot`.
    pub(crate) fn template(&self, name: &str) -> PathBuf {
        self.dir.join("templates").join(format!("{name}.pot"))
    }

    /// `<dir>/<locale>/<name>.po`.
    pub(crate) fn po(&self, locale: &Locale, name: &str) -> PathBuf {
        self.dir.join(locale.as_str()).join(format!("{name}.po"))
    }

    /// The bytes of a translation file inside the root (the PO reader reports bad encoding
    /// with its place): `Ok(None)` when there is none yet.
    pub fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, String> {
        match std::fs::symlink_metadata(path) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(describe_io_error(&error)),
            Ok(_) => {}
        }
        let canonical = std::fs::canonicalize(path).map_err(|error| describe_io_error(&error))?;
        if !canonical.starts_with(&self.root) {
            return Err(OUTSIDE.to_owned());
        }
        read_bytes(&canonical, MAX_LOCALE_BYTES).map(Some).map_err(|error| error.to_string())
    }

    /// Checks that a write to `path` lands inside the root once every symlink on the way is
    /// followed (the directories that do not exist yet are created inside the deepest one that
    /// does). A file that links out of the root is refused, so `strings` never writes a file it
    /// would not read.
    pub(crate) fn check_inside(&self, path: &Path) -> Result<(), String> {
        let mut current = path.to_path_buf();
        for _ in 0..MAX_LINKS {
            match std::fs::symlink_metadata(&current) {
                Ok(metadata) if metadata.file_type().is_symlink() => {
                    let target = std::fs::read_link(&current).map_err(|error| describe_io_error(&error))?;
                    current = current.parent().map(Path::to_path_buf).unwrap_or_default().join(target);
                }
                _ => return self.lands_inside(&current),
            }
        }
        Err("too many levels of symbolic links".to_owned())
    }

    /// Whether `path` (no link itself) lies inside the root: its deepest existing ancestor,
    /// canonical, must.
    fn lands_inside(&self, path: &Path) -> Result<(), String> {
        let mut ancestor = path.parent();
        while let Some(dir) = ancestor {
            if let Ok(canonical) = std::fs::canonicalize(dir) {
                return if canonical.starts_with(&self.root) { Ok(()) } else { Err(OUTSIDE.to_owned()) };
            }
            ancestor = dir.parent();
        }
        Err(OUTSIDE.to_owned())
    }
}

/// Why a translation file is neither read nor written.
pub(crate) const OUTSIDE: &str =
    "it lies outside the project root (through a symbolic link); translation files are read and \
                           written inside the root only";

/// The header of a PO that `merge` creates, filled as `msginit --no-translator` fills it
/// (docs/decisions.md): no date, no name, `Plural-Forms` from gettext's table when the
/// language is in it.
pub(crate) fn new_po_header(name: &str, locale: &Locale) -> Entry {
    let mut fields = vec![
        ("Project-Id-Version", name.to_owned()),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE".to_owned()),
        ("Last-Translator", "Automatically generated".to_owned()),
        ("Language-Team", "none".to_owned()),
        ("Language", locale.as_str().to_owned()),
        ("MIME-Version", "1.0".to_owned()),
        ("Content-Type", "text/plain; charset=UTF-8".to_owned()),
        ("Content-Transfer-Encoding", "8bit".to_owned()),
        ("X-Generator", "defuse".to_owned()),
    ];
    if let Some(plural) = plural_forms(locale) {
        fields.push(("Plural-Forms", plural.to_owned()));
    }
    let msgstr = fields.iter().map(|(key, value)| format!("{key}: {value}\n")).collect();
    Entry { msgstr, ..Entry::default() }
}

/// The header fields defuse owns in a PO it updates; every other field is the translator's.
pub(crate) fn owned_fields<'a>(name: &'a str, locale: &'a Locale) -> [(&'static str, &'a str); 4] {
    [
        ("Project-Id-Version", name),
        ("Language", locale.as_str()),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
}

/// `catalog`'s header with `fields` set: a field that is there keeps its place and gets the new
/// value; one that is missing is added at the end. A catalog without a header gets
/// [`new_po_header`].
pub(crate) fn set_header(catalog: &mut Catalog, name: &str, locale: &Locale) {
    if catalog.header().is_none() {
        catalog.entries.insert(0, new_po_header(name, locale));
        return;
    }
    let header = &mut catalog.entries[0];
    let mut lines: Vec<String> = header.msgstr.lines().map(str::to_owned).collect();
    for (key, value) in owned_fields(name, locale) {
        let known = lines
            .iter()
            .position(|line| line.split_once(':').is_some_and(|(field, _)| field.trim().eq_ignore_ascii_case(key)));
        match known {
            Some(index) => lines[index] = format!("{key}: {value}"),
            None => lines.push(format!("{key}: {value}")),
        }
    }
    header.msgstr = lines.iter().map(|line| format!("{line}\n")).collect();
}

/// gettext's `Plural-Forms` for the languages most contact centers work in (the values of
/// gettext's own plural table, which `msginit` writes). defuse never writes plurals; the field
/// is there because translation tools expect it.
fn plural_forms(locale: &Locale) -> Option<&'static str> {
    Some(match locale.language() {
        "ja" | "ko" | "vi" | "zh" | "th" | "id" | "ms" | "tr" => "nplurals=1; plural=0;",
        "da" | "de" | "el" | "en" | "eo" | "es" | "et" | "fi" | "fo" | "he" | "hu" | "it" | "nb" | "nl" | "nn"
        | "no" | "sv" | "bg" | "ca" | "eu" | "gl" => "nplurals=2; plural=(n != 1);",
        "pt" if locale.as_str() == "pt_BR" => "nplurals=2; plural=(n > 1);",
        "pt" => "nplurals=2; plural=(n != 1);",
        "fr" => "nplurals=2; plural=(n > 1);",
        "ga" => "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
        "lv" => "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2;",
        "lt" => "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && (n%100<10 || n%100>=20) ? 1 : 2;",
        "ru" | "uk" | "be" | "sr" | "hr" | "bs" => {
            "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;"
        }
        "cs" | "sk" => "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
        "pl" => "nplurals=3; plural=n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;",
        "ro" => "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
        "sl" => "nplurals=4; plural=n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3;",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(text: &str) -> Locale {
        Locale::parse(text).unwrap()
    }

    #[test]
    fn keeps_the_translators_fields_and_sets_defuses() {
        let mut catalog = Catalog {
            entries: vec![Entry {
                msgstr: "Project-Id-Version: old\nLast-Translator: Ana <ana@example.com>\nLanguage: es_ES\n\
                         X-Poedit: 3.4\n"
                    .into(),
                ..Entry::default()
            }],
        };
        set_header(&mut catalog, "refund", &locale("es"));
        assert_eq!(
            catalog.entries[0].msgstr,
            "Project-Id-Version: refund\nLast-Translator: Ana <ana@example.com>\nLanguage: es\nX-Poedit: 3.4\n\
             Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n"
        );
    }

    #[test]
    fn a_new_header_is_what_msginit_no_translator_writes() {
        let header = new_po_header("refund", &locale("fr-CA")).msgstr;
        assert!(header.contains("Language: fr_CA\n"), "{header}");
        assert!(header.ends_with("Plural-Forms: nplurals=2; plural=(n > 1);\n"), "{header}");
        assert!(!new_po_header("r", &locale("xx")).msgstr.contains("Plural-Forms"));
    }

    #[test]
    fn a_write_through_a_link_out_of_the_root_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let layout = Layout::new(std::fs::canonicalize(root.path()).unwrap(), "locales");
        assert_eq!(layout.check_inside(&layout.po(&locale("es"), "a")), Ok(()));
        std::fs::create_dir_all(layout.dir.join("es")).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path().join("a.po"), layout.po(&locale("es"), "a")).unwrap();
            assert_eq!(layout.check_inside(&layout.po(&locale("es"), "a")), Err(OUTSIDE.to_owned()));
            std::fs::write(outside.path().join("a.po"), "msgid \"\"\nmsgstr \"\"\n").unwrap();
            assert_eq!(layout.read(&layout.po(&locale("es"), "a")), Err(OUTSIDE.to_owned()));
            std::os::unix::fs::symlink(outside.path(), layout.dir.join("fr")).unwrap();
            assert_eq!(layout.check_inside(&layout.po(&locale("fr"), "a")), Err(OUTSIDE.to_owned()));
        }
        assert_eq!(layout.read(&layout.po(&locale("de"), "a")), Ok(None));
    }
}
