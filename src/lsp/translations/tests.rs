//! Translations in the editor on `$0` fixtures (as `lsp/tests.rs`), written to a temporary
//! project on disk: locale directories must exist for `check` to cover a locale. A file after
//! `//- /path` is on disk; after `//- buffer /path` it is an unsaved buffer only; the file with
//! the cursor is on disk and open.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::files::read::Disk;
use crate::lsp::position::LineIndex;

struct Fixture {
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: Config,
    open: BTreeMap<PathBuf, Document>,
    analysis: Analysis,
    /// The cursor's file and byte offset.
    path: PathBuf,
    offset: usize,
}

const SCRIPT: &str = r#"script refund "Refund" {
  vars amount
  trigger start {
    customer "Where is my refund?"
    -> hear
  }
  acknowledge hear {
    say "I'm sorry about the wait."
    ask "Is {amount} the amount?"
    -> done
  }
  close done {
    say "Thanks for calling."
    outcome resolved
  }
}
"#;

const SPANISH: &str = r#"msgid ""
msgstr ""
"Language: es\n"
"Content-Type: text/plain; charset=UTF-8\n"

#: refund.defuse:8
#, python-brace-format
msgctxt "refund.hear:say"
msgid "I'm sorry about the wait."
msgstr "Lamento la espera."

#: refund.defuse:9
#, fuzzy, python-brace-format
msgctxt "refund.hear:ask"
msgid "Is {amount} the amount?"
msgstr "¿Es {amount} el importe?"

#: refund.defuse:13
#, python-brace-format
msgctxt "refund.done:say"
msgid "Thanks for calling."
msgstr "Gracias por llamar, {nombre}."
"#;

fn fixture(text: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut open = BTreeMap::new();
    let mut cursor = None;
    for chunk in text.split("//- ").filter(|chunk| !chunk.is_empty()) {
        let (head, body) = chunk.split_once('\n').expect("a path line");
        let (buffer, relative) = match head.trim().strip_prefix("buffer ") {
            Some(relative) => (true, relative),
            None => (false, head.trim()),
        };
        let path = root.join(relative.trim_start_matches('/'));
        let body = match body.find("$0") {
            Some(at) => {
                cursor = Some((path.clone(), at));
                body.replacen("$0", "", 1)
            }
            None => body.to_owned(),
        };
        if !buffer {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &body).unwrap();
        }
        if buffer || cursor.as_ref().is_some_and(|(cursor, _)| *cursor == path) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let uri = Url::from_file_path(&path).unwrap();
            open.insert(path, Document { uri, version: 1, text: Arc::new(body) });
        }
    }
    let (path, offset) = cursor.expect("a `$0` cursor");
    let mut groups: Vec<_> = groups(&open).into_iter().collect();
    assert_eq!(groups.len(), 1, "one project");
    let (config_path, inputs) = groups.remove(0);
    let (config, error) = state::load_config(config_path.as_deref());
    assert_eq!(error, None);
    let analysis =
        Analysis::build_from(Disk, &open, inputs, config.clone(), None, &Default::default(), Default::default());
    Fixture { _dir: dir, root, config, open, analysis, path, offset }
}

fn project(script: &str, spanish: &str) -> String {
    format!("//- /defuse.toml\n[locales]\ntargets = [\"es\"]\n//- /refund.defuse\n{script}//- /locales/es/refund.po\n{spanish}")
}

impl Fixture {
    fn file(&self, relative: &str) -> FileId {
        self.analysis.file_of(&self.root.join(relative)).unwrap_or_else(|| panic!("{relative} is loaded"))
    }

    /// The LSP diagnostics published for `relative`: `line:col code message`, and each
    /// related location.
    fn published(&self, relative: &str) -> String {
        let found = crate::lsp::diagnostics::for_file(&self.analysis, self.file(relative), &self.open, Encoding::Utf16);
        let mut out = String::new();
        for diagnostic in found {
            let code = match diagnostic.code {
                Some(lsp_types::NumberOrString::String(code)) => code,
                _ => String::new(),
            };
            let start = diagnostic.range.start;
            out.push_str(&format!("{}:{} {code} {}\n", start.line + 1, start.character + 1, diagnostic.message));
            for related in diagnostic.related_information.into_iter().flatten() {
                let name = related.location.uri.path().rsplit('/').next().unwrap_or("").to_owned();
                out.push_str(&format!("  {name}:{} {}\n", related.location.range.start.line + 1, related.message));
            }
        }
        out
    }

    fn show(&self, (path, span): (PathBuf, Span)) -> String {
        let file = self.analysis.file_of(&path).unwrap();
        let text = self.analysis.text(file);
        let position = LineIndex::new(text, Encoding::Utf16).position(span.start());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        format!("{name}:{}:{} `{}`", position.line + 1, position.character + 1, &text[span.start()..span.end()])
    }

    fn definition(&self) -> Option<String> {
        let text = &self.open[&self.path].text;
        definition(text, self.offset, &self.root, Some(&self.analysis)).map(|found| self.show(found))
    }

    fn hover(&self) -> Option<String> {
        let file = self.analysis.file_of(&self.path).unwrap();
        hover(&self.analysis, file, self.offset, &self.root, &self.config).map(|(text, _)| text)
    }
}

