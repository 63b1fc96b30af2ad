#!/usr/bin/env python3
"""Test items for the language-ID comparison (scripts/bench_langid.sh).

usage: langid_data.py DATA_DIR OUT_DIR [SPACY_LANG_DIR]

Writes OUT_DIR/items.tsv: set, gold language, text (tabs/newlines in the
text become spaces). Sets: UD sentences (GSD/PUD es, EWT/GUM en),
fakenews_es paragraphs and whole articles, short inputs (<= 30 characters:
sentence prefixes cut at a word boundary and fakenews headlines), spaCy's
example sentences for other languages (pt, fr, it, de, ca: few, indicative
only) and mixed es+en pairs (gold "mixed": any answer is wrong unless the
detector abstains, shown separately).
"""
import json, os, random, sys

data, out = sys.argv[1], sys.argv[2]
spacy_lang = sys.argv[3] if len(sys.argv) > 3 else None
rng = random.Random(13)
items = []

def conllu_texts(path, limit=None):
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# text = "):
                texts.append(line[9:].strip())
    return texts[:limit] if limit else texts

def add(set_, lang, text):
    text = " ".join(text.split())
    if text:
        items.append((set_, lang, text))

def short(text, n=30):
    if len(text) <= n:
        return text
    cut = text[:n + 1]
    sp = cut.rfind(" ")
    return cut[:sp] if sp > 0 else text[:n]

gsd = conllu_texts(f"{data}/ud_spanish_gsd/es_gsd-ud-test.conllu")
pud = conllu_texts(f"{data}/ud_spanish_pud/es_pud-ud-test.conllu")
ewt = conllu_texts(f"{data}/ud_english_ewt/en_ewt-ud-test.conllu")
gum = conllu_texts(f"{data}/ud_english_gum/en_gum-ud-dev.conllu")
for t in gsd: add("ud_sent_es", "es", t)
for t in pud: add("ud_sent_es", "es", t)
for t in ewt: add("ud_sent_en", "en", t)
for t in gum: add("ud_sent_en", "en", t)
heads = []
with open(f"{data}/fakenews_es/test.jsonl", encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        head, text = d.get("HEADLINE") or "", d.get("TEXT") or ""
        add("fakenews_doc_es", "es", head + " " + text)
        if head:
            heads.append(head)
        for p in text.split("\n"):
            if len(p.strip()) >= 40:
                add("fakenews_para_es", "es", p)
for t in rng.sample(gsd + pud, 600): add("short30_es", "es", short(t))
for t in heads:
    if len(t) <= 30: add("short30_es", "es", t)
for t in rng.sample(ewt + gum, 600): add("short30_en", "en", short(t))
if spacy_lang:
    for lang in ["pt", "fr", "it", "de", "ca"]:
        ns = {}
        exec(open(f"{spacy_lang}/{lang}/examples.py", encoding="utf-8").read(), ns)
        for t in ns["sentences"]:
            add("other_sent", lang, t)
for a, b in zip(rng.sample(gsd, 200), rng.sample(ewt, 200)):
    add("mixed_es_en", "mixed", a + " " + b)
os.makedirs(out, exist_ok=True)
with open(f"{out}/items.tsv", "w", encoding="utf-8") as f:
    for s, l, t in items:
        f.write(f"{s}\t{l}\t{t}\n")
print(f"{len(items)} items -> {out}/items.tsv", file=sys.stderr)
