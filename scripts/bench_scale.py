#!/usr/bin/env python3
"""Memory and linearity benchmarks of the whole `chaff clean` process (stdlib only).

    scripts/bench_scale.py memory [--times 1,5,10] [--jobs N]
    scripts/bench_scale.py linear [--sizes 1,3,10,30]

Common options: --bin (default target/release/chaff; build it first with `cargo build --release`),
--shared (default ../shared), --work (a scratch folder, default a temporary one, removed after).

memory: builds folders of K times the aeb set (every *.html page and every *.flat.txt page as
`.txt`, K copies under distinct names; in copy k > 0 every text line of 60 characters or more gets
a " [k]" tag, so that body lines stay distinct across copies while short chrome lines recur, as in
a real crawl: the batch learner sees K times the distinct lines) and reports the peak RSS of
`chaff clean DIR -o OUT -q` (GNU /usr/bin/time -v) for each K. The bar: <= 256 MB and flat.

linear: builds one HTML page and one flattened-text page of each size (MB) from the aeb gold
article paragraphs in order (a title, a menu, the paragraphs repeated to the size, a footer) and
times `chaff clean FILE -o OUT -q -j 1` on each; the seconds per MB must stay flat (no quadratic
pass). Reports wall seconds, s/MB and peak RSS.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_measured(cmd):
    """(wall seconds, peak RSS in MiB, exit code) of one process, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        r = subprocess.run(
            ["/usr/bin/time", "-v", "-o", tf.name] + cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wall = time.perf_counter() - t0
        rss_kb = 0
        for line in Path(tf.name).read_text().splitlines():
            if "Maximum resident set size" in line:
                rss_kb = int(line.split(":")[1])
    if r.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-2000:]}")
    return wall, rss_kb / 1024, r.returncode


def tag_lines(text, k):
    return "\n".join(l + f" [{k}]" if len(l) >= 60 else l for l in text.split("\n"))


def build_copies(aeb, dest, k_from, k_to):
    """Adds copies k_from..k_to-1 of the aeb set to dest; returns the bytes added."""
    total = 0
    for k in range(k_from, k_to):
        for f in sorted(aeb.glob("*.html")):
            target = dest / f"c{k:02}-{f.name}"
            shutil.copyfile(f, target)
            total += target.stat().st_size
        for f in sorted(aeb.glob("*.flat.txt")):
            text = f.read_text(encoding="utf-8", errors="replace")
            if k > 0:
                text = tag_lines(text, k)
            target = dest / f"c{k:02}-{f.name[: -len('.flat.txt')]}.txt"
            target.write_text(text, encoding="utf-8")
            total += target.stat().st_size
    return total


def memory(a, work):
    aeb = Path(a.shared) / "bench/extract/aeb"
    times = [int(x) for x in a.times.split(",")]
    src = work / "corpus"
    src.mkdir()
    built, size = 0, 0
    print(f"{'copies':>6} {'docs':>6} {'MB':>7} {'seconds':>8} {'MB/s':>6} {'peak RSS MiB':>13}")
    peaks = []
    for k in sorted(times):
        size += build_copies(aeb, src, built, k)
        built = k
        out = work / f"out-{k}"
        cmd = [a.bin, "clean", str(src), "-o", str(out), "-q"]
        if a.jobs:
            cmd += ["-j", str(a.jobs)]
        wall, rss, _ = run_measured(cmd)
        docs = sum(1 for _ in src.iterdir())
        peaks.append(rss)
        print(f"{k:>6} {docs:>6} {size / 1e6:7.1f} {wall:8.2f} {size / 1e6 / wall:6.1f} {rss:13.1f}", flush=True)
        shutil.rmtree(out)
    growth = peaks[-1] - peaks[0]
    ok = max(peaks) <= 256
    print(f"peak RSS max {max(peaks):.1f} MiB (bar 256: {'PASS' if ok else 'FAIL'}); "
          f"growth from {min(times)}x to {max(times)}x: {growth:+.1f} MiB")


def paragraphs(aeb):
    paras = []
    for f in sorted(aeb.glob("*.gold.txt")):
        for p in f.read_text(encoding="utf-8", errors="replace").split("\n"):
            p = p.strip()
            if len(p) >= 80:
                paras.append(p)
    return paras


def page(paras, size_bytes, html):
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    menu = ["Home", "World", "Politics", "Business", "Sport", "Opinion"]
    if html:
        head = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>A long report | The Daily"
                "</title></head><body><nav><ul>" + "".join(f"<li><a href=\"/{m}\">{m}</a></li>" for m in menu)
                + "</ul></nav><article><h1>A long report on many things</h1>\n")
        tail = "</article><footer><p>© The Daily. All rights reserved.</p></footer></body></html>\n"
    else:
        head = "\n".join(menu) + "\n\nA long report on many things\n\nBy Staff Reporter | 3 min read\n\n"
        tail = "Share this article\nRecent News\nScroll To Top\n"
    parts, n, i = [head], len(head) + len(tail), 0
    while n < size_bytes:
        p = paras[i % len(paras)]
        chunk = f"<p>{esc(p)}</p>\n" if html else p + "\n\n"
        parts.append(chunk)
        n += len(chunk.encode())
        i += 1
    parts.append(tail)
    return "".join(parts).encode()


def linear(a, work):
    aeb = Path(a.shared) / "bench/extract/aeb"
    paras = paragraphs(aeb)
    sizes = [float(x) for x in a.sizes.split(",")]
    print(f"{'kind':5} {'MB':>6} {'seconds':>8} {'s/MB':>7} {'MB/s':>6} {'peak RSS MiB':>13}")
    for kind, html in (("html", True), ("text", False)):
        per_mb = []
        for mb in sizes:
            f = work / f"page-{mb:g}MB.{'html' if html else 'txt'}"
            f.write_bytes(page(paras, int(mb * 1e6), html))
            real = f.stat().st_size / 1e6
            out = work / "out"
            best = None
            for _ in range(a.rounds):
                wall, rss, _ = run_measured([a.bin, "clean", str(f), "-o", str(out), "-q", "-j", "1"])
                best = (wall, rss) if best is None or wall < best[0] else best
                shutil.rmtree(out, ignore_errors=True)
            wall, rss = best
            per_mb.append(wall / real)
            print(f"{kind:5} {real:6.1f} {wall:8.2f} {wall / real:7.3f} {real / wall:6.1f} {rss:13.1f}", flush=True)
            f.unlink()
        print(f"{kind}: s/MB at the largest size / at the smallest: {per_mb[-1] / per_mb[0]:.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["memory", "linear"])
    ap.add_argument("--bin", default="target/release/chaff")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--work")
    ap.add_argument("--times", default="1,5,10")
    ap.add_argument("--jobs", type=int)
    ap.add_argument("--sizes", default="1,3,10,30")
    ap.add_argument("--rounds", type=int, default=1)
    a = ap.parse_args()
    a.bin = str(Path(a.bin).resolve())
    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="chaff-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"{a.mode}: {a.bin}; {os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        (memory if a.mode == "memory" else linear)(a, work)
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