#[test]
fn an_open_script_gets_the_diagnostics_of_each_target_locale_in_the_po_file() {
    let f = fixture(&project(&SCRIPT.replace("script refund", "script $0refund"), SPANISH));
    insta::assert_snapshot!(f.published("locales/es/refund.po"), @r"
        16:1 fuzzy-translation [es] the translation of the `ask` line of node `hear` is marked fuzzy
          refund.defuse:9 the source line
        22:1 placeholder-mismatch [es] the translation has `{nombre}`, which the source line does not (the `say` line of node `done`)
          refund.defuse:13 the source line
        ");
    insta::assert_snapshot!(f.published("refund.defuse"), @r"
        1:15 missing-translation [es] the title is not translated
        4:14 missing-translation [es] the `customer` line of node `start` is not translated
        12:9 no-follow-up close `done` (resolved) has no follow_up
        ");
}

#[test]
fn an_unsaved_po_buffer_is_what_is_checked() {
    let fixed = SPANISH.replace(", {nombre}.", ".");
    let text = format!(
        "{}//- buffer /locales/es/refund.po\n{fixed}",
        project(&SCRIPT.replace("say \"I'm", "say \"I$0'm"), SPANISH)
    );
    let f = fixture(&text);
    let found = f.published("locales/es/refund.po");
    assert!(!found.contains("placeholder-mismatch"), "{found}");
    assert!(found.contains("fuzzy-translation"), "{found}");
}

#[test]
fn an_open_po_alone_brings_in_the_script_it_references() {
    let f = fixture(
        &project(SCRIPT, "").replace("//- /locales/es/refund.po\n", &format!("//- /locales/es/refund.po\n$0{SPANISH}")),
    );
    assert!(f.analysis.file_of(&f.root.join("refund.defuse")).is_some());
    insta::assert_snapshot!(f.published("locales/es/refund.po"), @r"
        16:1 fuzzy-translation [es] the translation of the `ask` line of node `hear` is marked fuzzy
          refund.defuse:9 the source line
        22:1 placeholder-mismatch [es] the translation has `{nombre}`, which the source line does not (the `say` line of node `done`)
          refund.defuse:13 the source line
        ");
}

#[test]
fn a_po_that_does_not_parse_is_one_locale_file_diagnostic() {
    let f = fixture(&project(SCRIPT, "$0msgid \"unterminated\nmsgstr {{{\n\u{0}garbage"));
    insta::assert_snapshot!(f.published("locales/es/refund.po"), @r#"1:7 locale-file [es] `locales/es/refund.po` cannot be used: this string has no closing `"`"#);
}

#[test]
fn definition_from_a_reference_is_the_source_line() {
    let f = fixture(&project(SCRIPT, &SPANISH.replace("#: refund.defuse:9", "#: refund.def$0use:9")));
    insta::assert_snapshot!(f.definition().unwrap(), @r#"refund.defuse:9:5 `ask "Is {amount} the amount?"`"#);
    let g = fixture(&project(SCRIPT, &SPANISH.replace("#: refund.defuse:9", "#$0: refund.defuse:9")));
    assert_eq!(g.definition(), None, "on `#:` itself, not on a reference");
    let h = fixture(&project(SCRIPT, &SPANISH.replace("#: refund.defuse:9", "#: refund.defuse:99$0")));
    assert_eq!(h.definition(), None, "past the end of the script");
}

#[test]
fn definition_from_a_msgctxt_is_the_line_of_that_entry() {
    let f = fixture(&project(SCRIPT, &SPANISH.replace("msgctxt \"refund.hear:ask\"", "msgctxt \"refund.h$0ear:ask\"")));
    insta::assert_snapshot!(f.definition().unwrap(), @r#"refund.defuse:9:9 `"Is {amount} the amount?"`"#);
    // A PO that does not parse still leads to the node's first line of that kind.
    let broken = SPANISH.replace("msgctxt \"refund.done:say\"", "msgctxt \"refund.do$0ne:say\"") + "\nmsgid \"x";
    let g = fixture(&project(SCRIPT, &broken));
    insta::assert_snapshot!(g.definition().unwrap(), @r#"refund.defuse:13:9 `"Thanks for calling."`"#);
}

#[test]
fn hover_on_a_translatable_line_shows_each_target_locale() {
    let config = "//- /defuse.toml\n[locales]\ntargets = [\"es\", \"fr\", \"de\", \"es_MX\"]\n";
    let german = "msgctxt \"refund.hear:say\"\nmsgid \"I'm sorry about the wait.\"\nmsgstr \"\"\n";
    let text = project(&SCRIPT.replace("say \"I'm", "say \"I'$0m"), SPANISH)
        .replace("//- /defuse.toml\n[locales]\ntargets = [\"es\"]\n", config)
        + "//- /locales/de/refund.po\n"
        + german;
    insta::assert_snapshot!(fixture(&text).hover().unwrap(), @r"
        **Translations**

        - es: «Lamento la espera.» (translated)
        - fr: (missing)
        - de: (missing)
        - es_MX: «Lamento la espera.» (translated, from es)
        ");
    let on_fuzzy = project(&SCRIPT.replace("ask \"Is", "a$0sk \"Is"), SPANISH);
    insta::assert_snapshot!(fixture(&on_fuzzy).hover().unwrap(), @r"
        **Translations**

        - es: «¿Es {amount} el importe?» (fuzzy)
        ");
    let on_mismatch = project(&SCRIPT.replace("say \"Thanks", "say \"Tha$0nks"), SPANISH);
    insta::assert_snapshot!(fixture(&on_mismatch).hover().unwrap(), @r"
        **Translations**

        - es: «Gracias por llamar, {nombre}.» (placeholders differ)
        ");
    let unparsable = project(&SCRIPT.replace("say \"Thanks", "say \"Tha$0nks"), "msgid \"x");
    insta::assert_snapshot!(fixture(&unparsable).hover().unwrap(), @r"
        **Translations**

        - es: (missing: `locales/es/refund.po` does not parse)
        ");
    let off_lines = project(&SCRIPT.replace("outcome resolved", "outcome res$0olved"), SPANISH);
    assert_eq!(fixture(&off_lines).hover(), None);
}
