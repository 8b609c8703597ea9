//! The server's wire: LSP's base protocol (header lines, a blank line, then a body of
//! `Content-Length` bytes of JSON-RPC) read from stdin and written to stdout. The messages
//! are `lsp-server`'s types; the framing is ours, because `lsp-server`'s reader ends the
//! connection on the first bad frame and trusts every length it is given.
//!
//! **Invariant:** no input ends the server or grows its memory past a fixed bound per frame:
//! - a header line keeps at most [`MAX_HEADER_LINE`] bytes (of a longer one, only its end, which
//!   may hold the `Content-Length` of a frame that follows garbage);
//! - a `Content-Length` over [`MAX_BODY_BYTES`] is refused and its bytes skipped unread; a body
//!   is read as its bytes arrive, never allocated from the announced length alone;
//! - a body that is not UTF-8 or not JSON gets a Parse error (-32700), JSON that is no message
//!   (a batch, a number, `{}`) an Invalid Request (-32600), and reading goes on;
//! - header lines may end with LF alone; a frame without a usable `Content-Length` cannot be
//!   delimited, so its lines are skipped until a `Content-Length` header is seen again.
//!
//! The reader runs on its own thread and queues what it reads, so the main loop sees every
//! message that has arrived (and can apply a burst of edits before analysing once, see
//! `mod.rs`); the writer runs on another, so a slow client never blocks the main loop.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use serde_json::Value;

/// The longest header line kept; real ones (`Content-Length: 123`) are a few dozen bytes.
pub(crate) const MAX_HEADER_LINE: usize = 4096;

/// Of a longer header line, the bytes kept from its end: enough for a `Content-Length` line
/// glued to the garbage before it.
const KEPT_TAIL: usize = 256;

/// The largest body read: twice the largest file the server reads, so that a `didOpen` of any
/// such file fits with its JSON escapes.
pub(crate) const MAX_BODY_BYTES: u64 = 2 * crate::source::MAX_FILE_BYTES as u64;

/// How many messages may wait for the main loop before the reader waits in turn (so a client
/// that floods the server is slowed down rather than buffered without end).
const QUEUE: usize = 4096;

/// What the reader hands to the main loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A frame to answer with an error and otherwise ignore.
    Bad(BadFrame),
}

/// A frame that holds no message: the error to answer it with, under `id` (`null` unless the
/// frame named a request id).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadFrame {
    pub id: Value,
    pub code: i32,
    pub message: String,
}

impl BadFrame {
    fn new(code: ErrorCode, message: impl Into<String>) -> BadFrame {
        BadFrame { id: Value::Null, code: code as i32, message: message.into() }
    }
}

/// The server's side of the connection: the messages read, and a way to send.
pub(crate) struct Connection {
    pub receiver: Receiver<Incoming>,
    sender: Sender<Vec<u8>>,
}

impl Connection {
    /// A connection reading from `receiver` and writing framed messages to `sender` (tests
    /// use channels of their own; [`stdio`] connects the real streams).
    pub fn new(receiver: Receiver<Incoming>, sender: Sender<Vec<u8>>) -> Connection {
        Connection { receiver, sender }
    }

    pub(crate) fn send(&self, message: impl Into<Message>) {
        let mut bytes = Vec::new();
        // Writing into a Vec fails only if serialization does, which LSP types never do.
        if message.into().write(&mut bytes).is_ok() {
            // The client is gone when this fails; the loop ends when the reader sees it.
            let _ = self.sender.send(bytes);
        }
    }

    /// Answers a bad frame with its error.
    pub(crate) fn send_error(&self, bad: BadFrame) {
        let reply = serde_json::json!({
            "jsonrpc": "2.0",
            "id": bad.id,
            "error": { "code": bad.code, "message": bad.message },
        });
        let body = reply.to_string();
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body.as_bytes());
        let _ = self.sender.send(bytes);
    }
}

/// The threads behind [`stdio`].
pub(crate) struct IoThreads {
    writer: JoinHandle<()>,
}

impl IoThreads {
    /// Waits until everything sent has been written (the connection must be dropped first).
    /// The reader is not waited for: it stops after `exit` or at the end of the input, and may
    /// be blocked on an input that never ends.
    pub(crate) fn join(self) {
        if self.writer.join().is_err() {
            eprintln!("defuse lsp: the writer thread failed");
        }
    }
}

