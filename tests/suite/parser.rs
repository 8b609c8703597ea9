//! Parser tests: every construct of the syntax lowers to the AST with the right spans.

use defuse::source::FileId;
use defuse::syntax::ast::{ItemKind, Outcome, Stage, StmtKind};
use defuse::syntax::parse;

const EVERYTHING: &str = r#"# a comment
use "lib/closings.defuse"   # trailing comment
use "other.defuse"
script refund "Refund has not arrived" {
  meta { owner "billing-team" tags "billing" "refund" }
  vars customer_name return_date
  meta { reviewed "2026-11-01" }
  trigger where_is_refund {
    customer "Where is my refund?"
    -> hear_them
  }
  acknowledge hear_them { say "I'm sorry, {customer_name}." -> restate }
  mirror restate {
    ask """You sent it on {return_date}.
Is that "right"?"""
    reply "yes" -> find_cause
    otherwise -> clarify
  }
  root-cause find_cause { note "check \"email\"\t\\ \{x\}" hold "one moment" transfer "billing" -> offer }
  options offer {
    option "Refund" -> closings.thanks
    option "Credit" -> done
  }
  close done { outcome callback follow_up "48h" "Call back" }
}
"#;

#[test]
fn every_construct_lowers() {
    let parsed = parse(FileId::from_index(0), EVERYTHING);
    assert!(parsed.diagnostics.is_empty());
    let file = parsed.ast.expect("parses");
    assert_eq!(
        file.uses.iter().map(|u| u.path.value.as_str()).collect::<Vec<_>>(),
        ["lib/closings.defuse", "other.defuse"]
    );
    let item = &file.item;
    assert_eq!(item.kind, ItemKind::Script);
    assert_eq!(item.name.name, "refund");
    assert_eq!(item.title.as_ref().unwrap().value, "Refund has not arrived");
    let meta: Vec<(&str, Vec<&str>)> =
        item.meta.iter().map(|m| (m.key.name.as_str(), m.values.iter().map(|v| v.value.as_str()).collect())).collect();
    assert_eq!(
        meta,
        [("owner", vec!["billing-team"]), ("tags", vec!["billing", "refund"]), ("reviewed", vec!["2026-11-01"])]
    );
    assert_eq!(item.vars.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["customer_name", "return_date"]);
    let stages: Vec<Stage> = item.nodes.iter().map(|n| n.stage).collect();
    assert_eq!(stages, Stage::ALL);

    let restate = &item.nodes[2];
    let StmtKind::Ask(question) = &restate.stmts[0].kind else { panic!("ask") };
    assert_eq!(question.value, "You sent it on {return_date}.\nIs that \"right\"?");
    assert!(question.triple);
    assert_eq!(question.placeholders[0].name, "return_date");
    assert_eq!(
        &EVERYTHING[question.placeholders[0].span.start()..question.placeholders[0].span.end()],
        "{return_date}"
    );
    assert!(
        matches!(&restate.stmts[1].kind, StmtKind::Reply(label, target) if label.value == "yes" && target.node.name == "find_cause")
    );
    assert!(matches!(&restate.stmts[2].kind, StmtKind::Otherwise(target) if target.node.name == "clarify"));

    let cause = &item.nodes[3];
    assert!(
        matches!(&cause.stmts[0].kind, StmtKind::Note(s) if s.value == "check \"email\"\t\\ {x}" && s.placeholders.is_empty())
    );
    assert!(matches!(&cause.stmts[1].kind, StmtKind::Hold(s) if s.value == "one moment"));
    assert!(matches!(&cause.stmts[2].kind, StmtKind::Transfer(s) if s.value == "billing"));
    assert!(matches!(&cause.stmts[3].kind, StmtKind::Goto(t) if t.node.name == "offer" && t.library.is_none()));

    let offer = &item.nodes[4];
    let StmtKind::Option(label, target) = &offer.stmts[0].kind else { panic!("option") };
    assert_eq!((label.value.as_str(), target.display().as_str()), ("Refund", "closings.thanks"));
    assert_eq!(&EVERYTHING[target.span.start()..target.span.end()], "closings.thanks");

    let done = &item.nodes[5];
    assert_eq!(done.outcome(), Outcome::Callback);
    let (after, note) = done.follow_up().unwrap();
    assert_eq!((after.value.as_str(), note.value.as_str()), ("48h", "Call back"));
    assert_eq!(&EVERYTHING[done.name.span.start()..done.name.span.end()], "done");
}

#[test]
fn libraries_parse() {
    let file = parse(FileId::from_index(0), "library closings { close thanks { say \"Thanks\" } }").ast.unwrap();
    assert_eq!(file.item.kind, ItemKind::Library);
    assert_eq!(file.item.nodes[0].outcome(), Outcome::Resolved);
}

#[test]
fn keywords_need_a_word_boundary() {
    // `closed`, `options_menu` and `say_hi` are names, not keywords followed by letters.
    let file = parse(
        FileId::from_index(0),
        "script s { trigger closed { -> options_menu } options options_menu { option \"a\" -> say_hi } }",
    );
    assert!(file.diagnostics.is_empty());
    let item = file.ast.unwrap().item;
    assert_eq!(item.nodes[0].name.name, "closed");
}

#[test]
fn outcome_names_are_not_reserved() {
    let file = parse(
        FileId::from_index(0),
        "script resolved { trigger ended { -> callback } close callback { outcome escalated } }",
    );
    assert!(file.ast.is_some() && file.diagnostics.is_empty());
}

#[test]
fn bom_crlf_and_tabs_are_whitespace() {
    let text = "\u{feff}script s {\r\n\ttrigger t {\r\n\t\t-> t\r\n\t}\r\n}\r\n";
    let parsed = parse(FileId::from_index(0), text);
    let item = parsed.ast.expect("parses").item;
    assert_eq!(&text[item.nodes[0].name.span.start()..item.nodes[0].name.span.end()], "t");
}

#[test]
fn deeply_nested_braces_fail_fast_without_overflow() {
    let text = format!("script s {{ {} }}", "{".repeat(100_000));
    let parsed = parse(FileId::from_index(0), &text);
    assert!(parsed.ast.is_none());
    assert_eq!(parsed.diagnostics[0].code, "syntax");
}

#[test]
fn vars_stop_before_a_root_cause_node() {
    // `root` alone is a valid name; `vars` must still end where `root-cause` starts.
    let parsed = parse(FileId::from_index(0), "script s { vars name root_x trigger t { -> r } root-cause r { -> t } }");
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let item = parsed.ast.unwrap().item;
    assert_eq!(item.vars.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["name", "root_x"]);
    let parsed = parse(FileId::from_index(0), "script s { vars name root-cause r { -> r } }");
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}

/// The incremental parse (head, nodes, tail) and the whole-file parse agree on every
/// example and fixture: same AST, same spans, same diagnostics.
#[test]
fn incremental_parse_matches_the_whole_file_parse() {
    let mut stack = vec![std::path::PathBuf::from("scripts"), std::path::PathBuf::from("tests/fixtures")];
    let mut compared = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "defuse") {
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
                let (pieces, whole) = (
                    defuse::syntax::parse_piecewise(FileId::from_index(0), &text),
                    defuse::syntax::parse_whole(FileId::from_index(0), &text),
                );
                assert_eq!(format!("{:?}", pieces.ast), format!("{:?}", whole.ast), "{}", path.display());
                assert_eq!(pieces.diagnostics, whole.diagnostics, "{}", path.display());
                compared += 1;
            }
        }
    }
    assert!(compared > 50, "{compared}");
}
