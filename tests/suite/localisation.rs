//! Every command in a locale (contract section 12, "Every command takes a locale"), on a script
//! with hand-written Spanish (complete) and French (one option left untranslated)
//! translations: `tests/fixtures/translated/refund`.

use crate::support::{project, Defuse};

const FIXTURE: &str = "tests/fixtures/translated/refund";

/// Small scripts here go straight from trigger to close.
const QUIET_RULES: &str = "[rules]\nskip-acknowledge = \"allow\"\nskip-mirror = \"allow\"\n";

#[test]
fn check_covers_every_target_locale_with_a_directory_and_names_the_locale() {
    let run = Defuse::new(["check", FIXTURE, "--format", "json"]).status(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let codes: Vec<(&str, &str)> =
        diagnostics.iter().map(|d| (d["code"].as_str().unwrap(), d["locale"].as_str().unwrap_or("source"))).collect();
    assert!(codes.contains(&("missing-translation", "fr")), "{codes:?}");
    assert!(!codes.iter().any(|(_, locale)| *locale == "es"), "Spanish is complete: {codes:?}");
    let missing = diagnostics.iter().find(|d| d["code"] == "missing-translation").unwrap();
    assert_eq!(
        missing["message"], "the `option` line of node `offer` is not translated",
        "JSON keeps the locale apart"
    );

    let human = Defuse::new(["check", FIXTURE]).status(0);
    assert!(human.stdout.contains("[fr] the `option` line of node `offer` is not translated"), "{}", human.stdout);
    let github = Defuse::new(["check", FIXTURE, "--format", "github"]).status(0);
    assert!(github.stdout.contains("[fr] the `option` line"), "{}", github.stdout);
}

#[test]
fn locale_none_and_one_locale_limit_what_check_covers() {
    let none = Defuse::new(["check", FIXTURE, "--locale", "none", "--format", "json"]).status(0);
    assert!(!none.stdout.contains("\"locale\""), "{}", none.stdout);
    let es = Defuse::new(["check", FIXTURE, "--locale", "es", "--format", "json"]).status(0);
    assert!(!es.stdout.contains("\"fr\""), "{}", es.stdout);
    let bad = Defuse::new(["check", FIXTURE, "--locale", "español"]).status(2);
    assert!(bad.stderr.contains("`español` is not a locale"), "{}", bad.stderr);
    let mixed = Defuse::new(["check", FIXTURE, "--locale", "none", "--locale", "es"]).status(2);
    assert!(mixed.stderr.contains("cannot be combined"), "{}", mixed.stderr);
}

/// Contract section 12: `missing-translation` for "a translatable line [with] no PO file for
/// the locale; label at the source line": each line, as with an empty file.
#[test]
fn a_locale_without_a_po_file_is_a_warning_per_line() {
    let dir = project(&[
        ("defuse.toml", format!("{QUIET_RULES}[locales]\ntargets = [\"de\"]\n").as_str()),
        ("s.defuse", "script s {\n  trigger t {\n    customer \"Hi\"\n    -> c\n  }\n  close c {\n    say \"Bye\"\n    outcome resolved\n    follow_up \"1d\" \"Call back\"\n  }\n}\n"),
        ("locales/de/.keep", ""),
    ]);
    let run = Defuse::new(["check", ".", "--format", "json"]).dir(dir.path()).status(0);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let missing: Vec<&serde_json::Value> =
        report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "missing-translation").collect();
    // `customer "Hi"`, `say "Bye"` and the follow-up's note (its delay is no text to translate).
    let lines: Vec<u64> = missing.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 7, 9], "{}", run.stdout);
    let human = Defuse::new(["check", "."]).dir(dir.path()).status(0);
    assert!(human.stdout.contains("no `locales/de/s.po` yet"), "{}", human.stdout);
    // Without the directory, the target is not checked yet.
    std::fs::remove_dir_all(dir.path().join("locales")).unwrap();
    let run = Defuse::new(["check", ".", "--format", "json"]).dir(dir.path()).status(0);
    assert!(!run.stdout.contains("missing-translation"), "{}", run.stdout);
}

