#!/usr/bin/env bash
# The CRF baseline of the NER (issue 4): CRFsuite (L-BFGS, L2) trained on
# exactly the features of our perceptron, dumped by
# `dateline train ner --dump-crfsuite`, scored on CoNLL-2002 esp.testa with
# conlleval's rules. Installs python-crfsuite into a venv under /tmp; not
# part of the test command. Takes about 20 minutes on one loaded core.
#
# usage: scripts/crfsuite_baseline.sh [DATA_DIR]   (default ../shared/data)
# Extra arguments of the Spanish model's training command go in NER_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
D="$DATA/conll2002_es"
BIN=${BIN:-target/release/dateline}
WORK=${WORK:-/tmp/dateline-crfsuite}
VENV=${VENV:-/tmp/crfvenv}
NER_ARGS=${NER_ARGS:-"--flags 104 --alone 30 --mix 3 --window 30"}
mkdir -p "$WORK"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import pycrfsuite' 2>/dev/null || "$VENV/bin/pip" install -q python-crfsuite
[ -x "$BIN" ] || cargo build --release -p dateline
# our model, and the features it learns from / predicts with
start=$(date +%s.%N)
# shellcheck disable=SC2086
$BIN train ner --lang es --train "$D/esp.train" --out "$WORK/ner-es.bin.gz" $NER_ARGS \
  --dev "$D/esp.testa" --dump-crfsuite "$WORK" 2>"$WORK/train.log" >/dev/null
echo "ours, training log:"; cat "$WORK/train.log"
$BIN eval ner --lang es --gold "$D/esp.testa" --model "$WORK/ner-es.bin.gz" --json
echo "CRFsuite on the same features:"
"$VENV/bin/python" scripts/crfsuite_baseline.py "$WORK" "$D/esp.testa" --c2 1.0 --iterations 150
