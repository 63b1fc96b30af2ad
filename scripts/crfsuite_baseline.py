#!/usr/bin/env python3
"""Trains and scores a CRFsuite model on the NER features that
`dateline train ner --dump-crfsuite DIR` wrote (see crfsuite_baseline.sh).

usage: crfsuite_baseline.py DIR GOLD.conll [--c2 1.0] [--iterations 150]

DIR holds train.crfsuite, dev.crfsuite (one word a line: BILOU label, then
the hashed features of our extractor) and dev.owner (the gold token of each
word, one sentence a line). Predicted word spans are mapped onto the gold
tokens and scored with conlleval's rules (chunk P/R/F1, overall and per
type), as `dateline eval ner` does. Prints one JSON object.
"""
import argparse
import json
import os
import sys
import time

import pycrfsuite


def read_seqs(path):
    xs, ys = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if xs:
                    yield xs, ys
                    xs, ys = [], []
                continue
            cols = line.split("\t")
            ys.append(cols[0])
            xs.append(cols[1:])
    if xs:
        yield xs, ys


def chunks(tags):
    """conlleval chunks of IOB1/IOB2/BILOU tags: (start, end, type)."""
    out, start, ty, prev = [], None, None, ("O", "")
    for i, t in enumerate(list(tags) + ["O"]):
        p, _, tt = t.partition("-")
        if t == "O":
            p, tt = "O", ""
        pp, pty = prev
        ends = pp in ("E", "L", "S", "U") or (
            pp in ("B", "I") and (p in ("B", "S", "U", "O") or tt != pty)
        )
        if ends and start is not None:
            out.append((start, i, ty))
            start = None
        starts = p in ("B", "S", "U") or (p in ("I", "E", "L") and (pp in ("O", "E", "L", "S", "U") or tt != pty))
        if starts and p != "O":
            start, ty = i, tt
        prev = (p, tt)
    return out


def read_gold(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols or cols[0] == "-DOCSTART-":
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append(cols[-1])
    if cur:
        sents.append(cur)
    return sents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("gold")
    ap.add_argument("--c1", type=float, default=0.0)
    ap.add_argument("--c2", type=float, default=1.0)
    ap.add_argument("--iterations", type=int, default=150)
    a = ap.parse_args()
    model = os.path.join(a.dir, "crf.model")
    t0 = time.time()
    tr = pycrfsuite.Trainer(verbose=False)
    for xs, ys in read_seqs(os.path.join(a.dir, "train.crfsuite")):
        tr.append(xs, ys)
    tr.select("lbfgs")
    tr.set_params({"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations,
                   "feature.possible_transitions": True})
    t1 = time.time()
    tr.train(model)
    t2 = time.time()
    tagger = pycrfsuite.Tagger()
    tagger.open(model)
    dev = list(read_seqs(os.path.join(a.dir, "dev.crfsuite")))
    t3 = time.time()
    preds = [tagger.tag(xs) for xs, _ in dev]
    t4 = time.time()
    owners = [[int(x) for x in l.split()] for l in open(os.path.join(a.dir, "dev.owner"), encoding="utf-8")]
    gold = read_gold(a.gold)
    if not (len(gold) == len(preds) == len(owners)):
        sys.exit("dev.crfsuite, dev.owner and the gold file disagree on sentences")
    counts = {}
    words = 0
    def c(ty):
        return counts.setdefault(ty, [0, 0, 0])  # gold, predicted, correct
    for g, p, own in zip(gold, preds, owners):
        words += len(p)
        gc = set(chunks(g))
        pc = set()
        seen = set()
        for s, e, ty in chunks(p):
            if s >= len(own) or e - 1 >= len(own):
                continue
            span = (own[s], own[e - 1] + 1, ty)
            if span[0] in seen:
                continue
            seen.add(span[0])
            pc.add(span)
        for s, e, ty in gc:
            c(ty)[0] += 1
            c("all")[0] += 1
        for s, e, ty in pc:
            c(ty)[1] += 1
            c("all")[1] += 1
            if (s, e, ty) in gc:
                c(ty)[2] += 1
                c("all")[2] += 1
    def prf(v):
        g, p, k = v
        pr = 100 * k / p if p else 0.0
        rc = 100 * k / g if g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return {"precision": round(pr, 2), "recall": round(rc, 2), "f1": round(f, 2)}
    out = prf(c("all"))
    out["types"] = {k: prf(v) for k, v in sorted(counts.items()) if k != "all"}
    out["train_seconds"] = round(t2 - t1, 1)
    out["load_seconds"] = round(t1 - t0, 1)
    out["tag_seconds"] = round(t4 - t3, 2)
    out["dev_words"] = words
    out["words_per_second"] = round(words / max(t4 - t3, 1e-9))
    out["params"] = {"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
