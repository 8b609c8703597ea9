//! A walk written down as a transcript test: what `defuse play --record` saves, and how the
//! round-trip tests turn every listed path into a test. The text parses back to a test that
//! passes: the choices are written as the call model ([`crate::call`]) offers them.

use petgraph::graph::{EdgeIndex, NodeIndex};

use crate::call::{Call, ChoiceKind, Halt, Vars, Walk};

/// A `.dtest` file with one test named `name`: the call from `start` over `edges` (every edge
/// taken, in order, those the call moves on by itself included), which must end at a close.
/// `script_path` is written as the `use`, relative to where the test file will be.
/// `None` when the edges are not a walk of the model that ends at a close.
pub fn transcript(
    call: &Call,
    script_path: &str,
    name: &str,
    start: NodeIndex,
    edges: &[EdgeIndex],
    vars: &Vars,
) -> Option<String> {
    Some(format!("use {}\n\n{}", quote(script_path), test(call, name, start, edges, vars)?))
}

/// The `test "name" { … }` block of [`transcript`], for files that hold several tests.
pub(crate) fn test(call: &Call, name: &str, start: NodeIndex, edges: &[EdgeIndex], vars: &Vars) -> Option<String> {
    let mut walk = Walk::start(start);
    let mut steps = Vec::new();
    let names: Vec<&str> = vars.names().collect();
    if !names.is_empty() {
        let values: Vec<String> =
            names.iter().map(|n| format!("{n} {}", quote(vars.get(n).unwrap_or_default()))).collect();
        steps.push(format!("vars {}", values.join(" ")));
    }
    steps.push(format!("start {}", call.id(start)));
    let mut next = 0;
    let outcome = loop {
        let before = walk.path.len();
        let halt = walk.settle(call, |_| {});
        next += walk.path.len() - before;
        match halt {
            Halt::Ended(outcome) => break outcome,
            Halt::Choose(choices) => {
                let edge = *edges.get(next)?;
                let choice = choices.iter().find(|c| c.edge == edge)?;
                // The first choice that the step names must be this one, or write `go`.
                let label = choice.label.map(|l| l.value.as_str());
                let same = |kind| choices.iter().find(|c| c.kind == kind && c.label.map(|l| l.value.as_str()) == label);
                let step = match choice.kind {
                    ChoiceKind::Reply if same(ChoiceKind::Reply)?.edge == edge => format!("answer {}", quote(label?)),
                    ChoiceKind::Option if same(ChoiceKind::Option)?.edge == edge => format!("pick {}", quote(label?)),
                    ChoiceKind::Otherwise if same(ChoiceKind::Otherwise)?.edge == edge => "answer otherwise".to_owned(),
                    _ => format!("go {}", call.id(choice.target)),
                };
                steps.push(step);
                walk.choose(choice);
                next += 1;
            }
            Halt::Stuck | Halt::Loops => return None,
        }
    };
    if next != edges.len() {
        return None;
    }
    let end = walk.at();
    let path: Vec<String> = walk.path.iter().map(|&n| call.id(n)).collect();
    steps.push(format!("expect close {}", call.id(end)));
    steps.push(format!("expect outcome {}", outcome.keyword()));
    steps.push(format!("expect path {}", path.join(" ")));
    if let Some((after, _)) = call.node(end).follow_up() {
        steps.push(format!("expect follow_up {}", quote(&after.value)));
    }
    let body: String = steps.iter().map(|step| format!("  {step}\n")).collect();
    Some(format!("test {} {{\n{body}}}\n", quote(name)))
}

/// The walk along `nodes` (a path as `paths` lists it), taking the first edge between each
/// pair; `None` when two neighbours are not linked.
pub fn edges_along(call: &Call, nodes: &[NodeIndex]) -> Option<Vec<EdgeIndex>> {
    nodes
        .windows(2)
        .map(|pair| call.choices(pair[0]).into_iter().find(|c| c.target == pair[1]).map(|c| c.edge))
        .collect()
}

/// `text` as a `.dtest` string literal: quotes, backslashes, braces, newlines and tabs escaped
/// (the grammar's only escapes; any other character stands as itself inside quotes), so it
/// reads back as exactly `text`.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    crate::syntax::strings::escape_into(text, &mut out);
    out.push('"');
    out
}

/// The `use` path that names `script` from a test file at `test_file`: relative to the test's
/// directory (both resolved, so symlinks and `..` do not matter), with `/` separators; the
/// script's absolute path when the two have no common ancestor. Built from the path's own
/// components, not its display form: a `\` is an ordinary file-name character on Unix.
pub(crate) fn use_path(test_file: &std::path::Path, script: &std::path::Path) -> String {
    use std::path::{Component, Path};
    let dir = match test_file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let (Ok(dir), Ok(script)) = (std::fs::canonicalize(dir), std::fs::canonicalize(script)) else {
        return slashed(script.components());
    };
    let from: Vec<Component> = dir.components().collect();
    let to: Vec<Component> = script.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return slashed(script.components());
    }
    let up = std::iter::repeat_n(Component::ParentDir, from.len() - common);
    slashed(up.chain(to[common..].iter().copied()))
}

/// Path components joined with `/`, as a `use` string writes them (`/` first when absolute).
fn slashed<'a>(components: impl IntoIterator<Item = std::path::Component<'a>>) -> String {
    use std::path::Component;
    let mut out = String::new();
    for component in components {
        let part = match component {
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::CurDir => continue,
            Component::ParentDir => "..".into(),
            Component::Normal(part) => part.to_string_lossy(),
            Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_reads_back_exactly() {
        for text in ["plain", "say \"hi\"", "back\\slash", "{name} and \\{x\\}", "tab\tline\nend", "10% off"] {
            let quoted = quote(text);
            let read = crate::syntax::strings::lower_string(&quoted, 0).ok().expect("a valid literal");
            assert_eq!(read.value, text);
            assert!(read.placeholders.is_empty(), "braces are escaped: {quoted}");
        }
    }

    #[test]
    fn use_paths_are_relative_to_the_test_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("scripts/tests")).unwrap();
        std::fs::write(dir.path().join("scripts/s.defuse"), "").unwrap();
        let script = dir.path().join("scripts/s.defuse");
        assert_eq!(use_path(&dir.path().join("scripts/tests/t.dtest"), &script), "../s.defuse");
        assert_eq!(use_path(&dir.path().join("scripts/t.dtest"), &script), "s.defuse");
        assert_eq!(use_path(&dir.path().join("t.dtest"), &script), "scripts/s.defuse");
        #[cfg(unix)]
        {
            std::fs::create_dir_all(dir.path().join("a\\b")).unwrap();
            std::fs::write(dir.path().join("a\\b/s.defuse"), "").unwrap();
            assert_eq!(use_path(&dir.path().join("t.dtest"), &dir.path().join("a\\b/s.defuse")), "a\\b/s.defuse");
            assert_eq!(
                use_path(std::path::Path::new("/nowhere/t.dtest"), std::path::Path::new("/x/s.defuse")),
                "/x/s.defuse"
            );
        }
    }
}
