#!/usr/bin/env bash
# Runs every `dateline eval` on the gold data in DATA (default ../shared/data)
# and checks the acceptance thresholds. Prints one JSON object per evaluation.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/data}"
cargo build --release -q -p dateline
BIN=target/release/dateline
fail=0

check() { # name json key min
  python3 - "$1" "$2" "$3" "$4" <<'PY' || fail=1
import json, sys
name, js, key, lo = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], float(sys.argv[4])
v = js[key]
print(f"{name}: {key} = {v} (threshold {lo})")
sys.exit(0 if v >= lo else 1)
PY
}

AEB="$DATA/article_extraction_benchmark"
if [ -d "$AEB" ]; then
  out=$($BIN eval boilerplate --html "$AEB/html" --gold "$AEB/ground-truth.json" --json)
  echo "$out"
  check boilerplate "$out" f1 96.0
fi
exit $fail
