//! Output is safe for its sink (spec section 4, "Output is safe for its sink" and linear cost):
//! closed pipes, control characters in script text, GitHub workflow commands from file
//! names, SARIF URIs, DOT entities, and reports on very long lines.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{project, Defuse};

/// What a run whose standard output (or error) was closed before it wrote did.
struct Cut {
    status: i32,
    /// What the other stream, still open, received.
    other: String,
}

/// Runs `defuse args` in `dir` with its standard output a pipe whose read end is closed
/// right after the start, before the command writes (it first loads and checks a script).
fn run_into_closed_pipe(dir: &Path, args: &[&str], stdin: &str) -> Cut {
    run_with_a_closed_pipe(dir, args, stdin, true)
}

fn run_with_a_closed_pipe(dir: &Path, args: &[&str], stdin: &str, close_stdout: bool) -> Cut {
    let mut child = Command::new(env!("CARGO_BIN_EXE_defuse"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the defuse binary runs");
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let mut open: Box<dyn Read> = if close_stdout {
        drop(stdout);
        Box::new(stderr)
    } else {
        drop(stderr);
        Box::new(stdout)
    };
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
    }
    let mut other = String::new();
    open.read_to_string(&mut other).unwrap();
    let status = child.wait().unwrap().code().unwrap_or(-1);
    Cut { status, other }
}

/// 12 binary choices in a row: 4,096 paths, each a long line of `paths` output.
fn wide_script() -> String {
    let mut text = String::from("script wide {\n  trigger t { customer \"x\" -> a0 }\n");
    text.push_str("  acknowledge a0 { say \"sorry\" -> m }\n  mirror m { ask \"right?\" -> q0 }\n");
    for i in 0..12 {
        text.push_str(&format!(
            "  root-cause q{i} {{ ask \"?\" reply \"a\" -> q{n} reply \"b\" -> q{n} }}\n",
            n = i + 1
        ));
    }
    text.push_str("  options q12 { option \"x\" -> done option \"y\" -> done }\n");
    text.push_str("  close done { say \"bye\" follow_up \"1d\" \"c\" }\n}\n");
    text
}

/// A clean script whose agent lines hold `text`.
fn script_saying(text: &str) -> String {
    format!(
        "script s {{\n  trigger t {{ customer \"{text}\" -> a }}\n  acknowledge a {{ say \"{text}\" -> m }}\n  \
         mirror m {{ ask \"{text}\" -> o }}\n  options o {{ option \"{text}\" -> c option \"b\" -> c }}\n  \
         close c {{ say \"ok\" follow_up \"48h\" \"x\" }}\n}}\n"
    )
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let many_warnings = script_saying(&"calm down ".repeat(2000));
    let badly_formatted = wide_script().replace("  ", "        ");
    let dir = project(&[
        ("wide.defuse", wide_script()),
        ("defuse.toml", "[limits]\nmax_steps = 20\n".to_owned()),
        ("warn/many.defuse", many_warnings),
        ("ugly/wide.defuse", badly_formatted),
    ]);
    // (arguments, the status the run has when nobody reads its output)
    let runs: [(&[&str], i32); 8] = [
        (&["paths", "wide.defuse", "--max", "4096"], 0),
        (&["paths", "wide.defuse", "--format", "json"], 0),
        (&["rules"], 0),
        (&["rules", "--markdown"], 0),
        (&["explain", "skip-acknowledge"], 0),
        (&["check", "warn", "--deny", "warnings"], 1),
        (&["fmt", "--check", "ugly"], 1),
        (&["play", "wide.defuse"], 0),
    ];
    for (args, expected) in runs {
        let cut = run_into_closed_pipe(dir.path(), args, &"1\n".repeat(20));
        assert_eq!(cut.status, expected, "{args:?}: {}", cut.other);
        assert_eq!(cut.other, "", "{args:?}");
    }
}

#[test]
fn a_closed_standard_error_does_not_crash_either() {
    let broken = wide_script().replace("-> done", "-> gone");
    let dir = project(&[("broken.defuse", broken)]);
    // Diagnostics and the "nothing was written" line go to standard error.
    let cut = run_with_a_closed_pipe(dir.path(), &["build", "broken.defuse", "--emit", "json"], "", false);
    assert_eq!((cut.status, cut.other.as_str()), (1, ""));
    let cut = run_with_a_closed_pipe(dir.path(), &["paths", "broken.defuse"], "", false);
    assert_eq!((cut.status, cut.other.as_str()), (1, ""));
}

#[test]
fn color_follows_the_flag_on_every_command() {
    let dir = project(&[("s.defuse", script_saying("calm down"))]);
    let colored = |args: &[&str]| Defuse::new(args).dir(dir.path()).status(0).stdout.contains('\u{1b}');
    // Not a terminal: plain by default and with `never`; `always` wins over NO_COLOR (set by
    // the test runner), as no-color.org asks of an explicit flag.
    assert!(!colored(&["check", "s.defuse"]));
    assert!(!colored(&["check", "s.defuse", "--color", "never"]));
    assert!(colored(&["check", "s.defuse", "--color", "always"]));
    assert!(colored(&["--color", "always", "check", "s.defuse"]));
    for args in [
        &["rules", "--color", "never"][..],
        &["explain", "phrase", "--color", "auto"],
        &["paths", "s.defuse", "--color", "always"],
    ] {
        Defuse::new(args).dir(dir.path()).status(0);
    }
    Defuse::new(["check", "--color", "sometimes"]).dir(dir.path()).status(2);
}

#[test]
fn script_text_shows_control_characters_as_escapes() {
    let hostile = "hi \u{1b}[2J\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7} \u{9b}31m \r0 errors\u{7f}";
    let escaped = "hi \\u{1b}[2J\\u{1b}]8;;http://x\\u{7}link\\u{1b}]8;;\\u{7} \\u{9b}31m \\u{d}0 errors\\u{7f}";
    let text = script_saying(&format!("calm down {hostile}"));
    // `paths` cuts an option label at a word boundary within 40 characters: its script's
    // option is the hostile text alone, so the label fits up to the escapes under test.
    let short = script_saying(hostile);
    let dir = project(&[
        ("s.defuse", text.as_str()),
        ("ugly/s.defuse", &text.replace("  ", "      ")),
        ("short/p.defuse", short.as_str()),
    ]);
    let outputs = [
        Defuse::new(["check", "s.defuse"]).dir(dir.path()).status(0).stdout,
        Defuse::new(["paths", "short/p.defuse"]).dir(dir.path()).status(0).stdout,
        Defuse::new(["play", "s.defuse"]).dir(dir.path()).stdin("1\n").status(0).stdout,
        Defuse::new(["fmt", "--check", "ugly"]).dir(dir.path()).status(1).stdout,
        Defuse::new(["explain", "\u{1b}[2J"]).dir(dir.path()).status(2).stderr,
    ];
    for output in &outputs {
        let unsafe_char = output.chars().find(|&c| c.is_control() && c != '\n' && c != '\t');
        assert_eq!(unsafe_char, None, "{output}");
    }
    // Messages, excerpts, paths and play lines all show the same visible form.
    for output in &outputs[..3] {
        assert!(output.contains(escaped) || output.contains(&escaped[..40]), "{output}");
    }
    assert!(outputs[4].contains("\\u{1b}[2J"), "{}", outputs[4]);
}

#[test]
fn crlf_line_ends_are_not_escaped() {
    let text = script_saying("calm down").replace('\n', "\r\n");
    let dir = project(&[("s.defuse", text)]);
    let run = Defuse::new(["check", "s.defuse"]).dir(dir.path()).status(0);
    assert!(!run.stdout.contains("\\u{d}") && !run.stdout.contains('\r'), "{}", run.stdout);
}

#[test]
fn github_format_sends_load_errors_as_escaped_commands() {
    let name = "x\n::add-mask::secret\n::error file=a.defuse::0 errors\n.defuse";
    let dir = project(&[(name, &b"script s { \xff }"[..]), ("ok.defuse", script_saying("hello").as_bytes())]);
    let run = Defuse::new(["check", ".", "--format", "github"]).dir(dir.path()).status(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with("::error file=x%0A%3A%3Aadd-mask%3A%3Asecret%0A"), "{}", lines[0]);
    assert!(run.stdout.lines().all(|line| line.starts_with("::")), "{}", run.stdout);
}

#[test]
fn github_format_sends_config_errors_as_commands() {
    let dir = project(&[("s.defuse", script_saying("hello")), ("defuse.toml", "[rules]\nnope = \"x\"\n".to_owned())]);
    let run = Defuse::new(["check", "--format", "github"]).dir(dir.path()).status(2);
    assert!(run.stderr.starts_with("::error file="), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn sarif_uris_are_percent_encoded() {
    let dir = project(&[("weird #1 50%.defuse", script_saying("calm down"))]);
    let run = Defuse::new(["check", "--format", "sarif"]).dir(dir.path()).status(0);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let uri = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "weird%20%231%2050%25.defuse");
}

#[test]
fn dot_entities_cannot_put_control_bytes_into_svg() {
    let dir = project(&[("s.defuse", script_saying("a &#1; b &#x7; c &amp; d"))]);
    let dot = Defuse::new(["build", "s.defuse", "--emit", "dot"]).dir(dir.path()).status(0).stdout;
    let dot_file = dir.path().join("s.dot");
    std::fs::write(&dot_file, dot).unwrap();
    let output = Command::new("dot")
        .arg("-Tsvg")
        .arg(&dot_file)
        .output()
        .expect("Graphviz `dot` must be installed to run this test (bash .ci/run installs it)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let control = output.stdout.iter().find(|&&b| b < 0x20 && b != b'\n' && b != b'\t' && b != b'\r');
    assert_eq!(control, None);
    let svg = String::from_utf8(output.stdout).unwrap();
    assert!(svg.contains("a &amp;#1; b"), "{svg}");
}

#[test]
fn a_report_past_column_65535_shows_a_cut_window() {
    let text = script_saying(&format!("{} calm down", "x".repeat(70_000)));
    let dir = project(&[("s.defuse", text)]);
    let run = Defuse::new(["check", "s.defuse"]).dir(dir.path()).status(0);
    assert!(run.stdout.contains("[s.defuse:3:70025]"), "{}", &run.stdout[..run.stdout.len().min(2000)]);
    assert!(run.stdout.contains("…xxxx"), "{}", &run.stdout[..run.stdout.len().min(2000)]);
    assert!(run.stdout.lines().all(|line| line.chars().count() < 200), "a line was not cut");
}

#[test]
fn report_size_is_bounded_per_diagnostic_on_long_lines() {
    // 3 lines of about 40 KB, each saying the 15 default phrases apart (a line reports each
    // phrase once): 45 warnings whose excerpts must be cut to a window, not 40 KB each.
    let phrases = [
        "calm down",
        "relax",
        "our policy",
        "company policy",
        "nothing I can do",
        "nothing we can do",
        "you should have",
        "you need to",
        "I promise",
        "guarantee",
        "as I said",
        "like I said",
        "to be honest",
        "obviously",
        "you people",
    ];
    let filler = "well ".repeat(500);
    let line: String = phrases.iter().map(|phrase| format!("{filler}{phrase} ")).collect();
    let text = script_saying(&line);
    // Each line is also a monologue (`long-turn`); only the phrase reports are counted here.
    let dir = project(&[("s.defuse", text.as_str()), ("defuse.toml", "[rules]\nlong-turn = \"allow\"\n")]);
    let run = Defuse::new(["check", "s.defuse"]).dir(dir.path()).status(0);
    assert!(run.stdout.ends_with("0 errors, 45 warnings in 1 file\n"), "{}", &run.stdout[run.stdout.len() - 200..]);
    let per_diagnostic = run.stdout.len() / 45;
    assert!(per_diagnostic < 1500, "{per_diagnostic} bytes per diagnostic");
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_is_an_error_not_a_panic() {
    // /dev/full fails every write with "No space left on device".
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("Linux has /dev/full");
    let output = Command::new(env!("CARGO_BIN_EXE_defuse")).arg("rules").stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("error: cannot write to standard output"), "{stderr}");
}

#[test]
fn a_file_name_cannot_fake_a_line_of_the_human_report() {
    let fake = "x\n0 errors, 0 warnings in 1 file\n.defuse";
    let dir = project(&[(fake, &script_saying("calm down").into_bytes()[..]), ("bad\n.defuse", &b"\xff"[..])]);
    let run = Defuse::new(["check", "."]).dir(dir.path()).status(2);
    let summaries: Vec<&str> = run.stdout.lines().filter(|line| line.starts_with("0 errors")).collect();
    assert_eq!(summaries, ["0 errors, 3 warnings in 1 file"], "{}", run.stdout);
    assert!(run.stdout.contains("x\\u{a}0 errors, 0 warnings in 1 file\\u{a}.defuse"), "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("bad\\u{a}.defuse"), "{}", run.stderr);
}
