#!/usr/bin/env python3
"""Evaluate chaff's spin detector on the quality benchmark and the seeds (stdlib only).

    cargo build --release
    python3 scripts/eval_spin.py [--shared ../shared] [--bin target/release/chaff] [--learn]
                                 [--second-spinner]

Runs `chaff score DIR --json` and prints:
  * synthetic-dev: ROC-AUC of each spun condition against the 50 clean sources, and the share of
    each condition flagged (spin >= 0.5);
  * dev: how many real (clean) news documents are flagged;
  * seeds: the spin of each seed article (002 is spun);
  * with --second-spinner: the same AUCs for an independent spinner (MyThes any-sense synonyms, no
    inflection, multi-word replacements allowed; "the"->"a" with p=0.8 in the -the2a condition) run
    over the dev/ news texts with at least 150 words, written to a temporary folder. This checks that
    the detector is not fitted to the WordNet spinner of synthetic-dev. Needs mythes-en-us.

Batch chrome learning is off by default (--no-learn): synthetic-dev holds six versions of each
article, whose shared lines would otherwise be learned as chrome and removed. --learn turns it on.
Bench texts are only read, never copied into the repo.
"""

import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(binary, path, learn):
    cmd = [binary, "score", path, "--json", "-q"]
    if not learn:
        cmd.append("--no-learn")
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    res = {}
    for line in out.splitlines():
        rec = json.loads(line)
        if rec.get("spin") is not None:
            res[os.path.basename(rec["path"])] = rec["spin"]
    return res


def auc(pos, neg):
    s = 0.0
    for p in pos:
        for q in neg:
            s += 1.0 if p > q else 0.5 if p == q else 0.0
    return s / (len(pos) * len(neg))


STOP = set(
    "the a an and or but if of to in on at by for with from as is are was were be been being have "
    "has had do does did not no it its this that these those he she they we you i his her their our "
    "your my me him them us who whom which what when where why how there here than then so such very "
    "can could would should will shall may might must also just only about into over after before "
    "under between through during without within up down out off again further once more most other "
    "some any each few all both own same too now".split()
)


def mythes_spinner():
    th = collections.defaultdict(list)
    with open("/usr/share/mythes/th_en_US_v2.dat", encoding="utf-8") as f:
        f.readline()
        cur = None
        for line in f:
            t = line.rstrip("\n").split("|")
            if not t[0].startswith("("):
                cur = t[0].lower()
                continue
            for x in t[1:]:
                if x.endswith("(antonym)"):
                    continue
                x = re.sub(r" \(.*\)$", "", x).lower()
                if x != cur:
                    th[cur].append(x)

    def spin(text, rate, seed, the2a=0.0):
        rng = random.Random(seed)

        def rep(m):
            w = m.group()
            lw = w.lower()
            if lw == "the" and the2a and rng.random() < the2a:
                return "a" if w == "the" else "A"
            if lw in STOP or not w.islower() or len(w) < 3 or lw not in th:
                return w
            if rng.random() >= rate:
                return w
            return rng.choice(th[lw])

        return re.sub(r"[A-Za-z]+", rep, text)

    return spin


def report_conditions(title, scores, conds):
    """scores: {(source, condition): spin}."""
    srcs = sorted({s for s, c in scores if c == "clean"})
    neg = [scores[(s, "clean")] for s in srcs]
    print(f"{title}: {len(srcs)} sources")
    print(f"  {'condition':<12} {'ROC-AUC':>8} {'flagged':>8}")
    print(f"  {'clean':<12} {'':>8} {sum(x >= 0.5 for x in neg) / len(neg):>8.2f}")
    for c in conds:
        pos = [scores[(s, c)] for s in srcs if (s, c) in scores]
        print(f"  {c:<12} {auc(pos, neg):>8.3f} {sum(x >= 0.5 for x in pos) / len(pos):>8.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"),
                    help="the shared folder (bench/quality and seeds are read from it)")
    ap.add_argument("--bench", help="default: SHARED/bench/quality")
    ap.add_argument("--seeds", help="default: SHARED/seeds")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "chaff"))
    ap.add_argument("--learn", action="store_true", help="leave batch chrome learning on")
    ap.add_argument("--second-spinner", action="store_true")
    args = ap.parse_args()
    args.bench = args.bench or os.path.join(args.shared, "bench", "quality")
    args.seeds = args.seeds or os.path.join(args.shared, "seeds")
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} missing: cargo build --release")

    syn = run(args.bin, os.path.join(args.bench, "synthetic-dev"), args.learn)
    scores = {}
    for name, v in syn.items():
        m = re.match(r"syn-dev-([0-9a-f]+)-(.+)\.txt$", name)
        if m:
            scores[(m.group(1), m.group(2))] = v
    report_conditions("synthetic-dev", scores, ["r10", "r25", "r50", "r25-the2a", "the2a-only"])

    dev = run(args.bin, os.path.join(args.bench, "dev"), args.learn)
    flagged = sorted((v, k) for k, v in dev.items() if v >= 0.5)
    top = sorted(((v, k) for k, v in dev.items()), reverse=True)[:3]
    print(f"dev (real news): {len(flagged)}/{len(dev)} flagged ({100 * len(flagged) / max(len(dev), 1):.1f}%);"
          f" highest: {', '.join(f'{k} {v:.3f}' for v, k in top)}")

    seeds = run(args.bin, args.seeds, args.learn)
    print("seeds: " + ", ".join(f"{k[:-4]} {v:.3f}" for k, v in sorted(seeds.items())))

    if args.second_spinner:
        spin = mythes_spinner()
        devdir = os.path.join(args.bench, "dev")
        with tempfile.TemporaryDirectory() as tmp:
            names = sorted(n for n in os.listdir(devdir) if n.endswith(".txt"))
            for i, n in enumerate(names):
                with open(os.path.join(devdir, n), encoding="utf-8") as f:
                    t = f.read()
                if len(t.split()) < 150:
                    continue
                base = n[:-4]
                variants = {
                    "clean": t,
                    "r10": spin(t, 0.10, i),
                    "r25": spin(t, 0.25, i),
                    "r50": spin(t, 0.50, i),
                    "r25-the2a": spin(t, 0.25, i, 0.8),
                }
                for c, v in variants.items():
                    with open(os.path.join(tmp, f"{base}__{c}.txt"), "w", encoding="utf-8") as f:
                        f.write(v)
            res = run(args.bin, tmp, args.learn)
        scores = {}
        for name, v in res.items():
            b, c = name[:-4].split("__")
            scores[(b, c)] = v
        report_conditions("second spinner (MyThes) on dev/ texts", scores,
                          ["r10", "r25", "r50", "r25-the2a"])


if __name__ == "__main__":
    main()
