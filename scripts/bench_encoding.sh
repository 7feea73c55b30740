#!/usr/bin/env bash
# Encoding benchmark: charset decoding and mojibake repair accuracy (the shared scorer), plus
# `chaff fix` throughput on clean and on broken text. Run from the repository root:
#   scripts/bench_encoding.sh [BENCH_DIR]      (default BENCH_DIR: ../shared/bench)
# Throughput is measured on the whole `chaff fix` process, pinned to one core.
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

echo "== throughput of chaff fix (whole process, one core, best of 3)"
# clean: every gold article text of the extraction benchmark, the clean sentences and the clean
# sides of the mojibake sets; broken: the mojibake sides that differ from their repair. Each is
# repeated to at least 20 MB and piped through `chaff fix`. MB/s is reported on wall-clock time
# and on CPU time (user + system of the process; on a loaded machine the wall clock also counts
# waiting for the core). Bars: clean >= 200 MB/s, broken >= 20 MB/s.
python3 - "$BENCH" "$TMP" "$BIN" <<'PY'
import glob, json, os, resource, shutil, subprocess, sys, time
bench, tmp, binary = sys.argv[1:4]
enc = f"{bench}/encoding"
clean = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(f"{bench}/extract/*/*.gold.txt"))]
clean += [json.loads(l)["text"] for l in open(f"{enc}/sources/sentences-dev.jsonl", encoding="utf-8")]
broken = []
for name in ("mojibake-gen-dev", "mojibake-dev"):
    for line in open(f"{enc}/{name}.jsonl", encoding="utf-8"):
        r = json.loads(line)
        (broken if r["broken"] != r["fixed"] else clean).append(r["broken"])
def write(name, parts, target=20_000_000):
    text = ("\n".join(p.rstrip("\n") for p in parts) + "\n").encode("utf-8")
    reps = -(-target // len(text))
    with open(f"{tmp}/{name}.txt", "wb") as fh:
        fh.write(text * reps)
    return len(text) * reps
pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
for kind, parts in (("clean", clean), ("broken", broken)):
    size = write(kind, parts)
    wall, cpu = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(f"{tmp}/{kind}.txt", "rb") as src, open(os.devnull, "wb") as sink:
            subprocess.run(pin + [binary, "fix"], stdin=src, stdout=sink, check=True)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(f"{kind:>6} text: {size / min(wall) / 1e6:7.1f} MB/s wall, {size / max(min(cpu), 1e-6) / 1e6:7.1f} MB/s CPU"
          f"  ({size / 1e6:.1f} MB, best of 3: {min(wall):.3f} s wall, {min(cpu):.3f} s CPU)")
PY
