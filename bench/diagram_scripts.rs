//! Scripts shaped like the ones teams write, at any size: the one generator of the diagram
//! tests (`tests/suite/diagram_geometry.rs`), the layout benchmark (`bench/diagram_layout.rs`),
//! the print tests (`tests/suite/trainer_print.rs`) and the cover test (`tests/suite/paths.rs`),
//! which include this file with `#[path]`.
//!
//! [`script`]: several triggers into a few acknowledgements; mirrors that restate, with a `clarify` that
//! loops back and parallel replies ("yes" / "yes, exactly") to the same node; chains of
//! root-cause questions whose replies go on down the chain, back to a mirror ("still
//! nothing", "that's not it at all"), to itself ("say that again"), or on to options; options
//! with long offers; closes with every outcome. Labels run from two characters to a long
//! sentence, with placeholders. [`layered`]: the print tests' shape, questions in layers so a
//! call is a dozen steps. Deterministic for given arguments.

use std::fmt::Write as _;

const LONG: &[&str] = &[
    "Talk to a supervisor about a goodwill credit for the trouble",
    "Refund the duplicate now; your bank shows it in 3 to 5 days",
    "I call you back tomorrow morning, {customer_name}, with an answer",
    "Send a technician this week and waive the visit fee",
];
const SHORT: &[&str] = &["yes", "no", "red", "Wi-Fi", "cable", "orange, flashing", "still nothing", "maybe"];
const QUESTIONS: &[&str] = &[
    "When did you first notice the problem?",
    "Which light is on at the front of the router right now?",
    "Did you receive a confirmation email about it?",
    "Has anyone from our team already looked at this for you, {customer_name}?",
];

/// A small deterministic generator: scripts are reproducible.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % below.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }
}

/// A script named `name` with about `nodes` nodes (at least 12).
pub fn script(name: &str, nodes: usize, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let nodes = nodes.max(12);
    let triggers = (nodes / 20).max(2);
    let acks = (nodes / 25).max(1);
    let mirrors = (nodes / 10).max(2);
    let options = (nodes / 8).max(1);
    let closes = (nodes / 10).max(2);
    let causes = nodes - triggers - acks - 2 * mirrors - options - closes;
    let mut out = String::with_capacity(nodes * 300);
    let _ = writeln!(out, "script {name} \"A generated call of {nodes} nodes\" {{");
    let _ = writeln!(out, "  vars customer_name amount\n");
    for t in 0..triggers {
        let _ = writeln!(
            out,
            "  trigger upset_{t} {{\n    customer \"This is call number {} about the same problem!\"\n    -> hear_{}\n  }}\n",
            t + 2,
            t % acks
        );
    }
    for a in 0..acks {
        let _ = writeln!(
            out,
            "  acknowledge hear_{a} {{\n    say \"I'm sorry, {{customer_name}}. Calling again about this is exhausting.\"\n    -> restate_{}\n  }}\n",
            a % mirrors
        );
    }
    for m in 0..mirrors {
        let cause = m * causes / mirrors;
        let _ = writeln!(
            out,
            "  mirror restate_{m} {{\n    ask \"So it still does not work after {{amount}} days. Is that right?\"\n    reply \"yes\" -> cause_{cause}\n    reply \"yes, exactly\" -> cause_{cause}\n{}    otherwise -> clarify_{m}\n  }}\n",
            if m + 1 < mirrors { format!("    reply \"partly\" -> restate_{}\n", m + 1) } else { String::new() }
        );
        let _ =
            writeln!(out, "  mirror clarify_{m} {{\n    ask \"Tell me what I missed.\"\n    -> restate_{m}\n  }}\n");
    }
    for c in 0..causes {
        let _ = writeln!(out, "  root-cause cause_{c} {{\n    ask \"{}\"", rng.pick(QUESTIONS));
        let offer = c * options / causes;
        if c + 1 < causes {
            let _ = writeln!(out, "    reply \"{}\" -> cause_{}", rng.pick(SHORT), c + 1);
        }
        match rng.next(5) {
            0 => {
                let _ = writeln!(out, "    reply \"still nothing\" -> restate_{}", rng.next(mirrors));
            }
            1 => {
                let _ = writeln!(out, "    reply \"say that again\" -> cause_{c}");
            }
            2 => {
                let _ = writeln!(out, "    reply \"Wi-Fi\" -> offer_{offer}\n    reply \"cable\" -> offer_{offer}");
            }
            3 => {
                let _ = writeln!(
                    out,
                    "    reply \"that's not it at all, you have it wrong\" -> clarify_{}",
                    rng.next(mirrors)
                );
            }
            _ => {}
        }
        let _ = writeln!(out, "    otherwise -> offer_{offer}\n  }}\n");
    }
    for o in 0..options {
        let _ = writeln!(out, "  options offer_{o} {{\n    say \"Here is what I can do for you right now:\"");
        for k in 0..2 + rng.next(2) {
            let _ = writeln!(out, "    option \"{}\" -> close_{}", rng.pick(LONG), (o * 3 + k) % closes);
        }
        let _ = writeln!(out, "  }}\n");
    }
    let outcomes = ["resolved", "escalated", "callback", "ended"];
    for c in 0..closes {
        let outcome = outcomes[c % outcomes.len()];
        let _ = writeln!(
            out,
            "  close close_{c} {{\n    say \"Thank you for your patience today. I have noted everything we agreed.\"\n    outcome {outcome}\n    follow_up \"48h\" \"Check that what we agreed has happened\"\n  }}\n"
        );
    }
    out.truncate(out.trim_end().len());
    out.push_str("\n}\n");
    out
}

