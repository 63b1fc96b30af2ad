#!/usr/bin/env bash
# HeidelTime against the same TIMEX3 gold as `dateline eval timex`, side by
# side: each gold set's texts are exported as dateline files
# (`--export-txt`), tagged by HeidelTime 2.2.1 with the batch runner in
# ../shared/peers (one JVM per set), and scored by our scorer (`--system`),
# then ours on the same set. Prints one line per set and system.
# usage: scripts/peer_timex.sh [DATA_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${1:-$ROOT/../shared/data}
PEERS=/tmp/peers
OUT=/tmp/peer_timex; mkdir -p "$OUT"
if [ ! -x "$PEERS/.venv/bin/python" ]; then
  cp -r "$ROOT/../shared/peers" "$PEERS"
  bash "$PEERS/install.sh"
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p dateline
BIN=$CARGO_TARGET_DIR/release/dateline
run() { # name gold lang heidel-lang [extra args]
  local name=$1 gold=$2 lang=$3 hlang=$4; shift 4
  rm -rf "${OUT:?}/$name"
  "$BIN" eval timex --gold "$gold" --lang "$lang" "$@" --export-txt "$OUT/$name" >/dev/null
  bash "$PEERS/run_heideltime_batch.sh" "$OUT/$name" --lang "$hlang" -o "$OUT/$name.heideltime.jsonl"
  for sys in heideltime dateline; do
    if [ $sys = heideltime ]; then
      j=$("$BIN" eval timex --gold "$gold" --lang "$lang" "$@" --system "$OUT/$name.heideltime.jsonl" --json)
    else
      j=$("$BIN" eval timex --gold "$gold" --lang "$lang" "$@" --json)
    fi
    python3 -c 'import json,sys; d=json.loads(sys.argv[3]); print("%-13s %-10s relaxed F1 %6.2f  strict F1 %6.2f  value F1 %6.2f" % (sys.argv[1], sys.argv[2], d["relaxed_f1"], d["strict_f1"], d["value_f1"]))' "$name" "$sys" "$j"
  done
}
run timebank_es "$D/xtn_timexes/datasets/timebank/es/train.tsv" es spanish
run meantime_es "$D/xtn_timexes/datasets/meantime/es/test.tsv" es spanish
run hourglass_es "$D/hourglass_es/annotated_TML" es spanish --dct 2019-12-20
run tbaq_en "$D/tempeval3_en/TBAQ-cleaned" en english
