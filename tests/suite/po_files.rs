//! The PO reader and writer against GNU gettext itself: what defuse writes is what
//! `msgcat --no-wrap` writes, byte for byte, and `msgfmt --check` accepts it.

use std::process::Command;

use defuse::locale::po::{self, Catalog, Entry};

/// A small deterministic generator (no dependency, same file on every run); `strings.rs` uses
/// it too, with pieces of its own.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below
    }

    /// Text from pieces a script writer (or an attacker) could put in a line.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "word", " ", " ", "Hola", "{name}", "{{E42}}", "\n", "\t", "\"", "\\", "é", "中文", "😀", "\u{1}",
            "\u{7f}", "\u{85}", "\u{2028}", "#", ":", "msgstr", "  ", "\r", "'", "%s", "{",
        ];
        self.text_from(PIECES, 12)
    }

    /// Fewer than `longest` of `pieces`, each picked at random.
    pub(crate) fn text_from(&mut self, pieces: &[&str], longest: usize) -> String {
        let length = self.next(longest);
        (0..length).map(|_| pieces[self.next(pieces.len())]).collect()
    }
}

fn header() -> Entry {
    Entry {
        msgstr: "Project-Id-Version: t\nLanguage: es\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\
                 Content-Transfer-Encoding: 8bit\n"
            .into(),
        ..Entry::default()
    }
}

fn generated_catalog(seed: u64, entries: usize) -> Catalog {
    let mut random = Lcg(seed);
    let mut catalog = Catalog { entries: vec![header()] };
    for index in 0..entries {
        let mut entry = Entry {
            msgctxt: Some(format!("s.n{index}:say")),
            msgid: format!("{}{index}", random.text()),
            msgstr: if random.next(3) == 0 { String::new() } else { random.text() + "x" },
            fuzzy: random.next(3) == 0,
            obsolete: random.next(6) == 0,
            ..Entry::default()
        };
        if random.next(2) == 0 {
            entry.extracted_comments.push(format!("mirror, node n{index}: the agent says this"));
        }
        if random.next(3) == 0 {
            // A comment is one line; gettext joins a line that ends in a backslash with the next.
            let comment = random.text().replace(['\n', '\r', '\u{85}', '\u{2028}'], " ");
            entry.translator_comments.push(comment.trim_end_matches('\\').to_string());
        }
        for line in 0..random.next(8) {
            entry.references.push(format!("scripts/some/folder/file{}.defuse:{}", random.next(50), line * 37));
        }
        if random.next(2) == 0 {
            entry.flags.push("python-brace-format".into());
        }
        if entry.fuzzy && random.next(2) == 0 {
            entry.previous_msgid = Some(random.text());
            entry.previous_msgctxt = (random.next(2) == 0).then(|| format!("s.old{index}:say"));
        }
        catalog.entries.push(entry);
    }
    catalog
}

fn gettext(tool: &str, args: &[&str], file: &std::path::Path) -> std::process::Output {
    Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|error| panic!("GNU gettext's `{tool}` must be installed (apt-get install gettext): {error}"))
}

#[test]
fn what_defuse_writes_is_what_msgcat_no_wrap_writes() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=6 {
        let written = po::write(&generated_catalog(seed, 120));
        let file = dir.path().join(format!("t{seed}.po"));
        std::fs::write(&file, &written).unwrap();
        let output = gettext("msgcat", &["--no-wrap"], &file);
        assert!(output.status.success(), "msgcat refused:\n{}", String::from_utf8_lossy(&output.stderr));
        let theirs = String::from_utf8(output.stdout).unwrap();
        if theirs != written {
            let first = written.lines().zip(theirs.lines()).position(|(a, b)| a != b).unwrap_or(0);
            let around =
                |text: &str| text.lines().skip(first.saturating_sub(8)).take(12).collect::<Vec<_>>().join("\n");
            panic!(
                "seed {seed}: line {} differs\n--- defuse:\n{}\n--- msgcat:\n{}",
                first + 1,
                around(&written),
                around(&theirs)
            );
        }
        let read = po::parse(theirs.as_bytes()).expect("defuse reads msgcat's output");
        assert_eq!(po::write(&read), theirs, "seed {seed}: reading and writing again changes the file");
    }
}

