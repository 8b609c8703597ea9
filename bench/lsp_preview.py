#!/usr/bin/env python3
"""Edit → preview answered, for `defuse lsp`'s `defuse/preview` (not a test: figures for
docs/performance.md).

    python3 bench/lsp_preview.py --defuse target/release/defuse --script DIR/x.defuse [--edits 2000]

Opens the script, then times N edits (a letter added to a `say` line, then removed), each
from the didChange to the answer of a `defuse/preview` request sent right after it with the
cursor in the edited node (to the last byte of the answer; and, apart, to the answer decoded
by this Python client), as the VS Code extension asks once its debounce has passed (the
server analyses the edit, then builds the page). Every answer must hold a page. Then
`--edits` more edits, each followed by a preview, with the server's resident set size
(VmRSS) after each 500. Prints one JSON object.
"""

import argparse
import json
import pathlib
import statistics
import time

from lsp_bench import Server


class TimedServer(Server):
    """Notes when each message's bytes have all arrived (`read_at`), before the bench decodes
    them: decoding an 8 MB page takes Python 100–400 ms, which is the bench's cost, not the
    server's (VS Code's JSON.parse takes a fraction of it)."""

    def read(self):
        length = 0
        while (line := self.process.stdout.readline()) != b"\r\n":
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = self.process.stdout.read(length)
        self.read_at = time.perf_counter()
        return json.loads(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--defuse", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--edits", type=int, default=0)
    args = parser.parse_args()

    server = TimedServer([args.defuse, "lsp"])
    uri, text = server.open_script(pathlib.Path(args.script).resolve())
    opened = server.wait_published(1)
    version = 1

    lines = text.split("\n")
    middle = len(lines) // 2
    say_line = next(i for i in range(middle, len(lines)) if '"' in lines[i])
    say_at = lines[say_line].index('"') + 1
    cursor = {"line": say_line, "character": say_at}

    def preview():
        reply = server.request("defuse/preview", {"textDocument": {"uri": uri}, "position": cursor})
        result = reply.get("result") or {}
        assert result.get("html"), reply.get("error") or result.get("message")
        assert result["version"] == version, (result["version"], version)
        return result

    def edit_then_preview():
        nonlocal version
        version += 1
        inserting = version % 2 == 0
        end = cursor if inserting else {"line": say_line, "character": say_at + 1}
        change = {"range": {"start": cursor, "end": end}, "text": "x" if inserting else ""}
        started = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        result = preview()
        return (server.read_at - started) * 1000, (time.perf_counter() - started) * 1000

    first = preview()
    timed = [edit_then_preview() for _ in range(args.runs)]
    preview_ms = [answered for answered, _ in timed]
    decoded_ms = [decoded for _, decoded in timed]
    rss = [server.rss_kib()]
    for done in range(1, args.edits + 1):
        edit_then_preview()
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
        "nodes_drawn": len(first["definitions"]),
        "diagnostics_at_open": len(opened),
        "page_bytes": len(first["html"].encode()),
        "selected": first["selected"],
        "edit_to_preview_ms": summary(preview_ms),
        "edit_to_preview_decoded_ms": summary(decoded_ms),
        "rss_kib_every_500_edits": rss,
    }))


if __name__ == "__main__":
    main()
