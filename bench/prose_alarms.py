#!/usr/bin/env python3
"""Findings per 1,000 sentences of ordinary prose: every one is a false alarm in a text that
is not an apology, a report or a notice.

Usage: prose_alarms.py BINARY FILE... [--show N]
Lints each FILE with `BINARY --isolated --format json`, counts its sentences the way the
linter splits them (a line break or 。．！？!? outside 「」『』 ends one), and prints the
findings per rule and the rate per 1,000 sentences. --show N prints N findings per rule with
their sentence, for a developer's eyes only: the corpora keep their packages' licences and
must not be copied into the project.
"""
import argparse, collections, json, subprocess, sys

TERMINATORS = set("。．！？!?")


def sentences(text):
    """(start, end) character ranges of the sentences of `text`."""
    out, start, depth = [], 0, 0
    for i, c in enumerate(text):
        if c == "\n":
            out.append((start, i)); start, depth = i + 1, 0
        elif c in "「『":
            depth += 1
        elif c in "」』" and depth:
            depth -= 1
        elif c in TERMINATORS and not depth:
            out.append((start, i + 1)); start = i + 1
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--show", type=int, default=0)
    a = ap.parse_args()
    by_rule, examples, total_sentences = collections.Counter(), collections.defaultdict(list), 0
    for path in a.files:
        raw = open(path, "rb").read()
        text = raw.decode("utf-8")
        spans = sentences(text)
        total_sentences += len(spans)
        p = subprocess.run([a.binary, "--isolated", "--format", "json", path], capture_output=True)
        if p.returncode not in (0, 1):
            sys.exit(f"{path}: exit {p.returncode}: {p.stderr.decode(errors='replace')[:300]}")
        for f in json.loads(p.stdout)["files"][0]["findings"]:
            key = (f["category"], f["rule"])
            by_rule[key] += 1
            if len(examples[key]) < a.show:
                at = len(raw[: f["byte_start"]].decode("utf-8", errors="replace"))
                s, e = next(((s, e) for s, e in spans if s <= at < e), (at, at + 60))
                examples[key].append(text[s:e].strip()[:160])
    findings = sum(by_rule.values())
    for (category, rule), n in by_rule.most_common():
        print(f"{n:6}  {category:26} {rule}")
        for line in examples[(category, rule)]:
            print(f"          {line}")
    rate = 1000 * findings / max(1, total_sentences)
    print(f"prose: {findings} findings in {total_sentences} sentences = {rate:.2f} per 1,000 sentences")


if __name__ == "__main__":
    main()
