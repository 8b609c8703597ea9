//! `defuse fmt` keeps the meaning, the compiled flow and every comment (on the line of the
//! statement it follows), keeps the file's line endings, BOM and permissions, is idempotent,
//! leaves a file that does not parse byte for byte, and its `--check` diff stays short and linear.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use defuse::source::FileId;
use defuse::syntax::{comments, format::format, parse};

use crate::support::{meaning, Defuse};

/// Formats `text`, which must parse.
fn fmt(text: &str) -> String {
    let parsed = parse(FileId::from_index(0), text);
    assert!(parsed.diagnostics.is_empty(), "does not parse:\n{text:?}");
    format(&parsed.ast.unwrap(), text)
}

fn comment_texts(text: &str) -> Vec<String> {
    let parsed = parse(FileId::from_index(0), text);
    comments(text, &parsed.ast.unwrap()).iter().map(|c| c.text(text).to_owned()).collect()
}

// ─── The reported cases, through the command line ──────────────────────────────

#[test]
fn a_false_triple_quote_keeps_every_comment_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = "script s {\n  trigger t {\n    follow_up \"\"\"48h\"  # when\n    -> t  # loop\n  }\n}\n# end\n";
    let path = dir.path().join("a.defuse");
    fs::write(&path, text).unwrap();
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    let formatted = fs::read_to_string(&path).unwrap();
    assert_eq!(comment_texts(&formatted), ["# when", "# loop", "# end"]);
    Defuse::new(["fmt", "--check", "a.defuse"]).dir(dir.path()).status(0);
}

#[test]
fn crlf_and_a_bom_survive_fmt_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}# top\r\nscript s { trigger t { say \"hi\" # c\r\r\n -> t } }\r\n";
    let path = dir.path().join("a.defuse");
    fs::write(&path, text).unwrap();
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    let formatted = fs::read(&path).unwrap();
    assert_eq!(
        formatted,
        "\u{feff}# top\r\nscript s {\r\n  trigger t {\r\n    say \"hi\"  # c\r\n    -> t\r\n  }\r\n}\r\n".as_bytes()
    );
    let run = Defuse::new(["fmt", "--check", "a.defuse"]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_comment_ending_in_cr_cr_lf_checks_clean_after_fmt() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.defuse"), "script s { # c\r\r\n trigger t { -> t } }\n").unwrap();
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    Defuse::new(["fmt", "--check", "a.defuse"]).dir(dir.path()).status(0);
}

/// A script of `nodes` nodes in canonical layout.
fn canonical_script(nodes: usize) -> String {
    let mut text = String::from("script big {\n");
    for i in 0..nodes {
        let stage = if i == 0 { "trigger" } else { "mirror" };
        text.push_str(&format!("  {stage} n{i} {{\n    say \"line {i}\"\n    -> n{}\n  }}\n\n", (i + 1) % nodes));
    }
    text.pop();
    text.push_str("}\n");
    text
}

#[test]
fn check_diff_of_a_change_deep_in_a_long_file_has_the_right_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = canonical_script(3000);
    // Squash one node near the end: 5 lines become 1.
    let at = canonical.find("  mirror n2990 {").unwrap();
    let end = at + canonical[at..].find("  }\n").unwrap() + 4;
    let messy = format!("{}  mirror n2990 {{ say \"line 2990\" -> n2991 }}\n{}", &canonical[..at], &canonical[end..]);
    let line = canonical[..at].lines().count() + 1;
    fs::write(dir.path().join("a.defuse"), &messy).unwrap();
    let run = Defuse::new(["fmt", "--check", "a.defuse"]).dir(dir.path()).status(1);
    let expected = format!(
        "would reformat a.defuse\n--- a.defuse\n+++ a.defuse\n@@ -{},3 +{},6 @@\n \n-  mirror n2990 {{ say \"line 2990\" -> n2991 }}\n+  mirror n2990 {{\n+    say \"line 2990\"\n+    -> n2991\n+  }}\n \n",
        line - 1,
        line - 1
    );
    assert_eq!(run.stdout, expected);
}