#[test]
fn msgfmt_check_accepts_what_defuse_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog = generated_catalog(42, 200);
    for entry in catalog.entries.iter_mut().skip(1) {
        // msgfmt --check also checks what the flag promises; this test is about the layout.
        entry.flags.clear();
        // A msgid that ends in "\n" needs a msgstr that does too (msgfmt --check's rule).
        if !entry.msgstr.is_empty() && entry.msgid.ends_with('\n') != entry.msgstr.ends_with('\n') {
            entry.msgstr = entry.msgid.clone();
        }
        if entry.msgid.starts_with('\n') != entry.msgstr.starts_with('\n') && !entry.msgstr.is_empty() {
            entry.msgstr = entry.msgid.clone();
        }
    }
    let file = dir.path().join("t.po");
    std::fs::write(&file, po::write(&catalog)).unwrap();
    let output = gettext("msgfmt", &["--check", "-o", "/dev/null"], &file);
    assert!(output.status.success(), "msgfmt --check refused:\n{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn defuse_reads_the_layouts_msgcat_writes_when_it_wraps() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = generated_catalog(7, 80);
    let file = dir.path().join("t.po");
    std::fs::write(&file, po::write(&catalog)).unwrap();
    for width in ["--width=20", "--width=79"] {
        let output = gettext("msgcat", &[width], &file);
        assert!(output.status.success());
        let read = po::parse(&output.stdout).expect("defuse reads a wrapped file");
        // As gettext writes them: live entries, then the obsolete ones that hold a translation.
        let mut expected = catalog.clone();
        expected.entries.retain(|entry| !(entry.obsolete && entry.msgstr.is_empty()));
        expected.entries.sort_by_key(|entry| entry.obsolete);
        assert_eq!(read.entries.len(), expected.entries.len());
        for (read, expected) in read.entries.iter().zip(&expected.entries) {
            assert_eq!(
                (&read.msgctxt, &read.msgid, &read.msgstr),
                (&expected.msgctxt, &expected.msgid, &expected.msgstr)
            );
            if !expected.obsolete {
                assert_eq!(read.references, expected.references, "gettext keeps no references on obsolete entries");
            }
        }
    }
}

/// The cases of contract section 12's merge, each as old PO and new template.
const MERGE_CASES: &[(&str, &str, &str)] = &[
    (
        "a reworded line, an unchanged one, a renamed node, a revived and a removed line",
        r#"# checked by Ana
#. old comment
#: a:1
#, python-brace-format
msgctxt "s.n:say"
msgid "I am sorry about the refund, {name}"
msgstr "Lo siento por el reembolso, {name}"

#, fuzzy
#| msgid "Is it right?"
msgctxt "s.n:ask"
msgid "Is that right?"
msgstr "¿Es correcto?"

msgctxt "s.old:say"
msgid "Moved line here"
msgstr "Línea movida"

# tc2
#, python-brace-format
msgctxt "s.gone:say"
msgid "Completely unrelated text about weather"
msgstr "Tiempo"

msgctxt "s.empty:say"
msgid "Never translated"
msgstr ""

#~ msgctxt "s.back:say"
#~ msgid "Revived text"
#~ msgstr "Revivido"
"#,
        r#"#. new comment
#: b:2
#, python-brace-format
msgctxt "s.n:say"
msgid "I am so sorry about the refund, {name}"
msgstr ""

#. asks
msgctxt "s.n:ask"
msgid "Is that right?"
msgstr ""

msgctxt "s.renamed:say"
msgid "Moved line here"
msgstr ""

msgctxt "s.back:say"
msgid "Revived text"
msgstr ""

msgctxt "s.new:say"
msgid "Brand new"
msgstr ""
"#,
    ),
    (
        "nothing changed",
        "msgctxt \"s:title\"\nmsgid \"Refund\"\nmsgstr \"Reembolso\"\n",
        "#. title of s\nmsgctxt \"s:title\"\nmsgid \"Refund\"\nmsgstr \"\"\n",
    ),
];

