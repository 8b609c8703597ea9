//! Property tests: no input makes defuse panic, and formatting never changes meaning.

use proptest::prelude::*;

use defuse::fuzz_harness::{exercise, exercise_po};
use defuse::source::FileId;
use defuse::syntax::{format::format, parse};

use crate::support::meaning;

/// Text made of the language's own pieces, so random cases reach deep into the parser.
fn tokens() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("script s ".to_owned()),
        Just("library l ".to_owned()),
        Just("use \"x.defuse\" ".to_owned()),
        Just("trigger t { ".to_owned()),
        Just("acknowledge a { ".to_owned()),
        Just("mirror m { ".to_owned()),
        Just("root-cause r { ".to_owned()),
        Just("options o { ".to_owned()),
        Just("close c { ".to_owned()),
        Just("say \"hi {name}\" ".to_owned()),
        Just("ask \"\"\"multi\nline\"\"\" ".to_owned()),
        Just("reply \"yes\" -> m ".to_owned()),
        Just("option \"a\" -> c ".to_owned()),
        Just("otherwise -> t ".to_owned()),
        Just("-> lib.node ".to_owned()),
        Just("outcome ended ".to_owned()),
        Just("follow_up \"1d\" \"x\" ".to_owned()),
        Just("hold \"h\" transfer \"q\" ".to_owned()),
        Just("vars name ".to_owned()),
        Just("meta { k \"v\" } ".to_owned()),
        Just("} ".to_owned()),
        Just("{ ".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just("# comment\n".to_owned()),
        Just("\r\n".to_owned()),
        "[a-z_]{1,8} ",
        "\\PC{0,6}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// Valid scripts: random stages, names, statements and text with escapes.
fn valid_script() -> impl Strategy<Value = String> {
    let text = "([a-zA-Z0-9 ,.!?']|\\\\n|\\\\\"|\\\\\\{|\\{name\\}){0,20}";
    let stmt = (0..8usize, text, 0..6usize).prop_map(|(kind, text, target)| match kind {
        0 => format!("say \"{text}\""),
        1 => format!("ask \"{text}\""),
        2 => format!("note \"{text}\""),
        3 => format!("reply \"{text}\" -> n{target}"),
        4 => format!("-> n{target}"),
        5 => format!("otherwise -> n{target}"),
        6 => format!("customer \"{text}\""),
        _ => format!("hold \"{text}\"  # why"),
    });
    let stages = prop_oneof![Just("trigger"), Just("acknowledge"), Just("mirror"), Just("root-cause"), Just("close")];
    let node = (stages, proptest::collection::vec(stmt, 0..5));
    proptest::collection::vec(node, 1..6).prop_map(|nodes| {
        let mut out = String::from("# generated\nscript generated \"A title\" {\n  vars name\n");
        for (i, (stage, stmts)) in nodes.iter().enumerate() {
            out.push_str(&format!("  {stage} n{i} {{\n    {}\n  }}\n", stmts.join("\n    ")));
        }
        out.push_str("}\n");
        out
    })
}

/// Lines of a PO file, well and badly formed.
fn po_line() -> impl Strategy<Value = String> {
    let string = r#""([a-z {}\\"\\ntx0-9é]|\\[ntr"\\ax0-7]){0,8}""#;
    prop_oneof![
        string.prop_map(|s| format!("msgid {s}\n")),
        string.prop_map(|s| format!("msgstr {s}\n")),
        string.prop_map(|s| format!("msgctxt {s}\n")),
        string.prop_map(|s| format!("{s}\r\n")),
        string.prop_map(|s| format!("#~ msgid {s}\n")),
        string.prop_map(|s| format!("#~ msgstr {s}\n")),
        string.prop_map(|s| format!("#| msgid {s}\n")),
        string.prop_map(|s| format!("#~| msgctxt {s}\n")),
        Just("#, fuzzy, python-brace-format\n".to_string()),
        "[#][.:, ]?[a-z:0-9 \\\\]{0,10}\n",
        Just("\n".to_string()),
        Just("msgid_plural \"x\"\n".to_string()),
        Just("\u{feff}".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        exercise(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn po_shaped_bytes_never_panic(lines in proptest::collection::vec(po_line(), 0..14)) {
        exercise_po(lines.concat().as_bytes());
    }

    #[test]
    fn xliff_shaped_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("<xliff version=\"1.2\">"), Just("<file original=\"s.po\">"), Just("<trans-unit resname=\"s.n:say\">"),
        Just("<source>"), Just("</source>"), Just("<target state=\"x\">"), Just("</target>"), Just("</trans-unit>"),
        Just("<context-group name=\"po-reference\"><context context-type=\"sourcefile\">a</context>"), Just("</context-group>"),
        Just("&amp;"), Just("&#1;"), Just("é"), Just("</file></xliff>"), Just("<!DOCTYPE x>"),
    ], 0..16)) {
        exercise_po(parts.concat().as_bytes());
    }

    #[test]
    fn arbitrary_bytes_as_po_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        exercise_po(&bytes);
    }

    #[test]
    fn language_shaped_text_never_panics(text in tokens()) {
        exercise(&text);
    }

    #[test]
    fn incremental_and_whole_parses_agree(text in tokens()) {
        let (pieces, whole) = (defuse::syntax::parse_piecewise(FileId::from_index(0), &text), defuse::syntax::parse_whole(FileId::from_index(0), &text));
        prop_assert_eq!(format!("{:?}", pieces.ast), format!("{:?}", whole.ast));
        prop_assert_eq!(pieces.diagnostics, whole.diagnostics);
    }

    #[test]
    fn mutated_examples_never_panic(
        example in 0..10usize,
        at in any::<prop::sample::Index>(),
        cut in 0..40usize,
        insert in tokens(),
    ) {
        let mut paths: Vec<_> = std::fs::read_dir("scripts").unwrap().map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "defuse")).collect();
        paths.sort();
        let text = std::fs::read_to_string(&paths[example % paths.len()]).unwrap();
        let mut start = at.index(text.len() + 1);
        while !text.is_char_boundary(start) { start -= 1; }
        let mut end = (start + cut).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let mutated = format!("{}{insert}{}", &text[..start], &text[end..]);
        exercise(&mutated);
    }

    #[test]
    fn formatting_valid_scripts_keeps_meaning(text in valid_script()) {
        let parsed = parse(FileId::from_index(0), &text);
        prop_assert!(parsed.diagnostics.is_empty(), "generated text does not parse:\n{}", text);
        let formatted = format(&parsed.ast.unwrap(), &text);
        prop_assert_eq!(meaning(&formatted), meaning(&text));
        prop_assert_eq!(format(&parse(FileId::from_index(0), &formatted).ast.unwrap(), &formatted), formatted.clone());
        exercise(&text);
    }
}