#[test]
fn build_emits_the_locales_text() {
    let run = Defuse::new(["build", &format!("{FIXTURE}/refund.defuse"), "--emit", "json", "--locale", "es"]).status(0);
    let flow: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(flow["script"]["locale"], "es");
    assert_eq!(flow["script"]["title"], "Reembolso no recibido");
    insta::assert_snapshot!(run.stdout);
    let source = Defuse::new(["build", &format!("{FIXTURE}/refund.defuse"), "--emit", "json"]).status(0);
    assert!(!source.stdout.contains("\"locale\""), "the source flow is unchanged");

    let mermaid =
        Defuse::new(["build", &format!("{FIXTURE}/refund.defuse"), "--emit", "mermaid", "--locale", "fr"]).status(0);
    assert!(mermaid.stdout.contains("Rembourser maintenant"), "{}", mermaid.stdout);
    assert!(mermaid.stdout.contains("Store credit"), "the untranslated option falls back: {}", mermaid.stdout);
    assert!(mermaid.stderr.contains("[fr] the `option` line of node `offer` is not translated"), "{}", mermaid.stderr);
}

#[test]
fn build_with_several_locales_writes_one_file_each() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let script = format!("{FIXTURE}/refund.defuse");
    Defuse::new(["build", &script, "--emit", "dot", "--locale", "es", "--locale", "fr", "--out-dir", dir]).status(0);
    let es = std::fs::read_to_string(out.path().join("refund.es.dot")).unwrap();
    let fr = std::fs::read_to_string(out.path().join("refund.fr.dot")).unwrap();
    assert!(es.contains("Saldo") && fr.contains("Rembourser"), "{es}\n{fr}");
    let refused = Defuse::new(["build", &script, "--emit", "dot", "--locale", "es", "--locale", "fr"]).status(2);
    assert!(refused.stderr.contains("--out-dir"), "{}", refused.stderr);
}

