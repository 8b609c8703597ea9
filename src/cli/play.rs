//! `defuse play FILE [--script NAME] [--var name=value]...`: rehearse a script in the
//! terminal. Shows the call stage by stage, offers numbered choices for replies and
//! options, reads one choice per line from stdin (piped input works, and is echoed so a
//! transcript reads like the session), re-asks on invalid input, and ends at a close with
//! its outcome, follow-up and the path taken.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use petgraph::graph::NodeIndex;

use super::workspace;
use crate::graph::ScriptGraph;
use crate::resolve::Project;
use crate::syntax::ast::{Node, Stage, StmtKind};

/// Steps without a choice before play gives up; a checked script never comes near it.
const MAX_AUTOMATIC_STEPS: usize = 10_000;

#[derive(clap::Args)]
pub struct Args {
    /// The script file (or a directory, with --script)
    file: PathBuf,
    /// The script to rehearse, when FILE holds several
    #[arg(long, value_name = "NAME")]
    script: Option<String>,
    /// Fill a placeholder: --var customer_name=Sam (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Save the rehearsal, when it reaches a close, as a transcript test that passes
    #[arg(long, value_name = "OUT.dtest")]
    record: Option<PathBuf>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once('=').ok_or("expected NAME=VALUE")?;
    Ok((name.trim().to_owned(), value.to_owned()))
}

pub fn run(args: Args) -> u8 {
    let (project, file) = match workspace::compile_one(&args.file, args.script.as_deref()) {
        Ok(found) => found,
        Err(status) => return status,
    };
    let script = project.item(file).expect("compiled");
    let vars: BTreeMap<String, String> = args.vars.into_iter().collect();
    if let Some(unknown) = vars.keys().find(|name| !script.vars.iter().any(|v| &v.name == *name)) {
        let declared: Vec<&str> = script.vars.iter().map(|v| v.name.as_str()).collect();
        eprintln!(
            "error: `{unknown}` is not a var of script `{}` (its vars: {})",
            script.name.name,
            declared.join(", ")
        );
        return 2;
    }
    let writer = crate::files::write::Writer::refusing(
        (0..project.sources.len()).map(|f| project.sources.get(f).path.as_path()),
    );
    if let Some(out) = &args.record {
        if let Err(error) = writer.check(out) {
            eprintln!("error: {error}");
            return 2;
        }
    }
    let graph = ScriptGraph::build(&project, file);
    let stdin = std::io::stdin();
    let echo = !stdin.is_terminal();
    let mut session = Session {
        project: &project,
        graph: &graph,
        vars,
        input: stdin.lock(),
        echo,
        out: String::new(),
        walk: Vec::new(),
        taken: Vec::new(),
    };
    let status = session.play();
    print!("{}", session.out);
    let _ = std::io::stdout().flush();
    match (&args.record, session.walk.first()) {
        (Some(out), Some(&start)) if status == 0 => {
            let call = crate::call::Call::new(&project, &graph);
            let vars = crate::call::Vars::new(session.vars.clone());
            let used = crate::dtest::record::use_path(out, &project.sources.get(file).path);
            let name = format!("rehearsal of {}", script.name.name);
            let text = crate::dtest::record::transcript(&call, &used, &name, start, &session.taken, &vars)
                .expect("a rehearsal that reached a close is a walk of the call");
            if let Err(error) = writer.write(out, text.as_bytes()) {
                eprintln!("error: {error}");
                return 2;
            }
            eprintln!("Recorded the rehearsal as a test in `{}`.", crate::source::display_path(out));
            status
        }
        _ => status,
    }
}

struct Session<'a, R> {
    project: &'a Project,
    graph: &'a ScriptGraph,
    vars: BTreeMap<String, String>,
    input: R,
    echo: bool,
    /// Output is buffered between prompts and flushed before reading.
    out: String,
    /// Where the call started and every edge it took, for `--record`.
    walk: Vec<NodeIndex>,
    taken: Vec<petgraph::graph::EdgeIndex>,
}

