//! `defuse play FILE [--script NAME] [--var name=value]... [--vars FILE] [--transcript FILE]`:
//! rehearse a script in the terminal. Shows the call stage by stage, offers numbered choices
//! for replies and options, reads one choice per line from stdin (its number, or its text in
//! any case; piped input works, and is echoed so a transcript reads like the session), re-asks
//! on invalid input, takes `back` to undo the last choice, and ends at a close with its
//! outcome, follow-up and the path taken.
//!
//! The call itself comes from the conversation model ([`crate::call`]): where it starts,
//! what is said with vars filled, which choices the caller has, and when it ends.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use petgraph::graph::NodeIndex;

use super::error::{CliError, CommandResult, Status};
use super::shared;
use crate::call::{Call, Choice, ChoiceKind, Halt, LineKind, Vars, Walk};
use crate::graph::ScriptGraph;
use crate::output::{self, Markdown};
use crate::syntax::ast::{Stage, Str};

/// The longest input line read; `play < /dev/zero` must not read forever or hold an endless
/// line in memory.
const MAX_INPUT_LINE: u64 = 4096;

/// The largest `--vars` file read: a table of placeholder values is a few lines.
const MAX_VARS_FILE: u64 = 1024 * 1024;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The script file (or a directory, with --script)
    file: PathBuf,
    /// The script to rehearse, when FILE holds several
    #[arg(long, value_name = "NAME")]
    script: Option<String>,
    /// Fill a placeholder: --var customer_name=Sam (repeatable; wins over --vars)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Fill placeholders from a TOML file of `name = "value"` lines
    #[arg(long = "vars", value_name = "FILE")]
    vars_file: Option<PathBuf>,
    /// Also write the session as Markdown to FILE (a handout for training)
    #[arg(long, value_name = "FILE")]
    transcript: Option<PathBuf>,
    /// Save the rehearsal, when it reaches a close, as a transcript test that passes
    #[arg(long, value_name = "OUT.dtest")]
    record: Option<PathBuf>,
    /// Rehearse in this locale (from `locales/L/*.po`): lines and choices in its language
    #[arg(long, value_name = "L")]
    locale: Option<String>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once('=').ok_or("expected NAME=VALUE")?;
    Ok((name.trim().to_owned(), value.to_owned()))
}

pub fn run(args: Args) -> CommandResult {
    let (_, project, file) = shared::compile_one_in(&args.file, args.script.as_deref(), args.locale.as_deref())?;
    let script = project.item(file).expect("compiled");
    let mut values = match &args.vars_file {
        Some(path) => read_vars_file(path)?,
        None => Vec::new(),
    };
    values.extend(args.vars);
    let vars = Vars::new(values);
    if let Some(unknown) = vars.names().find(|name| !script.vars.iter().any(|v| v.name == *name)) {
        let declared: Vec<&str> = script.vars.iter().map(|v| v.name.as_str()).collect();
        return Err(CliError::input(format!(
            "`{unknown}` is not a var of script `{}` (its vars: {})",
            script.name.name,
            declared.join(", ")
        )));
    }
    let inputs = project.sources.ids().map(|id| project.sources.get(id).path.as_path());
    let writer = crate::files::write::Writer::refusing(inputs);
    // Refuse a bad target before the rehearsal, not after the trainer has played it.
    for path in args.transcript.iter().chain(&args.record) {
        writer.check(path).map_err(|error| CliError::input(error.to_string()))?;
    }
    let graph = ScriptGraph::build(&project, file);
    let stdin = std::io::stdin();
    let echo = !stdin.is_terminal();
    let mut session = Session {
        call: Call::new(&project, &graph),
        vars,
        input: stdin.lock(),
        echo,
        out: String::new(),
        transcript: Transcript::default(),
        ended: None,
    };
    let status = session.play();
    output::stdout().text(&session.out);
    if let Some(path) = &args.transcript {
        let markdown = session.transcript.markdown(&script.name.name, script.title.as_ref().map(|t| t.value.as_str()));
        writer.write(path, markdown.as_bytes()).map_err(|error| CliError::input(error.to_string()))?;
        crate::errln!("wrote {}", crate::source::display_path(path));
    }
    if let (Some(out), Some(walk)) = (&args.record, &session.ended) {
        // A test written to a stream (`--record /dev/stdout > t.dtest`) lands where the shell
        // puts it, most likely here: its `use` is relative to the working directory.
        let placed = if crate::files::write::is_own_descriptor(out) { Path::new("recorded.dtest") } else { out };
        let used = crate::dtest::record::use_path(placed, &project.sources.get(file).path);
        // Named after what it walks, so several recorded tests read apart in a report.
        let call = &session.call;
        let end = walk.at();
        let name = format!("{} to {} ({})", call.id(walk.path[0]), call.id(end), call.node(end).outcome().keyword());
        let text =
            crate::dtest::record::transcript(&session.call, &used, &name, walk.path[0], &walk.edges, &session.vars)
                .expect("a rehearsal that reached a close is a walk of the call");
        writer.write(out, text.as_bytes()).map_err(|error| CliError::input(error.to_string()))?;
        crate::errln!("Recorded the rehearsal as a test in `{}`.", crate::source::display_path(out));
    }
    // A reader that went away ends the rehearsal; that is no failure of the script.
    Ok(if output::stdout().is_closed() { Status::Clean } else { status })
}

