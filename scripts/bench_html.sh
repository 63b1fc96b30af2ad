#!/usr/bin/env bash
# Side-by-side main-text extraction benchmark on the Zyte article-extraction
# benchmark: dateline-html (Rust, single thread) vs trafilatura (Python).
#
# usage: scripts/bench_html.sh [--candidates] [DATA_DIR]
#   DATA_DIR defaults to ../shared/data/article_extraction_benchmark
#   --candidates also scores dom_smoothie, rs-trafilatura and the
#   `trafilatura` crate (builds a separate harness; slow the first time).
# Needs the Python peers installed once:
#   cp -r ../shared/peers /tmp/peers && bash /tmp/peers/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CANDS=0
if [[ "${1:-}" == "--candidates" ]]; then CANDS=1; shift; fi
DATA="${1:-$(cd .. && pwd)/shared/data/article_extraction_benchmark}"
PEERS="${PEERS:-/tmp/peers}"
PY="$PEERS/.venv/bin/python"
OUT="${OUT:-/tmp/bench_html}"
mkdir -p "$OUT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target-html}"

cargo build --release -q -p dateline-html --example aeb
AEB="$CARGO_TARGET_DIR/release/examples/aeb"

echo "== dateline-html"
"$AEB" "$DATA/html" "$DATA/ground-truth.json" --dump "$OUT/dateline.jsonl" | tee "$OUT/dateline.txt"
"$PY" "$PEERS/eval_extract.py" "$DATA/ground-truth.json" "$OUT/dateline.jsonl" | tee "$OUT/dateline.eval.json"

echo "== trafilatura"
"$PY" "$PEERS/peer_extract.py" "$DATA/html" --extractor trafilatura -o "$OUT/traf.jsonl" 2>&1 | tee "$OUT/traf.txt" | grep -i summary || true
"$PY" "$PEERS/eval_extract.py" "$DATA/ground-truth.json" "$OUT/traf.jsonl" | tee "$OUT/traf.eval.json"

if [[ $CANDS == 1 ]]; then
  echo "== Rust candidates"
  (cd crates/dateline-html/bench/candidates && CARGO_TARGET_DIR="$CARGO_TARGET_DIR-cand" cargo build --release -q)
  "$CARGO_TARGET_DIR-cand/release/dateline-html-candidates" "$DATA/html" "$DATA/ground-truth.json" \
    dom_smoothie trafilatura-rs rs-trafilatura | tee "$OUT/candidates.jsonl"
fi

echo
echo "== side by side (token P/R/F1 per eval_extract.py; docs/s single thread, extraction only)"
"$PY" - "$OUT" <<'PYEOF'
import json, re, sys, os
out = sys.argv[1]
rows = []
d = json.loads(open(f"{out}/dateline.eval.json").read().strip().splitlines()[-1])
m = re.search(r"([\d.]+) docs/s", open(f"{out}/dateline.txt").read())
rows.append(("dateline-html", d["f1"], d["precision"], d["recall"], float(m.group(1)) if m else float("nan")))
t = json.loads(open(f"{out}/traf.eval.json").read().strip().splitlines()[-1])
txt = open(f"{out}/traf.txt").read()
m = re.search(r'"?docs_per_s"?\W+([\d.]+)', txt)
rows.append(("trafilatura (python)", t["f1"], t["precision"], t["recall"], float(m.group(1)) if m else float("nan")))
if os.path.exists(f"{out}/candidates.jsonl"):
    for line in open(f"{out}/candidates.jsonl"):
        c = json.loads(line)
        rows.append((c["extractor"], c["f1"], c["precision"], c["recall"], c["docs_per_s"]))
print(f"| {'extractor':<22} | {'F1':>5} | {'P':>5} | {'R':>5} | {'docs/s':>7} |")
print(f"|{'-'*24}|{'-'*7}|{'-'*7}|{'-'*7}|{'-'*9}|")
for n, f, p, r, s in rows:
    print(f"| {n:<22} | {f:5.3f} | {p:5.3f} | {r:5.3f} | {s:7.1f} |")
PYEOF