impl<'a, R: BufRead> Session<'a, R> {
    fn play(&mut self) -> u8 {
        let script = self.project.item(self.graph.script).expect("compiled");
        let title = script.title.as_ref().map(|t| format!(" — “{}”", t.value)).unwrap_or_default();
        self.say(&format!("Rehearsing {}{title}", script.name.name));
        self.say("Type the number of the customer's answer or choice, then Enter.");

        let triggers: Vec<NodeIndex> = self.graph.triggers(self.project).collect();
        let start = if triggers.len() == 1 {
            Some(triggers[0])
        } else {
            let labels: Vec<String> = triggers
                .iter()
                .map(|&t| {
                    let node = self.node(t);
                    crate::emit::first_line(node).map_or(node.name.name.clone(), |line| format!("“{line}”"))
                })
                .collect();
            self.say("How does the call start?");
            self.choose(&labels).map(|i| triggers[i])
        };
        let Some(mut at) = start else { return self.input_ended() };

        let mut path = vec![at];
        self.walk = vec![at];
        let mut automatic = 0;
        loop {
            self.show(at);
            let node = self.node(at);
            if node.stage == Stage::Close {
                self.close(node, &path);
                return 0;
            }
            let edges = self.graph.out_edges(at);
            let next = if edges.len() == 1 {
                automatic += 1;
                if automatic > MAX_AUTOMATIC_STEPS {
                    self.say("Rehearsal stopped: the script goes round without asking anything.");
                    return 1;
                }
                self.taken.push(edges[0].0);
                edges[0].1
            } else {
                automatic = 0;
                let labels: Vec<String> = edges.iter().map(|&(edge, target)| self.choice_label(edge, target)).collect();
                self.say(if node.stage == Stage::Options {
                    "  The customer picks:"
                } else {
                    "  The customer answers:"
                });
                match self.choose(&labels) {
                    Some(i) => {
                        self.taken.push(edges[i].0);
                        edges[i].1
                    }
                    None => return self.input_ended(),
                }
            };
            path.push(next);
            at = next;
        }
    }

    fn node(&self, index: NodeIndex) -> &'a Node {
        self.project.node(self.graph.graph[index])
    }

    fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    fn fill(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (name, value) in &self.vars {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    fn show(&mut self, index: NodeIndex) {
        let node = self.node(index);
        let name = self.project.qualified_name(self.graph.graph[index]);
        let outcome =
            if node.stage == Stage::Close { format!(" ({})", node.outcome().keyword()) } else { String::new() };
        let mut lines = vec![format!("\n── {} · {name}{outcome} ──", node.stage.keyword())];
        for stmt in &node.stmts {
            let line = match &stmt.kind {
                StmtKind::Say(text) => format!("  Agent: {}", self.fill(&text.value)),
                StmtKind::Ask(text) => format!("  Agent asks: {}", self.fill(&text.value)),
                StmtKind::Customer(text) => format!("  Customer: {}", self.fill(&text.value)),
                StmtKind::Note(text) => format!("  (trainer note: {})", self.fill(&text.value)),
                StmtKind::Hold(text) => format!("  [hold: {}]", self.fill(&text.value)),
                StmtKind::Transfer(text) => format!("  [transfer to {}]", self.fill(&text.value)),
                _ => continue,
            };
            lines.push(line);
        }
        for line in lines {
            self.say(&line);
        }
    }

    fn choice_label(&self, edge: petgraph::graph::EdgeIndex, target: NodeIndex) -> String {
        let weight = self.graph.graph[edge];
        match &self.project.node(weight.from).stmts[weight.stmt].kind {
            StmtKind::Reply(label, _) | StmtKind::Option(label, _) => self.fill(&label.value),
            StmtKind::Otherwise(_) => "(anything else)".to_owned(),
            _ => format!("(go on to {})", self.project.qualified_name(self.graph.graph[target])),
        }
    }

    /// Offers `labels` as 1…n and reads until a valid choice; `None` when input ends.
    fn choose(&mut self, labels: &[String]) -> Option<usize> {
        for (i, label) in labels.iter().enumerate() {
            self.say(&format!("    {}) {label}", i + 1));
        }
        loop {
            self.out.push_str("> ");
            print!("{}", std::mem::take(&mut self.out));
            let _ = std::io::stdout().flush();
            let mut line = String::new();
            if self.input.read_line(&mut line).unwrap_or(0) == 0 {
                self.say("");
                return None;
            }
            let answer = line.trim();
            if self.echo {
                self.say(answer);
            }
            match answer.parse::<usize>() {
                Ok(n) if (1..=labels.len()).contains(&n) => return Some(n - 1),
                _ => self.say(&format!("  Please type a number from 1 to {}.", labels.len())),
            }
        }
    }

    fn close(&mut self, node: &Node, path: &[NodeIndex]) {
        if let Some((after, note)) = node.follow_up() {
            let line = format!("  Follow-up after {}: {}", after.value, self.fill(&note.value));
            self.say(&line);
        }
        self.say(&format!("\nCall ended: {}.", node.outcome().keyword()));
        let names: Vec<String> = path.iter().map(|&n| self.project.qualified_name(self.graph.graph[n])).collect();
        self.say(&format!("Path taken: {}", names.join(" → ")));
    }

    fn input_ended(&mut self) -> u8 {
        self.say("Rehearsal stopped: the input ended before the call was closed.");
        1
    }
}
