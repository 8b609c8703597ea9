//! The editor preview's page (`defuse/preview`, spec section 9) in a real browser: Debian's
//! chromium through `tests/browser/preview.mjs`, which asks the built server for the page of a
//! script with the cursor in a node and drives it as a VS Code webview shows it (a click on a
//! box posts the node's id, the editor's selection and banner messages, the scroll position
//! across pages, the rehearsal). Fails, never skips, when the browser or npm packages are
//! missing, as the trainer page's browser test does.

use std::process::{Command, Output};

use crate::diagram_scripts;
use crate::support::Defuse;
use crate::trainer_page::browser_tests;

fn preview_test(args: &[&str]) -> Output {
    let browser = browser_tests();
    Command::new("node").arg(browser.join("preview.mjs")).args(args).current_dir(&browser).output().expect("node runs")
}

fn report(output: &Output) -> String {
    format!("{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn the_preview_page_posts_clicks_takes_the_editors_messages_and_rehearses_in_chromium() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_defuse");
    // A 40-node script too, whose drawing scrolls: selecting its last node scrolls to it.
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated_40.defuse");
    std::fs::write(&generated, diagram_scripts::script("generated_40", 40, 40)).unwrap();
    let generated = generated.to_str().unwrap();
    let scripts = [
        ("scripts/refund_missing.defuse", "clarify"),
        ("scripts/abusive_caller.defuse", "boundary"),
        (generated, "hear_0"),
    ];
    for (script, node) in scripts {
        let script = root.join(script);
        let output = preview_test(&[bin, script.to_str().unwrap(), node]);
        assert!(
            output.status.success(),
            "{}: the preview's browser test failed:\n{}",
            script.display(),
            report(&output)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("checks passed"), "{}", report(&output));
    }
}

/// The browser test can fail: `build --emit html`'s page has none of the preview's additions,
/// so nothing is selected and a click posts nothing.
#[test]
fn the_preview_browser_test_fails_on_the_plain_trainer_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("plain.html");
    Defuse::new(["build", "scripts/refund_missing.defuse", "--emit", "html", "-o", page.to_str().unwrap()]).status(0);
    let output = preview_test(&["--page", page.to_str().unwrap(), "clarify"]);
    assert_eq!(output.status.code(), Some(1), "{}", report(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("FAIL marked [], not [clarify]") && stdout.contains("FAIL clicks posted []"), "{stdout}");
}
