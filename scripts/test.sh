#!/usr/bin/env bash
# The whole test suite: format, lints, unit + integration + golden tests, and
# the evaluations whose gold data lives in ../shared/data (run when present).
# README's test command and .ci/run both run exactly this. The browser test
# of the web UI (scripts/e2e.sh: headless Chromium) runs last; set
# DATELINE_SKIP_E2E=1 to leave it out on a machine without Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace

DATA="${DATELINE_DATA:-../shared/data}"
if [ -d "$DATA" ]; then
  echo "== evaluations on $DATA"
  bash scripts/eval.sh "$DATA"
else
  echo "== $DATA not present: evaluations skipped"
fi

if [ "${DATELINE_SKIP_E2E:-0}" != "1" ]; then
  echo "== end-to-end browser test (scripts/e2e.sh)"
  bash scripts/e2e.sh
fi