/// `name = "value"` lines (a TOML table of strings), read through the one reading layer.
fn read_vars_file(path: &Path) -> Result<Vec<(String, String)>, CliError> {
    let shown = crate::source::display_path(path);
    let text = crate::files::read::FileSource::read(&crate::files::read::Disk, path, MAX_VARS_FILE)
        .map_err(|message| CliError::input(format!("cannot read `{shown}`: {message}")))?;
    let table: toml::Table =
        text.parse().map_err(|error| CliError::input(format!("`{shown}` is not a TOML table of vars: {error}")))?;
    table
        .into_iter()
        .map(|(name, value)| match value {
            toml::Value::String(value) => Ok((name, value)),
            other => Err(CliError::input(format!(
                "`{shown}`: var `{name}` must be a string (in quotes), found a {}",
                other.type_str()
            ))),
        })
        .collect()
}

struct Session<'a, R> {
    call: Call<'a>,
    vars: Vars,
    input: R,
    echo: bool,
    /// Output is buffered between prompts and flushed before reading. It goes out through
    /// [`output::Sink::text`], so script text shows control characters as escapes.
    out: String,
    transcript: Transcript,
    /// The walk, once it reached a close (what `--record` writes).
    ended: Option<Walk>,
}

/// What the caller typed at a prompt.
enum Answer {
    Chose(usize),
    Back,
    /// Input ended (or a line was too long to be an answer).
    Ended,
}

