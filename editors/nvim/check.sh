#!/usr/bin/env bash
# Runs Neovim headless (Debian's `neovim`, its built-in LSP client) against
# `kintsugi-lint server` on a fixture and prints the diagnostics it received.
#   editors/nvim/check.sh [FILE]     (default: fixtures/bad/apology-letter.txt)
# KINTSUGI_LINT=path/to/kintsugi-lint picks the binary (default: target/release, then debug).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${KINTSUGI_LINT:-}
if [[ -z $bin ]]; then
    for candidate in "$root/target/release/kintsugi-lint" "$root/target/debug/kintsugi-lint"; do
        [[ -x $candidate ]] && bin=$candidate && break
    done
fi
[[ -n $bin ]] || { echo "build kintsugi-lint first (cargo build --release)" >&2; exit 2; }
command -v nvim >/dev/null || { echo "needs Neovim: apt-get install -y neovim" >&2; exit 2; }
file=$(realpath "${1:-$root/fixtures/bad/apology-letter.txt}")
cd "$(dirname "$file")"
KINTSUGI_LINT_BIN=$bin nvim --headless --clean -u NONE -i NONE -n \
    -c "luafile $here/check.lua" "$file"
