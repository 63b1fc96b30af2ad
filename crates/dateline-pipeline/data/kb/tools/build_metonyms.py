#!/usr/bin/env python3
"""Build metonyms.tsv: hand-written seats of power (own work) + capitals from countries.tsv
used as metonyms for their governments ("Moscú", "Pyongyang", "Washington").

Usage: build_metonyms.py   (reads ../countries.tsv, writes ../metonyms.tsv)
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
# alias, lang (es|en|*), iso3, org, sector, note
HAND = [
    ("el Kremlin", "es", "RUS", "", "GOV", "presidential administration"),
    ("Kremlin", "*", "RUS", "", "GOV", ""),
    ("the Kremlin", "en", "RUS", "", "GOV", ""),
    ("la Casa Blanca", "es", "USA", "", "GOV", ""),
    ("Casa Blanca", "es", "USA", "", "GOV", ""),
    ("the White House", "en", "USA", "", "GOV", ""),
    ("White House", "en", "USA", "", "GOV", ""),
    ("Despacho Oval", "es", "USA", "", "GOV", ""),
    ("Oval Office", "en", "USA", "", "GOV", ""),
    ("Capitol Hill", "en", "USA", "", "LEG", ""),
    ("el Capitolio", "es", "USA", "", "LEG", "ambiguous with other capitols; lower priority"),
    ("Foggy Bottom", "en", "USA", "", "GOV", "State Department"),
    ("Downing Street", "*", "GBR", "", "GOV", ""),
    ("Number 10", "en", "GBR", "", "GOV", ""),
    ("Whitehall", "*", "GBR", "", "GOV", ""),
    ("Westminster", "*", "GBR", "", "LEG", ""),
    ("el Elíseo", "es", "FRA", "", "GOV", "presidency"),
    ("Elíseo", "es", "FRA", "", "GOV", ""),
    ("Palacio del Elíseo", "es", "FRA", "", "GOV", ""),
    ("the Elysee", "en", "FRA", "", "GOV", ""),
    ("Élysée", "*", "FRA", "", "GOV", ""),
    ("Elysee Palace", "en", "FRA", "", "GOV", ""),
    ("Matignon", "*", "FRA", "", "GOV", "prime minister's office"),
    ("Quai d'Orsay", "*", "FRA", "", "GOV", "foreign ministry"),
    ("Zhongnanhai", "*", "CHN", "", "GOV", ""),
    ("la Moncloa", "es", "ESP", "", "GOV", ""),
    ("Moncloa", "*", "ESP", "", "GOV", ""),
    ("Palacio de la Moncloa", "es", "ESP", "", "GOV", ""),
    ("la Zarzuela", "es", "ESP", "", "GOV", "royal household"),
    ("Palacio Chigi", "es", "ITA", "", "GOV", ""),
    ("Palazzo Chigi", "*", "ITA", "", "GOV", ""),
    ("el Quirinal", "es", "ITA", "", "GOV", "presidency"),
    ("Quirinale", "*", "ITA", "", "GOV", ""),
    ("Bankova", "*", "UKR", "", "GOV", "presidential office"),
    ("la Cancillería alemana", "es", "DEU", "", "GOV", ""),
    ("Kanzleramt", "*", "DEU", "", "GOV", ""),
    ("Casa Rosada", "*", "ARG", "", "GOV", ""),
    ("la Casa Rosada", "es", "ARG", "", "GOV", ""),
    ("Planalto", "*", "BRA", "", "GOV", ""),
    ("Palacio de Planalto", "es", "BRA", "", "GOV", ""),
    ("Palacio del Planalto", "es", "BRA", "", "GOV", ""),
    ("Itamaraty", "*", "BRA", "", "GOV", "foreign ministry"),
    ("Miraflores", "*", "VEN", "", "GOV", "also a district of Lima"),
    ("Palacio de Miraflores", "es", "VEN", "", "GOV", ""),
    ("La Moneda", "*", "CHL", "", "GOV", ""),
    ("Palacio de La Moneda", "es", "CHL", "", "GOV", ""),
    ("Casa de Nariño", "*", "COL", "", "GOV", ""),
    ("Palacio de Carondelet", "es", "ECU", "", "GOV", ""),
    ("Carondelet", "*", "ECU", "", "GOV", ""),
    ("Palacio Quemado", "es", "BOL", "", "GOV", ""),
    ("Casa Grande del Pueblo", "es", "BOL", "", "GOV", ""),
    ("Palacio de Gobierno de Perú", "es", "PER", "", "GOV", ""),
    ("Torre Tagle", "*", "PER", "", "GOV", "foreign ministry"),
    ("Palacio Nacional de México", "es", "MEX", "", "GOV", ""),
    ("Kantei", "*", "JPN", "", "GOV", ""),
    ("Casa Azul", "es", "KOR", "", "GOV", "presidential office (Cheong Wa Dae)"),
    ("Cheong Wa Dae", "*", "KOR", "", "GOV", ""),
    ("Blue House", "en", "KOR", "", "GOV", ""),
    ("Yongsan", "*", "KOR", "", "GOV", "presidential office 2022-2025"),
    ("Pentágono", "es", "USA", "", "MIL", "also in orgs.tsv as PENTAGON"),
    ("Bruselas", "es", "", "EU", "IGO", "the EU institutions"),
    ("Brussels", "en", "", "EU", "IGO", "the EU institutions"),
    ("Knesset", "*", "ISR", "", "LEG", ""),
    ("Ciudad Prohibida", "es", "CHN", "", "GOV", "historical"),
]
# capitals that are also ordinary words or several places: not used as metonyms
SKIP = {"La Paz", "Victoria", "Santiago", "San José", "San Jose", "Kingston", "Georgetown", "San Juan",
        "Praia", "Lima", "Roma", "Valletta", "La Valeta", "Melekeok", "Ngerulmud", "Sucre", "Colombo",
        "Porto Novo", "Porto-Novo", "Apia", "Yaren", "Tarawa", "Male", "Malé", "Luxemburgo", "Luxembourg",
        "Mónaco", "Monaco", "San Marino", "Singapur", "Singapore", "Kuwait", "Kuwait City", "Yibuti", "Djibouti",
        "Ciudad de Guatemala", "Guatemala City", "Ciudad de Panamá", "Panama City", "Ciudad de México",
        "Mexico City", "Ciudad del Vaticano", "Vatican City", "Jerusalén Este", "East Jerusalem", "Adén", "Aden",
        "Abiyán", "Abidjan", "Hong Kong", "Nuuk", "El Aaiún", "Laayoune", "Santo Tomé", "São Tomé", "Mbabane",
        "Saint John's", "St. George's", "Saint George's", "Castries", "Basseterre", "Roseau", "Bridgetown",
        "Nassau", "Nasáu", "Belmopán", "Belmopan", "Funafuti", "Majuro", "Palikir", "Suva", "Port Vila", "Honiara",
        "Nukualofa", "Nuku'alofa", "Dili", "Moroni", "Malabo", "Bangui", "Banjul", "Paramaribo",
        "Andorra la Vieja", "Andorra la Vella", "Vaduz", "Gitega", "Sri Jayawardenepura Kotte"}

rows = []
for a, lang, iso3, org, sector, note in HAND:
    rows.append((a, lang, iso3, org, sector, note))
seen = {r[0] for r in rows}
hdr = None
for line in open(os.path.join(HERE, "..", "countries.tsv"), encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if hdr is None:
        hdr = f
        continue
    d = dict(zip(hdr, f))
    es_caps = set(d["capital_es"].split("|"))
    en_caps = set(d["capital_en"].split("|"))
    for col, lang in (("capital_es", "es"), ("capital_en", "en")):
        for cap in d[col].split("|"):
            if cap in es_caps and cap in en_caps:
                lang = "*"
            if not cap or cap in SKIP or cap in seen:
                continue
            if cap in (d["name_en"], d["name_es"]):
                continue
            seen.add(cap)
            rows.append((cap, lang, d["iso3"], "", "GOV", "capital"))
with open(os.path.join(HERE, "..", "metonyms.tsv"), "w", encoding="utf-8") as out:
    out.write("alias\tlang\tiso3\torg\tsector\tnote\n")
    for r in rows:
        out.write("\t".join(r) + "\n")
print(len(rows), "metonyms")