/// The connection over stdin and stdout.
pub(crate) fn stdio() -> (Connection, IoThreads) {
    let (incoming, receiver) = mpsc::sync_channel(QUEUE);
    let (sender, outgoing) = mpsc::channel::<Vec<u8>>();
    // Without these threads the server cannot run at all: failing to start them is fatal.
    std::thread::Builder::new()
        .name("lsp reader".into())
        .spawn(move || read_all(io::stdin().lock(), &incoming))
        .expect("a thread for reading stdin");
    let writer = std::thread::Builder::new()
        .name("lsp writer".into())
        .spawn(move || {
            let mut stdout = io::stdout().lock();
            for bytes in outgoing {
                if stdout.write_all(&bytes).and_then(|()| stdout.flush()).is_err() {
                    // The client closed its end; what is left to say has no reader.
                    break;
                }
            }
        })
        .expect("a thread for writing stdout");
    (Connection::new(receiver, sender), IoThreads { writer })
}

/// Reads frames from `input` into `queue` until the input ends, it fails, the main loop is
/// gone, or after `exit` (nothing is read past it).
fn read_all(input: impl BufRead, queue: &SyncSender<Incoming>) {
    let mut reader = FrameReader::new(input);
    loop {
        let incoming = match reader.next() {
            Ok(Some(incoming)) => incoming,
            Ok(None) => return,
            Err(error) => {
                eprintln!("defuse lsp: reading the input failed: {error}");
                return;
            }
        };
        let is_exit = matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if queue.send(incoming).is_err() || is_exit {
            return;
        }
    }
}

/// Reads frames one by one from an input, tolerating any bytes between them.
pub(crate) struct FrameReader<R> {
    input: R,
    /// The largest body read ([`MAX_BODY_BYTES`] but in tests).
    max_body: u64,
    /// Bytes of a refused body still to skip before the next frame.
    skip: u64,
}

/// One header line as read.
enum Line {
    /// The line (without its line end); `overlong` when only its end was kept.
    Complete { overlong: bool },
    /// The input ended.
    End,
}

impl<R: BufRead> FrameReader<R> {
    pub fn new(input: R) -> FrameReader<R> {
        FrameReader::with_limit(input, MAX_BODY_BYTES)
    }

    fn with_limit(input: R, max_body: u64) -> FrameReader<R> {
        FrameReader { input, max_body, skip: 0 }
    }

    /// The next frame's message or error; `None` when the input ends (mid-frame included:
    /// a client that stops writing halfway has gone).
    pub(crate) fn next(&mut self) -> io::Result<Option<Incoming>> {
        if self.skip > 0 {
            let skipped = io::copy(&mut (&mut self.input).take(self.skip), &mut io::sink())?;
            if skipped < self.skip {
                return Ok(None);
            }
            self.skip = 0;
        }
        let Some(length) = self.headers()? else { return Ok(None) };
        if length > self.max_body {
            self.skip = length;
            let limit = self.max_body;
            return Ok(Some(Incoming::Bad(BadFrame::new(
                ErrorCode::InvalidRequest,
                format!("a message of {length} bytes is over the limit of {limit} bytes; it is skipped"),
            ))));
        }
        // Grown as bytes arrive, so a length that is announced but never sent costs nothing.
        let mut body = Vec::with_capacity(length.min(64 * 1024) as usize);
        (&mut self.input).take(length).read_to_end(&mut body)?;
        if (body.len() as u64) < length {
            return Ok(None);
        }
        Ok(Some(decode(&body)))
    }

