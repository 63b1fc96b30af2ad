#!/usr/bin/env python3
"""Relabels UPOS of closed-class words in a treebank to the dominant tag the
reference treebank gives the same form (>= 90% of >= 5 occurrences), so that
UD_Spanish-PUD follows UD_Spanish-GSD conventions ("su" DET, "que" ...).

Usage: harmonize_pud.py REFERENCE.conllu INPUT.conllu OUTPUT.conllu
"""
import collections, sys

ref, inp, out = sys.argv[1:4]
CLOSED = {"PRON", "DET", "SCONJ", "ADP", "CCONJ", "AUX", "ADV", "NUM", "PART"}
counts = collections.defaultdict(collections.Counter)
for line in open(ref, encoding="utf-8"):
    c = line.rstrip("\n").split("\t")
    if len(c) == 10 and c[0].isdigit():
        counts[c[1].lower()][c[3]] += 1
dominant = {}
for form, cnt in counts.items():
    tag, n = cnt.most_common(1)[0]
    total = sum(cnt.values())
    if total >= 5 and n / total >= 0.9 and tag in CLOSED:
        dominant[form] = tag
changed = 0
with open(out, "w", encoding="utf-8") as f:
    for line in open(inp, encoding="utf-8"):
        c = line.rstrip("\n").split("\t")
        if len(c) == 10 and c[0].isdigit():
            tag = dominant.get(c[1].lower())
            if tag and tag != c[3] and c[3] in CLOSED:
                c[3] = tag
                changed += 1
                line = "\t".join(c) + "\n"
        f.write(line)
print(changed, "tags changed", file=sys.stderr)
