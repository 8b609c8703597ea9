//! Feature tests on text fixtures, in the style of rust-analyzer: a fixture holds one or more
//! files, each after a `//- /path` line, and `$0` marks the cursor. Results are rendered as
//! text and snapshotted with insta, so each snapshot reads as what the editor would show.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::position::{Encoding, LineIndex};
use super::state::{Analysis, Document};
use super::{complete, edit, navigate};
use crate::config::Config;
use crate::files::read::FileSource;
use crate::source::FileId;

/// No disk: every file of a fixture is an open buffer.
struct NoDisk;

impl FileSource for NoDisk {
    fn read(&self, path: &Path, _limit: u64) -> Result<Arc<String>, crate::files::read::ReadError> {
        Err(crate::files::read::ReadError::Source(format!("{} is not in the fixture", path.display())))
    }

    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} is not in the fixture", path.display())))
    }
}

struct Fixture {
    analysis: Analysis,
    /// The file with the cursor, and the cursor's byte offset.
    file: FileId,
    offset: usize,
}

fn fixture(text: &str) -> Fixture {
    fixture_with(text, Config::default())
}

fn fixture_with(text: &str, config: Config) -> Fixture {
    fixture_from(NoDisk, text, config)
}

/// A fixture whose files not open in it are read from `source`.
fn fixture_from(source: impl FileSource, text: &str, config: Config) -> Fixture {
    let text = if text.starts_with("//- ") { text.to_owned() } else { format!("//- /fixture/main.defuse\n{text}") };
    let mut open = BTreeMap::new();
    let mut cursor = None;
    for chunk in text.split("//- ").filter(|chunk| !chunk.is_empty()) {
        let (path, body) = chunk.split_once('\n').expect("a path line");
        let path = PathBuf::from(path.trim());
        let body = match body.find("$0") {
            Some(at) => {
                cursor = Some((path.clone(), at));
                body.replacen("$0", "", 1)
            }
            None => body.to_owned(),
        };
        let uri = lsp_types::Url::from_file_path(&path).expect("an absolute path");
        open.insert(path, Document { uri, version: 1, text: Arc::new(body) });
    }
    let (path, offset) = cursor.expect("a `$0` cursor in the fixture");
    let inputs = open.keys().cloned().collect();
    let analysis = Analysis::build_from(source, &open, inputs, config, None, &Default::default(), Default::default());
    let file = analysis.file_of(&path).expect("the cursor's file is loaded");
    Fixture { analysis, file, offset }
}

impl Fixture {
    fn show(&self, file: FileId, span: crate::source::Span) -> String {
        let position = LineIndex::new(self.analysis.text(file), Encoding::Utf16).position(span.start());
        let name = self.analysis.paths[file.index()].file_name().unwrap().to_string_lossy().into_owned();
        let text = &self.analysis.text(file)[span.start()..span.end()];
        format!("{name}:{}:{} `{text}`", position.line + 1, position.character + 1)
    }

    fn node(&self) -> crate::resolve::NodeKey {
        navigate::at(&self.analysis.project, self.file, self.offset)
            .and_then(|found| found.node(&self.analysis.project))
            .expect("the cursor is on a node's name")
    }

    fn completion(&self) -> String {
        let mut items =
            complete::complete(&self.analysis.project, self.file, self.analysis.text(self.file), self.offset);
        items.sort_by(|a, b| a.sort_text.as_ref().unwrap_or(&a.label).cmp(b.sort_text.as_ref().unwrap_or(&b.label)));
        items.iter().map(|item| format!("{} {}\n", item.label, item.detail.as_deref().unwrap_or(""))).collect()
    }
}

const LIBRARY: &str = r#"//- /fixture/lib.defuse
library closings {
  close thanks { say "Thanks." outcome resolved follow_up "2d" "check" }
  close handoff { transfer "supervisors" outcome escalated }
  trigger lib_start { -> thanks }
}
"#;

fn with_library(script: &str) -> String {
    format!("{LIBRARY}//- /fixture/main.defuse\n{script}")
}

