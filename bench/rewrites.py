#!/usr/bin/env python3
"""Each finding's first rewrite applied to its sentence, for a reader to judge: is the result
grammatical Japanese, and does it fix what the finding names?

Usage: rewrites.py BINARY FILE... [--rule ID]
Prints, per finding with a suggestion: the rule, the sentence before and after. For a
developer's eyes: when FILE is third-party text (real-dev, the prose corpora), nothing printed
here may be copied into the project.
"""
import argparse, json, subprocess, sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from prose_alarms import sentences  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rule")
    a = ap.parse_args()
    for path in a.files:
        raw = open(path, "rb").read()
        p = subprocess.run([a.binary, "--isolated", "--format", "json", path], capture_output=True)
        for f in json.loads(p.stdout)["files"][0]["findings"]:
            if not f.get("suggestions") or (a.rule and f["rule"] != a.rule):
                continue
            text = raw.decode("utf-8")
            start = len(raw[: f["byte_start"]].decode("utf-8"))
            end = len(raw[: f["byte_end"]].decode("utf-8"))
            s, e = next(((s, e) for s, e in sentences(text) if s <= start < e), (start, end))
            e = max(e, end)
            new = f["suggestions"][0]["replacement"]
            print(f"{path.rsplit('/', 1)[-1]} [{f['rule']}] ({f['suggestions'][0].get('applicability')})")
            print(f"  - {text[s:e].strip()}")
            print(f"  + {(text[s:start] + new + text[end:e]).strip()}")


if __name__ == "__main__":
    main()
