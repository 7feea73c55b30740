#!/usr/bin/env python3
"""Run chaff inside Spark: JSONL partitions piped through `chaff clean --jsonl -`, checked against
one single-process run over the same records.

    python examples/spark/chaff_spark.py [--chaff target/release/chaff] [--master local[2]]
                                         [--copies 8] [--partitions 4] [--keep DIR]

Needs pyspark (`pip install pyspark==3.5.7`) and Java 17. Exit 0 when the Spark output equals the
single-process output record for record, 1 when it does not, 2 on setup errors.

The records are made from the seed articles in corpus/input: each article in --copies variants
(a different menu and footer, an id, a source), plus a record whose `text` is not a string (chaff
passes it through with an error status and exits 1) and a blank line (no record). They are written
as --partitions JSONL part files, read with `sc.textFile`, and each partition is piped through one
chaff process:

    rdd.pipe("sh -c 'chaff clean --jsonl -q -; test $? -le 1'")

chaff exits 1 when some records failed (they are still written, with `chaff.status` "error"): the
`test` turns that into success so that only a real failure (exit 2: bad options, unreadable input)
fails the Spark task. Records come out in input order within a partition. `chaff.path` ("-:LINE")
and `chaff.line` number lines within each chaff process's input, so they differ from the
single-process run; every other byte of every record must be equal. Batch learning of repeated
chrome lines does not run in --jsonl mode, so partitioning cannot change a record's cleaning.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MENUS = [
    ["Home", "World", "Politics", "Search form"],
    ["News", "Sport", "Business", "Opinion", "Subscribe"],
    ["Start", "Nachrichten", "Café & Kultur"],
    ["Menu", "Log in", "Sign up for our newsletter"],
]
FOOTERS = [
    ["Share this article", "Recent News", "Scroll To Top"],
    ["© 2016 The Daily. All rights reserved.", "Privacy policy", "Contact us"],
    ["Related stories", "Most read", "Advertisement"],
]


def make_records(copies):
    """The JSONL lines (strings) to clean."""
    lines = []
    for f in sorted((ROOT / "corpus/input").glob("*.txt")):
        body = f.read_text(encoding="utf-8")
        for k in range(copies):
            text = "\n".join(MENUS[k % len(MENUS)]) + "\n\n" + body.strip() + "\n\n"
            text += "\n".join(FOOTERS[k % len(FOOTERS)]) + "\n"
            rec = {"id": f"{f.stem}-{k}", "source": f"site{k % 3}.example", "text": text}
            lines.append(json.dumps(rec, ensure_ascii=k % 2 == 0))
    lines.insert(len(lines) // 2, json.dumps({"id": "not-a-string", "text": 42}))
    lines.insert(len(lines) // 3, "")
    return lines


def comparable(line):
    """(id, record without the fields that number input lines) of one output line."""
    rec = json.loads(line)
    rec.get("chaff", {}).pop("path", None)
    rec.get("chaff", {}).pop("line", None)
    error = rec.get("chaff", {}).get("error")
    if isinstance(error, str) and error.startswith("line "):
        rec["chaff"]["error"] = error.split(": ", 1)[-1]
    return rec["id"], rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chaff", default=str(ROOT / "target/release/chaff"))
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--keep", help="write the inputs and outputs here instead of a temporary folder")
    a = ap.parse_args()
    chaff = str(Path(a.chaff).resolve())
    if not os.access(chaff, os.X_OK):
        print(f"no chaff binary at {chaff}: run `cargo build --release` first", file=sys.stderr)
        return 2

    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="chaff-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        lines = make_records(a.copies)
        parts = work / "in"
        shutil.rmtree(parts, ignore_errors=True)
        parts.mkdir()
        per = -(-len(lines) // a.partitions)
        for i in range(a.partitions):
            chunk = lines[i * per:(i + 1) * per]
            (parts / f"part-{i:05}.jsonl").write_text("".join(l + "\n" for l in chunk), encoding="utf-8")

        # The reference: one chaff process over every part file, in order.
        single = subprocess.run(
            [chaff, "clean", "--jsonl", "-q"] + sorted(str(p) for p in parts.glob("part-*.jsonl")),
            capture_output=True,
        )
        if single.returncode not in (0, 1):
            print(single.stderr.decode(errors="replace"), file=sys.stderr)
            return 2
        expected = single.stdout.decode("utf-8").splitlines()

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # local mode: keep Spark's own traffic on the loopback interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master(a.master)
            .appName("chaff-spark-example")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            rdd = spark.sparkContext.textFile(str(parts), minPartitions=a.partitions)
            command = f"sh -c '{chaff} clean --jsonl -q -; test $? -le 1'"
            cleaned = rdd.pipe(command, checkCode=True)
            got = cleaned.collect()
            used = rdd.getNumPartitions()
            (work / "spark-out.jsonl").write_text("".join(l + "\n" for l in got), encoding="utf-8")
        finally:
            spark.stop()

        want = dict(map(comparable, expected))
        have = dict(map(comparable, got))
        records = sum(1 for l in lines if l.strip())
        problems = []
        if len(got) != len(expected) or len(expected) != records:
            problems.append(f"{records} records in, {len(expected)} out of one process, {len(got)} out of Spark")
        for rid in sorted(set(want) | set(have)):
            if want.get(rid) != have.get(rid):
                problems.append(f"record {rid} differs")
        errors = sum(1 for r in have.values() if r.get("chaff", {}).get("status") == "error")
        if problems:
            for p in problems[:20]:
                print(f"MISMATCH {p}", file=sys.stderr)
            return 1
        print(
            f"spark {a.master}, {used} partitions: {len(got)} records, equal to a single chaff "
            f"process ({errors} error record(s) passed through)"
        )
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
