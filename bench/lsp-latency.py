#!/usr/bin/env python3
"""Latency of `kintsugi-lint server` as an editor sees it (issue 17's targets):

  * first diagnostics after didOpen, counted from the server's start (process spawn);
  * re-lint after one keystroke on a two-page letter: an incremental didChange of one
    character, then a textDocument/diagnostic pull, which lints at once (no debounce).
    The round trip is server time plus a pipe hop; the median over many keystrokes.

  bench/lsp-latency.py [path/to/kintsugi-lint]   (default: target/release/kintsugi-lint)

The letter is the project's own fixtures put together (about 2,400 characters, two printed
pages); nothing is written to disk.
"""
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/kintsugi-lint")
KEYSTROKES = 200


def letter():
    names = ["good/apology-letter.txt", "bad/apology-letter.txt", "good/incident-report.txt",
             "bad/incident-report.txt", "bad/keigo.txt"]
    parts = [open(os.path.join(ROOT, "fixtures", n), encoding="utf-8").read() for n in names]
    return "\n".join(parts)


class Server:
    def __init__(self):
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([BIN, "server"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit("the server closed its output")
            line = line.strip()
            if not line:
                break
            if line.startswith(b"Content-Length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                return message

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})


def main():
    text = letter()
    uri = "file://" + os.path.join(ROOT, "fixtures", "two-page-letter.txt")
    server = Server()
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    server.notify("initialized", {})
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
    while True:
        message = server.read()
        if message.get("method") == "textDocument/publishDiagnostics":
            first = time.perf_counter() - server.started
            count = len(message["params"]["diagnostics"])
            break
    times = []
    for version in range(2, KEYSTROKES + 2):
        # Type one character at the end of line 3, then ask for the diagnostics.
        change = {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                  "text": "あ"}
        began = time.perf_counter()
        server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        times.append(time.perf_counter() - began)
    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait()
    print(f"letter: {len(text)} characters, {count} findings")
    print(f"first diagnostics after start + didOpen: {first * 1000:.1f} ms")
    print(f"re-lint after one keystroke (didChange + pull round trip), {KEYSTROKES} keystrokes: "
          f"median {statistics.median(times) * 1000:.2f} ms, "
          f"p90 {statistics.quantiles(times, n=10)[-1] * 1000:.2f} ms")


main()