#[test]
fn check_diff_of_a_long_file_changed_everywhere_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    // Every line changes: the case that made the whole-file diff quadratic.
    let messy = canonical_script(5000).replace("\n    ", "\n ");
    fs::write(dir.path().join("a.defuse"), &messy).unwrap();
    let run = Defuse::new(["fmt", "--check", "a.defuse"]).dir(dir.path()).status(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 42, "{}", run.stdout);
    assert_eq!(
        lines[..5],
        ["would reformat a.defuse", "--- a.defuse", "+++ a.defuse", "@@ -2,4 +2,4 @@", "   trigger n0 {"]
    );
    assert_eq!(lines[41], "… (more diff lines)");
}

// ─── Properties ────────────────────────────────────────────────────────────────

/// One output line of a generated script: its source tokens and its canonical text.
#[derive(Clone, Debug)]
struct Element {
    tokens: Vec<String>,
    canonical: String,
}

fn element(tokens: &[&str], canonical: &str) -> Element {
    Element { tokens: tokens.iter().map(|t| (*t).to_owned()).collect(), canonical: canonical.to_owned() }
}

/// A valid script as elements: head, headers, nodes with statements, closing brace.
fn elements() -> impl Strategy<Value = Vec<Element>> {
    let stmt = (0..7usize, 0..3usize).prop_map(|(kind, target)| match kind {
        0 => element(&["say", "\"hi\""], "say \"hi\""),
        1 => element(&["reply", "\"yes\"", "->", &format!("n{target}")], &format!("reply \"yes\" -> n{target}")),
        2 => element(&["->", &format!("n{target}")], &format!("-> n{target}")),
        3 => element(&["otherwise", "->", "lib.x"], "otherwise -> lib.x"),
        4 => element(&["follow_up", "\"\"", "\"48h\""], "follow_up \"\" \"48h\""),
        // No `"""` string: after the false one below, the parser would pair the quotes.
        5 => element(&["note", "\"a \\\"#quoted\\\" word\""], "note \"a \\\"#quoted\\\" word\""),
        _ => element(&["outcome", "ended"], "outcome ended"),
    });
    let node = proptest::collection::vec(stmt, 0..4);
    let shape = (any::<bool>(), any::<bool>(), any::<bool>());
    (shape, proptest::collection::vec(node, 1..4)).prop_map(|((meta, vars, false_triple), nodes)| {
        let mut out = vec![element(&["script", "s", "\"T\"", "{"], "script s \"T\" {")];
        if meta {
            out.push(element(&["meta { k \"v\" }"], "meta { k \"v\" }"));
        }
        if vars {
            out.push(element(&["vars", "a", "b"], "vars a b"));
        }
        let last = nodes.len() - 1;
        for (i, stmts) in nodes.into_iter().enumerate() {
            out.push(element(&["mirror", &format!("n{i}"), "{"], &format!("mirror n{i} {{")));
            out.extend(stmts);
            if i == last && false_triple {
                // `""` then `"48h"` written as in the issue: it looks like the start of a
                // `"""` string (so it can only come once, and last).
                out.push(element(&["follow_up", "\"\"\"48h\""], "follow_up \"\" \"48h\""));
            }
            out.push(element(&["}"], "}"));
        }
        out.push(element(&["}"], "}"));
        out
    })
}

/// What follows a token: a space, a comment at the end of the line, or a comment on a line of
/// its own. After the last token, `eof` decides the file's end.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Space,
    Trailing,
    OwnLine,
}

fn slot() -> impl Strategy<Value = Slot> {
    prop_oneof![2 => Just(Slot::Space), 1 => Just(Slot::Trailing), 1 => Just(Slot::OwnLine)]
}

/// A generated script with numbered comments, and what must become of each comment.
#[derive(Debug)]
struct Commented {
    text: String,
    /// Every comment, in source order.
    all: Vec<String>,
    /// `(comment, element text)`: the comment must end the line holding the element.
    on_line: Vec<(String, String)>,
    /// Comments that must stand on a line of their own.
    own_line: Vec<String>,
}

