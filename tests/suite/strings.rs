//! `defuse strings extract|merge|export|import|status` (contract section 12), run as a user
//! would and checked against the real translation tools: GNU gettext (`msgfmt`, `msgmerge`,
//! `msgcat`) and translate-toolkit (`po2xliff`, `xliff2po`).

use std::path::Path;
use std::process::Command;

use defuse::locale::po::{self, Catalog, Entry};

use crate::po_files::Lcg;

/// Sentences of the kind call scripts hold, with what makes wrapping hard: long words,
/// escapes, placeholders, punctuation of Spanish and French, accented letters.
fn sentence(random: &mut Lcg) -> String {
    const PIECES: &[&str] = &[
        "word",
        " ",
        " ",
        " ",
        "Hola",
        "{name}",
        "{{E42}}",
        "\n",
        "\t",
        "\"quoted\"",
        "\\",
        "é",
        "ñandú",
        "¿Qué?",
        "¡Sí!",
        "« Bonjour »",
        "d'accord",
        "l’appel",
        "—",
        "–",
        "…",
        "3-5",
        "10%",
        "$20",
        "https://example.com/a/b",
        "supercalifragilisticexpialidocious-and-then-some",
        ",",
        ".",
        ":",
        ";",
        "(x)",
        "[y]",
        "a/b",
        "well-known",
        "  ",
        "x\u{a0}y",
        "#",
        "'",
        "e-mail",
        "1.5",
        "€",
        "?",
        "!",
        "Reembolso",
        "aujourd'hui",
        "中文字",
        "😀",
        "e\u{301}",
    ];
    random.text_from(PIECES, 30)
}

fn msgcat(args: &[&str], file: &Path) -> String {
    let output = Command::new("msgcat")
        .args(args)
        .arg(file)
        .output()
        .expect("GNU gettext's `msgcat` must be installed (apt-get install gettext)");
    assert!(output.status.success(), "msgcat refused:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn first_difference(ours: &str, theirs: &str) -> String {
    let first = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b).unwrap_or(0);
    let around = |text: &str| text.lines().skip(first.saturating_sub(6)).take(10).collect::<Vec<_>>().join("\n");
    format!("line {} differs\n--- defuse:\n{}\n--- msgcat:\n{}", first + 1, around(ours), around(theirs))
}

#[test]
fn wrap_n_writes_what_msgcat_width_n_writes() {
    let dir = tempfile::tempdir().unwrap();
    for (seed, width) in [(1u64, 79usize), (2, 40), (3, 20), (4, 60), (5, 79), (6, 12), (7, 33), (8, 100)] {
        let mut random = Lcg(seed);
        let mut entries = vec![Entry {
            msgstr: "Project-Id-Version: t\nLanguage: es\nContent-Type: text/plain; charset=UTF-8\n".into(),
            ..Entry::default()
        }];
        for index in 0..150 {
            let mut entry = Entry {
                msgctxt: Some(format!("script_{index}.some_node_name:say")),
                msgid: format!("{}{index}", sentence(&mut random)),
                msgstr: sentence(&mut random),
                obsolete: random.next(8) == 0,
                ..Entry::default()
            };
            if entry.obsolete && entry.msgstr.is_empty() {
                entry.msgstr.push('x');
            }
            for line in 0..random.next(6) {
                entry.references.push(format!("scripts/folder/file{}.defuse:{}", random.next(50), line * 37));
            }
            if random.next(3) == 0 {
                entry.fuzzy = !entry.msgstr.is_empty();
                entry.previous_msgid = Some(sentence(&mut random));
            }
            entries.push(entry);
        }
        let catalog = Catalog { entries };
        let file = dir.path().join(format!("t{seed}.po"));
        std::fs::write(&file, po::write(&catalog)).unwrap();
        let theirs = msgcat(&[&format!("--width={width}")], &file);
        let ours = po::write_width(&catalog, width);
        assert!(ours == theirs, "seed {seed}, width {width}: {}", first_difference(&ours, &theirs));
    }
}

