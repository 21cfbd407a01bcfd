#!/usr/bin/env python3
"""How many `missing-element` findings on the labeled real documents are right: a finding is
wrong when the editor labeled the part it calls missing as present.

Usage: bench/missing_elements.py BINARY [REAL_DEV_DIR]   (default: ../shared/corpus/real-dev)
"""
import json
import os
import re
import subprocess
import sys

# The element names in messages, as rules/documents.toml names them, to the label keys.
NAMES = {"謝罪": "apology", "事実": "facts", "影響": "impact", "原因": "cause",
         "暫定対策": "interim-measure", "恒久対策": "permanent-measure",
         "次回報告・完了予定": "schedule", "問い合わせ先": "contact"}


def main():
    binary = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "..", "shared", "corpus", "real-dev")
    labels = [json.loads(line) for line in open(os.path.join(root, "doc-labels.jsonl"), encoding="utf-8")]
    total = wrong = 0
    for label in labels:
        path = os.path.join(root, "docs", label["doc"] + ".txt")
        run = subprocess.run([binary, "--isolated", "--format", "json", path], capture_output=True, timeout=120)
        for finding in json.loads(run.stdout)["files"][0]["findings"]:
            named = re.search("「([^」]+)」がありません", finding["message"])
            element = NAMES.get(named.group(1)) if finding["rule"] == "missing-element" and named else None
            if element:
                total += 1
                wrong += bool(label[element])
    print(f"missing-element findings: {total}, right: {total - wrong}, wrong (part labeled present): {wrong}")


if __name__ == "__main__":
    main()
