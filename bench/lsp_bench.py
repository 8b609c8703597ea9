#!/usr/bin/env python3
"""Latency and memory of `defuse lsp` (not a test: figures for docs/performance.md).

    python3 bench/lsp_bench.py --defuse target/release/defuse --script DIR/x.defuse [--edits 2000]

Speaks LSP over stdio with no client library: opens the script (and reports how many
diagnostics it has: 0 for a clean project, which is what is meant to be measured), then
- diagnostics: N edits (a letter added to a `say` line, then removed), each timed from the
  didChange to the publishDiagnostics for that version;
- CPU: the server's CPU time (every thread) per edit of each kind, steadier than latency on a
  machine shared with other work;
- edge change: N edits that retarget a `reply` (to another node, then back), which changes the
  graph, so the graph rules run again (the incremental check's worst common case);
- completion: N requests after a `->` in the middle of the file;
- memory: the server's resident set size (VmRSS) after each 500 of `--edits` edits, each
  edit waited for, so the last figure is comparable with the first.
Prints one JSON object.
"""

import argparse
import os
import json
import pathlib
import statistics
import subprocess
import time


class Server:
    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = 0
        while (line := self.process.stdout.readline()) != b"\r\n":
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while (message := self.read()).get("id") != self.next_id:
            pass
        return message

    def wait_published(self, version):
        while True:
            message = self.read()
            if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["version"] == version:
                return message["params"]["diagnostics"]

    def open_script(self, path):
        """Initializes the server and opens `path` as version 1; returns its URI and text."""
        text = path.read_text()
        uri = path.as_uri()
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.send({"method": "initialized", "params": {}})
        self.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "defuse", "version": 1, "text": text}}})
        return uri, text

    def cpu_ms(self):
        """The server's CPU time so far (user + system, every thread), in milliseconds."""
        fields = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--defuse", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--edits", type=int, default=0)
    args = parser.parse_args()

    server = Server([args.defuse, "lsp"])
    uri, text = server.open_script(pathlib.Path(args.script).resolve())
    version = 1
    started = time.perf_counter()
    opened = server.wait_published(version)
    open_ms = (time.perf_counter() - started) * 1000

    lines = text.split("\n")
    middle = len(lines) // 2
    say_line = next(i for i in range(middle, len(lines)) if '"' in lines[i])
    say_at = lines[say_line].index('"') + 1
    arrow_line = next(i for i in range(middle, len(lines)) if "-> " in lines[i])
    arrow_at = lines[arrow_line].index("-> ") + 3
    edge_line = next(i for i in range(middle, len(lines)) if "-> offer" in lines[i])
    edge_at = lines[edge_line].index("-> offer") + 3
    edge_target = lines[edge_line][edge_at:].strip()
    other_target = "offer0" if edge_target != "offer0" else "offer1"

    def edit():
        nonlocal version
        version += 1
        inserting = version % 2 == 0
        position = {"line": say_line, "character": say_at}
        end = position if inserting else {"line": say_line, "character": say_at + 1}
        change = {"range": {"start": position, "end": end}, "text": "x" if inserting else ""}
        started = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        server.wait_published(version)
        return (time.perf_counter() - started) * 1000

    def retarget():
        nonlocal version
        version += 1
        old, new = (edge_target, other_target) if version % 2 == 0 else (other_target, edge_target)
        start = {"line": edge_line, "character": edge_at}
        end = {"line": edge_line, "character": edge_at + len(old)}
        change = {"range": {"start": start, "end": end}, "text": new}
        started = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        server.wait_published(version)
        return (time.perf_counter() - started) * 1000

    cpu = server.cpu_ms()
    change_ms = [edit() for _ in range(args.runs)]
    change_cpu = (server.cpu_ms() - cpu) / args.runs
    # An even number, so the text ends as it started.
    cpu = server.cpu_ms()
    edge_ms = [retarget() for _ in range(args.runs + args.runs % 2)]
    edge_cpu = (server.cpu_ms() - cpu) / (args.runs + args.runs % 2)
    completion_ms = []
    for _ in range(args.runs):
        started = time.perf_counter()
        reply = server.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": arrow_line, "character": arrow_at}})
        completion_ms.append((time.perf_counter() - started) * 1000)
        assert reply.get("result"), reply
    rss = [server.rss_kib()]
    for done in range(1, args.edits + 1):
        edit()
        if done % 500 == 0:
            rss.append(server.rss_kib())
    server.request("shutdown", None)
    server.send({"method": "exit", "params": None})
    server.process.wait(timeout=30)

    def summary(values):
        values = sorted(values)
        return {"median": round(statistics.median(values), 1), "p90": round(values[int(len(values) * 0.9)], 1)}

    print(json.dumps({
        "bytes": len(text.encode()),
        "open_ms": round(open_ms, 1),
        "diagnostics_at_open": len(opened),
        "change_to_diagnostics_ms": summary(change_ms),
        "change_cpu_ms_per_edit": round(change_cpu, 1),
        "edge_change_to_diagnostics_ms": summary(edge_ms),
        "edge_change_cpu_ms_per_edit": round(edge_cpu, 1),
        "completion_ms": summary(completion_ms),
        "rss_kib_every_500_edits": rss,
    }))


if __name__ == "__main__":
    main()