#[test]
fn wrap_breaks_between_every_pair_of_characters_where_msgcat_does() {
    // Each pair of characters once side by side and once across a space, placed so that the
    // second one would pass the width: the line breaks between them exactly when gettext's line
    // breaker allows it.
    let mut chars: Vec<char> = (33u8..127).map(char::from).collect();
    chars.extend("éñ¿¡«»’“”—–…€°\u{a0}".chars());
    let width = 30;
    let mut entries = vec![Entry { msgstr: "Content-Type: text/plain; charset=UTF-8\n".into(), ..Entry::default() }];
    for &a in &chars {
        for &b in &chars {
            for space in [false, true] {
                let run = "x".repeat(width - 3 - usize::from(space));
                let between = if space { " " } else { "" };
                entries.push(Entry {
                    msgctxt: Some(entries.len().to_string()),
                    msgid: format!("{run}{a}{between}{b}yyyyy"),
                    ..Entry::default()
                });
            }
        }
    }
    let catalog = Catalog { entries };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.po");
    std::fs::write(&file, po::write(&catalog)).unwrap();
    let theirs = msgcat(&[&format!("--width={width}")], &file);
    let ours = po::write_width(&catalog, width);
    assert!(ours == theirs, "{}", first_difference(&ours, &theirs));
}

// ---------------------------------------------------------------------------------------------
// The commands, on the example scripts with hand-written Spanish and French translations of
// every script and the closings library (tests/fixtures/locales).

use crate::support::Defuse;

/// A project: the example scripts under `scripts/`, `[locales] targets = ["es", "fr"]` (plus
/// `extra` config lines) and the fixture translations under `locales/`.
fn project_with(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_tree(Path::new("scripts"), &root.join("scripts"), "defuse");
    copy_tree(Path::new("tests/fixtures/locales"), &root.join("locales"), "po");
    std::fs::write(root.join("defuse.toml"), format!("[locales]\ntargets = [\"es\", \"fr\"]\n{extra}")).unwrap();
    dir
}

fn project() -> tempfile::TempDir {
    project_with("")
}

