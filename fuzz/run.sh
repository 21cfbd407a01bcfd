#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for FUZZ_SECONDS each (default 60), with
# corpora seeded from the fixtures, the test corpus and the rule files. Crashes land in
# fuzz/artifacts/TARGET/; turn each into a regression test (tests/fuzz_regressions.rs).
#
#   fuzz/run.sh                      # all targets, 60 s each
#   FUZZ_SECONDS=600 fuzz/run.sh lint fix
#   FUZZ_JOBS=2 fuzz/run.sh          # two targets at a time (one core each)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's instrumentation uses unstable
# rustc flags; on a stable toolchain they are allowed with RUSTC_BOOTSTRAP=1, which this
# script sets. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1

ALL_TARGETS=(decode markup email lint fix rule_file config)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${ALL_TARGETS[@]}")
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
root=..

seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    case $target in
        decode | markup | email | lint | fix)
            for f in "$root"/fixtures/*/* "$root"/tests/corpus/*; do
                cp -n "$f" "$dir/$(basename "$f")"
            done
            ;;&
        email | markup | decode)
            # Legacy encodings and e-mail: the workflow tests build these, so make a few here.
            python3 - "$dir" "$root/fixtures/bad/apology-letter.txt" <<'PY'
import pathlib, sys
out, text = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text("utf-8")
for enc in ["shift_jis", "euc_jp", "iso2022_jp", "utf-16-le", "utf-16-be", "utf-8-sig"]:
    (out / f"letter.{enc}").write_bytes(text.encode(enc, errors="ignore"))
body = text.encode("iso2022_jp", errors="ignore")
(out / "mail.eml").write_bytes(
    b"Subject: =?ISO-2022-JP?B?GyRCJCpMbCRTGyhC?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
    b"Content-Transfer-Encoding: 7bit\r\n\r\n" + body)
(out / "page.html").write_text("<html><body><p>" + text.replace("\n", "</p><p>") + "</p><script>x</script></body></html>", "utf-8")
(out / "notice.md").write_text("# お知らせ\n\n" + text + "\n```\ncode\n```\n<!-- kintsugi-lint-disable-next-line -->\n", "utf-8")
PY
            ;;
        rule_file)
            cp -n "$root"/rules/*.toml "$dir/"
            ;;
        config)
            printf 'select = ["blame-shifting"]\nignore = ["x"]\nfail-on = "error"\nrules = ["rules"]\ninclude = ["**/*.txt"]\nexclude = ["drafts/**"]\nencoding = "cp932"\n[severity]\nblame-shifting = "error"\n[per-file-ignores]\n"templates/**" = ["a"]\n[kind]\n"**/*.md" = "notice"\n' >"$dir/kintsugi.toml"
            ;;
    esac
}

run_one() {
    local target=$1
    seed "$target"
    local log=logs/$target.log
    mkdir -p logs
    # rss_limit/malloc_limit: a single input may not use more than 2 GB; timeout: no
    # input may take more than 10 s. Longer inputs are rarely more interesting here.
    local max_len=8192
    [[ $target == lint || $target == fix ]] && max_len=2048
    echo "== $target: ${seconds}s (log: fuzz/$log)"
    cargo fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1 || {
        echo "!! $target found a crash: see fuzz/$log and fuzz/artifacts/$target/"
        return 1
    }
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" | sed "s/^/   $target /"
}

cargo fuzz build -O
failed=0
if [[ $jobs -le 1 ]]; then
    for t in "${targets[@]}"; do run_one "$t" || failed=1; done
else
    export -f run_one seed
    export seconds root
    printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}' || failed=1
fi
exit $failed
