#!/usr/bin/env bash
# Times kintsugi-lint against its floor (lindera segmentation alone, examples/lindera_raw.rs)
# and its peer (textlint + prh + ja-no-weak-phrase) on real Japanese prose, side by side in
# one run, and checks the speed targets and that the findings did not change.
#
#   bench/run.sh             everything (~10 min on 2 cores; textlint dominates)
#   SKIP_TEXTLINT=1 bench/run.sh   without the peer
#   UPDATE_EXPECTED=1 bench/run.sh after an intended change of the rules: take this run's
#                                  findings as the new reference (bench/expected/)
#
# Needs: cargo, python3, hyperfine, GNU time (/usr/bin/time), node/npm (for textlint), and
# apt-get download access to Debian's archive for the corpus (make-corpus.sh). The corpus
# is generated into /tmp and never committed: it keeps its packages' licences.
# Results: a Markdown table on stdout and in $WORK/results.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CORPUS=${CORPUS:-/tmp/kintsugi-corpus}
WORK=${WORK:-/tmp/kintsugi-bench}
TEXTLINT_LARGE_LIMIT=${TEXTLINT_LARGE_LIMIT:-180}   # seconds; textlint never finishes 10 MB
mkdir -p "$WORK"

echo "== build (release)" >&2
(cd "$ROOT" && cargo build --release --quiet --bin kintsugi-lint --example lindera_raw)
K="$ROOT/target/release/kintsugi-lint"
RAW="$ROOT/target/release/examples/lindera_raw"

