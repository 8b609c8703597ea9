//! Generates hostile scripts for `bench/run.sh`: valid input shaped to hit a quadratic or
//! unbounded step (issue 15), each with a benign twin of about the same size to compare with.
//!
//! ```sh
//! cargo run --release --example hostile -- twilio-names 16384 /tmp/h.defuse
//! cargo run --release --example hostile -- twilio-names 16384 /tmp/b.defuse --benign
//! ```
//!
//! | case | hostile | benign twin |
//! |------|---------|-------------|
//! | `long-line N` | one `say` line of N bytes full of discouraged phrases | the same line without them |
//! | `fmt N` | N nodes, every line indented wrong (`fmt --check` shows every line) | the formatted text |
//! | `paths N` | a reply label of N bytes on every one of 1,024 paths | the N bytes in a `note` |
//! | `twilio-names N` | N node names equal up to case | N distinct names of the same length |
//! | `connect-names N` | N node names sharing a 50-character prefix | the distinguishing part first |
//! | `scxml-replies N` | one node with N replies | N/100 nodes of 100 replies |
//! | `vars N` | N vars, each used once | one var, the same bytes (names in a note, `(w1)` for `{v1}`) |
//! | `page N` | one `say` line of N bytes, then 10 two-way questions (1,024 paths): the trainer page | the N bytes in a `note` of the close |
//!
//! Output is deterministic for given arguments.

use std::fmt::Write as _;

/// The script's opening: trigger → acknowledge → mirror → `first`.
fn head(out: &mut String, vars: &str, first: &str) {
    let _ = writeln!(out, "script hostile \"Hostile input\" {{");
    if !vars.is_empty() {
        let _ = writeln!(out, "  vars {vars}");
    }
    let _ =
        writeln!(out, "  trigger upset {{\n    customer \"This is the third time I'm calling!\"\n    -> hear\n  }}");
    let _ = writeln!(
        out,
        "  acknowledge hear {{\n    say \"I'm sorry. That sounds really frustrating.\"\n    -> restate\n  }}"
    );
    let _ = writeln!(
        out,
        "  mirror restate {{\n    ask \"So it still isn't sorted. Is that right?\"\n    -> {first}\n  }}"
    );
}

/// The closing node `done` and the end of the script.
fn tail(out: &mut String) {
    let _ = writeln!(
        out,
        "  close done {{\n    say \"Thank you for staying with me.\"\n    follow_up \"48h\" \"Check it happened\"\n  }}\n}}"
    );
}

/// A chain of root-cause nodes with the given names, ending at `done`.
fn chain(names: &[String]) -> String {
    let mut out = String::new();
    head(&mut out, "", &names[0]);
    for (i, name) in names.iter().enumerate() {
        let next = names.get(i + 1).map_or("done", String::as_str);
        let _ = writeln!(out, "  root-cause {name} {{\n    ask \"What happened next?\"\n    -> {next}\n  }}");
    }
    tail(&mut out);
    out
}

fn long_line(bytes: usize, benign: bool) -> String {
    let phrase = if benign { "please do stay " } else { "calm down, relax " };
    let line = phrase.repeat(bytes / phrase.len() + 1);
    let mut out = String::new();
    head(&mut out, "", "long");
    let _ = writeln!(out, "  root-cause long {{\n    say \"{line}\"\n    -> done\n  }}");
    tail(&mut out);
    out
}

fn fmt(nodes: usize, benign: bool) -> String {
    let names: Vec<String> = (0..nodes).map(|i| format!("q{i}")).collect();
    let text = chain(&names);
    if benign {
        return text;
    }
    text.lines().map(|line| format!("   {line}\n")).collect()
}

fn paths(bytes: usize, benign: bool) -> String {
    let label = "x".repeat(bytes);
    let mut out = String::new();
    head(&mut out, "", "big");
    if benign {
        let _ = writeln!(out, "  root-cause big {{\n    note \"{label}\"\n    reply \"short\" -> q0\n  }}");
    } else {
        let _ = writeln!(out, "  root-cause big {{\n    ask \"?\"\n    reply \"{label}\" -> q0\n  }}");
    }
    // Ten binary choices in a row: 1,024 paths.
    for i in 0..10 {
        let next = if i < 9 { format!("q{}", i + 1) } else { "done".to_owned() };
        let _ = writeln!(
            out,
            "  root-cause q{i} {{\n    ask \"?\"\n    reply \"a\" -> {next}\n    reply \"b\" -> {next}\n  }}"
        );
    }
    tail(&mut out);
    out
}

