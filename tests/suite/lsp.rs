//! The language server end to end: runs the pytest-lsp suite in tests/lsp against the binary
//! cargo just built. pytest-lsp must be installed (`.ci/run` installs it): a missing one
//! fails this test with the command to install it, it is never skipped.

use std::process::Command;

#[test]
fn the_language_server_passes_its_end_to_end_suite() {
    let root = env!("CARGO_MANIFEST_DIR");
    let probe = Command::new("python3").args(["-c", "import pytest_lsp"]).output().expect("python3 runs");
    assert!(
        probe.status.success(),
        "pytest-lsp is missing: run `python3 -m pip install 'pytest-lsp>=1'` (or .ci/run, which installs it)\n{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let output = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/lsp"])
        .current_dir(root)
        .env("DEFUSE_BIN", env!("CARGO_BIN_EXE_defuse"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "tests/lsp failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.contains("skipped"), "no end-to-end test may be skipped:\n{stdout}");
}