    /// Reads header lines up to the blank line that ends a frame's headers and gives its
    /// `Content-Length`. A frame without a usable one is skipped (noted on stderr) and the next
    /// one is read. `None` at the end of the input.
    fn headers(&mut self) -> io::Result<Option<u64>> {
        let mut line = Vec::new();
        let mut length: Option<u64> = None;
        let mut problem: Option<String> = None;
        let mut seen_any = false;
        loop {
            let overlong = match read_line(&mut self.input, &mut line)? {
                Line::End => return Ok(None),
                Line::Complete { overlong } => overlong,
            };
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.is_empty() {
                if !seen_any {
                    continue; // stray line ends between frames
                }
                match (length, problem.take()) {
                    (Some(length), _) => return Ok(Some(length)),
                    (None, problem) => {
                        let why = problem.unwrap_or_else(|| "it has no Content-Length header".into());
                        eprintln!("defuse lsp: skipped a frame: {why}");
                        seen_any = false;
                        continue;
                    }
                }
            }
            seen_any = true;
            // A `Content-Length` inside a line (garbage, or a body that was not delimited,
            // glued to the next frame's first header) starts a new frame there.
            let resync_at = find_content_length(&line).filter(|&at| at > 0);
            if resync_at.is_some() {
                (length, problem) = (None, None);
            }
            let (name, value) = match header(&line[resync_at.unwrap_or(0)..]) {
                Some(header) if !overlong || resync_at.is_some() => header,
                _ => {
                    problem = Some("a header line is malformed".into());
                    continue;
                }
            };
            if name.eq_ignore_ascii_case("content-length") {
                match value.parse::<u64>() {
                    Ok(value) => length = Some(value),
                    Err(_) => {
                        length = None;
                        problem = Some(format!("its Content-Length `{}` is not a number", value.escape_debug()));
                    }
                }
            }
        }
    }
}

/// Reads one line into `line` (its `\n` left out), keeping at most [`MAX_HEADER_LINE`] bytes:
/// of a longer line, only its last [`KEPT_TAIL`] bytes.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<Line> {
    line.clear();
    let mut overlong = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(Line::End);
        }
        let (taken, ended) = match available.iter().position(|&byte| byte == b'\n') {
            Some(at) => (at, true),
            None => (available.len(), false),
        };
        line.extend_from_slice(&available[..taken]);
        input.consume(if ended { taken + 1 } else { taken });
        if line.len() > MAX_HEADER_LINE {
            overlong = true;
            line.drain(..line.len() - KEPT_TAIL);
        }
        if ended {
            return Ok(Line::Complete { overlong });
        }
    }
}

/// `Name: value` with a name of token characters, both trimmed; `None` for anything else.
fn header(line: &[u8]) -> Option<(&str, &str)> {
    let line = std::str::from_utf8(line).ok()?;
    let (name, value) = line.split_once(':')?;
    let is_token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    (!name.is_empty() && name.chars().all(is_token)).then(|| (name, value.trim()))
}

/// Where `content-length:` (in any case) starts in `line`.
fn find_content_length(line: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length:";
    line.windows(NAME.len()).position(|window| window.eq_ignore_ascii_case(NAME))
}

