#!/usr/bin/env bash
# Packages the VS Code extension as a .vsix with vsce (from npm). Needs node, npm and the
# npm registry, so CI (no internet) never runs it: it is opt-in, here and in
# `cargo test --test vscode -- --ignored`.
#   editors/vscode/package.sh [OUT.vsix]   (default: editors/vscode/kintsugi-lint.vsix)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/kintsugi-lint.vsix}")
# Built in a scratch copy, so node_modules never lands in the repository.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/extension.js" "$here/README.md" "$work/"
cd "$work"
npm install --no-audit --no-fund --loglevel=error
npx vsce package --allow-missing-repository --skip-license --out "$out"
echo "wrote $out"