fn commented() -> impl Strategy<Value = Commented> {
    elements().prop_flat_map(|elements| {
        let slots: usize = elements.iter().map(|e| e.tokens.len()).sum();
        (Just(elements), proptest::collection::vec(slot(), slots), 0..5usize).prop_map(|(elements, slots, eof)| {
            let mut done =
                Commented { text: String::new(), all: Vec::new(), on_line: Vec::new(), own_line: Vec::new() };
            let mut slots = slots.into_iter();
            let next_comment = |done: &mut Commented| {
                let comment = format!("# c{}", done.all.len());
                done.all.push(comment.clone());
                comment
            };
            let last_element = elements.len() - 1;
            for (e, element) in elements.iter().enumerate() {
                let mut attached = None;
                for (t, token) in element.tokens.iter().enumerate() {
                    done.text.push_str(token);
                    let slot = slots.next().unwrap();
                    let is_last_token = t + 1 == element.tokens.len();
                    if e == last_element && is_last_token {
                        // The end of the file: with or without a final newline.
                        match eof {
                            0 => {}
                            1 => done.text.push('\n'),
                            2 => {
                                let comment = next_comment(&mut done);
                                done.text.push_str(&format!(" {comment}"));
                                attached = Some(comment);
                            }
                            3 => {
                                let comment = next_comment(&mut done);
                                done.text.push_str(&format!("\n{comment}"));
                                done.own_line.push(comment);
                            }
                            _ => {
                                let comment = next_comment(&mut done);
                                done.text.push_str(&format!(" {comment}\n"));
                                attached = Some(comment);
                            }
                        }
                        continue;
                    }
                    match slot {
                        Slot::Space => done.text.push(' '),
                        Slot::Trailing => {
                            let comment = next_comment(&mut done);
                            done.text.push_str(&format!(" {comment}\n"));
                            attached = Some(comment);
                        }
                        // Inside an element, a comment on its own line still belongs to it.
                        Slot::OwnLine if !is_last_token => {
                            let comment = next_comment(&mut done);
                            done.text.push_str(&format!("\n{comment}\n"));
                            attached = Some(comment);
                        }
                        Slot::OwnLine => {
                            let comment = next_comment(&mut done);
                            done.text.push_str(&format!("\n{comment}\n"));
                            done.own_line.push(comment);
                        }
                    }
                }
                if let Some(comment) = attached {
                    done.on_line.push((comment, element.canonical.clone()));
                }
            }
            done
        })
    })
}

/// The formatted text's lines, without indentation.
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim_start).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_comment_stays_in_order_on_its_statement(case in commented()) {
        let once = fmt(&case.text);
        prop_assert_eq!(comment_texts(&once), case.all.clone(), "from:\n{}\nto:\n{}", case.text, once);
        let lines = lines(&once);
        for (comment, element) in &case.on_line {
            let expected = format!("{element}  {comment}");
            prop_assert!(lines.contains(&expected.as_str()), "`{}` not found in:\n{}\nfrom:\n{}", expected, once, case.text);
        }
        for comment in &case.own_line {
            prop_assert!(lines.contains(&comment.as_str()), "`{}` not on its own line in:\n{}", comment, once);
        }
        prop_assert_eq!(fmt(&once), once);
    }

    #[test]
    fn line_endings_and_bom_are_kept_and_fmt_is_idempotent(
        case in commented(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        cr_cr in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        // A comment may end in extra carriage returns (`# c\r\r\n`).
        let comment_end = if cr_cr { "\r\r\n" } else { eol };
        let mut text: String = case.text.split_inclusive('\n').map(|line| match line.strip_suffix('\n') {
            Some(body) if body.contains('#') => format!("{body}{comment_end}"),
            Some(body) => format!("{body}{eol}"),
            None => line.to_owned(),
        }).collect();
        if bom {
            text.insert(0, '\u{feff}');
        }
        let once = fmt(&text);
        prop_assert_eq!(once.starts_with('\u{feff}'), bom);
        let first_ending = if text.trim_start_matches('\u{feff}').find('\n').is_some_and(|i| text.trim_start_matches('\u{feff}')[..i].ends_with('\r')) { "\r\n" } else { "\n" };
        let rest = once.replace(first_ending, "");
        prop_assert!(!rest.contains(['\r', '\n']), "mixed line endings in {:?} from {:?}", once, text);
        prop_assert_eq!(comment_texts(&once), case.all.clone());
        prop_assert_eq!(fmt(&once), once);
    }

    #[test]
    fn lone_cr_files_stay_cr(elements in elements(), final_comment in any::<bool>()) {
        let mut text: String = elements.iter().map(|e| e.tokens.join("\r")).collect::<Vec<_>>().join("\r");
        if final_comment {
            text.push_str("\r# end");
        }
        let once = fmt(&text);
        prop_assert!(!once.contains('\n'), "{:?}", once);
        prop_assert_eq!(comment_texts(&once).len(), usize::from(final_comment));
        prop_assert_eq!(fmt(&once), once);
    }
}