/// A body as a message, or the error that answers it.
fn decode(body: &[u8]) -> Incoming {
    let Ok(text) = std::str::from_utf8(body) else {
        return Incoming::Bad(BadFrame::new(ErrorCode::ParseError, "the message is not UTF-8"));
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            return Incoming::Bad(BadFrame::new(ErrorCode::ParseError, format!("the message is not JSON: {error}")))
        }
    };
    let Value::Object(fields) = &value else {
        let why = if value.is_array() {
            "a batch of messages is not supported (LSP has none)"
        } else {
            "the message is not a JSON-RPC object"
        };
        return Incoming::Bad(BadFrame::new(ErrorCode::InvalidRequest, why));
    };
    let id = fields.get("id").cloned();
    let refused = |what: &str, error: serde_json::Error| {
        let mut bad = BadFrame::new(ErrorCode::InvalidRequest, format!("invalid {what}: {error}"));
        // An id that is no JSON-RPC id (an array, an object) is not echoed back.
        bad.id = id.clone().filter(|id| id.is_number() || id.is_string()).unwrap_or(Value::Null);
        Incoming::Bad(bad)
    };
    if fields.contains_key("method") {
        return match &id {
            Some(_) => match serde_json::from_value::<Request>(value) {
                Ok(request) => Incoming::Message(Message::Request(request)),
                Err(error) => refused("request", error),
            },
            None => match serde_json::from_value::<Notification>(value) {
                Ok(notification) => Incoming::Message(Message::Notification(notification)),
                Err(error) => refused("notification", error),
            },
        };
    }
    if id.is_some() && (fields.contains_key("result") || fields.contains_key("error")) {
        return match serde_json::from_value::<Response>(value) {
            Ok(response) => Incoming::Message(Message::Response(response)),
            Err(error) => refused("response", error),
        };
    }
    Incoming::Bad(BadFrame::new(ErrorCode::InvalidRequest, "the message is no request, notification or response"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every frame `input` holds, as text: a message's method or id, or an error's code.
    fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = FrameReader::with_limit(input, 1000);
        let mut found = Vec::new();
        while let Some(incoming) = reader.next().expect("reading a slice does not fail") {
            found.push(match incoming {
                Incoming::Message(Message::Request(request)) => format!("request {} {}", request.id, request.method),
                Incoming::Message(Message::Notification(notification)) => {
                    format!("notification {}", notification.method)
                }
                Incoming::Message(Message::Response(response)) => format!("response {}", response.id),
                Incoming::Bad(bad) => format!("error {} id {}", bad.code, bad.id),
            });
        }
        found
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    #[test]
    fn well_formed_frames_are_read_in_order() {
        let input = frame(PING)
            + &frame(r#"{"jsonrpc":"2.0","method":"note","params":{}}"#)
            + &frame(r#"{"jsonrpc":"2.0","id":"a","result":null}"#);
        assert_eq!(frames(input.as_bytes()), ["request 1 ping", "notification note", r#"response "a" "#.trim()]);
    }

    #[test]
    fn bad_bodies_are_answered_and_reading_goes_on() {
        let mut input = frame("{not json") + &frame("[]") + &frame("7") + &frame("{}");
        input += &frame(r#"{"id":[1],"method":"x"}"#);
        input += &frame(r#"{"id":4294967296,"method":"x"}"#);
        input += &frame(r#"{"method":7}"#);
        input += &frame(PING);
        let mut bytes = input.into_bytes();
        bytes.extend(b"Content-Length: 1\r\n\r\n\xff"); // a body that is not UTF-8
        assert_eq!(
            frames(&bytes),
            [
                "error -32700 id null",
                "error -32600 id null",
                "error -32600 id null",
                "error -32600 id null",
                "error -32600 id null",
                "error -32600 id 4294967296",
                "error -32600 id null",
                "request 1 ping",
                "error -32700 id null",
            ]
        );
    }

    #[test]
    fn headers_may_end_with_lf_and_carry_other_fields() {
        let input = format!(
            "content-length: {}\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n{PING}\r\n{}",
            PING.len(),
            frame(PING)
        );
        assert_eq!(frames(input.as_bytes()), ["request 1 ping", "request 1 ping"]);
    }

    #[test]
    fn a_frame_without_a_usable_length_is_skipped_up_to_the_next_length() {
        let undelimited = format!("Content-Type: x\r\n\r\n{PING}");
        let bad_number = "Content-Length: -3\r\n\r\n";
        let garbage = "no header here\r\n\r\n";
        let input = format!("{undelimited}{}{bad_number}{garbage}{}", frame(PING), frame(PING));
        assert_eq!(frames(input.as_bytes()), ["request 1 ping", "request 1 ping"]);
    }

    #[test]
    fn a_huge_length_is_refused_and_its_bytes_skipped() {
        let mut input = b"Content-Length: 1001\r\n\r\n".to_vec();
        input.extend(vec![b'x'; 1001]);
        input.extend(frame(PING).into_bytes());
        let found = frames(&input);
        assert_eq!(found, ["error -32600 id null", "request 1 ping"]);
        let unsent = b"Content-Length: 1000000000000\r\n\r\n{";
        assert_eq!(frames(unsent), ["error -32600 id null"], "the input ends while skipping");
    }

    #[test]
    fn a_long_header_line_keeps_only_its_end() {
        let mut line = Vec::new();
        let mut input = vec![b'x'; 10 * MAX_HEADER_LINE];
        input.extend(b"\nrest");
        let mut input = &input[..];
        assert!(matches!(read_line(&mut input, &mut line).unwrap(), Line::Complete { overlong: true }));
        assert!(line.len() <= MAX_HEADER_LINE && line.iter().all(|&byte| byte == b'x'));
        let glued = format!("{}{}", "y".repeat(3 * MAX_HEADER_LINE), frame(PING));
        assert_eq!(frames(glued.as_bytes()), ["request 1 ping"], "the length at its end is found");
    }

    #[test]
    fn a_body_cut_short_ends_the_input() {
        assert!(frames(b"Content-Length: 50\r\n\r\n{\"id\"").is_empty());
        assert!(frames(b"Content-Length: 5\r\n").is_empty());
    }
}
