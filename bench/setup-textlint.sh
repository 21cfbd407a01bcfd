#!/usr/bin/env bash
# Installs the textlint peer locally (no global install) from the committed lockfile into
# $DEST (default /tmp/kintsugi-bench/textlint): textlint 15.8.0 + textlint-rule-prh 6.1.0
# (bench/textlint/prh.yml: the built-in rules' phrase rewrites) + textlint-rule-ja-no-weak-phrase
# 2.0.0. Then lints a sample with the network cut off, to prove kuromoji's dictionary ships
# inside the npm package (so the timed runs never download anything).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST=${DEST:-/tmp/kintsugi-bench/textlint}
mkdir -p "$DEST" && cd "$DEST"
cp "$HERE/textlint/package.json" "$HERE/textlint/package-lock.json" "$HERE/textlint/prh.yml" \
   "$HERE/textlint/.textlintrc.json" .
{ [ -x node_modules/.bin/textlint ] && npm ls --depth=0 >/dev/null 2>&1; } || npm ci --no-audit --no-fund
test -s node_modules/kuromoji/dict/base.dat.gz
OFFLINE=""; unshare -n true 2>/dev/null && OFFLINE="unshare -n"
n=$( { $OFFLINE ./node_modules/.bin/textlint -c .textlintrc.json -f json "$HERE/textlint/sample.txt" || true; } \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).reduce((a,f)=>a+f.messages.length,0)))')
echo "textlint offline smoke test (${OFFLINE:-network not cut}): $n findings on sample.txt"
[ "$n" -ge 5 ]