#[test]
fn merge_gives_what_msgmerge_previous_gives() {
    let dir = tempfile::tempdir().unwrap();
    let header =
        "msgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: s\\n\"\n\"Language: es\\n\"\n\"MIME-Version: 1.0\\n\"\n\
                  \"Content-Type: text/plain; charset=UTF-8\\n\"\n\"Content-Transfer-Encoding: 8bit\\n\"\n\n";
    for (case, old, template) in MERGE_CASES {
        let (old, template) = (format!("{header}{old}"), format!("{header}{template}"));
        let (old_file, template_file) = (dir.path().join("old.po"), dir.path().join("new.pot"));
        std::fs::write(&old_file, &old).unwrap();
        std::fs::write(&template_file, &template).unwrap();
        let output = Command::new("msgmerge")
            .args(["--previous", "--no-wrap", "--quiet", "-o", "-"])
            .arg(&old_file)
            .arg(&template_file)
            .output()
            .expect("GNU gettext's `msgmerge` must be installed (apt-get install gettext)");
        assert!(output.status.success(), "{case}: {}", String::from_utf8_lossy(&output.stderr));
        let theirs = String::from_utf8(output.stdout).unwrap();
        let ours = po::write(&defuse::locale::merge::merge(
            &po::parse(old.as_bytes()).unwrap(),
            &po::parse(template.as_bytes()).unwrap(),
            true,
        ));
        let body = |text: &str| text.split_once("\n\n").map(|(_, rest)| rest.to_string()).unwrap_or_default();
        assert_eq!(body(&ours), body(&theirs), "{case}");
        // And msgmerge on defuse's result changes nothing: the two agree on the merged file too.
        std::fs::write(&old_file, &ours).unwrap();
        let again = Command::new("msgmerge")
            .args(["--previous", "--no-wrap", "--quiet", "-o", "-"])
            .arg(&old_file)
            .arg(&template_file)
            .output()
            .unwrap();
        assert_eq!(body(&String::from_utf8(again.stdout).unwrap()), body(&ours), "{case}: msgmerge again");
    }
}

/// A PO file with what XLIFF must carry: context, comments, references, a fuzzy entry with its
/// previous text, an untranslated entry, markup and a carriage return.
const XLIFF_PO: &str =
    "msgid \"\"\nmsgstr \"\"\n\"Language: es\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n\
    # checked\n#. mirror, node n: the agent says this\n#: scripts/a.defuse:4\n#, fuzzy, python-brace-format\n\
    #| msgid \"Old {name}\"\nmsgctxt \"s.n:say\"\nmsgid \"Hello {name} & <you>\\r\"\nmsgstr \"Hola {name}\"\n\n\
    #: scripts/a.defuse:9\nmsgctxt \"s.m:ask\"\nmsgid \"Why?\"\nmsgstr \"\"\n\n\
    msgctxt \"s.k:ask\"\nmsgid \"Ok\"\nmsgstr \"Vale\"\n\n\
    msgctxt \"s.j:reply\"\nmsgid \"Ok\"\nmsgstr \"De acuerdo\"\n";

fn translate_toolkit(tool: &str, input: &std::path::Path, output: &std::path::Path) {
    let run = Command::new(tool).args(["--progress=none"]).arg(input).arg(output).output().unwrap_or_else(|error| {
        panic!("translate-toolkit's `{tool}` must be installed (.ci/run puts it in .venv): {error}")
    });
    assert!(run.status.success(), "{tool}: {}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn xliff_follows_the_po_representation_guide() {
    let catalog = po::parse(XLIFF_PO.as_bytes()).unwrap();
    let document = defuse::locale::xliff::Document { name: "s", source_language: "en", target_language: "es-419" };
    insta::assert_snapshot!(defuse::locale::xliff::write(&catalog, &document));
}

#[test]
fn xliff2po_reads_defuse_xliff_as_the_po_up_to_what_it_drops() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = po::parse(XLIFF_PO.as_bytes()).unwrap();
    let document = defuse::locale::xliff::Document { name: "s", source_language: "en", target_language: "es" };
    let (xliff, back) = (dir.path().join("s.es.xlf"), dir.path().join("back.po"));
    std::fs::write(&xliff, defuse::locale::xliff::write(&catalog, &document)).unwrap();
    translate_toolkit("xliff2po", &xliff, &back);
    let read = po::parse(&std::fs::read(&back).unwrap()).expect("defuse reads xliff2po's PO");
    // xliff2po keeps text, translation, fuzziness, #. comments and references; it drops the
    // context (resname, x-po-msgctxt) and the format flags.
    let essentials = |catalog: &Catalog| -> Vec<_> {
        catalog
            .entries
            .iter()
            .filter(|entry| !entry.is_header())
            .map(|entry| {
                (
                    entry.msgid.clone(),
                    entry.msgstr.clone(),
                    entry.fuzzy,
                    entry.extracted_comments.clone(),
                    entry.references.clone(),
                )
            })
            .collect()
    };
    // Without the context, two entries with one text become one: the first.
    let mut expected = essentials(&catalog);
    let mut seen = std::collections::HashSet::new();
    expected.retain(|entry| seen.insert(entry.0.clone()));
    assert_eq!(essentials(&read), expected);
}

