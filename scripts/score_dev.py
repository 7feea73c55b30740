#!/usr/bin/env python3
"""Build chaff's labelled development set for the reliability score and measure its ROC-AUC.

The set is generated into a temporary folder (never into the repo: the texts come from
../shared, some of it licensed for research only) from:
  reliable:   bench/quality/dev real news pages (boilerplate none/some), bench/quality/synthetic-dev
              clean sources, bench/extract/aeb gold article bodies, the four clean seeds;
  unreliable: bench/quality/synthetic-dev spun texts (all conditions), the spun seed 002,
              bench/quality/dev pages labelled boilerplate "heavy" (no article), and damaged
              copies of reliable texts (seeded, one damage per copy):
                lossy     - non-ASCII characters replaced by '?' or U+FFFD
                mojibake  - UTF-8 read as windows-1252 with the undefined bytes lost (irreparable)
                truncated - the first 30-70 words and "..."
                garbled   - words shuffled inside most sentences
                noarticle - only the lines of a flattened aeb page that are not article text
Damaged copies are made only from texts with at least 150 words. The score must rank reliable
above unreliable: ROC-AUC overall and per kind of unreliability is printed.

Usage (from the repo root, after `cargo build --release`):
    python3 scripts/score_dev.py [--shared ../shared] [--out /tmp/chaff-score-dev] [--seed 7]
"""
import argparse
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

WORD = re.compile(r"\w+")


def auc(pos, neg):
    """ROC-AUC: probability that a random positive scores above a random negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    # Mann-Whitney U with average ranks for ties.
    ranks, i = {}, 0
    rank_sum = 0.0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        r = (i + j + 1) / 2
        rank_sum += r * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)


def lossy(text, rng):
    repl = "?" if rng.random() < 0.5 else "\ufffd"
    return "".join(c if ord(c) < 128 else repl for c in text)


def mojibake(text, rng):
    broken = text.encode("utf-8").decode("cp1252", errors="ignore")
    return broken


def truncated(text, rng):
    words = text.split()
    return " ".join(words[: rng.randint(30, 70)]).rstrip(".,;:") + "..."


def garbled(text, rng):
    out = []
    for para in text.split("\n\n"):
        sents = re.split(r"(?<=[.!?])\s+", para)
        new = []
        for s in sents:
            w = s.split()
            if len(w) > 4 and rng.random() < 0.8:
                rng.shuffle(w)
            new.append(" ".join(w))
        out.append(" ".join(new))
    return "\n\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--out", default="/tmp/chaff-score-dev")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bin", default="target/release/chaff")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    shared = Path(args.shared)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    labels = {}

    def put(name, text, kind):
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        labels[f"{name}.txt"] = kind

    reliable = []
    q = shared / "bench/quality"
    for line in (q / "dev/labels.jsonl").read_text().splitlines():
        rec = json.loads(line)
        text = (q / "dev" / f"{rec['id']}.txt").read_text(encoding="utf-8")
        if rec["boilerplate"] == "heavy":
            put(rec["id"], text, "noarticle")
        else:
            put(rec["id"], text, "reliable")
            reliable.append((rec["id"], text))
    for line in (q / "synthetic-dev/labels.jsonl").read_text().splitlines():
        rec = json.loads(line)
        text = (q / "synthetic-dev" / f"{rec['id']}.txt").read_text(encoding="utf-8")
        if rec["condition"] == "clean":
            put(rec["id"], text, "reliable")
            reliable.append((rec["id"], text))
        else:
            put(rec["id"], text, "spun-" + rec["condition"])
    aeb = shared / "bench/extract/aeb"
    for g in sorted(aeb.glob("*.gold.txt")):
        doc = g.name.split(".")[0]
        text = g.read_text(encoding="utf-8")
        put("aeb-" + doc[:12], text, "reliable")
        reliable.append(("aeb-" + doc[:12], text))
        # A page with no article: the flattened page without its article lines.
        gold_tokens = set(WORD.findall(text))
        flat = (aeb / f"{doc}.flat.txt").read_text(encoding="utf-8")
        rest = [l for l in flat.splitlines() if l.strip() and not set(WORD.findall(l)) <= gold_tokens]
        if rng.random() < 0.3 and len(rest) > 20:
            put("noart-" + doc[:12], "\n".join(rest), "noarticle")
    for s in sorted((shared / "seeds").glob("*.gold.txt")):
        sid = s.name.split(".")[0]
        put("seed-" + sid, s.read_text(encoding="utf-8"), "spun-seed" if sid.startswith("002") else "reliable")
    damages = [("lossy", lossy), ("mojibake", mojibake), ("truncated", truncated), ("garbled", garbled)]
    for name, text in reliable:
        if len(text.split()) < 150 or rng.random() < 0.5:
            continue
        dname, fn = damages[rng.randrange(len(damages))]
        if dname in ("lossy", "mojibake") and sum(ord(c) > 127 for c in text) < 10:
            continue
        put(f"dmg-{dname}-{name}", fn(text, rng), dname)

    res = subprocess.run([args.bin, "score", str(out), "--json", "--no-learn", "-q"], capture_output=True, text=True)
    if res.returncode not in (0, 1):
        sys.exit(res.stderr)
    scores = {}
    for line in res.stdout.splitlines():
        r = json.loads(line)
        scores[r["path"]] = r.get("score") or 0.0
    pos = [scores[p] for p, k in labels.items() if k == "reliable"]
    kinds = sorted({k for k in labels.values() if k != "reliable"})
    neg_all = [scores[p] for p, k in labels.items() if k != "reliable"]
    print(f"reliable {len(pos)}, unreliable {len(neg_all)}: ROC-AUC {auc(pos, neg_all):.4f}")
    for k in kinds:
        neg = [scores[p] for p, kk in labels.items() if kk == k]
        print(f"  {k:<14} {len(neg):>4}  ROC-AUC {auc(pos, neg):.4f}  mean score {sum(neg)/len(neg):.3f}")
    print(f"  mean reliable score {sum(pos)/len(pos):.3f}; reliable below 0.7: {sum(p < 0.7 for p in pos)}")
    worst = sorted((scores[p], p) for p, k in labels.items() if k == "reliable")[:8]
    print("  lowest reliable:", ", ".join(f"{p} {s:.2f}" for s, p in worst))


if __name__ == "__main__":
    main()
