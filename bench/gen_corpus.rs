//! Generates a corpus of valid, realistic de-escalation scripts for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --scripts 10000 --nodes 20 --out /tmp/corpus
//! cargo run --release --example gen_corpus -- --scripts 1 --nodes 100000 --out /tmp/huge
//! ```
//!
//! Each script is trigger → acknowledge → mirror (with a clarify loop) → a chain of
//! root-cause questions, each with a way out to an options node → closes from a shared
//! library. Every script checks clean under the default levels, whatever its size, so a
//! benchmark measures the full pipeline rather than error reporting. Output is
//! deterministic for given arguments.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// How many script files
    #[arg(long, default_value_t = 100)]
    scripts: usize,
    /// Nodes per script (at least 8)
    #[arg(long, default_value_t = 20)]
    nodes: usize,
    /// Output directory (created; existing files with the same names are replaced)
    #[arg(long)]
    out: PathBuf,
}

const TOPICS: &[&str] = &["refund", "delivery", "billing", "outage", "account", "repair", "upgrade", "return"];
const FEELINGS: &[&str] = &["frustrating", "stressful", "disappointing", "worrying", "annoying", "exhausting"];
const QUESTIONS: &[&str] = &[
    "When did you first notice the problem with your {topic}?",
    "Did you receive a confirmation email about the {topic} after you contacted us?",
    "Has anyone from our team already looked at this {topic} for you?",
    "Which of your accounts is the {topic} connected to, so I can pull it up now?",
    "Is the {topic} affecting anything else at home or at work today?",
];
const OFFERS: &[&str] = &[
    "Fix the {topic} today and send you a written confirmation",
    "A credit on your next bill while we sort out the {topic}",
    "A callback from a specialist about the {topic} tomorrow morning",
];

/// A small deterministic generator (no external randomness: corpora are reproducible).
struct Lcg(u64);

impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        items[(self.0 >> 33) as usize % items.len()]
    }
}

fn library() -> String {
    r#"library closings {
  close resolved {
    say "Thank you for staying with me while we sorted this out. You'll get an email confirming what we agreed."
    follow_up "48h" "Check that what we agreed has happened and email the customer"
  }

  close callback {
    say "I've booked the callback for the time we agreed. Thank you for your patience today."
    outcome callback
    follow_up "24h" "Make the callback before the agreed time"
  }

  close supervisor {
    say "I'm bringing in my supervisor, who can approve this. I'll stay on the line until they join."
    transfer "supervisors"
    outcome escalated
  }
}
"#
    .to_owned()
}

fn script(index: usize, nodes: usize, rng: &mut Lcg) -> String {
    let topic = rng.pick(TOPICS);
    let fill = |text: &str| text.replace("{topic}", topic);
    let mut out = String::with_capacity(nodes * 260);
    let _ = writeln!(out, "# Generated script {index}: a caller upset about their {topic}.");
    let _ = writeln!(out, "use \"../lib/closings.defuse\"\n");
    let _ = writeln!(out, "script case_{index} \"Caller upset about their {topic} ({index})\" {{");
    let _ = writeln!(out, "  meta {{ owner \"team-{}\" tags \"{topic}\" \"generated\" }}", index % 17);
    let _ = writeln!(out, "  vars customer_name\n");
    let _ = writeln!(
        out,
        "  trigger upset {{\n    customer \"This is the third time I'm calling about my {topic}!\"\n    -> hear\n  }}\n"
    );
    let _ = writeln!(
        out,
        "  acknowledge hear {{\n    say \"I'm sorry, {{customer_name}}. That sounds really {}, and I want to help.\"\n    -> restate\n  }}\n",
        rng.pick(FEELINGS)
    );
    let _ = writeln!(
        out,
        "  mirror restate {{\n    ask \"So the {topic} still isn't sorted after several calls. Is that right?\"\n    reply \"yes\" -> q0\n    otherwise -> clarify\n  }}\n"
    );
    let _ = writeln!(
        out,
        "  mirror clarify {{\n    ask \"Tell me what I missed about the {topic}.\"\n    -> restate\n  }}\n"
    );
    // Fixed nodes: trigger, acknowledge, 2 mirrors, and one options node per 10 questions.
    let questions = nodes.saturating_sub(5).max(1) * 10 / 11;
    let offers = questions.div_ceil(10);
    for q in 0..questions {
        let next = if q + 1 < questions { format!("q{}", q + 1) } else { format!("offer{}", offers - 1) };
        let _ = writeln!(
            out,
            "  root-cause q{q} {{\n    ask \"{}\"\n    reply \"tell me more\" -> {next}\n    reply \"that's all\" -> offer{}\n  }}\n",
            fill(rng.pick(QUESTIONS)),
            q / 10
        );
    }
    for o in 0..offers {
        let _ = writeln!(
            out,
            "  options offer{o} {{\n    say \"Thank you for bearing with me. Here is what I can do:\"\n    option \"{}\" -> closings.resolved\n    option \"{}\" -> closings.callback\n    option \"Talk with a supervisor\" -> closings.supervisor\n  }}\n",
            fill(OFFERS[0]),
            fill(OFFERS[2])
        );
    }
    out.truncate(out.trim_end().len());
    out.push_str("\n}\n");
    out
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(args.out.join("lib"))?;
    std::fs::write(args.out.join("lib/closings.defuse"), library())?;
    let mut rng = Lcg(42);
    let mut bytes = 0;
    for index in 0..args.scripts {
        let text = script(index, args.nodes.max(8), &mut rng);
        bytes += text.len();
        // Spread files over directories like a real repository.
        let dir = args.out.join(format!("team_{:02}", index % 50));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("case_{index}.defuse")), text)?;
    }
    eprintln!("wrote {} scripts ({:.1} MB) to {}", args.scripts, bytes as f64 / 1e6, args.out.display());
    Ok(())
}