/// The print tests' shape (`tests/suite/trainer_print.rs`, and `paths --cover` in
/// `tests/suite/paths.rs`): a script named `generated` of about `nodes` nodes with four
/// triggers (`t0`…`t3`), a mirror with a clarify loop,
/// root-cause questions in a few layers (so a call is a dozen steps, not sixty), a way back
/// to the mirror from every fifth question, options nodes and six closes.
pub fn layered(nodes: usize) -> String {
    let closes = [
        ("resolved", "resolved"),
        ("refund", "resolved"),
        ("supervisor", "escalated"),
        ("callback", "callback"),
        ("goodbye", "ended"),
        ("credit", "resolved"),
    ];
    let rest = nodes.saturating_sub(15).max(2);
    let roots = (rest * 2 / 3).max(1);
    let options = (rest - roots).max(1);
    let width = roots.div_ceil(4).max(2);
    let mut out = format!("script generated \"A generated call of {nodes} nodes\" {{\n  vars customer_name\n");
    for t in 0..4 {
        out += &format!(
            "  trigger t{t} {{ customer \"Complaint {t} about the {{customer_name}} account\" -> a{} }}\n",
            t % 2
        );
    }
    for a in 0..2 {
        out += &format!(
            "  acknowledge a{a} {{ say \"I am sorry, {{customer_name}}; that sounds frustrating.\" -> m{a} }}\n"
        );
    }
    let root = |i: usize| if i < roots { format!("r{i}") } else { format!("o{}", i % options) };
    for m in 0..2 {
        out += &format!("  mirror m{m} {{ ask \"So the problem is with your order, is that right?\"");
        for i in (m..width.min(roots)).step_by(2) {
            out += &format!(" reply \"yes, part {i}\" -> r{i}");
        }
        out += if m == 0 { " otherwise -> c0 }\n" } else { " reply \"no\" -> m0 }\n" };
    }
    out += "  mirror c0 { ask \"Thanks for correcting me. What did I get wrong?\" -> m0 }\n";
    for i in 0..roots {
        let (layer, at) = (i / width, i % width);
        let next_layer = (layer + 1) * width;
        let (yes, no) = if next_layer < roots {
            (root(next_layer + at), root(next_layer + (at + 1) % width))
        } else {
            (format!("o{}", (2 * i) % options), format!("o{}", (2 * i + 1) % options))
        };
        out += &format!("  root-cause r{i} {{ ask \"Question {i}: did it start after the last update?\" reply \"yes\" -> {yes} reply \"no\" -> {no}");
        if i % 5 == 4 {
            out += " reply \"that is not it\" -> m1";
        }
        out += " }\n";
    }
    for o in 0..options {
        let pick = |k: usize| closes[(o + k) % closes.len()].0;
        out += &format!(
            "  options o{o} {{ say \"Here is what I can do right now:\" option \"Fix it today\" -> {} option \"A credit on the next bill\" -> {} option \"Talk with a supervisor\" -> {} }}\n",
            pick(0),
            pick(1),
            pick(2)
        );
    }
    for (name, outcome) in closes {
        if outcome == "resolved" || outcome == "callback" {
            out += &format!("  close {name} {{ say \"Thank you for your patience.\" outcome {outcome} follow_up \"2d\" \"check it worked\" }}\n");
        } else {
            out += &format!("  close {name} {{ say \"Thank you for your patience.\" outcome {outcome} }}\n");
        }
    }
    out + "}\n"
}
