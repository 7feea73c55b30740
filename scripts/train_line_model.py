#!/usr/bin/env python3
"""Train chaff's line model for flattened-text chrome removal (data/chrome/line-model.tsv).

The model is a logistic regression over the per-line features the chrome stage computes
(src/chrome/text.rs, FEATURE_NAMES). Training data: the flattened pages of the Article Extraction
Benchmark dev set (../shared/bench/extract/aeb/ID.flat.txt) with their gold article text
(ID.gold.txt). A line is labelled "article" when at least half of its 4-token shingles occur in the
gold text (lines under 4 tokens: when the whole line occurs in the gold text).

Split (documented, deterministic): a page is in the TRAIN half when the first hex digit of
sha256(ID) is even, else in the TEST half. Only the TRAIN half is used to fit the weights, so the
F1 measured on the TEST half (--ids with the printed test-id file) is a held-out number.

Usage (from the repo root; needs numpy: `pip install numpy`):
    cargo build --release --example line_features
    python3 scripts/train_line_model.py [--aeb ../shared/bench/extract/aeb] [--out data/chrome/line-model.tsv]
Then rebuild chaff (the model is embedded with include_str!).
"""
import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

WORD = re.compile(r"\w+")


def split_of(doc_id: str) -> str:
    return "train" if int(hashlib.sha256(doc_id.encode()).hexdigest()[0], 16) % 2 == 0 else "test"