/// Every `.defuse` file under `dir`, sorted.
fn defuse_files(dir: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "defuse") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn formatting_keeps_meaning_and_is_idempotent() {
    let mut checked = 0;
    for path in defuse_files("scripts").into_iter().chain(defuse_files("tests/fixtures")) {
        let text = fs::read_to_string(&path).unwrap();
        let parsed = parse(FileId::from_index(0), &text);
        let (Some(ast), true) = (parsed.ast, parsed.diagnostics.is_empty()) else { continue };
        let once = format(&ast, &text);
        assert_eq!(meaning(&once), meaning(&text), "{} changed meaning", path.display());
        let twice = format(&parse(FileId::from_index(0), &once).ast.unwrap(), &once);
        assert_eq!(twice, once, "{} is not idempotent", path.display());
        let comments = |t: &str| defuse::syntax::comments(t, &parse(FileId::from_index(0), t).ast.unwrap()).len();
        assert_eq!(comments(&once), comments(&text), "{} lost a comment", path.display());
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files were formatted");
}

#[test]
fn formatting_keeps_the_compiled_flow() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("scripts");
    for path in defuse_files("scripts") {
        let target = copy.join(path.strip_prefix("scripts").unwrap());
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        // Squash the layout so the formatter has real work to do.
        let text = fs::read_to_string(&path).unwrap();
        let squashed: String =
            text.lines().filter(|l| !l.trim().starts_with('#')).map(str::trim).collect::<Vec<_>>().join(" ");
        fs::write(&target, squashed).unwrap();
    }
    Defuse::new(["fmt", copy.to_str().unwrap()]).status(0);
    let strip = |json: &str| -> serde_json::Value {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
        value["script"]["source"] = serde_json::Value::Null;
        for node in value["nodes"].as_array_mut().unwrap() {
            node["source"] = serde_json::Value::Null;
        }
        value
    };
    for path in defuse_files("scripts").into_iter().filter(|p| !p.starts_with("scripts/lib")) {
        let formatted = copy.join(path.strip_prefix("scripts").unwrap());
        let before = Defuse::new(["build", path.to_str().unwrap(), "--emit", "json"]).status(0).stdout;
        let after = Defuse::new(["build", formatted.to_str().unwrap(), "--emit", "json"]).status(0).stdout;
        assert_eq!(strip(&after), strip(&before), "{}", path.display());
        // The examples are in the canonical layout: formatting the squashed text gives them
        // back, less the comment lines the squashing removed.
        let original: String = fs::read_to_string(&path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(fs::read_to_string(&formatted).unwrap(), original, "{}", path.display());
    }
}

#[test]
fn fmt_check_lists_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let messy = "script s { trigger t { customer \"hi\" -> t } }\n";
    let path = write(dir.path(), "messy.defuse", messy);
    let run = Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(1);
    insta::assert_snapshot!(run.stdout);
    assert_eq!(fs::read_to_string(&path).unwrap(), messy);
    Defuse::new(["fmt", "."]).dir(dir.path()).status(0);
    assert_ne!(fs::read_to_string(&path).unwrap(), messy);
    let run = Defuse::new(["fmt", "--check", "."]).dir(dir.path()).status(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn fmt_leaves_unparsable_files_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "script s {  trigger t { sya \"hi\" }\r\n";
    let path = write(dir.path(), "broken.defuse", broken);
    let run = Defuse::new(["fmt", "broken.defuse"]).dir(dir.path()).status(1);
    assert!(run.stderr.contains("did you mean `say`?") && run.stderr.contains("left unchanged"), "{}", run.stderr);
    assert_eq!(fs::read(&path).unwrap(), broken.as_bytes());
}

#[cfg(unix)]
#[test]
fn fmt_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "a.defuse", "script s { trigger t { -> t } }");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    Defuse::new(["fmt", "a.defuse"]).dir(dir.path()).status(0);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
}
