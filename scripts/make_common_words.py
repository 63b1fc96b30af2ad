#!/usr/bin/env python3
"""Rebuilds crates/dateline-pipeline/data/text/common-es.txt from fakenews_es (CC BY 4.0).

Usage: python3 scripts/make_common_words.py [DATA_DIR]   (default ../shared/data)
"""
import collections, json, re, sys

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
low = collections.Counter()
cap_mid = collections.Counter()
cap_initial = collections.Counter()
for split in ["train", "development", "test"]:
    for line in open(f"{data}/fakenews_es/{split}.jsonl", encoding="utf-8"):
        d = {k.lower(): v for k, v in json.loads(line).items()}
        for sent in re.split(r"(?<=[.!?])\s+|\n+", d.get("text") or ""):
            for i, w in enumerate(re.findall(r"[A-Za-zÁÉÍÓÚÑÜáéíóúñü]+", sent)):
                if w.islower():
                    low[w] += 1
                elif w[0].isupper() and w[1:].islower():
                    (cap_mid if i > 0 else cap_initial)[w.lower()] += 1
# sentence openers: common in lower case, and when capitalised, almost always
# at the start of a sentence (not inside names like "Casas Grandes")
words = sorted(
    w
    for w, c in low.items()
    if c >= 5 and cap_initial[w] >= 3 and cap_mid[w] <= 0.1 * (cap_initial[w] + cap_mid[w]) and len(w) >= 2
)
out = "crates/dateline-pipeline/data/text/common-es.txt"
with open(out, "w", encoding="utf-8") as f:
    f.write("""# Spanish words that are common in lower case: a capitalised one of these right
# after an unpunctuated word usually starts a new sentence ("... hotel en obras
# El Ayuntamiento ...", "... en Pasai Donibane Gracias a Paco ...").
# Derived from the Spanish Fake News Corpus (fakenews_es, CC BY 4.0, Posadas-Durán
# et al.): words seen at least 5 times in lower case, capitalised at least 3 times
# at a sentence start, and at most 10% of their capitalised uses inside a sentence. Regenerate: scripts/make_common_words.py
""")
    f.write("\n".join(words) + "\n")
print(len(words), "words ->", out)