impl<R: BufRead> Session<'_, R> {
    fn play(&mut self) -> Status {
        let script = self.call.project.item(self.call.graph.script).expect("compiled");
        // The title is plain text, never a template (contract section 2).
        let title = script.title.as_ref().map(|t| format!(" — “{}”", t.value)).unwrap_or_default();
        self.say(&format!("Rehearsing {}{title}", script.name.name));
        self.say(
            "Type the number or the text of the customer's answer or choice, then Enter (`back` undoes the last choice).",
        );

        let starts = self.call.starts();
        let start = if starts.len() == 1 {
            starts[0]
        } else {
            let labels: Vec<String> = starts.iter().map(|&trigger| self.start_label(trigger)).collect();
            self.say("How does the call start?");
            loop {
                match self.ask(&labels) {
                    Answer::Chose(i) => break starts[i],
                    Answer::Back => self.say("  Nothing to undo yet."),
                    Answer::Ended => return self.input_ended(),
                }
            }
        };

        let mut walk = Walk::start(start);
        self.show(start);
        loop {
            let call = self.call;
            let halt = walk.settle(&call, |node| self.show(node));
            match halt {
                Halt::Ended(outcome) => {
                    self.close(&walk);
                    self.transcript.ended(outcome.keyword());
                    self.ended = Some(walk);
                    return Status::Clean;
                }
                Halt::Loops => {
                    self.say("Rehearsal stopped: the script goes round without asking anything.");
                    return Status::Failed;
                }
                Halt::Stuck => {
                    self.say("Rehearsal stopped: this node has no way on.");
                    return Status::Failed;
                }
                Halt::Choose(choices) => {
                    let labels: Vec<String> = choices.iter().map(|choice| self.choice_label(choice)).collect();
                    let at_options = self.call.node(walk.at()).stage == Stage::Options;
                    self.say(if at_options { "  The customer picks:" } else { "  The customer answers:" });
                    match self.ask(&labels) {
                        Answer::Chose(i) => {
                            self.transcript.chose(&labels[i]);
                            walk.choose(&choices[i]);
                            self.show(walk.at());
                        }
                        Answer::Back => {
                            if walk.back() {
                                self.transcript.went_back();
                                self.say("  (back)");
                                self.show(walk.at());
                            } else {
                                self.say("  Nothing to undo yet.");
                            }
                        }
                        Answer::Ended => return self.input_ended(),
                    }
                }
            }
        }
    }

    fn say(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// `text` filled, with the continuation lines of multi-line text indented under the first.
    fn fill(&self, node: NodeIndex, text: &Str, indent: usize) -> String {
        let filled = self.vars.fill(text, self.call.source(node));
        filled.replace('\n', &format!("\n{:indent$}", ""))
    }

    fn start_label(&self, trigger: NodeIndex) -> String {
        match self.call.first_line(trigger) {
            Some(text) => format!("“{}”", self.vars.fill(text, self.call.source(trigger))),
            None => self.call.id(trigger),
        }
    }

    fn show(&mut self, node: NodeIndex) {
        let found = self.call.node(node);
        let id = self.call.id(node);
        let outcome =
            if found.stage == Stage::Close { format!(" ({})", found.outcome().keyword()) } else { String::new() };
        self.say(&format!("\n── {} · {id}{outcome} ──", found.stage.keyword()));
        self.transcript.node(found.stage.keyword(), &id);
        for line in self.call.lines(node).collect::<Vec<_>>() {
            let (prefix, suffix) = match line.kind {
                LineKind::Say => ("  Agent: ", ""),
                LineKind::Ask => ("  Agent asks: ", ""),
                LineKind::Customer => ("  Customer: ", ""),
                LineKind::Note => ("  (trainer note: ", ")"),
                LineKind::Hold => ("  [hold: ", "]"),
                LineKind::Transfer => ("  [transfer to ", "]"),
            };
            let text = self.fill(node, line.text, prefix.chars().count());
            self.say(&format!("{prefix}{text}{suffix}"));
            self.transcript.line(line.kind, &self.vars.fill(line.text, self.call.source(node)));
        }
    }

    fn choice_label(&self, choice: &Choice) -> String {
        let from = self.call.graph.graph.edge_endpoints(choice.edge).expect("an edge of this graph").0;
        match (choice.kind, choice.label) {
            (_, Some(label)) => self.fill(from, label, 7),
            (ChoiceKind::Otherwise, None) => "(anything else)".to_owned(),
            _ => format!("(go on to {})", self.call.id(choice.target)),
        }
    }

    /// Offers `labels` as 1…n and reads until a valid choice or `back`.
    fn ask(&mut self, labels: &[String]) -> Answer {
        use std::io::Read;
        for (i, label) in labels.iter().enumerate() {
            self.say(&format!("    {}) {label}", i + 1));
        }
        loop {
            self.out.push_str("> ");
            output::stdout().text(&std::mem::take(&mut self.out));
            output::stdout().flush();
            if output::stdout().is_closed() {
                return Answer::Ended;
            }
            let mut line = String::new();
            let read = (&mut self.input).take(MAX_INPUT_LINE + 1).read_line(&mut line);
            if read.unwrap_or(0) == 0 {
                self.say("");
                return Answer::Ended;
            }
            if line.len() as u64 > MAX_INPUT_LINE {
                self.say(&format!(
                    "\n  That input line is longer than {MAX_INPUT_LINE} bytes; no answer is that long."
                ));
                return Answer::Ended;
            }
            let answer = line.trim();
            if self.echo {
                self.say(answer);
            }
            if answer.eq_ignore_ascii_case("back") || answer.eq_ignore_ascii_case("b") {
                return Answer::Back;
            }
            match answer.parse::<usize>() {
                Ok(n) if (1..=labels.len()).contains(&n) => return Answer::Chose(n - 1),
                _ => {}
            }
            if let Some(i) = labels.iter().position(|label| same_words(label, answer)) {
                return Answer::Chose(i);
            }
            self.say(&format!(
                "  Please type a number from 1 to {}, or the text of a choice (or `back`).",
                labels.len()
            ));
        }
    }

    fn close(&mut self, walk: &Walk) {
        let node = walk.at();
        let found = self.call.node(node);
        if let Some((after, note)) = found.follow_up() {
            let line = format!("  Follow-up after {}: {}", after.value, self.fill(node, note, 2));
            self.say(&line);
            self.transcript.follow_up(&after.value, &self.vars.fill(note, self.call.source(node)));
        }
        self.say(&format!("\nCall ended: {}.", found.outcome().keyword()));
        let names: Vec<String> = walk.path.iter().map(|&n| self.call.id(n)).collect();
        self.say(&format!("Path taken: {}", names.join(" → ")));
    }

    fn input_ended(&mut self) -> Status {
        self.say("Rehearsal stopped: the input ended before the call was closed.");
        self.transcript.stopped();
        Status::Failed
    }
}

