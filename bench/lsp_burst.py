#!/usr/bin/env python3
"""Keystroke coalescing in `defuse lsp` (not a test: figures for docs/performance.md).

    python3 bench/lsp_burst.py --defuse target/release/defuse --script DIR/x.defuse [--bursts 5]

Opens the script, then
- one edit: N single edits (a letter added to a `say` line, then removed), each timed from
  the didChange to the publishDiagnostics of its version (each is one analysis);
- bursts: 100 edits (a letter typed, 100 times, as a fast typist or a paste-by-keystroke
  would) and a completion request, written in one go; timed from the write to the completion's
  answer, and the analyses counted as the publishDiagnostics that arrive before that answer
  (each analysis publishes the edited file once).
Prints one JSON object: the goal is at most 2 analyses per burst and the answer within 3x one
edit's time.
"""

import argparse
import json
import pathlib
import statistics
import time

from lsp_bench import Server


def frame(message):
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--defuse", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--burst-size", type=int, default=100)
    args = parser.parse_args()

    server = Server([args.defuse, "lsp"])
    uri, text = server.open_script(pathlib.Path(args.script).resolve())
    version = 1
    opened = server.wait_published(version)

    lines = text.split("\n")
    middle = len(lines) // 2
    say_line = next(i for i in range(middle, len(lines)) if '"' in lines[i])
    say_at = lines[say_line].index('"') + 1
    arrow_line = next(i for i in range(middle, len(lines)) if "-> " in lines[i])
    arrow_at = lines[arrow_line].index("-> ") + 3

    def change(inserting, at):
        position = {"line": say_line, "character": at}
        end = position if inserting else {"line": say_line, "character": at + 1}
        return {"range": {"start": position, "end": end}, "text": "x" if inserting else ""}

    def edit():
        nonlocal version
        version += 1
        started = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [change(version % 2 == 0, say_at)]}})
        server.wait_published(version)
        return (time.perf_counter() - started) * 1000

    if version % 2 == 1:
        edit()  # so that the timed edits start with an insertion
    edit_ms = [edit() for _ in range(args.runs)]

    burst_ms = []
    analyses = []
    for _ in range(args.bursts):
        data = b""
        # Typed one letter at a time, then deleted again in the next burst's first half: the
        # text after a burst is the text before it plus `burst_size` letters.
        for typed in range(args.burst_size):
            version += 1
            data += frame({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [change(True, say_at + typed)]}})
        server.next_id += 1
        request_id = server.next_id
        data += frame({"id": request_id, "method": "textDocument/completion", "params": {
            "textDocument": {"uri": uri}, "position": {"line": arrow_line, "character": arrow_at}}})
        started = time.perf_counter()
        server.process.stdin.write(data)
        server.process.stdin.flush()
        published = 0
        while True:
            message = server.read()
            if message.get("id") == request_id:
                assert message.get("result"), message
                break
            if message.get("method") == "textDocument/publishDiagnostics":
                published += 1
        burst_ms.append((time.perf_counter() - started) * 1000)
        analyses.append(published)
        # Undo the burst's letters in one change, waited for, so every burst starts alike.
        version += 1
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": say_line, "character": say_at},
                                          "end": {"line": say_line, "character": say_at + args.burst_size}},
                                "text": ""}]}})
        server.wait_published(version)

    server.request("shutdown", None)
    server.send({"method": "exit", "params": None})
    server.process.wait(timeout=30)

    one_edit = statistics.median(edit_ms)
    print(json.dumps({
        "bytes": len(text.encode()),
        "diagnostics_at_open": len(opened),
        "one_edit_ms": {"median": round(one_edit, 1), "max": round(max(edit_ms), 1)},
        "burst_to_answer_ms": [round(ms, 1) for ms in burst_ms],
        "analyses_per_burst": analyses,
        "worst_answer_vs_one_edit": round(max(burst_ms) / one_edit, 2),
    }))


if __name__ == "__main__":
    main()