fn twilio_names(nodes: usize, benign: bool) -> String {
    let bits = nodes.next_power_of_two().trailing_zeros().max(1) as usize;
    let names: Vec<String> = (0..nodes)
        .map(|i| {
            if benign {
                return format!("n{i:0width$}", width = bits - 1);
            }
            // Bit k of i picks the case of letter k: every name is "aaa…" up to case.
            (0..bits).map(|k| if i >> k & 1 == 1 { 'A' } else { 'a' }).collect()
        })
        .collect();
    chain(&names)
}

fn connect_names(nodes: usize, benign: bool) -> String {
    let prefix = "x".repeat(50);
    let names: Vec<String> =
        (0..nodes).map(|i| if benign { format!("n{i}_{prefix}") } else { format!("{prefix}_{i}") }).collect();
    chain(&names)
}

fn scxml_replies(replies: usize, benign: bool) -> String {
    let per_node = if benign { 100 } else { replies };
    let nodes = replies.div_ceil(per_node);
    let mut out = String::new();
    head(&mut out, "", "q0");
    for n in 0..nodes {
        let next = if n + 1 < nodes { format!("q{}", n + 1) } else { "done".to_owned() };
        let _ = writeln!(out, "  root-cause q{n} {{\n    ask \"Which one?\"");
        for r in 0..per_node.min(replies - n * per_node) {
            let _ = writeln!(out, "    reply \"choice {r}\" -> {next}");
        }
        let _ = writeln!(out, "  }}");
    }
    tail(&mut out);
    out
}

fn vars(count: usize, benign: bool) -> String {
    let names: Vec<String> = (0..count).map(|i| format!("v{i}")).collect();
    let declared = if benign { "v0".to_owned() } else { names.join(" ") };
    let mut out = String::new();
    head(&mut out, &declared, "q0");
    let per_node = 100;
    let nodes = count.div_ceil(per_node);
    for n in 0..nodes {
        let next = if n + 1 < nodes { format!("q{}", n + 1) } else { "done".to_owned() };
        let text: Vec<String> = names[n * per_node..((n + 1) * per_node).min(count)]
            .iter()
            // `(w1)` is as long as `{v1}`: the twin's texts keep the bytes, without placeholders.
            .map(|name| if benign && name != "v0" { format!("(w{})", &name[1..]) } else { format!("{{{name}}}") })
            .collect();
        // The benign twin keeps the bytes of the hostile `vars` line, in a note.
        let padding = if benign && n == 0 { format!("\n    note \"{}\"", names.join(" ")) } else { String::new() };
        let _ = writeln!(out, "  root-cause q{n} {{\n    ask \"{}\"{padding}\n    -> {next}\n  }}", text.join(" "));
    }
    tail(&mut out);
    out
}

/// Issue 26, item 8: a long line on every path of the trainer page.
fn page(bytes: usize, benign: bool) -> String {
    let line = "x".repeat(bytes);
    let mut out = String::new();
    head(&mut out, "", "big");
    if benign {
        let _ = writeln!(out, "  root-cause big {{\n    ask \"?\"\n    -> q0\n  }}");
    } else {
        let _ = writeln!(out, "  root-cause big {{\n    say \"{line}\"\n    ask \"?\"\n    -> q0\n  }}");
    }
    for i in 0..10 {
        let next = if i < 9 { format!("q{}", i + 1) } else { "done".to_owned() };
        let _ = writeln!(
            out,
            "  root-cause q{i} {{\n    ask \"?\"\n    reply \"a\" -> {next}\n    reply \"b\" -> {next}\n  }}"
        );
    }
    if benign {
        let _ = writeln!(
            out,
            "  close done {{\n    say \"Thank you for staying with me.\"\n    note \"{line}\"\n    follow_up \"48h\" \"Check it happened\"\n  }}\n}}"
        );
    } else {
        tail(&mut out);
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benign = args.iter().any(|a| a == "--benign");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [case, size, out] = positional.as_slice() else {
        eprintln!("usage: hostile CASE SIZE OUT [--benign]");
        std::process::exit(2);
    };
    let size: usize = size.parse().expect("SIZE is a number");
    let text = match case.as_str() {
        "long-line" => long_line(size, benign),
        "fmt" => fmt(size, benign),
        "paths" => paths(size, benign),
        "twilio-names" => twilio_names(size, benign),
        "connect-names" => connect_names(size, benign),
        "scxml-replies" => scxml_replies(size, benign),
        "vars" => vars(size, benign),
        "page" => page(size, benign),
        other => {
            eprintln!("unknown case `{other}`");
            std::process::exit(2);
        }
    };
    std::fs::write(out.as_str(), text).expect("the output file is writable");
}