#[test]
fn a_broken_translation_stops_the_build_and_writes_nothing() {
    let dir = project(&[
        ("defuse.toml", format!("{QUIET_RULES}[locales]\ntargets = [\"es\"]\n").as_str()),
        ("s.defuse", "script s {\n  vars amount\n  trigger t {\n    customer \"Hi\"\n    -> c\n  }\n  close c {\n    say \"You get {amount}\"\n    outcome resolved\n    follow_up \"1d\" \"Call back\"\n  }\n}\n"),
        ("locales/es/s.po", "#, python-brace-format\nmsgctxt \"s.c:say\"\nmsgid \"You get {amount}\"\nmsgstr \"Recibe {monto}\"\n"),
    ]);
    let run = Defuse::new(["build", "s.defuse", "--emit", "json", "--locale", "es", "-o", "out.json"])
        .dir(dir.path())
        .status(1);
    assert!(run.stderr.contains("placeholder-mismatch"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn paths_and_play_speak_the_locale() {
    let paths = Defuse::new(["paths", &format!("{FIXTURE}/refund.defuse"), "--locale", "es"]).status(0);
    insta::assert_snapshot!("paths_es", paths.stdout);
    let play = Defuse::new(["play", &format!("{FIXTURE}/refund.defuse"), "--locale", "es", "--var", "amount=20 €"])
        .stdin("1\n1\n")
        .status(0);
    insta::assert_snapshot!("play_es", play.stdout);
}

#[test]
fn transcript_tests_run_in_a_locale() {
    // `walk.dtest` is written in English, `camino.dtest` in Spanish (`locale "es"`).
    let es = Defuse::new(["test", FIXTURE, "--locale", "es"]).status(0);
    assert!(es.stdout.contains("3 tests: 3 passed"), "{}", es.stdout);
    let fr = Defuse::new(["test", FIXTURE, "--locale", "fr"]).status(1);
    assert!(fr.stdout.contains("the walk passes `offer`, which has a line not translated into fr"), "{}", fr.stdout);
    assert!(fr.stdout.contains("ok     reembolso"), "a file with `locale \"es\"` runs in Spanish: {}", fr.stdout);
    insta::assert_snapshot!("test_fr", fr.stdout);
    Defuse::new(["fmt", "--check", &format!("{FIXTURE}/camino.dtest")]).status(0);
}

#[test]
fn a_translation_file_outside_the_project_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.po"), "msgid \"x\"\nmsgstr \"SECRET-VALUE\"\n").unwrap();
    let dir = project(&[
        ("defuse.toml", format!("{QUIET_RULES}[locales]\ntargets = [\"es\"]\n").as_str()),
        ("s.defuse", "script s {\n  trigger t {\n    customer \"Hi\"\n    -> c\n  }\n  close c {\n    say \"Bye\"\n    outcome resolved\n    follow_up \"1d\" \"Call back\"\n  }\n}\n"),
        ("locales/es/.keep", ""),
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.po"), dir.path().join("locales/es/s.po")).unwrap();
    let run = Defuse::new(["check", "."]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("leads outside the project"), "{}", run.stdout);
    assert!(!run.stdout.contains("SECRET-VALUE") && !run.stderr.contains("SECRET-VALUE"));
}

#[test]
fn a_translation_file_defuse_cannot_use_is_one_locale_file_error() {
    let script = "script s {\n  trigger t {\n    customer \"Hi\"\n    -> c\n  }\n  close c {\n    say \"Bye\"\n    outcome resolved\n    follow_up \"1d\" \"Call back\"\n  }\n}\n";
    let plural = "msgid \"Bye\"\nmsgid_plural \"Byes\"\nmsgstr[0] \"Adiós\"\nmsgstr[1] \"Adioses\"\n";
    for (po, says) in [
        (plural.as_bytes().to_vec(), "plural"),
        (b"msgid \"Bye\"\nmsgstr \"Adi\xf3s\"\n".to_vec(), "UTF-8"),
        (b"msgid \"Bye\nmsgstr \"\"\n".to_vec(), "closing"),
        (b"\x00\x01garbage{{{\n".to_vec(), "locales/es/s.po"),
    ] {
        let dir = project(&[
            ("defuse.toml", format!("{QUIET_RULES}[locales]\ntargets = [\"es\"]\n").as_bytes().to_vec()),
            ("s.defuse", script.as_bytes().to_vec()),
            ("locales/es/s.po", po),
        ]);
        let run = Defuse::new(["check", ".", "--format", "json"]).dir(dir.path()).status(1);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let problems: Vec<&serde_json::Value> =
            report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "locale-file").collect();
        assert_eq!(problems.len(), 1, "{says}: {}", run.stdout);
        assert!(problems[0]["message"].as_str().unwrap().contains(says), "{says}: {}", run.stdout);
        assert!(!run.stdout.contains("missing-translation"), "the error explains the fallback: {}", run.stdout);
    }
}

#[test]
fn what_an_export_leaves_out_is_shown_at_the_source_line() {
    let script = format!("{FIXTURE}/refund.defuse");
    let run = Defuse::new(["build", &script, "--emit", "twilio-studio", "--locale", "es"]).status(0);
    // The excerpt is the source's, whole, on its own line: not the Spanish text under the
    // script's name, and not running into the next statement.
    assert!(run.stderr.contains(" 4 │     customer \"Where is my refund?\"\n"), "{}", run.stderr);
    assert!(!run.stderr.contains("¿Dónde"), "{}", run.stderr);
    assert!(run.stderr.contains("[es] `customer` line left out"), "{}", run.stderr);
}

#[test]
fn the_source_language_is_a_locale_with_nothing_to_translate() {
    let script = format!("{FIXTURE}/refund.defuse");
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("page.html");
    let page_arg = page.to_str().unwrap();
    let run =
        Defuse::new(["build", &script, "--emit", "html", "--locale", "en", "--locale", "es", "-o", page_arg]).status(0);
    assert!(!run.stderr.contains("missing-translation"), "English is the source: {}", run.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<option value=\"en\"") && html.contains("Refund missing"),
        "the English text is the source's"
    );
    let test = Defuse::new(["test", FIXTURE, "--locale", "en"]).status(0);
    assert!(test.stdout.contains("3 tests: 3 passed"), "{}", test.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_hostile_text_in_a_translation_file_is_reported_not_followed() {
    let script = "script s {\n  trigger t {\n    customer \"Hi\"\n    -> c\n  }\n  close c {\n    say \"Bye\"\n    outcome resolved\n    follow_up \"1d\" \"Call back\"\n  }\n}\n";
    let config = format!("{QUIET_RULES}[locales]\ntargets = [\"es\"]\n");
    let dir = project(&[("defuse.toml", config.as_str()), ("s.defuse", script), ("locales/es/.keep", "")]);
    // A FIFO with no writer: reading it would block for ever.
    let fifo = dir.path().join("locales/es/s.po");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let run = Defuse::new(["check", "."]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("not a regular file (a FIFO)"), "{}", run.stdout);
    std::fs::remove_file(&fifo).unwrap();

    // Terminal escapes in a translation never reach the terminal as such.
    let hostile = "#, python-brace-format\nmsgctxt \"s.c:say\"\nmsgid \"Bye\"\nmsgstr \"Adiós \u{1b}[2J{monto}\"\n";
    std::fs::write(&fifo, hostile).unwrap();
    let run = Defuse::new(["check", "."]).dir(dir.path()).status(1);
    assert!(run.stdout.contains("placeholder-mismatch"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

/// A copy of the fixture with `refund.defuse` edited by `edit`.
fn fixture_with(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["defuse.toml", "refund.defuse", "locales/es/refund.po", "locales/fr/refund.po"] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(std::path::Path::new(FIXTURE).join(file), &to).unwrap();
    }
    let script = dir.path().join("refund.defuse");
    std::fs::write(&script, edit(&std::fs::read_to_string(&script).unwrap())).unwrap();
    dir
}

fn codes(dir: &std::path::Path, args: &[&str]) -> Vec<String> {
    let run = Defuse::new(["check", "--format", "json"].iter().chain(args)).dir(dir).run();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{run:?}"));
    report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
}

/// "Suppression comments in the source apply in every locale" (contract section 12): where a
/// comment stands it covers a locale's diagnostics about the lines there, and is judged useful
/// or not once the locales are checked.
#[test]
fn a_source_suppression_covers_the_locales_diagnostics() {
    let on_the_line = fixture_with(|text| {
        text.replace(
            "option \"Store credit\" -> done",
            "option \"Store credit\" -> done # defuse: allow missing-translation \"French comes later\"",
        )
    });
    assert_eq!(codes(on_the_line.path(), &[]), Vec::<String>::new());

    let whole_file = fixture_with(|text| format!("# defuse: allow missing-translation \"French comes later\"\n{text}"));
    assert_eq!(codes(whole_file.path(), &[]), Vec::<String>::new());

    // Where nothing is missing, the comment silences nothing: said once the locales ran.
    let useless = fixture_with(|text| {
        text.replace(
            "say \"Thanks for calling.\"",
            "say \"Thanks for calling.\" # defuse: allow missing-translation \"x\"",
        )
    });
    assert_eq!(codes(useless.path(), &[]), ["missing-translation", "suppression"]);
    assert_eq!(codes(useless.path(), &["--locale", "none"]), Vec::<String>::new(), "no locale ran: not judged");

    // A comment that silences only a translation's phrase is needed, not useless.
    let phrase = fixture_with(|text| {
        text.replace(
            "say \"I'm sorry about the wait.\"",
            "say \"I'm sorry about the wait.\" # defuse: allow phrase \"quoted\"",
        )
    });
    let po = phrase.path().join("locales/es/refund.po");
    let spanish = std::fs::read_to_string(&po).unwrap().replace("Lamento mucho la espera.", "Cálmese, por favor.");
    std::fs::write(&po, spanish).unwrap();
    assert_eq!(codes(phrase.path(), &["--locale", "es"]), Vec::<String>::new());
}

/// A translator comment `# defuse: allow CODE "reason"` (contract section 12) is a suppression
/// as section 2 has them: it allows its entry's diagnostics, the empty entry of a line not yet
/// translated included, and one that is wrong or silences nothing is reported.
#[test]
fn a_translator_comment_is_checked_like_a_suppression() {
    let with_comment = |comment: &str| {
        let dir = fixture_with(str::to_owned);
        let po = dir.path().join("locales/fr/refund.po");
        let text = std::fs::read_to_string(&po).unwrap();
        let text = text.replacen("#: refund.defuse:18\n", &format!("# {comment}\n#: refund.defuse:18\n"), 1);
        std::fs::write(&po, text).unwrap();
        dir
    };
    let allowed = with_comment("defuse: allow missing-translation \"the French store has no credit\"");
    assert_eq!(codes(allowed.path(), &[]), Vec::<String>::new());

    let no_reason = with_comment("defuse: allow missing-translation");
    assert_eq!(codes(no_reason.path(), &[]), ["suppression"], "still allows, and is reported");
    let unknown = with_comment("defuse: allow missing-translaton \"later\"");
    let run = Defuse::new(["check", "--format", "json"]).dir(unknown.path()).status(0);
    assert!(run.stdout.contains("did you mean `missing-translation`?"), "{}", run.stdout);
    let useless = with_comment("defuse: allow fuzzy-translation \"reviewed\"");
    let run = Defuse::new(["check", "--format", "json"]).dir(useless.path()).status(0);
    assert!(run.stdout.contains("its `fuzzy-translation` silences nothing here"), "{}", run.stdout);
}