def label(line: str, gold_shingles: set, gold_joined: str) -> int:
    toks = WORD.findall(line)
    if not toks:
        return 0
    if len(toks) < 4:
        return int((" " + " ".join(toks) + " ") in gold_joined)
    sh = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
    hit = sum(1 for s in sh if s in gold_shingles)
    return int(hit * 2 >= len(sh))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--aeb", default="../shared/bench/extract/aeb")
    ap.add_argument("--out", default="data/chrome/line-model.tsv")
    ap.add_argument("--features-bin", default="target/release/examples/line_features")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--doc-balance", type=float, default=1.0,
                    help="0: lines weigh by their words; 1: every page weighs the same in total")
    ap.add_argument("--test-ids", default="/tmp/chaff-line-model-test-ids.txt")
    ap.add_argument("--fit-on", choices=["train", "test", "all"], default="train",
                    help="which pages fit the weights: the TRAIN half (default), the TEST half "
                         "(the other fold of a two-fold cross-check), or all of them")
    args = ap.parse_args()

    aeb = Path(args.aeb)
    flats = sorted(aeb.glob("*.flat.txt"))
    out = subprocess.run([args.features_bin, *map(str, flats)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()
    names = rows[0].split("\t")[2:-1]
    gold = {}
    X, y, w, split = [], [], [], []
    for row in rows[1:]:
        cols = row.split("\t")
        doc, text = cols[0], cols[-1]
        if doc not in gold:
            g = WORD.findall((aeb / f"{doc}.gold.txt").read_text(encoding="utf-8", errors="replace"))
            gold[doc] = ({tuple(g[i:i + 4]) for i in range(len(g) - 3)}, " " + " ".join(g) + " ")
        X.append([float(c) for c in cols[2:-1]])
        y.append(label(text, *gold[doc]))
        # Long lines weigh more: the benchmark counts shingles, not lines.
        w.append(min(len(WORD.findall(text)), 60) + 1)
        split.append(split_of(doc))
    X, y, w = np.array(X), np.array(y, dtype=float), np.array(w, dtype=float)
    train = np.array([args.fit_on == "all" or s == args.fit_on for s in split])

    doc_of = [r.split("\t")[0] for r in rows[1:]]
    if args.doc_balance > 0:
        # The benchmark averages precision and recall over pages: a long page should not outweigh
        # many short ones. Each page's weights are scaled towards the same total.
        totals = {}
        for d, wi in zip(doc_of, w):
            totals[d] = totals.get(d, 0.0) + wi
        mean_total = sum(totals.values()) / len(totals)
        w = np.array([wi * (mean_total / totals[d]) ** args.doc_balance for d, wi in zip(doc_of, w)])

    def fit(F):
        """Weighted, L2-penalised logistic regression on the TRAIN rows; returns raw-feature weights."""
        mu, sd = F[train].mean(0), F[train].std(0)
        sd[sd == 0] = 1.0
        Z = (F - mu) / sd
        Zt, yt, wt = Z[train], y[train], w[train] / w[train].mean()
        beta, b0 = np.zeros(Z.shape[1]), 0.0
        # Newton's method (IRLS): converges in a few steps on this small problem.
        for _ in range(30):
            p = 1 / (1 + np.exp(-(Zt @ beta + b0)))
            g = np.concatenate([Zt.T @ (wt * (p - yt)) + args.l2 * beta, [np.sum(wt * (p - yt))]])
            s = wt * p * (1 - p)
            H = Zt.T @ (Zt * s[:, None]) + args.l2 * np.eye(Z.shape[1])
            Hb = Zt.T @ s
            full = np.block([[H, Hb[:, None]], [Hb[None, :], np.array([[s.sum()]])]])
            step = np.linalg.solve(full, g)
            beta -= step[:-1]
            b0 -= step[-1]
            if np.abs(step).max() < 1e-8:
                break
        # Fold the standardisation into the weights so chaff applies them to raw features.
        return beta / sd, b0 - float(np.sum(beta * mu / sd))

    def predict(F, wr, br):
        return 1 / (1 + np.exp(-(F @ wr + br)))

    def report(name, p):
        for part, mask in (("fitted", train), ("held out", ~train)):
            if not mask.any():
                continue
            acc = np.average((p[mask] >= 0.5) == (y[mask] == 1), weights=w[mask])
            print(f"{name} {part}: {mask.sum()} lines, weighted accuracy {acc:.3f}", file=sys.stderr)

    w1, b1 = fit(X)
    p1 = predict(X, w1, b1)
    report("stage 1", p1)
    # Stage 2: the stage-1 probabilities around each line (same definition as context() in
    # src/chrome/line_model.rs): own, mean of the two lines on each side, previous, next, max(prev, next),
    # own over the document's highest, the document's highest.
    C = np.zeros((len(p1), 8))
    i = 0
    while i < len(p1):
        j = i
        while j < len(p1) and doc_of[j] == doc_of[i]:
            j += 1
        top = max(p1[i:j])
        for k in range(i, j):
            nb = [p1[m] for m in range(max(i, k - 2), min(j, k + 3)) if m != k]
            prev = p1[k - 1] if k > i else 0.0
            nxt = p1[k + 1] if k + 1 < j else 0.0
            rel = p1[k] / top if top > 0 else 0.0
            nb6 = [p1[m] for m in range(max(i, k - 6), min(j, k + 7)) if m != k]
            C[k] = [p1[k], sum(nb) / len(nb) if nb else 0.0, prev, nxt, max(prev, nxt), rel, top,
                    sum(nb6) / len(nb6) if nb6 else 0.0]
        i = j
    X2 = np.hstack([X, C])
    w2, b2 = fit(X2)
    report("stage 2", predict(X2, w2, b2))
    ctx_names = ["s1_p", "s1_win", "s1_prev", "s1_next", "s1_max_nb", "s1_rel", "s1_doc_max", "s1_win6"]
    lines = [
        "# chaff line model (two-stage logistic regression) for flattened-text chrome removal.",
        "# Built by scripts/train_line_model.py from the TRAIN half (even first hex digit of sha256(id))",
        "# of the Article Extraction Benchmark dev pages (MIT licence, Scrapinghub); weights only, no text.",
        f"bias\t{b1:.6f}",
    ]
    lines += [f"{n}\t{v:.6f}" for n, v in zip(names, w1)]
    lines.append(f"2:bias\t{b2:.6f}")
    lines += [f"2:{n}\t{v:.6f}" for n, v in zip(names + ctx_names, w2)]
    Path(args.out).write_text("\n".join(lines) + "\n")
    test_ids = sorted({r.split("\t")[0] for r in rows[1:] if split_of(r.split("\t")[0]) == "test"})
    Path(args.test_ids).write_text("\n".join(test_ids) + "\n")
    Path(args.test_ids.replace("test", "train")).write_text(
        "\n".join(sorted({r.split("\t")[0] for r in rows[1:]} - set(test_ids))) + "\n")
    print(f"wrote {args.out}; test ids in {args.test_ids}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
