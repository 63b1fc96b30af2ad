#!/usr/bin/env python3
"""Build people.tsv and roles.tsv from people_hand.txt (own work).

Usage: build_people.py   (writes ../people.tsv and ../roles.tsv)
"""
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROLE = {"HOS": "HEAD_OF_STATE", "HOG": "HEAD_OF_GOVERNMENT", "LDR": "LEADER", "VP": "VICE_PRESIDENT",
        "FM": "FOREIGN_MINISTER", "DM": "DEFENCE_MINISTER", "IGO": "IGO_HEAD"}
# title -> (es masculine, es feminine, en)
TITLE = {
    "PRESIDENT": ("presidente", "presidenta", "President"),
    "PRESIDENT_STATE_AFFAIRS": ("presidente de Asuntos de Estado", "presidenta de Asuntos de Estado", "President of State Affairs (Chairman of the State Affairs Commission until 2021)"),
    "PRIME_MINISTER": ("primer ministro", "primera ministra", "Prime Minister"),
    "ACTING_PRIME_MINISTER": ("primer ministro en funciones", "primera ministra en funciones", "Acting Prime Minister"),
    "ACTING_PRESIDENT": ("presidente en funciones", "presidenta en funciones", "Acting President"),
    "PREMIER": ("primer ministro", "primera ministra", "Premier"),
    "CHANCELLOR": ("canciller", "canciller", "Chancellor"),
    "TAOISEACH": ("primer ministro (taoiseach)", "primera ministra (taoiseach)", "Taoiseach"),
    "MONARCH": ("rey", "reina", "King"),
    "EMPEROR": ("emperador", "emperatriz", "Emperor"),
    "EMIR": ("emir", "emira", "Emir"),
    "SULTAN": ("sultán", "sultana", "Sultan"),
    "PRINCE": ("príncipe", "princesa", "Prince"),
    "GRAND_DUKE": ("gran duque", "gran duquesa", "Grand Duke"),
    "CO_PRINCE": ("copríncipe", "copríncipe", "Co-Prince"),
    "CO_PRESIDENT": ("copresidente", "copresidenta", "Co-President"),
    "POPE": ("papa", "papa", "Pope"),
    "CAPTAIN_REGENT": ("capitán regente", "capitana regente", "Captain Regent"),
    "SUPREME_LEADER": ("líder supremo", "líder suprema", "Supreme Leader"),
    "GENERAL_SECRETARY": ("secretario general del partido", "secretaria general del partido", "General Secretary of the ruling party"),
    "FIRST_SECRETARY": ("primer secretario del partido", "primera secretaria del partido", "First Secretary of the ruling party"),
    "MILITARY_LEADER": ("jefe de la junta militar", "jefa de la junta militar", "Head of the military government"),
    "CHIEF_ADVISER": ("consejero principal (jefe del Gobierno interino)", "consejera principal (jefa del Gobierno interino)", "Chief Adviser"),
    "HEAD_OF_GOVERNMENT": ("jefe de Gobierno", "jefa de Gobierno", "Head of Government"),
    "MINISTER_OF_STATE": ("ministro de Estado", "ministra de Estado", "Minister of State"),
    "SECRETARY_OF_STATE_FOREIGN": ("secretario de Estado de Asuntos Exteriores", "secretaria de Estado de Asuntos Exteriores", "Secretary of State for Foreign Affairs"),
    "CABINET_CHAIR": ("presidente del Consejo de Ministros", "presidenta del Consejo de Ministros", "Chairman of the Cabinet of Ministers"),
    "COUNCIL_OF_MINISTERS_CHAIR": ("presidente del Consejo de Ministros", "presidenta del Consejo de Ministros", "Chair of the Council of Ministers"),
    "PRESIDENT_OF_COUNCIL": ("presidente del Consejo de Ministros", "presidenta del Consejo de Ministros", "President of the Council of Ministers"),
    "PRESIDENCY_CHAIR": ("presidente de la Presidencia colegiada", "presidenta de la Presidencia colegiada", "Chair of the Presidency"),
    "PRESIDENTIAL_COUNCIL_CHAIR": ("presidente del Consejo Presidencial", "presidenta del Consejo Presidencial", "Chairman of the Presidential Council"),
    "SOVEREIGNTY_COUNCIL_CHAIR": ("presidente del Consejo Soberano", "presidenta del Consejo Soberano", "Chairman of the Sovereignty Council"),
    "TRANSITIONAL_COUNCIL_CHAIR": ("coordinador del Consejo Presidencial de Transición", "coordinadora del Consejo Presidencial de Transición", "Coordinator of the Transitional Presidential Council"),
    "PRESIDENT_OF_CONFEDERATION": ("presidente de la Confederación", "presidenta de la Confederación", "President of the Confederation"),
    "O_LE_AO_O_LE_MALO": ("jefe de Estado", "jefa de Estado", "O le Ao o le Malo (Head of State)"),
    "VICE_PRESIDENT": ("vicepresidente", "vicepresidenta", "Vice President"),
    "FOREIGN_MINISTER": ("ministro de Asuntos Exteriores", "ministra de Asuntos Exteriores", "Foreign Minister"),
    "EXTERNAL_AFFAIRS_MINISTER": ("ministro de Asuntos Exteriores", "ministra de Asuntos Exteriores", "Minister of External Affairs"),
    "SECRETARY_OF_STATE": ("secretario de Estado", "secretaria de Estado", "Secretary of State"),
    "FOREIGN_SECRETARY": ("ministro de Asuntos Exteriores", "ministra de Asuntos Exteriores", "Foreign Secretary"),
    "DEFENCE_MINISTER": ("ministro de Defensa", "ministra de Defensa", "Defence Minister"),
    "SECRETARY_OF_DEFENSE": ("secretario de Defensa", "secretaria de Defensa", "Secretary of Defense"),
    "DEFENCE_SECRETARY": ("ministro de Defensa", "ministra de Defensa", "Defence Secretary"),
    "SECRETARY_GENERAL": ("secretario general", "secretaria general", "Secretary-General"),
    "COMMISSION_PRESIDENT": ("presidente de la Comisión Europea", "presidenta de la Comisión Europea", "President of the European Commission"),
    "EUROPEAN_COUNCIL_PRESIDENT": ("presidente del Consejo Europeo", "presidenta del Consejo Europeo", "President of the European Council"),
    "HIGH_REPRESENTATIVE": ("alto representante para Asuntos Exteriores", "alta representante para Asuntos Exteriores", "High Representative for Foreign Affairs"),
    "COMMISSION_CHAIR": ("presidente de la Comisión", "presidenta de la Comisión", "Chairperson of the Commission"),
    "DIRECTOR_GENERAL": ("director general", "directora general", "Director General"),
}
FEM_TITLE_EN = {"MONARCH": "Queen", "EMPEROR": "Empress", "PRINCE": "Princess", "GRAND_DUKE": "Grand Duchess", "SULTAN": "Sultana"}