/// Whether `typed` is the text of the choice shown as `label`: the same words, whatever their
/// case and spacing (a label over several lines is typed on one), without the quotes a
/// trigger's first line is shown in.
fn same_words(label: &str, typed: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.trim_matches(|c: char| c == '“' || c == '”' || c.is_whitespace())
            .split_whitespace()
            .map(str::to_lowercase)
            .collect()
    };
    let typed = words(typed);
    !typed.is_empty() && words(label) == typed
}

/// The session as a Markdown handout: each node a heading, each line a quote by its speaker,
/// each choice in bold. Script text is Markdown-escaped, so it reads as written.
#[derive(Default)]
struct Transcript {
    markdown: String,
}

/// Script text in the handout, escaped as Markdown for a document read as plain text too.
fn handout(text: &str) -> String {
    output::markdown_text(text, Markdown::Handout)
}

impl Transcript {
    /// Ends the block before with one blank line (the heading comes first, before any text).
    fn blank_line(&mut self) {
        if self.markdown.is_empty() {
            self.markdown.push('\n');
            return;
        }
        while !self.markdown.ends_with("\n\n") {
            self.markdown.push('\n');
        }
    }

    fn node(&mut self, stage: &str, id: &str) {
        self.blank_line();
        self.markdown.push_str(&format!("### {stage} · {}\n\n", handout(id)));
    }

    fn line(&mut self, kind: LineKind, text: &str) {
        let speaker = match kind {
            LineKind::Say | LineKind::Ask => "**Agent:**",
            LineKind::Customer => "**Customer:**",
            LineKind::Note => "*Trainer note:*",
            LineKind::Hold => "*Hold:*",
            LineKind::Transfer => "*Transfer to:*",
        };
        let text = handout(text).replace('\n', "  \n> ");
        self.markdown.push_str(&format!("> {speaker} {text}\n\n"));
    }

    fn chose(&mut self, label: &str) {
        self.markdown.push_str(&format!("- The customer chose: **{}**\n", handout(label)));
    }

    fn went_back(&mut self) {
        self.markdown.push_str("- *(back: the last choice was undone)*\n");
    }

    fn follow_up(&mut self, after: &str, note: &str) {
        self.markdown.push_str(&format!("Follow-up after {}: {}\n\n", handout(after), handout(note)));
    }

    fn ended(&mut self, outcome: &str) {
        self.blank_line();
        self.markdown.push_str(&format!("**Call ended: {outcome}.**\n"));
    }

    fn stopped(&mut self) {
        self.blank_line();
        self.markdown.push_str("*The rehearsal stopped before the call was closed.*\n");
    }

    fn markdown(&self, script: &str, title: Option<&str>) -> String {
        let heading = match title {
            Some(title) => format!("# Rehearsal: {} — {}\n", handout(script), handout(title)),
            None => format!("# Rehearsal: {}\n", handout(script)),
        };
        heading + &self.markdown
    }
}

#[cfg(test)]
mod tests {
    use super::same_words;

    #[test]
    fn typed_text_matches_a_label_by_its_words() {
        assert!(same_words("Yes, nothing yet", "  yes,  NOTHING yet "));
        assert!(same_words("First line\n       second line", "first line second line"));
        assert!(same_words("“Where is my refund?”", "where is my refund?"));
        assert!(!same_words("Refund today", "refund"));
        assert!(!same_words("", ""));
    }
}
