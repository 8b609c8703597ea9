"""The server's edges, spoken raw over stdio: exit statuses, bad input, bursts of edits.

These do not go through pytest-lsp's client: they send what a well-behaved client never
would (malformed parameters, unknown methods, exit without shutdown) and read every
message the server writes.
"""

import json
import pathlib
import subprocess

from conftest import BIN

SCRIPT = 'script s {\n  trigger t { -> a }\n  acknowledge a { say "hi" -> c }\n  close c { say "bye" outcome ended }\n}\n'


class Raw:
    def __init__(self, tmp_path):
        self.process = subprocess.Popen(
            [BIN, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
        )
        self.next_id = 0
        self.uri = (tmp_path / "s.defuse").as_uri()

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            assert line, "the server closed its output"
            if line == b"\r\n":
                break
            name, value = line.decode().split(":", 1)
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id:
                return message

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def initialize(self):
        reply = self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})
        return reply

    def open(self, text, version=1):
        item = {"uri": self.uri, "languageId": "defuse", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})

    def finish(self, shutdown=True):
        if shutdown:
            assert self.request("shutdown", None)["result"] is None
        self.notify("exit", None)
        return self.process.wait(timeout=20)


def test_shutdown_then_exit_ends_with_status_0(tmp_path):
    server = Raw(tmp_path)
    assert server.initialize()["result"]["capabilities"]["positionEncoding"] == "utf-16"
    assert server.finish() == 0


def test_exit_without_shutdown_ends_with_status_1(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    assert server.finish(shutdown=False) == 1


def test_a_closed_input_ends_the_server(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    server.process.stdin.close()
    assert server.process.wait(timeout=20) == 1


def test_bad_requests_get_errors_and_the_server_goes_on(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    server.open(SCRIPT)
    bad = server.request("textDocument/hover", {"textDocument": 7})
    assert bad["error"]["code"] == -32602, bad
    unknown = server.request("defuse/nothing", {})
    assert unknown["error"]["code"] == -32601, unknown
    far = {"textDocument": {"uri": server.uri}, "position": {"line": 4000000000, "character": 4000000000}}
    assert server.request("textDocument/hover", far)["result"] is None
    not_open = {"textDocument": {"uri": "file:///nowhere/x.defuse"}, "position": {"line": 0, "character": 0}}
    assert server.request("textDocument/definition", not_open)["result"] is None
    server.notify("textDocument/didChange", {"textDocument": {"uri": server.uri}})  # malformed: ignored
    at_node = {"textDocument": {"uri": server.uri}, "position": {"line": 2, "character": 15}}
    hover = server.request("textDocument/hover", at_node)["result"]
    assert hover["contents"]["value"].startswith("**acknowledge** `a`")
    assert server.finish() == 0


def test_garbage_text_never_ends_the_server(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    garbage = "script { } } ->->-> \"\"\" \x00 {{{{ " + "{" * 100_000 + " trigger x { -> "
    server.open(garbage)
    for method in ["textDocument/hover", "textDocument/definition", "textDocument/completion"]:
        for line, character in [(0, 0), (0, 20), (0, 100_030), (0, 100_050)]:
            params = {"textDocument": {"uri": server.uri}, "position": {"line": line, "character": character}}
            assert "result" in server.request(method, params)
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": server.uri}})
    assert symbols["result"] is None
    assert server.finish() == 0


def test_a_burst_of_edits_publishes_only_the_latest_version(tmp_path):
    server = Raw(tmp_path)
    server.initialize()
    server.open(SCRIPT)
    for version in range(2, 52):
        text = SCRIPT.replace("-> c", "-> c%d" % version)
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": server.uri, "version": version}, "contentChanges": [{"text": text}]},
        )
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": server.uri, "version": 52}, "contentChanges": [{"text": SCRIPT}]},
    )
    # A request answered after the burst: every publication before it is in order, and the
    # last one is for version 52 (with its clean text). How many versions in between were
    # analysed depends on how fast the messages arrive, so it is not asserted.
    server.next_id += 1
    server.send({"id": server.next_id, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": server.uri}}})
    published = []
    while True:
        message = server.read()
        if message.get("id") == server.next_id:
            break
        if message.get("method") == "textDocument/publishDiagnostics":
            published.append((message["params"]["version"], message["params"]["diagnostics"]))
    versions = [version for version, _ in published]
    assert versions == sorted(versions)
    assert versions[-1] == 52 and published[-1][1] == []
    assert server.finish() == 0
