#!/usr/bin/env bash
# Builds the second ordinary-prose corpus, for counting false alarms on text that is not an
# apology or a notice: application manuals and a school-network handbook from Debian 12's
# Japanese documentation packages (pinned versions), a different register from the man pages
# and Debian guides of make-corpus.sh:
#   /tmp/kintsugi-prose2/large/one.txt (~8 MB), small/*.txt (100 files)
# Plain UTF-8, one paragraph per line (corpus_extract.py). Never commit the text: it keeps its
# packages' licences.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC=${SRC:-/tmp/kintsugi-prose2-src}
OUT=${OUT:-/tmp/kintsugi-prose2}
PKGS=(libreoffice-help-ja=4:7.4.7-1+deb12u14 debian-edu-doc-ja=2.12.23~deb12u1
      kicad-doc-ja=6.0.11+dfsg-1 lilypond-doc-html-ja=2.24.1-2)
mkdir -p "$SRC/deb" && cd "$SRC/deb"
missing=()
for p in "${PKGS[@]}"; do ls "${p%%=*}_"*.deb >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-cache policy "${missing[0]%%=*}" | grep -q 'Candidate: [0-9]' || apt-get update -qq
  apt-get download "${missing[@]}" 2> >(grep -v 'unsandboxed' >&2)
fi
rm -rf "$SRC/x" && for d in *.deb; do dpkg -x "$d" "$SRC/x"; done
rm -rf "$OUT" && python3 "$HERE/corpus_extract.py" "$SRC/x/usr/share" "$OUT"
echo "large: $(wc -c < "$OUT/large/one.txt") bytes, $(wc -l < "$OUT/large/one.txt") lines, sha256 $(sha256sum < "$OUT/large/one.txt" | cut -c1-16)"
