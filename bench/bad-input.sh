#!/usr/bin/env bash
# Times kintsugi-lint on oversized inputs and prints wall time and peak RSS (GNU time -v):
#   a ~50 MB file of many lines, and a ~5 MB file that is one single line.
# Not a test (it takes a while): run it by hand after changes to decoding, markup or the
# engine, and compare with the numbers in the README. Uses the release build.
#   bench/bad-input.sh            # build, generate inputs in a temp dir, run
#   KEEP=1 bench/bad-input.sh     # keep the generated inputs (path printed)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/time ]]; then
    echo "needs GNU time (/usr/bin/time; Debian package 'time')" >&2
    exit 2
fi
cargo build --release --quiet
bin="$PWD/target/release/kintsugi-lint"
work="$(mktemp -d)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT

# Paragraphs from the fixtures (so rules fire), repeated up to the size.
python3 - "$work" <<'PY'
import pathlib, sys
work = pathlib.Path(sys.argv[1])
seed = "".join(p.read_text(encoding="utf-8") for p in sorted(pathlib.Path("fixtures/bad").glob("*.txt")))
def fill(size, joiner):
    parts, n = [], 0
    while n < size:
        parts.append(seed)
        n += len(seed.encode())
    return joiner.join(parts)
(work / "large-50mb.txt").write_text(fill(50 * 1024 * 1024, "\n"), encoding="utf-8")
one_line = fill(5 * 1024 * 1024, "").replace("\r", "").replace("\n", "　")
(work / "one-line-5mb.txt").write_text(one_line, encoding="utf-8")
# Half the single line: time should roughly halve (no quadratic blow-up).
(work / "one-line-2.5mb.txt").write_text(one_line[: len(one_line) // 2], encoding="utf-8")
# Markup-heavy: a tag around every few characters, and a URL in every line.
lines = seed.splitlines()
html = "".join(f"<p><b>{l[:8]}</b><i>{l[8:16]}</i>{l[16:]}</p>\n" for l in lines if l)
(work / "tags-5mb.html").write_text(html * (5 * 1024 * 1024 // len(html.encode()) + 1), encoding="utf-8")
(work / "tags-2.5mb.html").write_text(html * (5 * 1024 * 1024 // len(html.encode()) // 2 + 1), encoding="utf-8")
md = "".join(f"{l} https://example.com/{i}\n" for i, l in enumerate(lines) if l)
(work / "urls-5mb.md").write_text(md * (5 * 1024 * 1024 // len(md.encode()) + 1), encoding="utf-8")
PY

run() {
    local name=$1
    shift
    local log="$work/time.log"
    /usr/bin/time -v "$bin" "$@" >/dev/null 2>"$log" || true
    local wall rss exit_status
    wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    exit_status=$(grep 'Exit status' "$log" | awk '{print $NF}')
    printf '%-28s %10s %8s MB  exit %s  (%s bytes)\n' "$name" "$wall" "$((rss / 1024))" \
        "$exit_status" "$(stat -c %s "${@: -1}")"
}

printf '%-28s %10s %11s\n' input wall peak-RSS
run "50 MB, many lines" --format concise "$work/large-50mb.txt"
run "50 MB, full format" --color never "$work/large-50mb.txt"
run "2.5 MB, one line" --format concise "$work/one-line-2.5mb.txt"
run "5 MB, one line" --format concise "$work/one-line-5mb.txt"
run "5 MB, one line, full format" --color never "$work/one-line-5mb.txt"
run "5 MB, one line, --diff" --diff "$work/one-line-5mb.txt"
run "2.5 MB HTML, dense tags" --format concise "$work/tags-2.5mb.html"
run "5 MB HTML, dense tags" --format concise "$work/tags-5mb.html"
run "5 MB Markdown, URL a line" --format concise "$work/urls-5mb.md"
[[ -z "${KEEP:-}" ]] || echo "inputs kept in $work"
