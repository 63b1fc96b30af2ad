#!/usr/bin/env python3
"""Builds models/lexicon-{es,en}.tsv.gz from spacy-lookups-data (MIT licence).

Each line: form<TAB>brown-cluster bit string<TAB>lemma (empty when unknown).
Words are the most probable N of the lexeme_prob table (plus every form of the
Spanish lemma table), which keeps the files small while covering news text.

Usage: pip download --no-deps -d /tmp/slud spacy-lookups-data==1.0.5
       python3 scripts/make_lexicon.py /tmp/slud/spacy_lookups_data-1.0.5-py2.py3-none-any.whl [N]
"""
import gzip, io, json, sys, zipfile

whl = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 150000
z = zipfile.ZipFile(whl)

def load(name):
    try:
        return json.load(gzip.open(io.BytesIO(z.read(f"spacy_lookups_data/data/{name}"))))
    except KeyError:
        return {}

for lang in ["es", "en"]:
    clusters = load(f"{lang}_lexeme_cluster.json.gz")
    probs = load(f"{lang}_lexeme_prob.json.gz")
    lemmas = load(f"{lang}_lemma_lookup.json.gz")
    ranked = sorted(probs.items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
    words = {w for w, _ in ranked}
    rows = []
    for w in sorted(words | set(lemmas)):
        if not w or "\t" in w or "\n" in w or " " in w:
            continue
        c = clusters.get(w)
        bits = bin(c)[3:] if isinstance(c, int) and c > 0 else ""
        lemma = lemmas.get(w, "")
        if lemma and ("\t" in lemma or "\n" in lemma):
            lemma = ""
        if not bits and not lemma:
            continue
        rows.append(f"{w}\t{bits}\t{lemma}")
    out = f"models/lexicon-{lang}.tsv.gz"
    data = ("# form\tbrown_cluster_bits\tlemma  (from spacy-lookups-data 1.0.5, MIT)\n" + "\n".join(rows) + "\n").encode()
    with open(out, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=9) as g:
            g.write(data)
    print(lang, len(rows), "rows ->", out)
