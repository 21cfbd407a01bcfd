#!/usr/bin/env bash
# Accuracy on real text, the project's measure (README "Measured accuracy: on real text"):
#  1. the labeled real documents of ../shared/corpus/real-dev (when that folder is beside the
#     checkout; a user's clone has no such folder): precision and recall per category, kind and
#     element accuracy, from ../shared/corpus/measure.py, and how many missing-element
#     findings are right (missing_elements.py);
#  2. false alarms on two ordinary-prose corpora (Debian's Japanese guides and man pages; Debian's
#     Japanese application manuals), built by make-corpus.sh and make-prose-corpus.sh.
# Usage: bench/real-text.sh [BINARY] [--full]   (default: target/release/kintsugi-lint, built first)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
BIN=${1:-}
QUIET=--quiet
[ "${2:-}" = --full ] && QUIET=
if [ -z "$BIN" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  BIN="$ROOT/target/release/kintsugi-lint"
fi
MEASURE="$ROOT/../shared/corpus/measure.py"
if [ -f "$MEASURE" ]; then
  echo "== real-dev (labeled real documents)"
  python3 "$MEASURE" "$BIN" $QUIET
  python3 "$HERE/missing_elements.py" "$BIN" "$(dirname "$MEASURE")/real-dev"
else
  echo "== real-dev: $MEASURE not found, skipped"
fi
[ -f /tmp/kintsugi-corpus/large/one.txt ] || bash "$HERE/make-corpus.sh" >/dev/null
[ -f /tmp/kintsugi-prose2/large/one.txt ] || bash "$HERE/make-prose-corpus.sh" >/dev/null
echo "== ordinary prose 1: Debian guides and man pages"
python3 "$HERE/prose_alarms.py" "$BIN" /tmp/kintsugi-corpus/large/one.txt | tail -1
echo "== ordinary prose 2: Debian application manuals"
python3 "$HERE/prose_alarms.py" "$BIN" /tmp/kintsugi-prose2/large/one.txt | tail -1
