#!/usr/bin/env bash
# Reproduces the HTML-extraction numbers of issue 3 on the aeb developer set:
#   1. F1 of `chaff clean` over a folder holding only the *.html pages (scorer in shared/bench);
#   2. decode + parse + extract throughput on one core (examples/bench_html.rs).
# Usage: scripts/bench_html.sh [AEB_DIR]   (default: ../shared/bench/extract/aeb)
# Also prints the F1 with the headline line removed from each output, since the gold article
# bodies carry no headline while chaff's output starts with one.
set -euo pipefail
cd "$(dirname "$0")/.."
AEB=${1:-../shared/bench/extract/aeb}
SCORER=$(dirname "$AEB")/../tools/score_extract.py
[ -f "$SCORER" ] || SCORER=../shared/bench/tools/score_extract.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
for f in "$AEB"/*.html; do ln -s "$(realpath "$f")" "$work/in/"; done

cargo build --release --quiet
cargo build --release --quiet --example bench_html

echo "== F1 (chaff clean, headline included)"
./target/release/chaff clean "$work/in" -o "$work/out" -q --follow
python3 "$SCORER" "$AEB" "$work/out"

echo "== F1 with the first block (headline) removed, for comparison with tools that omit it"
mkdir -p "$work/nohead"
for f in "$work/out"/*.txt; do
  python3 -c 'import sys; t=open(sys.argv[1],encoding="utf-8").read().split("\n\n",1); sys.stdout.write(t[1] if len(t)>1 else "")' "$f" > "$work/nohead/$(basename "$f")"
done
python3 "$SCORER" "$AEB" "$work/nohead"

echo "== speed: decode + parse + extract, one thread"
./target/release/examples/bench_html "$work/in" 5
