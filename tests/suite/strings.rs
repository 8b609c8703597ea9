//! `defuse strings extract|merge|export|import|status` (contract section 12), run as a user
//! would and checked against the real translation tools: GNU gettext (`msgfmt`, `msgmerge`,
//! `msgcat`) and translate-toolkit (`po2xliff`, `xliff2po`).

use std::path::Path;
use std::process::Command;

use defuse::locale::po::{self, Catalog, Entry};

/// A small deterministic generator (same text on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below
    }

    /// Sentences of the kind call scripts hold, with what makes wrapping hard: long words,
    /// escapes, placeholders, punctuation of Spanish and French, accented letters.
    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "word", " ", " ", " ", "Hola", "{name}", "{{E42}}", "\n", "\t", "\"quoted\"", "\\", "é", "ñandú", "¿Qué?",
            "¡Sí!", "« Bonjour »", "d'accord", "l’appel", "—", "–", "…", "3-5", "10%", "$20", "https://example.com/a/b",
            "supercalifragilisticexpialidocious-and-then-some", ",", ".", ":", ";", "(x)", "[y]", "a/b", "well-known",
            "  ", "x\u{a0}y", "#", "'", "e-mail", "1.5", "€", "?", "!", "Reembolso", "aujourd'hui", "中文字", "😀", "e\u{301}",
        ];
        let length = self.next(30);
        (0..length).map(|_| PIECES[self.next(PIECES.len())]).collect()
    }
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
                msgid: format!("{}{index}", random.text()),
                msgstr: random.text(),
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
                entry.previous_msgid = Some(random.text());
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
