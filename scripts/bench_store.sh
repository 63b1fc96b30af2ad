#!/usr/bin/env bash
# Store benchmark: N documents (default 100,000) generated from the bundled
# examples with varied dates and names (scripts/gen_store_corpus.py) are
# ingested; then 16 concurrent clients on loopback query the API (search,
# then events). Prints documents/s, store size and latency percentiles.
#
#   bash scripts/bench_store.sh [N] [WORKDIR]
#
# Targets (issue 7): search p50 <= 20 ms and p99 <= 100 ms, events p99 <= 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
WORK="${2:-$(mktemp -d /tmp/dateline-bench.XXXXXX)}"
CLIENTS="${CLIENTS:-16}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-20}"
MAX_REQUESTS="${MAX_REQUESTS:-50000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
mkdir -p "$WORK"

echo "== building (release)"
cargo build --release -q -p dateline --bin dateline --example loadgen
BIN="$CARGO_TARGET_DIR/release/dateline"
LOADGEN="$CARGO_TARGET_DIR/release/examples/loadgen"

echo "== generating $N documents in $WORK"
"$BIN" extract examples/ > "$WORK/base.jsonl" 2>/dev/null || true
cat tests/fixtures/store/events-v1.jsonl >> "$WORK/base.jsonl"
python3 scripts/gen_store_corpus.py "$WORK/base.jsonl" "$WORK/corpus.jsonl" "$N"
ls -l "$WORK/corpus.jsonl"

echo "== ingesting"
rm -rf "$WORK/store"
"$BIN" ingest --quiet --json --data "$WORK/store" "$WORK/corpus.jsonl" > "$WORK/ingest.json"
cat "$WORK/ingest.json"; echo
du -sh "$WORK/store"

echo "== serving"
"$BIN" serve --quiet --addr 127.0.0.1:0 --data "$WORK/store" > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q serving "$WORK/serve.log" && break
  sleep 0.1
done
ADDR=$(sed -n 's|.*serving http://\([0-9.:]*\)/.*|\1|p' "$WORK/serve.log" | head -1)
echo "server at $ADDR"

python3 - "$WORK" <<'PY'
import random, sys, urllib.parse
work = sys.argv[1]
rng = random.Random(1)
first = ["Ana", "Luis", "María", "Jorge", "Elena", "Pedro", "Sofía", "Iván", "Olga", "Tomás", "Lucía", "Andrés"]
last = ["García", "Petrov", "Smith", "Núñez", "Kowalski", "Haddad", "Okafor", "Tanaka", "Müller", "Rossi", "Volkov", "Dubois"]
words = ["Putin", "Kim", "Zelenski", "gobierno", "president", "elecciones", "police", "sanciones", "acuerdo",
         "economy", "guerra", "Trump", "ministro", "earthquake", "\"Corea del Norte\"", "protest", "oil", "mercado"]
with open(f"{work}/search.paths", "w") as f:
    for _ in range(2000):
        r = rng.random()
        if r < 0.4:
            q = rng.choice(words)
        elif r < 0.7:
            q = f"{rng.choice(first)} {rng.choice(last)}"
        elif r < 0.85:
            q = f"{rng.choice(words)} {rng.choice(words)}"
        else:
            q = rng.choice(words)
            f.write(f"/api/search?q={urllib.parse.quote(q)}&lang={rng.choice(['es','en'])}&from=2024-0{rng.randint(1,9)}\n")
            continue
        f.write(f"/api/search?q={urllib.parse.quote(q)}\n")
types = ["CONSULT", "AGREE", "ACCUSE", "THREATEN", "SANCTION", "ASSAULT", "AID"]
with open(f"{work}/events.paths", "w") as f:
    for _ in range(2000):
        r = rng.random()
        if r < 0.3:
            p = {"actor": rng.choice(first + last)}
        elif r < 0.5:
            p = {"either": rng.choice(["putin", "kim jong", "zelenski", "trump"])}
        elif r < 0.7:
            p = {"type": rng.choice(types), "from": f"2024-{rng.randint(1,12):02d}"}
        elif r < 0.85:
            m = rng.randint(1, 12)
            p = {"from": f"2025-{m:02d}-01", "to": f"2025-{m:02d}-28", "quad": rng.randint(1, 4)}
        else:
            p = {"actor": rng.choice(["RUS", "UKR", "USA", "CHN"]), "recipient": rng.choice(["PRK", "KOR", "FRA", "ESP"])}
        f.write("/api/events?" + urllib.parse.urlencode(p) + "\n")
PY

echo "== warm-up"
"$LOADGEN" "$ADDR" 4 5 2000 "$WORK/search.paths" > /dev/null
echo "== search: $CLIENTS clients"
"$LOADGEN" "$ADDR" "$CLIENTS" "$SECONDS_PER_RUN" "$MAX_REQUESTS" "$WORK/search.paths" | tee "$WORK/search.json"
echo "== events: $CLIENTS clients"
"$LOADGEN" "$ADDR" "$CLIENTS" "$SECONDS_PER_RUN" "$MAX_REQUESTS" "$WORK/events.paths" | tee "$WORK/events.json"

python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
ing = json.load(open(f"{w}/ingest.json")); s = json.load(open(f"{w}/search.json")); e = json.load(open(f"{w}/events.json"))
print(f"documents: {ing['store_documents']}, events: {ing['store_events']}, ingest: {ing['docs_per_second']:.0f} docs/s "
      f"({ing['seconds']:.0f} s), store: {ing['store_bytes'] / 2**20:.0f} MiB")
print(f"search: p50 {s['p50_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, {s['rps']:.0f} req/s, errors {s['errors']}")
print(f"events: p50 {e['p50_ms']:.1f} ms, p99 {e['p99_ms']:.1f} ms, {e['rps']:.0f} req/s, errors {e['errors']}")
ok = s["p50_ms"] <= 20 and s["p99_ms"] <= 100 and e["p99_ms"] <= 100 and s["errors"] == 0 and e["errors"] == 0
print("targets met" if ok else "TARGETS NOT MET")
PY