def slug(name):
    s = unicodedata.normalize("NFD", name)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


orgs = {}
for line in open(os.path.join(HERE, "..", "orgs.tsv"), encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] != "id":
        orgs[f[0]] = f
people = {}
order = []
roles = []
for n, line in enumerate(open(os.path.join(HERE, "people_hand.txt"), encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if not line or line.startswith("#"):
        continue
    f = line.split("|")
    assert len(f) == 10, (n, line)
    where, role, title, name, aliases, start, end, conf, qid, g = f
    pid = slug(name)
    p = people.get(pid)
    if p is None:
        p = {"name": name, "aliases": [], "qid": "", "g": g}
        people[pid] = p
        order.append(pid)
    for a in aliases.split(";"):
        a = a.strip()
        if a and a != name and a not in p["aliases"]:
            p["aliases"].append(a)
    if qid:
        assert p["qid"] in ("", qid), (n, qid)
        p["qid"] = qid
    es_m, es_f, en = TITLE[title]
    es = es_f if g == "f" else es_m
    if g == "f":
        en = FEM_TITLE_EN.get(title, en)
    if role == "IGO":
        org = where
        iso3 = ""
        cameo = orgs[org][6] if org in orgs else ""
    else:
        org = ""
        iso3 = where
        cameo = iso3 + ("GOVMIL" if role == "DM" else "GOV")
    roles.append([pid, ROLE[role], title, es, en, iso3, org, start, end, cameo,
                  "low" if conf == "L" else "high", ""])

with open(os.path.join(HERE, "..", "people.tsv"), "w", encoding="utf-8") as out:
    out.write("id\tname\taliases\tgender\tqid\n")
    for pid in order:
        p = people[pid]
        out.write(f"{pid}\t{p['name']}\t{'|'.join(p['aliases'])}\t{p['g']}\t{p['qid']}\n")
with open(os.path.join(HERE, "..", "roles.tsv"), "w", encoding="utf-8") as out:
    out.write("person\trole\ttitle\ttitle_es\ttitle_en\tiso3\torg\tstart\tend\tcameo\tconfidence\tnote\n")
    for r in roles:
        out.write("\t".join(r) + "\n")
print(len(order), "people,", len(roles), "roles")