echo "== corpus" >&2
[ -s "$CORPUS/large/one.txt" ] && [ -s "$CORPUS/tiny/one-line.txt" ] || OUT="$CORPUS" "$HERE/make-corpus.sh" >&2
cd "$CORPUS"
SMALL=(small/*.txt)
python3 - <<'EOF'   # 1, 2, 4, 8 MB prefixes of the large file, cut at line ends
import os
text = open("large/one.txt", "rb").read()
os.makedirs("scale", exist_ok=True)
for mb in (1, 2, 4, 8):
    cut = text.rindex(b"\n", 0, mb * 1_000_000) + 1
    open(f"scale/{mb}mb.txt", "wb").write(text[:cut])
EOF

TL=""
if [ -z "${SKIP_TEXTLINT:-}" ]; then
  echo "== textlint" >&2
  DEST="$WORK/textlint" "$HERE/setup-textlint.sh" >&2
  TL="$WORK/textlint/node_modules/.bin/textlint -c $WORK/textlint/.textlintrc.json"
fi

# bench/expected/ holds the reference run (statistics, and a hash of every finding); a faster
# linter must find exactly the same things. Rule changes renew it with UPDATE_EXPECTED=1.
echo "== findings: 1 thread = 2 threads = reference (bench/expected/)" >&2
status=0
for set in tiny small large; do
  "$K" --isolated --threads 1 --format concise "$set" > "$WORK/$set.1.txt" || true
  "$K" --isolated --threads 2 --format concise "$set" > "$WORK/$set.2.txt" || true
  if ! cmp -s "$WORK/$set.1.txt" "$WORK/$set.2.txt"; then
    echo "FAIL: $set: findings differ between 1 and 2 threads" >&2; status=1
  fi
  "$K" --isolated --statistics "$set" > "$WORK/$set.stats.txt" || true
  if [ -n "${UPDATE_EXPECTED:-}" ]; then
    cp "$WORK/$set.stats.txt" "$HERE/expected/$set.stats.txt"
    sha256sum < "$WORK/$set.1.txt" | cut -c1-64 > "$HERE/expected/$set.concise.sha256"
  fi
  if ! diff -u "$HERE/expected/$set.stats.txt" "$WORK/$set.stats.txt" >&2; then
    echo "FAIL: $set: finding counts differ from bench/expected/$set.stats.txt" >&2; status=1
  fi
  if [ "$(sha256sum < "$WORK/$set.1.txt" | cut -c1-64)" != "$(cat "$HERE/expected/$set.concise.sha256")" ]; then
    echo "FAIL: $set: findings (--format concise) differ from the reference run" >&2; status=1
  fi
  echo "$set: $(wc -l < "$WORK/$set.1.txt") findings, same with 1 and 2 threads and as the reference" >&2
done
[ $status = 0 ] || { echo "findings changed: not timing a linter that is wrong" >&2; exit 1; }

HF=(hyperfine --style basic --ignore-failure)
echo "== tiny (start-up)" >&2
# A start-up takes milliseconds and the machine's hiccups are of the same size: 100 runs
# each (textlint, at a second a run, gets its own 10).
"${HF[@]}" -N --warmup 10 --runs 100 --export-json "$WORK/tiny.json" \
  "$K --isolated tiny/one-line.txt" "$RAW tiny/one-line.txt" >&2
rm -f "$WORK/tiny-peer.json"
[ -n "$TL" ] && "${HF[@]}" -N --warmup 1 --runs 10 --export-json "$WORK/tiny-peer.json" "$TL tiny/one-line.txt" >&2
echo "== small (100 files, ~1 MB)" >&2
small=("$K --isolated small" "$K --isolated --threads 1 small" "$RAW ${SMALL[*]}")
[ -n "$TL" ] && small+=("$TL ${SMALL[*]}")
"${HF[@]}" --warmup 1 --min-runs 10 --max-runs 30 --export-json "$WORK/small.json" "${small[@]}" >&2
# hyperfine times each command in one block of runs, so a machine that drifts between the
# two blocks (this 2-core VM does, by a few per cent) shifts their ratio. The thread-scaling
# target is measured on alternating runs instead: 1 thread, all cores, all cores, 1 thread,
# ..., each timed from spawn to exit (the spawn's own ~1 ms counts on both sides, which only
# pulls the ratio towards 1).
echo "== threads (small, alternating --threads 1 and all cores)" >&2
K="$K" WORK="$WORK" python3 - <<'EOF' >&2
import json, os, statistics, subprocess, time
k, work = os.environ["K"], os.environ["WORK"]
one, all_cores = [k, "--isolated", "--threads", "1", "small"], [k, "--isolated", "small"]
def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start
for _ in range(3):
    timed(one), timed(all_cores)
t1, t2 = [], []
for i in range(40):
    order = [(one, t1), (all_cores, t2)]
    for cmd, times in order if i % 2 == 0 else reversed(order):
        times.append(timed(cmd))
json.dump({"one": t1, "all": t2}, open(f"{work}/threads.json", "w"))
m1, m2 = statistics.median(t1), statistics.median(t2)
print(f"1 thread {m1 * 1000:.1f} ms, all cores {m2 * 1000:.1f} ms: {m1 / m2:.2f}x")
EOF
echo "== large (1 file, ~10 MB)" >&2
"${HF[@]}" --warmup 1 --min-runs 3 --max-runs 5 --export-json "$WORK/large.json" "$K --isolated large/one.txt" \
  "$K --isolated --threads 1 large/one.txt" "$RAW large/one.txt" >&2
echo "== linearity (--threads 1)" >&2
"${HF[@]}" --warmup 1 --min-runs 3 --max-runs 5 --export-json "$WORK/scale.json" \
  -L mb 1,2,4,8 "$K --isolated --threads 1 scale/{mb}mb.txt" >&2
echo "== peak memory (GNU time)" >&2
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
echo "k_large $(peak "$K" --isolated large/one.txt)" > "$WORK/memory.txt"
echo "raw_large $(peak "$RAW" large/one.txt)" >> "$WORK/memory.txt"
TL_LARGE="skipped"
if [ -n "$TL" ]; then
  echo "== textlint on the large file (limit ${TEXTLINT_LARGE_LIMIT} s)" >&2
  t0=$(date +%s.%N)
  rc=0; timeout "$TEXTLINT_LARGE_LIMIT" $TL large/one.txt >/dev/null 2>&1 || rc=$?
  case $rc in
    0|1) TL_LARGE="$(python3 -c "import time; print(f'{time.time() - $t0:.1f} s')") (one run)" ;;
    124) TL_LARGE="did not finish in ${TEXTLINT_LARGE_LIMIT} s" ;;
    *) TL_LARGE="failed (exit $rc)" ;;
  esac
fi

MACHINE="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr)"
WORK="$WORK" MACHINE="$MACHINE" TL_LARGE="$TL_LARGE" python3 - <<'EOF' | tee "$WORK/results.md"
import json, os, statistics
w = os.environ["WORK"]
def load(name):
    return {r["command"]: r for r in json.load(open(f"{w}/{name}.json"))["results"]}
tiny, small, large, scale = (load(n) for n in ("tiny", "small", "large", "scale"))
if os.path.exists(f"{w}/tiny-peer.json"):
    tiny.update(load("tiny-peer"))
def pick(res, tool, threads1=False):
    for c, r in res.items():
        exe = c.split(" ")[0]
        if exe.endswith(tool) and ("--threads 1" in c) == threads1:
            return r["median"]
    return None
fmt = lambda s: "–" if s is None else (f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s")
ratio = lambda a, b: "–" if a is None or b is None else f"{a / b:.2f}×"
k = [pick(tiny, "kintsugi-lint"), pick(small, "kintsugi-lint"), pick(large, "kintsugi-lint")]
k1 = [None, pick(small, "kintsugi-lint", True), pick(large, "kintsugi-lint", True)]
f = [pick(tiny, "lindera_raw"), pick(small, "lindera_raw"), pick(large, "lindera_raw")]
t = [pick(tiny, "textlint"), pick(small, "textlint"), None]
mem = dict(l.split() for l in open(f"{w}/memory.txt"))
print(f"Machine: {os.environ['MACHINE']}. Medians of whole runs (start-up included), hyperfine.\n")
print("| | tiny (1 line) | small (100 files, 0.98 MB) | large (1 file, 10 MB) |")
print("|---|---|---|---|")
print("| kintsugi-lint (built-in rules, all cores) | " + " | ".join(map(fmt, k)) + " |")
print("| kintsugi-lint `--threads 1` | – | " + fmt(k1[1]) + " | " + fmt(k1[2]) + " |")
print("| floor: lindera segmentation (`examples/lindera_raw`, 1 thread) | " + " | ".join(map(fmt, f)) + " |")
tl_large = os.environ["TL_LARGE"]
print("| peer: textlint + prh + ja-no-weak-phrase | " + fmt(t[0]) + " | " + fmt(t[1]) + f" | {tl_large} |")
print("| kintsugi `--threads 1` / floor | – | " + ratio(k1[1], f[1]) + " | " + ratio(k1[2], f[2]) + " |")
print("| textlint / kintsugi | " + ratio(t[0], k[0]) + " | " + ratio(t[1], k[1]) + " | – |")
print()
threads = json.load(open(f"{w}/threads.json"))
t_one, t_all = (statistics.median(threads[key]) for key in ("one", "all"))
print(f"Threads: small corpus, 1 thread / all cores = {ratio(t_one, t_all)} on {len(threads['one'])} "
      f"alternating pairs of runs ({fmt(t_one)} / {fmt(t_all)}); the table's blocks of runs give "
      f"{ratio(k1[1], k[1])}. "
      f"Peak memory (max RSS) on the large file: kintsugi {int(mem['k_large']) / 1024:.0f} MiB, "
      f"floor {int(mem['raw_large']) / 1024:.0f} MiB.\n")
print("Linearity (`--threads 1`, prefixes of the large file). Every run also pays one-time costs")
print("(regexes compiled on first use, lazy DFAs warming up, the dictionary's pages), and those")
print("spill past the first megabyte; what must hold is that a straight line fits the times:\n")
print("| input | median | per MB | each further MB |")
print("|---|---|---|---|")
sizes = (1, 2, 4, 8)
medians = [next(r for c, r in scale.items() if f"/{mb}mb.txt" in c)["median"] for mb in sizes]
marginal = []
for i, (mb, m) in enumerate(zip(sizes, medians)):
    step = "–"
    if i > 0:
        marginal.append((m - medians[i - 1]) / (mb - sizes[i - 1]))
        step = f"{marginal[-1] * 1000:.0f} ms"
    print(f"| {mb} MB | {fmt(m)} | {m / mb * 1000:.0f} ms | {step} |")
# Least-squares line t = a + b * size: quadratic growth would bend away from it (t = 50 +
# 10 * size^2 ms over these sizes gives R^2 = 0.96), one-time costs only raise `a`.
n = len(sizes)
mean_x, mean_y = sum(sizes) / n, sum(medians) / n
slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, medians)) / sum((x - mean_x) ** 2 for x in sizes)
intercept = mean_y - slope * mean_x
residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(sizes, medians))
r2 = 1 - residual / sum((y - mean_y) ** 2 for y in medians)
print(f"\nFitted line: {intercept * 1000:.0f} ms + {slope * 1000:.0f} ms per MB, R² = {r2:.4f}.")
# The targets of issue 6, each with this run's figure; None: not measured in this run.
check = lambda ok: "–" if ok is None else ("met" if ok else "NOT met")
known = lambda *xs: all(x is not None for x in xs)
targets = [
    ("start-up: one-line file ≤ 10 ms", fmt(k[0]), known(k[0]) and k[0] <= 0.010),
    ("throughput: `--threads 1` ≤ 1.5× the floor (small)", ratio(k1[1], f[1]),
     known(k1[1], f[1]) and k1[1] / f[1] <= 1.5),
    ("threads: 1 thread / all cores ≥ 1.7× (small, alternating runs)", ratio(t_one, t_all),
     t_one / t_all >= 1.7),
    ("peak memory ≤ 150 MB (large)", f"{int(mem['k_large']) / 1024:.0f} MiB",
     int(mem["k_large"]) * 1024 <= 150_000_000),
    ("linear: a straight line fits 1, 2, 4, 8 MB (R² ≥ 0.99)",
     f"R² = {r2:.4f}, {slope * 1000:.0f} ms/MB", r2 >= 0.99),
    ("textlint / kintsugi ≥ 40× (small)", ratio(t[1], k[1]),
     None if t[1] is None else t[1] / k[1] >= 40),
    ("10 MB file linted in seconds (< 10 s)", fmt(k[2]), known(k[2]) and k[2] < 10),
]
print("\nTargets:\n")
print("| target | this run | |")
print("|---|---|---|")
for name, figure, ok in targets:
    print(f"| {name} | {figure} | {check(ok)} |")
EOF
