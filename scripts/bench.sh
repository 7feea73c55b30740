#!/usr/bin/env bash
# chaff's benchmark command: quality on ../shared's benchmarks and throughput/peak memory of the
# whole process (start-up and I/O included), one core (-j 1); for text mode also the chrome stage
# alone and clean_document in memory (examples/bench_text.rs). Usage, from the repo root:
#     scripts/bench.sh [SHARED_DIR]        (default ../shared)
# Prints one line per measurement. Needs python3 (stdlib) and /usr/bin/time (GNU time).
set -euo pipefail
shared=${1:-../shared}
cd "$(dirname "$0")/.."
cargo build --release -q
cargo build --release -q --example bench_text
bin=target/release/chaff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
score=$shared/bench/tools/score_extract.py
aeb=$shared/bench/extract/aeb

# Run chaff clean on a folder with one thread; print F1, MB/s, docs/s and peak RSS.
run() { # name input_dir
  local name=$1 dir=$2 out=$tmp/out-$1
  local bytes docs
  bytes=$(cat "$dir"/* | wc -c)
  docs=$(ls "$dir" | wc -l)
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" clean "$dir" -o "$out" -j 1 -q || true
  read -r secs kb < "$tmp/time"
  local f1
  f1=$(python3 "$score" "$3" "$out" | sed -n 's/.*F1=\([0-9.]*\).*/\1/p')
  python3 -c "b,d,s,k=$bytes,$docs,max($secs,1e-3),$kb; print(f'$name: F1 $f1  {b/1e6/s:.1f} MB/s  {d/s:.0f} docs/s  peak RSS {k/1024:.0f} MB  ({d} docs, {b/1e6:.1f} MB, {s:.2f} s, -j 1)')"
}

mkdir -p "$tmp/seeds" "$tmp/flat" "$tmp/html"
cp "$shared"/seeds/*[0-9a-f].txt "$tmp/seeds/" 2>/dev/null || true
rm -f "$tmp"/seeds/*.gold.txt
for f in "$aeb"/*.flat.txt; do cp "$f" "$tmp/flat/$(basename "$f" .flat.txt).txt"; done
cp "$aeb"/*.html "$tmp/html/"
run seeds "$tmp/seeds" "$shared/seeds"
run text-mode "$tmp/flat" "$aeb"
# Text mode without the process around it: the chrome stage alone (flattened text to the article's
# blocks) and clean_document on pages held in memory, best of 5 passes.
target/release/examples/bench_text "$tmp/flat" 5 | sed -n 's/^text-mode/text-mode/p'
# The whole process again on ten copies of the flattened pages (start-up amortised).
mkdir -p "$tmp/flat10"
for r in 0 1 2 3 4 5 6 7 8 9; do for f in "$tmp"/flat/*.txt; do cp "$f" "$tmp/flat10/r$r$(basename "$f")"; done; done
bytes=$(cat "$tmp"/flat10/* | wc -c)
/usr/bin/time -f "%e %U %M" -o "$tmp/time" "$bin" clean "$tmp/flat10" -o "$tmp/out-flat10" -j 1 -q || true
read -r secs user kb < "$tmp/time"
python3 -c "b,s,u,k=$bytes,max($secs,1e-3),max($user,1e-3),$kb; print(f'text-mode, 10 copies, whole process: {b/1e6/s:.1f} MB/s wall, {b/1e6/u:.1f} MB/s user CPU  peak RSS {k/1024:.0f} MB  ({b/1e6:.1f} MB, {s:.2f} s, -j 1)')"
rm -rf "$tmp/flat10" "$tmp/out-flat10"
run html-mode "$tmp/html" "$aeb"
# Held-out half of the text-mode line model (see scripts/train_line_model.py for the split).
python3 - "$aeb" "$tmp/out-text-mode" "$score" <<'PY'
import hashlib, subprocess, sys, pathlib, tempfile
aeb, out, score = sys.argv[1:]
ids = sorted(p.name.split(".")[0] for p in pathlib.Path(aeb).glob("*.gold.txt"))
test = [i for i in ids if int(hashlib.sha256(i.encode()).hexdigest()[0], 16) % 2 == 1]
f = tempfile.NamedTemporaryFile("w", delete=False); f.write("\n".join(test)); f.close()
r = subprocess.run([sys.executable, score, aeb, out, "--ids", f.name], capture_output=True, text=True).stdout.strip()
print("text-mode, held-out half of the line model:", r)
PY
if [ -f scripts/eval_spin.py ]; then python3 scripts/eval_spin.py --bin "$bin" --shared "$shared" 2>/dev/null || true; fi
python3 scripts/score_dev.py --shared "$shared" --out "$tmp/score-dev" --bin "$bin" > "$tmp/score-dev.txt"; sed "s/^/reliability score: /" "$tmp/score-dev.txt"
