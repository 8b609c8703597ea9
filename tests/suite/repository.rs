//! The repository itself: no tracked file holds an unresolved merge. Work lands by merging
//! parallel branches, and a conflict left in a doc once survived two merges unseen.

use std::path::Path;
use std::process::Command;

/// The lines git writes around a conflict, built here so this file does not hold them.
fn conflict_markers() -> [String; 2] {
    ["<".repeat(7) + " ", ">".repeat(7) + " "]
}

#[test]
fn no_tracked_file_holds_a_merge_conflict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let listing = Command::new("git").args(["ls-files", "-z"]).current_dir(root).output().expect("git runs");
    assert!(listing.status.success(), "git ls-files: {}", String::from_utf8_lossy(&listing.stderr));
    let markers = conflict_markers();
    let mut found = Vec::new();
    let mut read = 0;
    for name in listing.stdout.split(|&b| b == 0).filter(|name| !name.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        // Binary files (images, fonts) are not text a merge leaves markers in.
        let Ok(text) = std::fs::read_to_string(root.join(&name)) else { continue };
        read += 1;
        for (number, line) in text.lines().enumerate() {
            if markers.iter().any(|marker| line.starts_with(marker.as_str())) {
                found.push(format!("{name}:{}: {line}", number + 1));
            }
        }
    }
    assert!(read > 100, "only {read} tracked text files were read: is this a checkout?");
    assert!(found.is_empty(), "unresolved merge conflicts:\n{}", found.join("\n"));
}
