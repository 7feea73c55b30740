#!/usr/bin/env bash
# Encoding benchmark: charset decoding and mojibake repair accuracy (the shared scorer), plus
# `chaff fix` throughput on clean and on broken text. Run from the repository root:
#   scripts/bench_encoding.sh [BENCH_DIR]      (default BENCH_DIR: ../shared/bench)
# Throughput is the repair time measured inside the process (TIMING line), one core.
set -euo pipefail
BENCH=${1:-../shared/bench}
ENC=$BENCH/encoding
SCORE="python3 $BENCH/tools/score_encoding.py"
cargo build --release --quiet
BIN=$(pwd)/target/release/chaff
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== charset files ($ENC/charset-dev)"
$SCORE charset --manifest "$ENC/charset-dev/manifest.jsonl" --cmd "$BIN decode --jsonl" --json "$TMP/charset.json" >/dev/null
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"exact decodes: {r['accuracy']}%  (label agreement {r['label_agreement']}%)\")" "$TMP/charset.json"

for set in mojibake-gen-dev mojibake-dev; do
  echo "== mojibake: $set"
  $SCORE mojibake --data "$ENC/$set.jsonl" --cmd "$BIN fix --jsonl --field broken --to fixed --timing" --json "$TMP/$set.json" >/dev/null
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"exact: {r['accuracy']}%  broken fixed: {r['broken_fixed']}%  false fixes: {r['false_fixes']}/{r['clean']}  CER {r['cer']} (no-op {r['noop_cer']})\")" "$TMP/$set.json"
done

echo "== throughput of chaff fix (repair time, one process)"
python3 - "$ENC" "$TMP" <<'PY'
import json, sys
enc, tmp = sys.argv[1], sys.argv[2]
clean = [json.loads(l)["text"] for l in open(f"{enc}/sources/sentences-dev.jsonl", encoding="utf-8")]
broken = [json.loads(l)["broken"] for l in open(f"{enc}/mojibake-gen-dev.jsonl", encoding="utf-8")]
broken = [b for b, r in zip(broken, (json.loads(l) for l in open(f"{enc}/mojibake-gen-dev.jsonl", encoding="utf-8"))) if b != r["fixed"]]
def write(name, lines, target):
    text = "\n".join(lines) + "\n"
    reps = max(1, target // len(text.encode("utf-8")))
    with open(f"{tmp}/{name}", "w", encoding="utf-8") as fh:
        fh.write(text * reps)
write("clean.txt", clean, 50_000_000)
write("broken.txt", broken, 10_000_000)
PY
for kind in clean broken; do
  t=$("$BIN" fix --timing "$TMP/$kind.txt" 2>&1 >/dev/null | grep TIMING)
  python3 -c "import re,sys; b,s=map(float,re.search(r'bytes=(\d+) seconds=([0-9.e+-]+)',sys.argv[2]).groups()); print(f'{sys.argv[1]:>6} text: {b/s/1e6:8.1f} MB/s  ({b/1e6:.0f} MB in {s:.2f} s)')" "$kind" "$t"
done
