//! Every script in `scripts/` is a real example: it must check clean under default levels.

use std::path::PathBuf;

use crate::support::{check, Defuse};

#[test]
fn example_scripts_check_clean() {
    let (diagnostics, report) = check(&[PathBuf::from("scripts")]);
    assert!(diagnostics.is_empty(), "{report}");
    let scripts = std::fs::read_dir("scripts")
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "defuse"));
    assert!(scripts.count() >= 8, "the example library has at least 8 scripts");
}

#[test]
fn each_example_checks_clean_on_its_own() {
    for entry in std::fs::read_dir("scripts").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "defuse") {
            Defuse::new(["check", path.to_str().unwrap()]).status(0);
        }
    }
}