const SCRIPT: &str = r#"use "lib.defuse"
script s {
  vars name
  trigger start { customer "Hi" -> hear }
  acknowledge hear { say "Sorry, {name}." -> restate }
  mirror restate { ask "Right?" reply "yes" -> probe otherwise -> restate }
  root-cause probe { ask "Why?" reply "x" -> pick }
  options pick { option "Refund" -> closings.thanks option "Boss" -> closings.handoff }
}
"#;

#[test]
fn definition_of_a_library_target_is_the_node_in_the_library() {
    let f = fixture(&with_library(&SCRIPT.replace("-> closings.handoff", "-> closings.hand$0off")));
    let key = f.node();
    insta::assert_snapshot!(f.show(key.file, f.analysis.project.node(key).name.span), @"lib.defuse:3:9 `handoff`");
}

#[test]
fn definition_from_the_library_prefix_is_the_node_too() {
    let f = fixture(&with_library(&SCRIPT.replace("-> closings.thanks", "-> clos$0ings.thanks")));
    let key = f.node();
    insta::assert_snapshot!(f.show(key.file, f.analysis.project.node(key).name.span), @"lib.defuse:2:9 `thanks`");
}

#[test]
fn references_are_every_edge_into_the_node_across_files() {
    let f = fixture(&with_library(SCRIPT).replace("close thanks", "close tha$0nks"));
    let found: Vec<String> = navigate::references(&f.analysis.project, f.node())
        .into_iter()
        .map(|(file, span)| f.show(file, span))
        .collect();
    insta::assert_snapshot!(found.join("\n"), @r"
    lib.defuse:4:26 `thanks`
    main.defuse:8:46 `thanks`
    ");
}

#[test]
fn rename_refusals_name_the_reason() {
    let f = fixture(&SCRIPT.replace("mirror restate", "mirror rest$0ate"));
    let project = &f.analysis.project;
    let refusals: Vec<String> = ["say", "probe", "2x", "", "ok-no", "restate", "fine_name"]
        .iter()
        .map(|name| format!("{name:?}: {:?}", navigate::rename_refusal(project, f.node(), name)))
        .collect();
    insta::assert_snapshot!(refusals.join("\n"), @r#"
    "say": Some("`say` is a reserved word and cannot be a node name")
    "probe": Some("script `s` already has a node named `probe`")
    "2x": Some("`2x` is not a valid node name: use letters, digits and `_`, not starting with a digit")
    "": Some("`` is not a valid node name: use letters, digits and `_`, not starting with a digit")
    "ok-no": Some("`ok-no` is not a valid node name: use letters, digits and `_`, not starting with a digit")
    "restate": None
    "fine_name": None
    "#);
}

#[test]
fn completion_after_an_arrow_lists_reachable_non_triggers_nearest_stage_first() {
    let f = fixture(&with_library(&SCRIPT.replace(r#"reply "x" -> pick"#, r#"reply "x" -> $0"#)));
    insta::assert_snapshot!(f.completion(), @r"
    probe root-cause
    pick options
    restate mirror
    closings.handoff close
    closings.thanks close
    hear acknowledge
    ");
}

#[test]
fn completion_after_an_arrow_in_a_parsed_node() {
    let f = fixture(&with_library(&SCRIPT.replace(r#"reply "x" -> pick"#, r#"reply "x" -> pick -> $0pick"#)));
    insta::assert_snapshot!(f.completion(), @r"
    probe root-cause
    pick options
    restate mirror
    closings.handoff close
    closings.thanks close
    hear acknowledge
    ");
}

#[test]
fn completion_of_statements_follows_the_stage() {
    let options = fixture(&SCRIPT.replace(r#"options pick { "#, r#"options pick { $0"#));
    let close = fixture(&with_library(SCRIPT).replace(r#"close handoff { "#, r#"close handoff { $0"#));
    // A second `follow_up`, like a second `outcome`, is `misplaced-statement`: not offered.
    let both = fixture(&with_library(SCRIPT).replace(r#"close thanks { "#, r#"close thanks { $0"#));
    assert!(
        !both.completion().contains("follow_up") && !both.completion().contains("outcome"),
        "{}",
        both.completion()
    );
    insta::assert_snapshot!(format!("options:\n{}close with an outcome:\n{}", options.completion(), close.completion()), @r"
    options:
    -> 
    ask 
    customer 
    hold 
    note 
    option 
    otherwise 
    reply 
    say 
    transfer 
    close with an outcome:
    ask 
    customer 
    follow_up 
    hold 
    note 
    say 
    transfer 
    ");
}

#[test]
fn completion_of_vars_and_outcomes() {
    let vars = fixture(&SCRIPT.replace("Sorry, {name}", "Sorry, {na$0"));
    let outcomes = fixture(&format!(
        "{}//- /fixture/main.defuse\nscript s {{ }}\n",
        LIBRARY.replace("outcome escalated", "outcome $0")
    ));
    insta::assert_snapshot!(format!("{}{}", vars.completion(), outcomes.completion()), @r"
    name var
    resolved 
    escalated 
    callback 
    ended 
    ");
}

/// Completion reads strings as the grammar does, not line by line: a placeholder on a later
/// line of a `"""` string gets the vars; the title and `meta` values (plain text) get none;
/// `->` inside a string or a comment is text, not an edge.
#[test]
fn completion_knows_where_strings_and_comments_are() {
    let triple = fixture(&SCRIPT.replace(r#"say "Sorry, {name}.""#, "say \"\"\"Sorry,\n  dear {na$0\"\"\""));
    assert_eq!(triple.completion(), "name var\n");
    let title = fixture(&SCRIPT.replace("script s {", "script s \"Hello {na$0\" {"));
    assert_eq!(title.completion(), "");
    let in_string = fixture(&SCRIPT.replace(r#"say "Sorry, {name}.""#, r#"say "go -> $0""#));
    assert_eq!(in_string.completion(), "");
    let in_comment =
        fixture(&SCRIPT.replace(r#"say "Sorry, {name}." -> restate"#, "say \"Sorry.\" # then -> $0\n -> restate"));
    assert_eq!(in_comment.completion(), "");
}

#[test]
fn completion_between_nodes_offers_stages() {
    let f = fixture(&SCRIPT.replace("  options pick", "  $0\n  options pick"));
    insta::assert_snapshot!(f.completion(), @r"
    acknowledge 
    close 
    meta 
    mirror 
    options 
    root-cause 
    trigger 
    vars 
    ");
}

#[test]
fn hover_reads_the_lines_from_the_conversation_model() {
    let f = fixture(&with_library(&SCRIPT.replace("acknowledge hear", "acknowledge he$0ar")));
    let g = fixture(&with_library(&SCRIPT.replace("-> closings.thanks", "-> closings.th$0anks")));
    insta::assert_snapshot!(format!("{}\n---\n{}", navigate::hover(&f.analysis.project, f.node(), &f.analysis.timing), navigate::hover(&g.analysis.project, g.node(), &g.analysis.timing)), @r"
    **acknowledge** `hear` · 1.2 s

    - say: Sorry, {name}.

    ---
    **close** `closings.thanks` · outcome `resolved` · 0.4 s

    - say: Thanks.
    ");
}

#[test]
fn hover_times_a_node_with_the_projects_timing() {
    // "Sorry, {name}." is 3 words: 1.2 s at the default 150 words a minute, 3.0 s at 60.
    let config = Config::parse("[timing]\nagent_wpm = 60\n", "defuse.toml").unwrap();
    let f = fixture_with(&with_library(&SCRIPT.replace("acknowledge hear", "acknowledge he$0ar")), config);
    let hover = navigate::hover(&f.analysis.project, f.node(), &f.analysis.timing);
    assert!(hover.starts_with("**acknowledge** `hear` · 3.0 s"), "{hover}");
}

#[test]
fn symbols_list_nodes_by_stage() {
    let f = fixture(
        &SCRIPT
            .replacen("use", "$0use", 1)
            .replace("  options pick", "  close done { }\n  mirror again { -> done }\n  options pick"),
    );
    let item = f.analysis.project.item(f.file).unwrap();
    let index = LineIndex::new(f.analysis.text(f.file), Encoding::Utf16);
    let symbol = navigate::symbols(item, |span| index.range(span));
    let children: Vec<String> = symbol
        .children
        .unwrap()
        .iter()
        .map(|child| {
            format!("{} {} line {}", child.detail.as_deref().unwrap(), child.name, child.selection_range.start.line + 1)
        })
        .collect();
    insta::assert_snapshot!(format!("{}\n{}", symbol.name, children.join("\n")), @r"
    s
    trigger start line 4
    acknowledge hear line 5
    mirror restate line 6
    mirror again line 9
    root-cause probe line 7
    options pick line 10
    close done line 8
    ");
}

#[test]
fn a_broken_node_keeps_the_others_navigable() {
    let broken = SCRIPT.replace(r#"root-cause probe { ask "Why?""#, r#"root-cause probe { ask "Why? reply"#);
    let f = fixture(&with_library(&broken.replace("-> closings.handoff", "-> closings.hand$0off")));
    assert!(
        f.analysis.diagnostics.iter().any(|d| d.code == crate::diagnostic::Code::Syntax),
        "the file does not parse"
    );
    let key = f.node();
    let names: Vec<&str> =
        f.analysis.project.item(f.file).unwrap().nodes.iter().map(|node| node.name.name.as_str()).collect();
    insta::assert_snapshot!(format!("{}\n{}", f.show(key.file, f.analysis.project.node(key).name.span), names.join(" ")), @r"
    lib.defuse:3:9 `handoff`
    start hear restate pick
    ");
}

#[test]
fn quick_fixes_replace_with_the_suggestion_and_add_vars() {
    let f =
        fixture(&SCRIPT.replacen("-> restate }", "-> restat$0 }", 1).replace("Sorry, {name}", "Sorry, {nam} {order}"));
    insta::assert_snapshot!(quick_fixes(&f), @r#"
    Replace with `{name}` (main.defuse:5:34 `{nam}` → "{name}")
    Add `nam` to `vars` (main.defuse:3:12 `` → " nam")
    Add `order` to `vars` (main.defuse:3:12 `` → " order")
    Replace with `restate` (main.defuse:5:53 `restat` → "restate")
    "#);
}

/// Each quick fix for the cursor's file: its title and its edits, as the editor would make them.
fn quick_fixes(f: &Fixture) -> String {
    let fixes: Vec<String> = f
        .analysis
        .diagnostics
        .iter()
        .flat_map(|diagnostic| edit::fixes(&f.analysis.project, f.file, diagnostic))
        .map(|fix| {
            let edits: Vec<String> =
                fix.edits.iter().map(|(span, text)| format!("{} → {text:?}", f.show(f.file, *span))).collect();
            format!("{} ({})", fix.title, edits.join(", "))
        })
        .collect();
    fixes.join("\n")
}

#[test]
fn a_target_fix_replaces_the_whole_target_prefix_included() {
    // The suggestions are written with their library prefix, so they replace the whole target,
    // not the node name after a prefix (that made `closings.closings.handoff`).
    let script = SCRIPT
        .replace("-> closings.handoff", "-> closing.handoff$0")
        .replace("-> closings.thanks", "-> other.thanks")
        .replace("-> pick", "-> closings.pick")
        .replace("-> restate }", "-> closings.handof }");
    let f = fixture(&with_library(&script));
    insta::assert_snapshot!(quick_fixes(&f), @r#"
    Replace with `closings.handoff` (main.defuse:5:46 `closings.handof` → "closings.handoff")
    Replace with `closings.handoff` (main.defuse:6:67 `closings.handof` → "closings.handoff")
    Replace with `pick` (main.defuse:7:46 `closings.pick` → "pick")
    Replace with `closings.thanks` (main.defuse:8:37 `other.thanks` → "closings.thanks")
    Replace with `closings` (main.defuse:8:67 `closing` → "closings")
    "#);
}

#[test]
fn a_suppression_with_a_typo_and_an_unquoted_reason_is_fixed_in_one_action() {
    let script = "script s {\n  trigger t { customer \"Hi\" -> c }\n  # defuse: allow hlod because it is slow$0\n  close c { say \"Bye.\" hold \"x\" }\n}\n";
    let f = fixture(script);
    insta::assert_snapshot!(quick_fixes(&f), @r#"Replace with `hold`, `"because it is slow"` (main.defuse:3:19 `hlod` → "hold", main.defuse:3:24 `because it is slow` → "\"because it is slow\"")"#);
}

#[test]
fn a_use_path_that_misses_by_a_directory_is_fixed() {
    // The nearby search looks at the disk, so the library is a real file.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::create_dir_all(root.join("scripts")).unwrap();
    std::fs::write(root.join("lib/closings.defuse"), "library closings {\n  close done { say \"Bye.\" }\n}\n").unwrap();
    std::fs::write(root.join("defuse.toml"), "").unwrap();
    let mut config = Config::default();
    config.path = Some(root.join("defuse.toml"));
    let script = "use \"lib/closings.defuse\"$0\nscript u \"U\" {\n  trigger t { say \"Hi.\" -> closings.done }\n}\n";
    let f =
        fixture_from(crate::files::read::Disk, &format!("//- {}/scripts/u.defuse\n{script}", root.display()), config);
    let helps: Vec<&str> = f.analysis.diagnostics.iter().filter_map(|d| d.help.as_deref()).collect();
    assert_eq!(helps, ["did you mean `use \"../lib/closings.defuse\"`? (the path is relative to this file)"]);
    insta::assert_snapshot!(quick_fixes(&f), @r#"Replace with `"../lib/closings.defuse"` (u.defuse:1:5 `"lib/closings.defuse"` → "\"../lib/closings.defuse\"")"#);
}

/// A language server's messages must not depend on the directory the editor started it in:
/// the project root is named whole, not relative to the server's working directory.
#[test]
fn the_project_root_is_named_whole() {
    // Inside the directory the tests run in, where a relative name would be `project`.
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/project"));
    let mut config = Config::default();
    config.path = Some(root.join("defuse.toml"));
    let script = "use \"../outside.defuse\"$0\nscript u \"U\" {\n  trigger t { say \"Hi.\" -> done }\n  close done { say \"Bye.\" }\n}\n";
    let f = fixture_from(NoDisk, &format!("//- {}/u.defuse\n{script}", root.display()), config);
    let expected = format!("`../outside.defuse` is outside the project root `{}`", root.display());
    let messages: Vec<&str> = f.analysis.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&expected.as_str()), "{messages:?}");
}

#[test]
fn a_script_without_vars_gets_a_vars_line() {
    let f = fixture("script s \"Title\" {\n  trigger t { say \"{who}$0\" }\n}\n");
    let fixes: Vec<String> = f
        .analysis
        .diagnostics
        .iter()
        .flat_map(|diagnostic| edit::fixes(&f.analysis.project, f.file, diagnostic))
        .map(|fix| format!("{}: {:?}", fix.title, fix.edits))
        .collect();
    insta::assert_snapshot!(fixes.join("\n"), @r#"Add `who` to `vars`: [(Span { start: 18, end: 18 }, "\n  vars who")]"#);
}

#[test]
fn formatting_skips_text_that_does_not_parse() {
    assert_eq!(
        edit::format("library l { close a { outcome ended } }").as_deref(),
        Some("library l {\n  close a {\n    outcome ended\n  }\n}\n")
    );
    assert_eq!(edit::format("library l { close a { outcome } }"), None);
    assert_eq!(edit::format("library say { }"), None, "a reserved name parses but is an error");
}

#[test]
fn recovery_finds_the_same_nodes_as_the_parser_in_every_fixture_that_parses() {
    let mut compared = 0;
    for entry in walk_defuse(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))) {
        let text = std::fs::read_to_string(&entry).unwrap();
        let Some(parsed) = crate::syntax::parse(FileId::from_index(0), &text).ast else { continue };
        let recovered = crate::syntax::parse_recovering(&text).expect("a file that parses has a head");
        assert_eq!(recovered.item.nodes, parsed.item.nodes, "{}", entry.display());
        assert_eq!(recovered.uses, parsed.uses, "{}", entry.display());
        compared += 1;
    }
    assert!(compared > 20, "only {compared} fixtures compared");
}

fn walk_defuse(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk_defuse(&path));
        } else if path.extension().is_some_and(|ext| ext == "defuse") {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn recovery_leaves_out_only_the_broken_node() {
    let text = "script s {\n  trigger a { -> b }\n  mirror b { say \"unclosed\n  -> }\n  close c { say \"x{\" }\n}\n";
    let recovered = crate::syntax::parse_recovering(text).unwrap();
    let names: Vec<&str> = recovered.item.nodes.iter().map(|node| node.name.name.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(
        &text[recovered.item.nodes[1].span.start()..recovered.item.nodes[1].span.end()],
        "close c { say \"x{\" }"
    );
    assert!(crate::syntax::parse_recovering("scrip s { trigger a { } }").is_none(), "no head, no recovery");
}

#[test]
fn completion_of_targets_keeps_the_names_holding_what_was_typed() {
    let f = fixture(&with_library(&SCRIPT.replace(r#"reply "x" -> pick"#, r#"reply "x" -> pick -> clth$0"#)));
    insta::assert_snapshot!(f.completion(), @"closings.thanks close");
}

/// A script and a library both past the size from which files are parsed node by node (the
/// only path that reuses nodes): `count` nodes each.
fn large_project(count: usize) -> BTreeMap<PathBuf, String> {
    let mut library = String::from("library big {\n");
    for i in 0..count {
        library.push_str(&format!(
            "  mirror m{i} {{\n    ask \"Library question {i}: is that what happened, {{name}}?\"\n    -> c{i}\n  }}\n"
        ));
        library.push_str(&format!("  close c{i} {{\n    say \"Thank you, library close {i}.\"\n  }}\n"));
    }
    library.push_str("}\n");
    let mut script =
        String::from("use \"big.defuse\"\nscript s {\n  vars name\n  trigger start { customer \"Hi\" -> n0 }\n");
    for i in 0..count {
        let next = if i + 1 < count { format!("n{}", i + 1) } else { "big.m0".to_owned() };
        script.push_str(&format!(
            "  acknowledge n{i} {{\n    say \"I hear you, {{name}}: step {i} of the call.\"\n    reply \"ok\" -> {next}\n    otherwise -> big.c{i}\n  }}\n"
        ));
    }
    script.push_str("}\n");
    assert!(library.len() > 64 * 1024 && script.len() > 64 * 1024, "both files are parsed piecewise");
    BTreeMap::from([(PathBuf::from("/fixture/big.defuse"), library), (PathBuf::from("/fixture/main.defuse"), script)])
}

/// The analysis of `files`, taking the nodes of `previous` (as the server does, which leaves
/// them without nodes) and the check's memo of the first of them.
fn analyse(files: &BTreeMap<PathBuf, String>, previous: &mut [Analysis]) -> Analysis {
    let open: BTreeMap<PathBuf, Document> = files
        .iter()
        .map(|(path, text)| {
            let uri = lsp_types::Url::from_file_path(path).unwrap();
            (path.clone(), Document { uri, version: 1, text: Arc::new(text.clone()) })
        })
        .collect();
    let memo = previous.first_mut().map(|analysis| std::mem::take(&mut analysis.memo)).unwrap_or_default();
    let previous = super::state::Reusable::taking(previous);
    Analysis::build_from(NoDisk, &open, open.keys().cloned().collect(), Config::default(), None, &previous, memo)
}

fn assert_same_analysis(reusing: &Analysis, fresh: &Analysis, edit: &str) {
    assert_eq!(reusing.paths, fresh.paths, "{edit}");
    for file in fresh.project.files() {
        assert_eq!(reusing.project.module(file).ast, fresh.project.module(file).ast, "{edit}: AST of file {file:?}");
    }
    assert_eq!(reusing.project.diagnostics, fresh.project.diagnostics, "{edit}: load diagnostics");
    assert_eq!(reusing.diagnostics, fresh.diagnostics, "{edit}: check diagnostics");
    assert_eq!(reusing.recovered, fresh.recovered, "{edit}");
}

#[test]
fn an_analysis_reusing_the_previous_nodes_equals_a_fresh_one_after_every_edit() {
    let script = PathBuf::from("/fixture/main.defuse");
    let library = PathBuf::from("/fixture/big.defuse");
    type Edit = (&'static str, PathBuf, fn(&str) -> String);
    let edits: Vec<Edit> = vec![
        ("a letter added before most nodes", script.clone(), |t| t.replacen("step 3 of", "step 3x of", 1)),
        ("the letter removed again", script.clone(), |t| t.replacen("step 3x of", "step 3 of", 1)),
        ("a node removed", script.clone(), |t| t.replacen("-> n5\n", "-> n6\n", 1)),
        ("a bad escape", script.clone(), |t| t.replacen("step 7 of", "step 7 \\q of", 1)),
        ("a text edit after the bad escape", script.clone(), |t| t.replacen("step 9 of", "step 9! of", 1)),
        ("the bad escape fixed", script.clone(), |t| t.replacen("step 7 \\q of", "step 7 of", 1)),
        ("a reserved word as a name", script.clone(), |t| t.replace("n20", "say")),
        ("the name restored", script.clone(), |t| t.replace("say {", "n20 {").replace("-> say\n", "-> n20\n")),
        ("a node broken mid-typing", script.clone(), |t| t.replacen("reply \"ok\" -> n31", "reply \"ok -> n31", 1)),
        ("another edit while broken", script.clone(), |t| t.replacen("step 40 of", "step 40? of", 1)),
        ("the node mended", script.clone(), |t| t.replacen("reply \"ok -> n31", "reply \"ok\" -> n31", 1)),
        ("a library node the script targets renamed", library.clone(), |t| {
            t.replacen("close c12 {", "close c12b {", 1)
        }),
        ("a library node moved by an edit before it", library.clone(), |t| {
            t.replacen("question 0:", "question zero:", 1)
        }),
        ("a node duplicated", script.clone(), |t| {
            let at = t.find("  acknowledge n50 {").unwrap();
            let end = at + t[at..].find("  }\n").unwrap() + 4;
            format!("{}{}", &t[..end], &t[at..])
        }),
    ];
    let mut files = large_project(600);
    let mut previous = vec![analyse(&files, &mut [])];
    for (edit, path, change) in edits {
        let changed = change(&files[&path]);
        assert_ne!(changed, files[&path], "{edit}: the edit applies");
        files.insert(path, changed);
        let fresh = analyse(&files, &mut []);
        let reusing = analyse(&files, &mut previous);
        assert_same_analysis(&reusing, &fresh, edit);
        previous = vec![reusing];
    }
    let script_file = previous[0].file_of(&script).unwrap();
    let unknown: Vec<&str> =
        previous[0].diagnostics.iter().filter(|d| d.file() == script_file).map(|d| d.code.as_str()).collect();
    assert!(unknown.contains(&"unknown-target"), "the library edit reaches the script: {unknown:?}");
}

#[test]
fn only_nodes_without_syntax_errors_are_reused_and_they_move_with_their_text() {
    let mut files = large_project(600);
    let script = PathBuf::from("/fixture/main.defuse");
    let text = files[&script].replacen("step 7 of", "step 7 \\q of", 1);
    files.insert(script.clone(), text.clone());
    let analysis = analyse(&files, &mut []);
    let previous = [analysis];
    let reusable = super::state::Reusable::new(&previous);
    let node_text = |name: &str| {
        let at = text.find(&format!("  acknowledge {name} {{")).unwrap() + 2;
        &text[at..at + text[at..].find("\n  }\n").unwrap() + 4]
    };
    let clean = node_text("n8");
    let moved = reusable.node(clean, 10).expect("a clean node is reused");
    let parsed = crate::syntax::parse(FileId::from_index(0), &format!("{}{clean} }}", "script s {"))
        .ast
        .unwrap()
        .item
        .nodes
        .remove(0);
    assert_eq!(moved, parsed, "the reused node is the parse of its text at its new offset");
    assert!(reusable.node(node_text("n7"), 10).is_none(), "a node with a bad escape is parsed again");
}

#[test]
fn completion_filters_by_the_typed_name_before_capping_the_list() {
    let nodes: String = (0..300).map(|i| format!("  mirror m{i} {{ say \"x\" -> m0 }}\n")).collect();
    let script = format!("script s {{\n  trigger t {{ -> m0 }}\n{nodes}  close end {{ say \"bye\" -> $0 }}\n}}\n");
    let all = fixture(&script);
    let items = complete::complete(&all.analysis.project, all.file, all.analysis.text(all.file), all.offset);
    assert_eq!(items.len(), complete::MAX_TARGETS + 1, "one past the cap tells the list is cut");
    let typed = fixture(&script.replace("-> $0", "-> m29$0"));
    let items = complete::complete(&typed.analysis.project, typed.file, typed.analysis.text(typed.file), typed.offset);
    let labels: Vec<&str> = items.iter().map(|item| item.label.as_str()).collect();
    // The names holding `m`, `2`, `9` in order; `m299` sorts past the cap of the whole list.
    assert_eq!(
        labels,
        [
            "m129", "m209", "m219", "m229", "m239", "m249", "m259", "m269", "m279", "m289", "m29", "m290", "m291",
            "m292", "m293", "m294", "m295", "m296", "m297", "m298", "m299"
        ]
    );
}

#[test]
fn completion_inside_a_half_typed_node_offers_that_node_itself() {
    // `otherwise -> restate` asks again: a node may be its own target. The node being typed
    // does not parse, so it is not among the parsed nodes; its name is read from the text.
    let typing = SCRIPT.replace(r#"otherwise -> restate }"#, r#"otherwise -> $0"#);
    let f = fixture(&with_library(&typing));
    insta::assert_snapshot!(f.completion(), @r"
    restate mirror
    probe root-cause
    hear acknowledge
    pick options
    closings.handoff close
    closings.thanks close
    ");
    let typed = fixture(&with_library(&typing.replace("-> $0", "-> rest$0")));
    insta::assert_snapshot!(typed.completion(), @"restate mirror");
}

/// What the server writes when `messages` are all waiting before it starts: each message
/// written, as `lsp-server` reads them back, and the exit status.
fn serve_queued(messages: Vec<serde_json::Value>) -> (Vec<lsp_server::Message>, u8) {
    use super::transport::{Connection, FrameReader, Incoming};
    let (incoming, receiver) = std::sync::mpsc::channel();
    for message in messages {
        let message = serde_json::from_value(message).expect("a message");
        incoming.send(Incoming::Message(message)).expect("the receiver is here");
    }
    drop(incoming);
    let (sender, written) = std::sync::mpsc::channel();
    let status = super::serve(&Connection::new(receiver, sender));
    let bytes: Vec<u8> = written.try_iter().flatten().collect();
    let mut reader = FrameReader::new(&bytes[..]);
    let mut found = Vec::new();
    while let Some(Incoming::Message(message)) = reader.next().expect("reading a slice") {
        found.push(message);
    }
    (found, status)
}

#[test]
fn a_burst_of_queued_edits_is_analysed_once() {
    let dir = tempfile::tempdir().unwrap();
    let uri = lsp_types::Url::from_file_path(dir.path().join("s.defuse")).unwrap();
    let text = |target: &str| {
        format!("script s {{\n  trigger t {{ -> a }}\n  close a {{ say \"bye\" }}\n  close {target} {{ }}\n}}\n")
    };
    let mut messages = vec![
        serde_json::json!({"id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        serde_json::json!({"method": "initialized", "params": {}}),
        serde_json::json!({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "defuse", "version": 1, "text": text("b")}}}),
    ];
    for version in 2..=100 {
        messages.push(serde_json::json!({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text(&format!("b{version}"))}]}}));
    }
    messages.push(
        serde_json::json!({"id": 2, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}}),
    );
    messages.push(serde_json::json!({"id": 3, "method": "shutdown"}));
    messages.push(serde_json::json!({"method": "exit"}));
    let (written, status) = serve_queued(messages);
    let published: Vec<i64> = written
        .iter()
        .filter_map(|message| match message {
            lsp_server::Message::Notification(n) if n.method == "textDocument/publishDiagnostics" => {
                n.params["version"].as_i64()
            }
            _ => None,
        })
        .collect();
    assert_eq!(published, [100], "one analysis, of the last version, for 100 queued edits");
    let answered: Vec<String> = written
        .iter()
        .filter_map(|message| match message {
            lsp_server::Message::Response(response) => Some(response.id.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(answered, ["1", "2", "3"]);
    assert_eq!(status, 0);
}
