#!/usr/bin/env bash
# Issue 9's hostile folder, measured: builds the folder (examples/hostile_folder.rs, the same
# builder tests/hostile.rs uses), runs the release binary on it under /usr/bin/time -v (or, without
# GNU time, samples /proc/PID/status for VmHWM), and prints exit code, report records, wall time
# and peak RSS. Fails (exit 1) when a bar is missed: exit code not 0/1, a record count that is not
# one per listed entry, more than 60 s, or more than 1 GiB.
#
#   scripts/hostile.sh [WORKDIR] [extra chaff options, e.g. --follow -j 2]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d /tmp/chaff-hostile.XXXXXX)}
shift || true
mkdir -p "$work"
in="$work/in" out="$work/out"
rm -rf "$out"
cargo build --release --quiet --bin chaff --example hostile_folder
if [ ! -d "$in" ] || [ -z "$(ls -A "$in" 2>/dev/null)" ]; then
  ./target/release/examples/hostile_folder "$in" | tee "$work/manifest.txt"
fi
before=$(cd "$in" && find . -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum)

set +e
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v -o "$work/time.txt" ./target/release/chaff clean "$in" -o "$out" -q "$@"
  code=$?
  peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
else
  ./target/release/chaff clean "$in" -o "$out" -q "$@" &
  pid=$!
  peak_kb=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ -n "$hwm" ] && [ "$hwm" -gt "$peak_kb" ] && peak_kb=$hwm
    sleep 0.05
  done
  wait "$pid"
  code=$?
fi
end=$(date +%s.%N)
set -e

after=$(cd "$in" && find . -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum)
records=$(wc -l < "$out/chaff-report.jsonl" 2>/dev/null || echo 0)
listed=$(find "$in" -mindepth 1 ! -type d -printf x | wc -c)
wall=$(echo "$end - $start" | bc)
echo "hostile: exit=$code records=$records listed_non_dirs=$listed wall=${wall}s peak_rss=$((peak_kb / 1024))MiB"
python3 - "$out/chaff-report.jsonl" <<'PY'
import collections, json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print("hostile: status", dict(collections.Counter(r["status"] for r in recs)))
errors = collections.Counter((r.get("error") or "").split(":")[0] for r in recs if r["status"] == "error")
print("hostile: errors", dict(errors))
paths = [r["path"] for r in recs]
assert paths == sorted(paths), "report not sorted by path"
assert len(set(paths)) == len(paths), "duplicate report paths"
PY
fail=0
[ "$code" -eq 0 ] || [ "$code" -eq 1 ] || { echo "hostile: FAIL exit code $code"; fail=1; }
[ "$records" -eq "$listed" ] || { echo "hostile: FAIL $records records for $listed entries"; fail=1; }
[ "$before" = "$after" ] || { echo "hostile: FAIL inputs changed"; fail=1; }
awk -v w="$wall" 'BEGIN { exit !(w < 60) }' || { echo "hostile: FAIL slower than 60 s"; fail=1; }
[ "$peak_kb" -lt $((1024 * 1024)) ] || { echo "hostile: FAIL peak RSS above 1 GiB"; fail=1; }
exit $fail
