#!/usr/bin/env python3
"""Converts UD English GUM (CoNLL-U with the `Entity=` layer in MISC) into
the CoNLL-2003 column format (`WORD TAG`, IOB2) for `dateline train/eval ner`.

GUM marks every mention (pronouns and common nouns too) with one of ten
types; CoNLL-style NER wants named entities only. A mention counts as named
when one of its head tokens (GUM's min-span indices) is a PROPN. Its extent
is the run of PROPN tokens around that head inside the mention, bridged over
lower-case connectors between names ("Bank of England", "University of
California") and extended over numbers right after a name ("Apollo 11"), so
determiners, titles in lower case and trailing modifiers stay out as in
CoNLL. Nested named mentions keep the outermost ("Bank of England" is one
ORG, not an ORG holding a LOC).

Type mapping (documented in models/README.md):
  person -> PER, organization -> ORG, place -> LOC,
  event, object, abstract, substance, animal, plant -> MISC (named ones only:
  "World War II", "iPhone", "English", "Christianity"),
  time -> O (month and day names are PROPN in UD but not CoNLL entities).

GUM is CC BY-NC-SA 4.0 as a whole: write the output outside the repository.

usage: gum_to_conll.py IN.conllu OUT.conll
"""
import sys

TYPE = {"person": "PER", "organization": "ORG", "place": "LOC",
        "event": "MISC", "object": "MISC", "abstract": "MISC",
        "substance": "MISC", "animal": "MISC", "plant": "MISC"}
CONNECTORS = {"of", "the", "and", "for", "de", "la", "del", "&", "du", "von", "van", "der", "on", "upon"}


def parse_entity(value, i, stack, mentions):
    """Reads one token's Entity= value: '(' opens (closes at once if ')' follows), 'N)' closes."""
    k = 0
    while k < len(value):
        c = value[k]
        if c == "(":
            j = k + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            fields = value[k + 1:j].split("-")
            if j < len(value) and value[j] == ")":
                mentions.append((i, i + 1, fields))
                k = j + 1
            else:
                stack.append((fields[0], i, fields))
                k = j
        elif c.isdigit():
            j = k
            while j < len(value) and value[j].isdigit():
                j += 1
            eid = value[k:j]
            for s in range(len(stack) - 1, -1, -1):
                if stack[s][0] == eid:
                    _, start, fields = stack.pop(s)
                    mentions.append((start, i + 1, fields))
                    break
            k = j + 1
        else:
            k += 1


def named_extent(start, end, heads, forms, upos):
    """The name inside a mention, or None when no head is a proper noun."""
    head = next((h for h in heads if start <= h < end and upos[h] == "PROPN"), None)
    if head is None:
        return None
    a = b = head

    def bridge(pos, step, limit):
        """Index of the PROPN reached over 1-2 connectors from pos, or None."""
        k = pos + step
        for _ in range(2):
            if not (start <= k < end) or forms[k].lower() not in CONNECTORS:
                return None
            k += step
            if start <= k < end and upos[k] == "PROPN":
                return k
        return None

    while True:
        moved = False
        if a - 1 >= start and upos[a - 1] == "PROPN":
            a -= 1
            moved = True
        elif (k := bridge(a, -1, start)) is not None:
            a = k
            moved = True
        if b + 1 < end and upos[b + 1] == "PROPN":
            b += 1
            moved = True
        elif (k := bridge(b, 1, end)) is not None:
            b = k
            moved = True
        elif b + 1 < end and upos[b + 1] == "NUM" and b + 2 >= end:
            b += 1
            moved = True
        if not moved:
            break
    return a, b + 1


def convert_sentence(rows, out, stats):
    forms = [r[1].replace(" ", "_") for r in rows]
    upos = [r[3] for r in rows]
    stack, mentions = [], []
    for i, r in enumerate(rows):
        for item in r[9].split("|"):
            if item.startswith("Entity="):
                parse_entity(item[len("Entity="):], i, stack, mentions)
    spans = []
    for start, end, fields in mentions:
        if len(fields) < 2:
            continue
        label = TYPE.get(fields[1])
        stats[fields[1]] = stats.get(fields[1], 0) + 1
        if label is None:
            continue
        heads = []
        if len(fields) >= 6:
            for h in fields[5].split(","):
                if h.isdigit():
                    heads.append(start + int(h) - 1)
        if not heads:
            heads = list(range(start, end))
        ext = named_extent(start, end, heads, forms, upos)
        if ext:
            spans.append((ext[0], ext[1], label))
    # outermost first; drop spans overlapping a kept one
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    tags = ["O"] * len(rows)
    for a, b, label in spans:
        if all(t == "O" for t in tags[a:b]):
            tags[a] = "B-" + label
            for k in range(a + 1, b):
                tags[k] = "I-" + label
            stats["named_" + label] = stats.get("named_" + label, 0) + 1
    for f, t in zip(forms, tags):
        out.write(f"{f} {t}\n")
    out.write("\n")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    stats = {}
    with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
        rows = []
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    convert_sentence(rows, out, stats)
                rows = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 10 or "-" in cols[0] or "." in cols[0]:
                continue
            rows.append(cols)
        if rows:
            convert_sentence(rows, out, stats)
    print(" ".join(f"{k}={v}" for k, v in sorted(stats.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