#[test]
fn po2xliff_output_imports_into_the_right_entries() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = po::parse(XLIFF_PO.as_bytes()).unwrap();
    let (source, xliff) = (dir.path().join("s.po"), dir.path().join("s.xlf"));
    std::fs::write(&source, XLIFF_PO).unwrap();
    translate_toolkit("po2xliff", &source, &xliff);
    let units =
        defuse::locale::xliff::read(&std::fs::read_to_string(&xliff).unwrap()).expect("defuse reads po2xliff's XLIFF");
    let mut emptied = catalog.clone();
    for entry in emptied.entries.iter_mut().skip(1) {
        entry.msgstr.clear();
        entry.fuzzy = false;
    }
    let unmatched = defuse::locale::xliff::import(&units, &mut emptied);
    // "Ok" stands in two entries and po2xliff drops msgctxt: the units carry no way to tell
    // which is which, so both are reported, not guessed.
    let unmatched: Vec<_> = unmatched.iter().map(|unit| unit.source.as_str()).collect();
    assert_eq!(unmatched, ["Ok", "Ok"]);
    let translations = |catalog: &Catalog| -> Vec<_> {
        catalog
            .entries
            .iter()
            .skip(1)
            .filter(|entry| entry.msgid != "Ok")
            .map(|entry| (entry.msgstr.clone(), entry.fuzzy))
            .collect()
    };
    assert_eq!(translations(&emptied), translations(&catalog));
}

/// translate-toolkit's `pofilter` agrees with defuse about translations: nothing to say about
/// the hand-written Spanish of `tests/fixtures/translated/refund`, and both planted problems (a
/// renamed placeholder, a dropped line break) found in a broken copy, which defuse's `check`
/// also refuses.
#[test]
fn pofilter_finds_no_problem_in_a_correct_translation_and_the_planted_ones_in_a_broken_one() {
    let pofilter = |po: &std::path::Path| -> String {
        let out = po.with_extension("pofilter.po");
        let run = Command::new("pofilter")
            .args(["--progress=none", "-t", "pythonbraceformat", "-t", "escapes", "-t", "newlines"])
            .arg(po)
            .arg(&out)
            .output()
            .unwrap_or_else(|error| {
                panic!("translate-toolkit's `pofilter` must be installed (.ci/run puts it in .venv): {error}")
            });
        assert!(run.status.success(), "pofilter: {}", String::from_utf8_lossy(&run.stderr));
        // pofilter writes no file when nothing fails.
        std::fs::read_to_string(&out).unwrap_or_default()
    };
    let fixture = std::path::Path::new("tests/fixtures/translated/refund");
    let dir = tempfile::tempdir().unwrap();
    let copy = |to: &std::path::Path| {
        for file in ["defuse.toml", "refund.defuse"] {
            std::fs::copy(fixture.join(file), to.join(file)).unwrap();
        }
        std::fs::create_dir_all(to.join("locales/es")).unwrap();
    };
    let good = dir.path().join("good");
    let bad = dir.path().join("bad");
    for side in [&good, &bad] {
        std::fs::create_dir_all(side).unwrap();
        copy(side);
    }
    let spanish = std::fs::read_to_string(fixture.join("locales/es/refund.po")).unwrap();
    let spanish = spanish.replace("msgstr \"Comprobar", "msgstr \"Paso 1:\\nComprobar");
    std::fs::write(good.join("locales/es/refund.po"), &spanish).unwrap();
    let broken =
        spanish.replace("{amount} todavía", "{monto} todavía").replace("Paso 1:\\nComprobar", "Paso 1: Comprobar");
    std::fs::write(bad.join("locales/es/refund.po"), &broken).unwrap();

    // pofilter compares line breaks with the msgid: give the good one a msgid that has one.
    for side in [&good, &bad] {
        let po = side.join("locales/es/refund.po");
        let text = std::fs::read_to_string(&po)
            .unwrap()
            .replace("msgid \"Check the refund went through\"", "msgid \"Step 1:\\nCheck the refund went through\"");
        std::fs::write(&po, text).unwrap();
    }
    assert_eq!(pofilter(&good.join("locales/es/refund.po")), "", "pofilter found a problem in the correct translation");
    let found = pofilter(&bad.join("locales/es/refund.po"));
    assert!(found.contains("(pofilter) pythonbraceformat") && found.contains("{monto}"), "{found}");
    assert!(found.contains("(pofilter) newlines"), "{found}");

    let run = crate::support::Defuse::new(["check", ".", "--locale", "es", "--format", "json"]).dir(&bad).run();
    assert!(run.stdout.contains("placeholder-mismatch"), "{}", run.stdout);
}
