#!/usr/bin/env bash
# End-to-end browser test of the web UI: headless Chromium (Debian's
# chromium package) driven by playwright-core (npm, pinned in
# tests/e2e/package-lock.json). Not part of `cargo test`.
# Screenshots go to tests/e2e/out/ (or $E2E_OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium
fi
if ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build -q -p dateline --bin dateline
(cd tests/e2e && npm ci --no-audit --no-fund --silent)
node tests/e2e/ui.test.mjs "$TARGET/debug/dateline"
