#!/usr/bin/env bash
# chaff against resiliparse and trafilatura, side by side on the same HTML files (one core), and
# chaff's two-core scaling. Installs the two extractors (pinned) into target/bench-venv on first use.
# Usage, from anywhere:   scripts/bench_compare.sh [HTML_DIR] [--rounds N]
# (default HTML_DIR: ../shared/bench/extract/aeb, its *.html files). See scripts/bench_compare.py
# for exactly what is timed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=../shared/bench/extract/aeb
# The folder is optional: `scripts/bench_compare.sh --rounds 5` runs on the default one.
if [[ $# -gt 0 && $1 != --* ]]; then
  dir=$1
  shift
fi
venv=target/bench-venv
if ! "$venv/bin/python" -c 'import resiliparse, trafilatura' 2>/dev/null; then
  python3 -m venv "$venv"
  # lxml_html_clean: trafilatura imports justext, which needs lxml.html.clean (split out of lxml 5.2).
  "$venv/bin/pip" install -q resiliparse==2.0.1 trafilatura==2.3.1 lxml_html_clean==0.4.6
fi
cargo build --release -q
exec "$venv/bin/python" scripts/bench_compare.py --bin target/release/chaff --dir "$dir" "$@"
