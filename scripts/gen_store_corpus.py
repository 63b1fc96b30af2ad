#!/usr/bin/env python3
"""Generates a large dateline.doc/v1 corpus for the store benchmark.

Input: the real output of `dateline extract examples/` (JSON Lines) and the
events fixture. Output: N documents (default 100,000) made from them with
varied dates (2023-01-01 .. 2025-12-31), varied names (people drawn from a
pool of generated names replace the original ones), and 1-4 generated event
sentences per document with their entities, mentions, timexes and events, so
that every table and query of the store is loaded.

    python3 scripts/gen_store_corpus.py BASE.jsonl OUT.jsonl [N] [SEED]
"""
import datetime
import hashlib
import json
import random
import sys

base_path, out_path = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)

base = [json.loads(l) for l in open(base_path, encoding="utf-8") if l.strip()]
base = [d for d in base if d.get("text")]

FIRST = ["Ana", "Luis", "María", "Jorge", "Elena", "Pedro", "Sofía", "Iván", "Olga", "Tomás", "Lucía", "Andrés",
         "Irina", "Sergei", "Nadia", "John", "Mary", "Ahmed", "Fatima", "Chen", "Wei", "Kenji", "Aiko", "Kwame"]
LAST = ["García", "Petrov", "Smith", "Núñez", "Kowalski", "Haddad", "Okafor", "Tanaka", "Müller", "Rossi",
        "Ibáñez", "Volkov", "Dubois", "Silva", "Novak", "Costa", "Jensen", "Moreau", "Lindqvist", "Özdemir"]
COUNTRIES = [("RUS", "Rusia"), ("UKR", "Ucrania"), ("PRK", "Corea del Norte"), ("KOR", "Corea del Sur"),
             ("USA", "Estados Unidos"), ("CHN", "China"), ("FRA", "Francia"), ("DEU", "Alemania"),
             ("ESP", "España"), ("MEX", "México"), ("ARG", "Argentina"), ("BRA", "Brasil"), ("JPN", "Japón"),
             ("IRN", "Irán"), ("ISR", "Israel"), ("TUR", "Turquía"), ("IND", "India"), ("COL", "Colombia")]
ROLES = ["GOV", "MIL", "GOV", "LEG", "BUS"]
people = []
for i in range(600):
    cc, _ = COUNTRIES[i % len(COUNTRIES)]
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    people.append((name, f"{cc}{rng.choice(ROLES)}", f"Q{900000 + i}"))
people += [("Vladimir Putin", "RUSGOV", "Q7747"), ("Kim Jong Un", "PRKGOV", "Q56226"),
           ("Volodímir Zelenski", "UKRGOV", "Q3874799"), ("Donald Trump", "USAGOV", "Q22686")]
EVENTS = [("CONSULT", "040", 1, "met", "se reunió con"), ("AGREE", "057", 1, "signed an agreement with", "firmó un acuerdo con"),
          ("REQUEST", "103", 1, "asked", "pidió ayuda a"), ("SUPPORT", "051", 1, "praised", "elogió a"),
          ("AID", "070", 2, "sent aid to", "envió ayuda a"), ("COOPERATE", "061", 2, "cooperated with", "cooperó con"),
          ("ACCUSE", "111", 3, "criticised", "criticó a"), ("REJECT", "120", 3, "rejected the offer of", "rechazó la oferta de"),
          ("THREATEN", "130", 3, "threatened", "amenazó a"), ("PROTEST", "141", 3, "protested against", "protestó contra"),
          ("SANCTION", "163", 4, "imposed sanctions on", "impuso sanciones a"), ("ASSAULT", "190", 4, "attacked", "atacó a")]
MODALITIES = ["asserted"] * 6 + ["future", "hypothetical", "negated", "historical"]
start = datetime.date(2023, 1, 1)
span_days = (datetime.date(2025, 12, 31) - start).days

with open(out_path, "w", encoding="utf-8") as out:
    for i in range(n):
        b = base[i % len(base)]
        day = start + datetime.timedelta(days=rng.randrange(span_days + 1))
        lang = b.get("lang") or "en"
        text = b["text"]
        # vary the names: each known entity name in the base text becomes a pool name
        for ent in b.get("entities", []):
            if ent["type"] == "PER":
                text = text.replace(ent["name"], rng.choice(people)[0])
        text = text.rstrip() + "\n\n"
        entities, local, events, timexes = [], {}, [], []

        def entity(p):
            name, code, qid = p
            if name not in local:
                local[name] = f"g{len(local)}"
                entities.append({"id": local[name], "name": name, "type": "PER", "kb": {"qid": qid, "code": code},
                                 "mentions": [], "roles": []})
            return next(e for e in entities if e["id"] == local[name])

        for k in range(rng.randint(1, 4)):
            a, r = rng.sample(people, 2)
            et, cameo, quad, en_verb, es_verb = rng.choice(EVENTS)
            verb = es_verb if lang == "es" else en_verb
            when = "el " + day.isoformat() if lang == "es" else "on " + day.isoformat()
            s0 = len(text)
            sentence = f"{a[0]} {verb} {r[0]} {when}."
            text += sentence + " "
            ea, er = entity(a), entity(r)
            ea["mentions"].append({"span": [s0, s0 + len(a[0])], "text": a[0]})
            vs = s0 + len(a[0]) + 1
            rs = vs + len(verb) + 1
            er["mentions"].append({"span": [rs, rs + len(r[0])], "text": r[0]})
            ts = rs + len(r[0]) + 1
            timexes.append({"span": [ts, ts + len(when)], "text": when, "type": "DATE", "value": day.isoformat()})
            events.append({"type": et, "mode": None, "cameo": cameo, "quad": quad,
                           "actor": {"entity": ea["id"], "code": a[1]}, "recipient": {"entity": er["id"], "code": r[1]},
                           "date": day.isoformat(), "location": None, "modality": rng.choice(MODALITIES),
                           "attribution": [], "sentence": [s0, s0 + len(sentence)], "span": [s0, s0 + len(sentence)],
                           "trigger": [vs, vs + len(verb)], "confidence": round(rng.uniform(0.5, 1.0), 2)})
        text = text.rstrip()
        doc = dict(b)
        doc.update({
            "id": hashlib.sha256(f"bench-{i}".encode()).hexdigest()[:32],
            "date": day.isoformat(), "text": text,
            "title": b.get("title", "") + f" ({i})",
            "source": {"url": f"https://bench.example/{lang}/{day.isoformat()}/{i}", "format": "jsonl"},
            "segments": [{"kind": "story", "title": b.get("title", ""), "span": [0, len(text)]}],
            "sentences": [], "entities": entities, "timexes": timexes, "quantities": [], "events": events,
            "removed": [], "diagnostics": [],
        })
        out.write(json.dumps(doc, ensure_ascii=False) + "\n")
print(f"wrote {n} documents to {out_path}", file=sys.stderr)
