#!/usr/bin/env bash
# Speed of the text core (language, sentences + tokens, tags + lemmas, parse)
# against spaCy es_core_news_sm's full pipeline (tok2vec, morphologizer,
# parser, attribute_ruler, lemmatizer, ner), one thread each, side by side
# in one run on the same fakenews_es articles, with the peak memory of each
# process (/usr/bin/time -v). Also prints the whole `dateline extract`
# figure (every default stage) from the same runs.
# usage: scripts/bench_text.sh [DATA_DIR] [OUR_RUNS] [SPACY_RUNS]
# Installs the peers into /tmp/peers when absent. Median run of each.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
D=${1:-$ROOT/../shared/data}
OURS_RUNS=${2:-3}
SPACY_RUNS=${3:-1}
PEERS=/tmp/peers
CORPUS=/tmp/peers_corpus/news_es
OUT=/tmp/bench_text; mkdir -p "$OUT"
if [ ! -x "$PEERS/.venv/bin/python" ]; then
  cp -r "$ROOT/../shared/peers" "$PEERS"
  bash "$PEERS/install.sh"
fi
if [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS" 2>/dev/null)" ]; then
  "$PEERS/.venv/bin/python" "$PEERS/make_news_corpus.py" fakenews_es "$D/fakenews_es" "$CORPUS"
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p dateline
BIN=$CARGO_TARGET_DIR/release/dateline
# one thread for every numeric library spaCy may use
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

echo "corpus: $CORPUS ($(ls "$CORPUS"/*.txt | wc -l) docs)" >&2
for i in $(seq 1 "$OURS_RUNS"); do
  /usr/bin/time -v "$BIN" extract -j1 --profile "$CORPUS" -o "$OUT/dateline.jsonl" 2> "$OUT/dateline.$i.err"
done
for i in $(seq 1 "$SPACY_RUNS"); do
  /usr/bin/time -v "$PEERS/.venv/bin/python" "$PEERS/peer_spacy.py" "$CORPUS" --lang es \
    -o "$OUT/spacy.jsonl" 2> "$OUT/spacy.$i.err"
done

python3 - "$OUT" "$OURS_RUNS" "$SPACY_RUNS" "$CORPUS" <<'PY'
import json, os, re, sys, statistics
out, n_ours, n_spacy, corpus = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
TEXT = ["language", "sentences", "tags", "parse"]

def timev(text):
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = sum(float(re.search(rf"{k} time \(seconds\): ([0-9.]+)", text).group(1))
              for k in ("User", "System"))
    return secs, rss / 1024, cpu

def ours(i):
    text = open(f"{out}/dateline.{i}.err", encoding="utf-8").read()
    stages = {m.group(1): float(m.group(2)) / 1000
              for m in re.finditer(r"^\s*(\S+)\s+([0-9.]+) ms$", text, re.M)}
    build = float(re.search(r"pipeline built in ([0-9.]+) ms", text).group(1)) / 1000
    # models a stage loads on the first document of a language count as
    # load, not analysis (spaCy's timer starts after spacy.load)
    lazy = re.search(r"models loaded on first use in ([0-9.]+) ms", text)
    build += float(lazy.group(1)) / 1000 if lazy else 0.0
    wall, rss, cpu = timev(text)
    return {"stages": stages, "build": build, "wall": wall, "rss": rss, "cpu": cpu,
            "text_s": sum(stages.get(s, 0.0) for s in TEXT)}

def spacy(i):
    text = open(f"{out}/spacy.{i}.err", encoding="utf-8").read()
    summ = json.loads(next(l[8:] for l in text.splitlines() if l.startswith("SUMMARY ")))
    wall, rss, cpu = timev(text)
    summ.update(wall=wall, rss=rss, cpu=cpu)
    return summ

runs = sorted((ours(i) for i in range(1, n_ours + 1)), key=lambda r: r["text_s"])
o = runs[len(runs) // 2]
sp = sorted((spacy(i) for i in range(1, n_spacy + 1)), key=lambda r: r["proc_s"])
s = sp[len(sp) // 2]
docs = s["docs"]
mb = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus)) / 1e6
n_tokens = sum(json.loads(l)["n_tokens"] for l in open(f"{out}/spacy.jsonl", encoding="utf-8"))
text_dps = docs / o["text_s"]
whole_s = sum(o["stages"].values())
print(f"{docs} documents, {mb:.2f} MB, {n_tokens} spaCy tokens; one thread each; "
      f"median of {n_ours} runs (ours) and {n_spacy} (spaCy)\n")
print("| system | load s | analysis s | docs/s | tokens/s | peak RSS MB |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| dateline text core ({' + '.join(TEXT)}) | {o['build']:.2f} | {o['text_s']:.2f} | "
      f"{text_dps:.1f} | {n_tokens / o['text_s']:,.0f} | {o['rss']:.0f} (whole extract) |")
print(f"| dateline extract, all {len(o['stages'])} stages | {o['build']:.2f} | {whole_s:.2f} | "
      f"{docs / whole_s:.1f} | {n_tokens / whole_s:,.0f} | {o['rss']:.0f} |")
print(f"| dateline extract, process wall clock | | {o['wall']:.2f} | {docs / o['wall']:.1f} | | |")
print(f"| spaCy {s.get('spacy', '')} es_core_news_sm {s.get('model_version', '')} "
      f"({', '.join(s.get('pipes', []))}) | {s['load_s']:.2f} | {s['proc_s']:.2f} | "
      f"{s['docs_per_s']:.2f} | {n_tokens / s['proc_s']:,.0f} | {s['rss']:.0f} |")
print()
print("per stage (ms): " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in o["stages"].items()))
# On a busy machine wall-clock stage times stretch with the load; CPU time
# (user + sys of each process, load included) does not.
text_cpu = o["cpu"] * o["text_s"] / o["wall"]
print(f"CPU time, load included: dateline extract {o['cpu']:.2f} s (text core share "
      f"~{text_cpu:.2f} s), spaCy {s['cpu']:.2f} s; CPU-time ratio whole extract vs spaCy "
      f"{s['cpu'] / o['cpu']:.1f}x, text core vs spaCy {s['cpu'] / text_cpu:.1f}x")
# issue 4: NER + linking (the entities stage) against the text core
ent = o["stages"].get("entities", 0.0)
print(f"entities (NER + linking) {ent * 1000:.0f} ms = {100 * ent / o['text_s']:.1f}% of the "
      f"text core's time (goal <= 50%)")
print(f"text core vs spaCy: {text_dps / s['docs_per_s']:.1f}x (goal >= 20x); "
      f"whole extract (stage sum) vs spaCy: {docs / whole_s / s['docs_per_s']:.1f}x; "
      f"whole extract (wall, load included) vs spaCy (wall, load included): "
      f"{s['wall'] / o['wall']:.1f}x")
PY
