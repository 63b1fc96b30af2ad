#!/usr/bin/env bash
# Speed of the time (+ quantity) tagger against HeidelTime (batch, one JVM)
# and dateparser's search_dates, side by side on the same fakenews_es
# articles, in one run. usage: scripts/bench_time.sh [DATA_DIR] [HEIDELTIME_DOCS]
# Needs java for HeidelTime; installs the peers into /tmp/peers when absent.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${1:-$ROOT/../shared/data}
HT_DOCS=${2:-200}
PEERS=/tmp/peers
CORPUS=/tmp/peers_corpus/news_es
OUT=/tmp/bench_time; mkdir -p "$OUT"
if [ ! -x "$PEERS/.venv/bin/python" ]; then
  cp -r "$ROOT/../shared/peers" "$PEERS"
  bash "$PEERS/install.sh"
fi
if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  "$PEERS/.venv/bin/python" "$PEERS/make_news_corpus.py" fakenews_es "$D/fakenews_es" "$CORPUS"
fi
N=$(ls "$CORPUS"/*.txt | wc -l)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p dateline-pipeline --example time_bench
BIN=$CARGO_TARGET_DIR/release/examples/time_bench

echo "corpus: $CORPUS ($N docs); HeidelTime on the first $HT_DOCS" >&2
"$BIN" "$CORPUS" --lang es -o "$OUT/dateline.jsonl" 2> "$OUT/dateline.err"
"$PEERS/.venv/bin/python" "$PEERS/peer_dateparser.py" "$CORPUS" --lang es -o "$OUT/dateparser.jsonl" 2> "$OUT/dateparser.err"
bash "$PEERS/run_heideltime_batch.sh" "$CORPUS" --lang spanish --limit "$HT_DOCS" -o "$OUT/heideltime.jsonl" 2> "$OUT/heideltime.err"
# ours again on the same subset HeidelTime saw
SUB=$OUT/subset; rm -rf "$SUB"; mkdir -p "$SUB"
ls "$CORPUS"/*.txt | sort | head -n "$HT_DOCS" | xargs -I{} cp {} "$SUB/"
"$BIN" "$SUB" --lang es 2> "$OUT/dateline_subset.err"

python3 - "$OUT" <<'PY'
import json, sys, re
out = sys.argv[1]
def summ(name):
    for line in open(f"{out}/{name}.err", encoding="utf-8"):
        if line.startswith("SUMMARY "):
            return json.loads(line[8:])
    raise SystemExit(f"no SUMMARY in {name}.err")
ours, sub, dp, ht = summ("dateline"), summ("dateline_subset"), summ("dateparser"), summ("heideltime")
rows = [("dateline time+quantity", ours), ("dateline (HeidelTime's subset)", sub),
        ("dateparser search_dates", dp), ("HeidelTime batch", ht)]
print("| system | docs | load s | proc s | docs/s | MB/s | found |")
print("|---|---:|---:|---:|---:|---:|---:|")
for n, s in rows:
    found = s.get("timexes_found", s.get("dates_found", s.get("found", "")))
    print(f"| {n} | {s['docs']} | {s['load_s']:.2f} | {s['proc_s']:.3f} | {s['docs_per_s']:.1f} | {s['MB_per_s']:.3f} | {found} |")
print()
print(f"speed-up vs dateparser (same {dp['docs']} docs): {ours['docs_per_s']/dp['docs_per_s']:.0f}x (goal >= 10x)")
print(f"speed-up vs HeidelTime (same {ht['docs']} docs): {sub['docs_per_s']/ht['docs_per_s']:.0f}x (goal >= 100x)")
PY