/// Copies the files ending in `.extension` under `from` to `to`, keeping subdirectories.
fn copy_tree(from: &Path, to: &Path, extension: &str) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            copy_tree(&path, &to.join(path.file_name().unwrap()), extension);
        } else if path.extension().is_some_and(|x| x == extension) {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn strings(dir: &Path, args: &[&str]) -> Defuse {
    Defuse::new(std::iter::once("strings").chain(args.iter().copied())).dir(dir)
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Every file under `dir` and its bytes, to see that a run changed nothing.
fn snapshot_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn gettext_ok(tool: &str, args: &[&str]) {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("`{tool}` must be installed: {e}"));
    assert!(output.status.success(), "{tool} {args:?} refused:\n{}", String::from_utf8_lossy(&output.stderr));
}

/// A translate-toolkit tool from the project's venv (or PATH).
fn toolkit(tool: &str) -> Command {
    let venv = Path::new("/work/main/.venv/bin").join(tool);
    let local = Path::new(".venv/bin").join(tool);
    let program = [local, venv].into_iter().find(|path| path.exists()).unwrap_or_else(|| tool.into());
    Command::new(program)
}

fn pot_and_po_files(dir: &Path) -> Vec<std::path::PathBuf> {
    snapshot_tree(dir)
        .into_iter()
        .map(|(path, _)| dir.join(path))
        .filter(|path| path.extension().is_some_and(|x| x == "po" || x == "pot"))
        .collect()
}

#[test]
fn extract_writes_templates_that_msgfmt_accepts_and_check_finds_stale_ones() {
    let dir = project();
    let run = strings(dir.path(), &["extract"]).status(0);
    insta::assert_snapshot!("extract_stderr", run.stderr);
    for file in pot_and_po_files(&dir.path().join("locales/templates")) {
        gettext_ok("msgfmt", &["--check", "--check-format", "-o", "/dev/null", file.to_str().unwrap()]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(msgcat(&["--no-wrap"], &file), text, "{} is not in msgcat's layout", file.display());
    }
    insta::assert_snapshot!("refund_missing_pot", read(dir.path(), "locales/templates/refund_missing.pot"));

    let again = strings(dir.path(), &["extract"]).status(0);
    assert_eq!(again.stderr, "every template is up to date\n");
    strings(dir.path(), &["extract", "--check"]).status(0);

    let script = dir.path().join("scripts/refund_missing.defuse");
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, text.replace("Talk with a supervisor", "Talk with my supervisor")).unwrap();
    let before = snapshot_tree(dir.path());
    let stale = strings(dir.path(), &["extract", "--check"]).status(1);
    assert_eq!(stale.stdout, "would update locales/templates/refund_missing.pot\n");
    assert!(stale.stderr.contains("1 template is out of date"), "{}", stale.stderr);
    assert_eq!(snapshot_tree(dir.path()), before, "--check writes nothing");
}

#[test]
fn merge_writes_po_files_msgfmt_accepts_and_a_second_merge_changes_no_byte() {
    let dir = project();
    let run = strings(dir.path(), &["merge"]).status(0);
    insta::assert_snapshot!("merge_stderr", run.stderr);
    for file in pot_and_po_files(&dir.path().join("locales")) {
        gettext_ok("msgfmt", &["--check", "--check-format", "-o", "/dev/null", file.to_str().unwrap()]);
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(msgcat(&["--no-wrap"], &file), text, "{} is not in msgcat's layout", file.display());
    }
    // A new PO starts as msginit --no-translator starts one.
    let created = strings(dir.path(), &["merge", "--locale", "de"]).status(0);
    assert!(created.stderr.contains("created locales/de/cancellation.po"), "{}", created.stderr);
    insta::assert_snapshot!(
        "new_po_header",
        read(dir.path(), "locales/de/cancellation.po").split("\n\n").next().unwrap()
    );
    // The translations of the fixtures are all still there.
    let spanish = read(dir.path(), "locales/es/refund_missing.po");
    assert!(
        spanish.contains("msgstr \"Lo siento mucho, {customer_name}. Es frustrante esperar un dinero que es suyo.\"")
    );

    let before = snapshot_tree(dir.path());
    let again = strings(dir.path(), &["merge"]).status(0);
    assert_eq!(again.stderr, "every translation file is up to date\n");
    assert_eq!(snapshot_tree(dir.path()), before, "a second merge changes no byte");
}

/// Rewords one line and removes another of `refund_missing`.
fn edit_refund_missing(dir: &Path) {
    let script = dir.join("scripts/refund_missing.defuse");
    let text = std::fs::read_to_string(&script).unwrap();
    let edited = text
        .replace("I'm sorry, {customer_name}. Waiting on money", "I'm so sorry, {customer_name}. Waiting for money")
        .replace("    option \"Store credit now, plus 10%\" -> closings.resolved_thanks\n", "");
    assert_ne!(edited, text);
    std::fs::write(&script, edited).unwrap();
}

#[test]
fn a_reworded_line_goes_fuzzy_with_its_previous_text_and_a_removed_one_obsolete() {
    let dir = project();
    edit_refund_missing(dir.path());
    strings(dir.path(), &["merge", "--locale", "es"]).status(0);
    let spanish = read(dir.path(), "locales/es/refund_missing.po");
    let entry = |needle: &str| spanish.split("\n\n").find(|entry| entry.contains(needle)).unwrap_or("").to_string();
    insta::assert_snapshot!("reworded_entry", entry("Waiting for money"));
    insta::assert_snapshot!("obsolete_entry", entry("#~ msgid"));
    let french = std::fs::read_to_string("tests/fixtures/locales/fr/refund_missing.po").unwrap();
    assert_eq!(read(dir.path(), "locales/fr/refund_missing.po"), french, "--locale es merges es only");
    // Without obsolete entries when asked.
    strings(dir.path(), &["merge", "--locale", "es", "--no-obsolete"]).status(0);
    assert!(!read(dir.path(), "locales/es/refund_missing.po").contains("#~"));
}

#[test]
fn msgmerge_previous_on_the_same_files_agrees_with_merge() {
    let dir = project();
    edit_refund_missing(dir.path());
    strings(dir.path(), &["extract"]).status(0);
    for (locale, unit) in [("es", "refund_missing"), ("fr", "refund_missing"), ("es", "closings"), ("fr", "wrong_item")]
    {
        let old = dir.path().join(format!("locales/{locale}/{unit}.po"));
        let template = dir.path().join(format!("locales/templates/{unit}.pot"));
        let output = Command::new("msgmerge")
            .args(["--previous", "--no-wrap", "--quiet", "-o", "-"])
            .arg(&old)
            .arg(&template)
            .output()
            .expect("GNU gettext's msgmerge must be installed");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let theirs_file = dir.path().join("theirs.po");
        std::fs::write(&theirs_file, &output.stdout).unwrap();
        let theirs = msgcat(&["--no-wrap"], &theirs_file);
        strings(dir.path(), &["merge", "--locale", locale]).status(0);
        let ours = read(dir.path(), &format!("locales/{locale}/{unit}.po"));
        assert!(ours == theirs, "{locale}/{unit}: {}", first_difference(&ours, &theirs));
    }
}

#[test]
fn export_writes_xliff_that_xliff2po_reads() {
    let dir = project();
    let run = strings(dir.path(), &["export", "--format", "xliff", "--locale", "es", "--out-dir", "out"]).status(0);
    assert!(run.stderr.contains("wrote out/refund_missing.es.xlf"), "{}", run.stderr);
    let xliff = read(dir.path(), "out/refund_missing.es.xlf");
    assert!(xliff.contains("target-language=\"es\""), "{xliff}");
    insta::assert_snapshot!("refund_missing_xliff_head", xliff.lines().take(24).collect::<Vec<_>>().join("\n"));

    let back = dir.path().join("back.po");
    let output = toolkit("xliff2po")
        .arg(dir.path().join("out/refund_missing.es.xlf"))
        .arg(&back)
        .output()
        .expect("translate-toolkit's xliff2po must be installed (pip install translate-toolkit)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let theirs = po::parse(&std::fs::read(&back).unwrap()).expect("defuse reads xliff2po's PO");
    let ours = po::parse(read(dir.path(), "locales/es/refund_missing.po").as_bytes()).unwrap();
    // xliff2po drops msgctxt (it makes up its own for repeated sources): every source and
    // translation comes back.
    let pairs = |catalog: &Catalog| -> Vec<(String, String)> {
        let mut pairs: Vec<_> = catalog
            .entries
            .iter()
            .filter(|entry| !entry.is_header() && !entry.obsolete)
            .map(|entry| (entry.msgid.clone(), entry.msgstr.clone()))
            .collect();
        pairs.sort();
        pairs
    };
    assert_eq!(pairs(&theirs), pairs(&ours));

    // `--format po` and `-o`, with one script.
    strings(dir.path(), &["export", "--format", "po", "--locale", "fr", "-o", "wrong.po", "scripts/wrong_item.defuse"])
        .status(0);
    assert_eq!(read(dir.path(), "wrong.po"), read(dir.path(), "locales/fr/wrong_item.po"));
    // XLIFF names the language in BCP 47; the PO directory is `fr_CA`.
    let canadian = strings(
        dir.path(),
        &["export", "--format", "xliff", "--locale", "fr_ca", "-o", "-", "scripts/wrong_item.defuse"],
    )
    .status(0);
    assert!(canadian.stdout.contains("source-language=\"en\" target-language=\"fr-CA\""), "{}", canadian.stdout);
    assert!(!dir.path().join("locales/fr_CA").exists(), "export writes nothing under locales/");
    let many = strings(dir.path(), &["export", "--format", "po", "--locale", "fr", "-o", "all.po"]).status(2);
    assert!(many.stderr.contains("use `--out-dir DIR`"), "{}", many.stderr);
}

/// The PO files `export` reads are inputs of the run (contract section 4): `-o` naming one,
/// by any spelling or through a link, is refused and the translations stay.
#[test]
fn export_refuses_to_write_over_the_po_it_reads() {
    let dir = project();
    let po = "locales/fr/wrong_item.po";
    let before = read(dir.path(), po);
    for target in [po, "./locales/../locales/fr/wrong_item.po"] {
        let args = ["export", "--format", "xliff", "--locale", "fr", "-o", target, "scripts/wrong_item.defuse"];
        let run = strings(dir.path(), &args).status(2);
        assert!(run.stderr.contains("input"), "{target}: {}", run.stderr);
        assert_eq!(read(dir.path(), po), before, "{target}");
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("locales/fr/wrong_item.po", dir.path().join("link.po")).unwrap();
        let args = ["export", "--format", "xliff", "--locale", "fr", "-o", "link.po", "scripts/wrong_item.defuse"];
        strings(dir.path(), &args).status(2);
        assert_eq!(read(dir.path(), po), before, "through a link");
    }
}

#[test]
fn import_brings_back_defuses_xliff_and_po2xliffs() {
    let dir = project();
    strings(dir.path(), &["merge"]).status(0);
    let translated = snapshot_tree(&dir.path().join("locales"));
    strings(dir.path(), &["export", "--format", "xliff", "--locale", "es", "--out-dir", "out"]).status(0);
    let wrong_item_fr = dir.path().join("wrong_item.fr.xlf");
    let output = toolkit("po2xliff")
        .arg(dir.path().join("locales/fr/wrong_item.po"))
        .arg(&wrong_item_fr)
        .output()
        .expect("translate-toolkit's po2xliff must be installed (pip install translate-toolkit)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // po2xliff drops msgctxt: the entries are matched by reference and source.
    assert!(!read(dir.path(), "wrong_item.fr.xlf").contains("x-po-msgctxt"));

    std::fs::remove_dir_all(dir.path().join("locales/es")).unwrap();
    std::fs::remove_file(dir.path().join("locales/fr/wrong_item.po")).unwrap();
    let xliffs =
        ["out/closings.es.xlf", "out/double_charge.es.xlf", "out/refund_missing.es.xlf", "out/wrong_item.es.xlf"];
    let mut args = vec!["import"];
    args.extend(xliffs);
    strings(dir.path(), &args).status(0);
    // po2xliff writes no target-language: the locale is given.
    strings(dir.path(), &["import", "wrong_item.fr.xlf", "--locale", "fr"]).status(0);
    let back = snapshot_tree(&dir.path().join("locales"));
    let mut compared = 0;
    for (path, bytes) in &translated {
        let imported = path == "fr/wrong_item.po"
            || ["es/closings.po", "es/double_charge.po", "es/refund_missing.po", "es/wrong_item.po"]
                .contains(&path.as_str());
        if !imported {
            continue;
        }
        let (_, now) =
            back.iter().find(|(known, _)| known == path).unwrap_or_else(|| panic!("{path} was not imported"));
        let (now, before) = (String::from_utf8_lossy(now), String::from_utf8_lossy(bytes));
        assert!(now == before, "{path} differs after the round trip: {}", first_difference(&now, &before));
        compared += 1;
    }
    assert_eq!(compared, 5);
}

#[test]
fn import_takes_a_translators_po_and_never_changes_the_source_text() {
    let dir = project();
    strings(dir.path(), &["merge", "--locale", "es"]).status(0);
    let mut catalog = po::parse(read(dir.path(), "locales/es/refund_missing.po").as_bytes()).unwrap();
    for entry in &mut catalog.entries {
        if entry.msgid == "Talk with a supervisor" {
            entry.msgstr = "Hablar con una supervisora".into();
            entry.msgid = "Talk with a supervisor".into();
        }
        if entry.msgid == "no" {
            // A translator's tool that changed the source text: matched by nothing.
            entry.msgid = "nope".into();
            entry.msgstr = "nel".into();
        }
    }
    std::fs::write(dir.path().join("from_translator.po"), po::write(&catalog)).unwrap();
    let run = strings(dir.path(), &["import", "from_translator.po"]).status(0);
    insta::assert_snapshot!("import_unmatched_warning", run.stderr);
    let spanish = read(dir.path(), "locales/es/refund_missing.po");
    assert!(spanish.contains("msgid \"Talk with a supervisor\"\nmsgstr \"Hablar con una supervisora\""));
    assert!(!spanish.contains("nope") && !spanish.contains("nel"));
}

#[test]
fn a_broken_po_or_xliff_is_a_locale_file_diagnostic_and_nothing_is_written() {
    let dir = project();
    std::fs::write(dir.path().join("plural.po"), "msgid \"\"\nmsgstr \"Language: es\\n\"\n\nmsgctxt \"refund_missing.offer:option\"\nmsgid \"one\"\nmsgid_plural \"many\"\nmsgstr[0] \"uno\"\n").unwrap();
    std::fs::write(dir.path().join("cut.xlf"), "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\">\n  <file original=\"refund_missing.po\" target-language=\"es\">\n    <body>\n      <trans-unit id=\"x\">\n").unwrap();
    std::fs::write(
        dir.path().join("latin1.po"),
        b"msgid \"\"\nmsgstr \"Language: es\\n\"\n\nmsgid \"yes\"\nmsgstr \"s\xed\"\n",
    )
    .unwrap();
    let before = snapshot_tree(dir.path());
    let run = strings(dir.path(), &["import", "plural.po", "cut.xlf", "latin1.po"]).status(1);
    insta::assert_snapshot!("import_broken", run.stderr);
    assert_eq!(snapshot_tree(dir.path()), before);

    // A broken PO in the project: merge reports it, leaves it, and merges the others.
    std::fs::write(dir.path().join("locales/es/closings.po"), "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n").unwrap();
    let run = strings(dir.path(), &["merge", "--locale", "es"]).status(1);
    insta::assert_snapshot!(
        "merge_broken",
        run.stderr
            .lines()
            .filter(|l| !l.starts_with("created ") && !l.starts_with("updated "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(read(dir.path(), "locales/es/closings.po"), "msgid \"a\"\nmsgstr \"b\"\nmsgstr \"c\"\n");
    assert!(dir.path().join("locales/es/cancellation.po").exists());
}

#[test]
fn status_counts_translated_fuzzy_missing_and_obsolete_lines() {
    let dir = project();
    edit_refund_missing(dir.path());
    strings(dir.path(), &["merge", "--locale", "fr"]).status(0);
    let json = strings(dir.path(), &["status", "--format", "json", "--locale", "es", "--locale", "fr-CA"]).status(0);
    insta::assert_snapshot!("status_json", json.stdout);
    let text = strings(dir.path(), &["status", "--locale", "fr", "--locale", "de"]).status(0);
    insta::assert_snapshot!("status_text", text.stdout);
}

#[test]
fn merge_without_a_locale_says_how_to_name_one() {
    let dir = project();
    std::fs::write(dir.path().join("defuse.toml"), "").unwrap();
    let run = strings(dir.path(), &["merge"]).status(2);
    insta::assert_snapshot!("merge_no_locale", run.stderr);
    let bad = strings(dir.path(), &["merge", "--locale", "spanish"]).status(2);
    assert!(bad.stderr.contains("`spanish` is not a locale"), "{}", bad.stderr);
}

#[cfg(unix)]
#[test]
fn writes_refuse_a_po_that_links_out_of_the_root() {
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("elsewhere.po");
    std::fs::write(&secret, "msgid \"\"\nmsgstr \"\"\n").unwrap();
    let po = dir.path().join("locales/es/cancellation.po");
    std::fs::remove_file(&po).unwrap();
    std::os::unix::fs::symlink(&secret, &po).unwrap();
    let run = strings(dir.path(), &["merge", "--locale", "es"]).status(2);
    assert!(
        run.stderr.contains("locales/es/cancellation.po") && run.stderr.contains("outside the project root"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "msgid \"\"\nmsgstr \"\"\n");

    // A locale directory that links out of the root: nothing is created through it.
    std::fs::remove_file(&po).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("locales/de")).unwrap();
    let run = strings(dir.path(), &["merge", "--locale", "de"]).status(2);
    assert!(run.stderr.contains("outside the project root"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);

    // A read-only PO is not rewritten.
    use std::os::unix::fs::PermissionsExt;
    let spanish = dir.path().join("locales/es/refund_missing.po");
    edit_refund_missing(dir.path());
    std::fs::set_permissions(&spanish, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&spanish).unwrap();
    let run = strings(dir.path(), &["merge", "--locale", "es"]).status(2);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    assert_eq!(std::fs::read(&spanish).unwrap(), before);
}

#[test]
fn wrap_writes_the_layout_of_msgcat_width() {
    let dir = project_with("wrap = 79\n");
    strings(dir.path(), &["extract"]).status(0);
    strings(dir.path(), &["merge"]).status(0);
    for file in pot_and_po_files(&dir.path().join("locales")) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(msgcat(&["--width=79"], &file), text, "{} is not in msgcat --width=79's layout", file.display());
    }
    let before = snapshot_tree(dir.path());
    strings(dir.path(), &["merge"]).status(0);
    assert_eq!(snapshot_tree(dir.path()), before);
}

#[test]
fn import_reads_xliff_1_1_and_takes_the_locale_from_the_command_line() {
    let dir = project();
    strings(dir.path(), &["merge", "--locale", "fr"]).status(0);
    let before = read(dir.path(), "locales/fr/double_charge.po");
    strings(
        dir.path(),
        &["export", "--format", "xliff", "--locale", "fr", "-o", "dc.xlf", "scripts/double_charge.defuse"],
    )
    .status(0);
    let old_style = read(dir.path(), "dc.xlf")
        .replace("urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:1.1")
        .replace("version=\"1.2\"", "version=\"1.1\"")
        .replace(" target-language=\"fr\"", "");
    std::fs::write(dir.path().join("dc.xlf"), old_style).unwrap();
    std::fs::remove_file(dir.path().join("locales/fr/double_charge.po")).unwrap();
    let unsure = strings(dir.path(), &["import", "dc.xlf"]).status(2);
    assert!(unsure.stderr.contains("does not say its language"), "{}", unsure.stderr);
    strings(dir.path(), &["import", "dc.xlf", "--locale", "fr"]).status(0);
    let after = read(dir.path(), "locales/fr/double_charge.po");
    assert!(after == before, "{}", first_difference(&after, &before));
}

/// `strings extract FILE` and `merge FILE` cover what `check FILE` checks: the file and the
/// libraries it uses, whose lines the script speaks too.
#[test]
fn one_script_brings_the_libraries_it_uses() {
    let dir = project();
    strings(dir.path(), &["extract", "scripts/refund_missing.defuse"]).status(0);
    let templates: Vec<String> = std::fs::read_dir(dir.path().join("locales/templates"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(templates.contains(&"closings.pot".to_owned()), "{templates:?}");
    assert!(templates.contains(&"refund_missing.pot".to_owned()), "{templates:?}");
    assert_eq!(templates.len(), 2, "only what the script reaches: {templates:?}");
}
