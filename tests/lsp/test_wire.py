"""The server's wire, spoken in raw bytes to the real binary (issue 26): bad frames, the
shutdown sequence, and bursts of edits.

Each test writes bytes a well-behaved client never would (a body that is not JSON, no
`Content-Length`, LF-only headers, a batch, a huge length, a header with no line end) and
checks that the server answers what it can and goes on answering: the contract (spec section
9) says it never exits on bad input.
"""

import json
import pathlib
import threading
import time

import test_protocol
from test_protocol import SCRIPT

PARSE_ERROR = -32700
INVALID_REQUEST = -32600


class Raw(test_protocol.Raw):
    """A raw connection whose server is killed after a minute, so that a reply that never
    comes fails the test ("the server closed its output") instead of hanging it."""

    def __init__(self, tmp_path):
        super().__init__(tmp_path)
        self.watchdog = threading.Timer(60, self.process.kill)
        self.watchdog.daemon = True
        self.watchdog.start()


def frame(body, header=b"Content-Length: %d\r\n\r\n"):
    return header % len(body) + body


def message(**fields):
    return json.dumps({"jsonrpc": "2.0", **fields}).encode()


def write(server, data):
    server.process.stdin.write(data)
    server.process.stdin.flush()


def still_answers(server):
    """The server answers a hover on a node of an open script, and ends with status 0."""
    server.open(SCRIPT)
    at_node = {"textDocument": {"uri": server.uri}, "position": {"line": 2, "character": 15}}
    hover = server.request("textDocument/hover", at_node)
    assert hover["result"]["contents"]["value"].startswith("**acknowledge** `a`"), hover
    assert server.finish() == 0


def error_reply(server):
    """The next message, which must be an error answer with a null id."""
    reply = server.read()
    assert reply.get("id", "missing") is None and "error" in reply, reply
    return reply["error"]


def rss_kib(server):
    for line in pathlib.Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_body_that_is_not_json_gets_a_parse_error(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    write(server, frame(b'{"jsonrpc": "2.0", "id": 5, "method": '))
    assert error_reply(server)["code"] == PARSE_ERROR
    still_answers(server)


def test_a_body_that_is_not_utf8_gets_a_parse_error(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    write(server, frame(b'{"jsonrpc": "2.0", "method": "x\xff\xfe"}'))
    assert error_reply(server)["code"] == PARSE_ERROR
    still_answers(server)


def test_a_batch_is_an_invalid_request(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    write(server, frame(b"[]"))
    assert error_reply(server)["code"] == INVALID_REQUEST
    write(server, frame(b'[{"jsonrpc": "2.0", "id": 9, "method": "shutdown"}]'))
    assert error_reply(server)["code"] == INVALID_REQUEST
    still_answers(server)


def test_json_that_is_no_message_is_an_invalid_request(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    for body in [b"7", b'"text"', b"{}", b'{"jsonrpc": "2.0", "id": 3}', b'{"id": [1], "method": "x"}']:
        write(server, frame(body))
        assert error_reply(server)["code"] == INVALID_REQUEST, body
    still_answers(server)


def test_a_request_id_that_does_not_fit_is_answered_with_that_id(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    write(server, frame(message(id=2**40, method="textDocument/hover", params={})))
    reply = server.read()
    assert reply["id"] == 2**40 and reply["error"]["code"] == INVALID_REQUEST, reply
    still_answers(server)


def test_lf_only_headers_are_accepted(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    write(server, frame(message(id=77, method="textDocument/documentSymbol", params={"textDocument": {"uri": server.uri}}), b"Content-Length: %d\n\n"))
    reply = server.read()
    assert reply["id"] == 77 and "result" in reply, reply
    still_answers(server)


def test_a_frame_without_content_length_is_skipped_and_the_next_one_read(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    lost = message(id=40, method="textDocument/documentSymbol", params={"textDocument": {"uri": server.uri}})
    write(server, b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + lost)
    # Garbage headers too: a header line with no colon, a length that is no number.
    write(server, b"what is this\r\nContent-Length: lots\r\n\r\n")
    still_answers(server)


def test_a_huge_content_length_is_refused_without_allocating_it(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    before = rss_kib(server)
    write(server, b"Content-Length: 1000000000000\r\n\r\n{")
    assert error_reply(server)["code"] == INVALID_REQUEST
    time.sleep(0.5)
    assert server.process.poll() is None, "the server died"
    assert rss_kib(server) < before + 20_000
    # The announced bytes never come: the input closing ends the server normally.
    server.process.stdin.close()
    assert server.process.wait(timeout=20) == 1


def test_a_header_line_with_no_end_is_not_buffered_without_limit(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    before = rss_kib(server)
    chunk = b"x" * (1 << 20)
    for _ in range(64):
        write(server, chunk)
    time.sleep(0.5)
    assert server.process.poll() is None, "the server died"
    grown = rss_kib(server) - before
    assert grown < 20_000, f"64 MiB of one header line grew the server by {grown} KiB"
    # The line ends: it is no header and is dropped; the next frame is read as usual.
    write(server, b"\r\n")
    still_answers(server)


def test_a_request_after_shutdown_is_refused_and_exit_ends_with_0(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    server.open(SCRIPT)
    assert server.request("shutdown", None)["result"] is None
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": server.uri}})
    assert symbols["error"]["code"] == INVALID_REQUEST, symbols
    assert server.request("shutdown", None)["error"]["code"] == INVALID_REQUEST
    server.notify("exit", None)
    assert server.process.wait(timeout=20) == 0


def test_notifications_between_shutdown_and_exit_are_ignored(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    server.open(SCRIPT)
    assert server.request("shutdown", None)["result"] is None
    server.notify("textDocument/didClose", {"textDocument": {"uri": server.uri}})
    server.notify("textDocument/didSave", {"textDocument": {"uri": server.uri}})
    server.notify("exit", None)
    assert server.process.wait(timeout=20) == 0


def test_a_request_before_initialize_is_refused(tmp_path):
    server = Raw(tmp_path)
    server.send({"id": 1, "method": "textDocument/hover", "params": {}})
    assert server.read()["error"]["code"] == -32002
    write(server, frame(b"not json"))
    assert error_reply(server)["code"] == PARSE_ERROR
    still_answers_after_initialize = server.initialize()
    assert "capabilities" in still_answers_after_initialize["result"]
    assert server.finish() == 0


def test_a_burst_of_edits_is_analysed_at_most_a_few_times(tmp_path):
    """100 edits written at once, then a request: the server applies every pending edit and
    analyses once before answering, rather than once per edit. How many analyses run while the
    bytes arrive depends on the machine, so the bound is loose; one per edit fails it."""
    server = Raw(tmp_path)
    server.initialize()
    burst = frame(message(method="textDocument/didOpen", params={"textDocument": {"uri": server.uri, "languageId": "defuse", "version": 1, "text": SCRIPT}}))
    for version in range(2, 102):
        text = SCRIPT.replace("-> c", "-> c%d" % version) if version < 101 else SCRIPT
        change = {"textDocument": {"uri": server.uri, "version": version}, "contentChanges": [{"text": text}]}
        burst += frame(message(method="textDocument/didChange", params=change))
    burst += frame(message(id=500, method="textDocument/documentSymbol", params={"textDocument": {"uri": server.uri}}))
    write(server, burst)
    published = []
    while True:
        reply = server.read()
        if reply.get("id") == 500:
            break
        if reply.get("method") == "textDocument/publishDiagnostics":
            published.append(reply["params"]["version"])
    assert published[-1] == 101, published
    assert len(published) <= 10, f"{len(published)} analyses for one burst: {published}"
    assert server.finish() == 0
