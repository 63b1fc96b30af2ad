#!/usr/bin/env python3
"""Build people_petrarch.tsv and roles_petrarch.tsv from PETRARCH2's
Phoenix.Countries.actors.txt (Open Event Data Alliance, MIT; compiled from
CountryInfo.140130.txt): the people of the world's governments and elites
up to 2014 with their dated CAMEO codes, so that news from the 1980s to
the 2010s ("Yeltsin said", "Prime Minister Ehud Barak") codes its actors.

Usage: build_petrarch_people.py [PETRARCH2_DICTIONARY_DIR]
       (default: ../shared/data/petrarch2/dictionaries beside the checkout;
       writes ../people_petrarch.tsv and ../roles_petrarch.tsv)

What is kept, and why:
- a person's block (a name line marked `# CountryInfo.txt`, its alias
  lines, then `[CODE dates]` lines; other blocks are countries and bodies) whose
  codes start with a country the KB knows; codes of other owners are left
  out, and a block without any is dropped;
- the name and the aliases that are plain names: an alias with a title
  word ("PRESIDENT_BORIS_YELTSIN"), a comma or a possessive is left out,
  since the linking stage reads titles itself ("Russian President" + name);
- a one-word alias ("YELTSIN") only when the dictionary lists it, it has
  at least four letters, and its lower-case form is no word of the
  English or Spanish lexicon ("bush", "may", "major" are words: a
  capitalised "May" at a sentence start is no Theresa May), nor one of
  SURNAME_STOP (reviewed by hand: names other people in today's news);
- no name made of given names only (words that begin three or more
  names: "Juan Carlos", "Ana Maria" begin other people's names);
- no alias that names two blocks (ambiguous) or that the hand-made KB
  tables already use (people.tsv, countries, orgs, metonyms: the curated
  entry wins, and people.tsv's own people are skipped whole);
- roles: `OTHER`, titled by the code's sector (GOV -> GOVERNMENT, ELI ->
  ELITE ...), with the dates converted (YYMMDD: 00-29 is 20YY, else 19YY;
  8-digit dates as written; `>D` from D on, `<D` until D). An undated code
  is TABARI's default outside the dated ones; it becomes a role only in a
  block with no dated code (from 1900-01-01 on). An office still open in
  the dictionary closes on its date, 2014-01-31: it was held then, and the
  dictionary cannot say for how long after.
"""
import collections
import gzip
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.path.dirname(HERE)
ROOT = os.path.normpath(os.path.join(KB, "..", "..", "..", ".."))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "data", "petrarch2", "dictionaries")

TITLE_WORDS = set("""
PRESIDENT PRESIDENTS VICE PRIME PREMIER MINISTER MINISTERS LEADER LEADERS SECRETARY GENERAL GEN GEN.
CHIEF FORMER EX EX-PRESIDENT ADMINISTRATION GOVERNMENT REGIME KING QUEEN PRINCE PRINCESS SHEIKH SHEIK SHAH
EMIR AMIR SULTAN COL COL. COLONEL MAJOR CAPTAIN CAPT. ADMIRAL MARSHAL FIELD CHANCELLOR FOREIGN DEFENSE
DEFENCE INTERIOR FINANCE PARTY CHAIRMAN SPEAKER AMBASSADOR ENVOY MR MR. MRS MRS. MS. DR DR. SENATOR
GOVERNOR MAYOR JUDGE JUSTICE OF THE FOR AND IN LT LT. LIEUTENANT SGT BRIGADIER COMMANDER AYATOLLAH
CARDINAL ARCHBISHOP BISHOP POPE REV REV. REVEREND SIR LORD LADY DUKE EMPEROR DICTATOR STRONGMAN JUNTA
HEAD STATE COUNCIL MEMBER DEPUTY ACTING INTERIM OPPOSITION REBEL MILITARY ARMY CABINET ATTORNEY AIDE
SOVIET RUSSIAN AMERICAN BRITISH CHINESE FRENCH GERMAN ISRAELI PALESTINIAN IRAQI IRANIAN SYRIAN MOSCOW
PARTY_CHIEF ELDER BROTHER SISTER SON WIFE WIDOW FATHER MOTHER DAUGHTER FAMILY CLAN SUPPORTERS FOLLOWERS
""".split())
# surnames the dictionary lists alone that name other people in today's
# news as often ("Newsom" is David Newsom there, Gavin Newsom now) or are
# common given names or firms ("Khalil", "Kohler")
SURNAME_STOP = {"cohen", "humphrey", "khalil", "kohler", "newsom", "shafik", "sharif"}
# CountryInfo.140130.txt: what the dictionary knew
DICTIONARY_DATE = "2014-01-31"
PARTICLES = {"al", "el", "bin", "ibn", "de", "del", "della", "di", "da", "das", "do", "dos", "du", "la",
             "le", "van", "von", "der", "den", "ter", "y", "e"}
SECTOR_TITLE = {"GOV": "GOVERNMENT", "ELI": "ELITE", "MIL": "MILITARY", "OPP": "OPPOSITION",
                "REB": "REBEL", "COP": "POLICE", "SPY": "INTELLIGENCE", "JUD": "JUDICIARY",
                "LEG": "LEGISLATURE", "PTY": "PARTY", "BUS": "BUSINESS", "MED": "MEDIA",
                "CVL": "CIVILIAN", "EDU": "EDUCATION", "REL": "RELIGION", "LAB": "LABOUR",
                "HLH": "HEALTH", "ENV": "ENVIRONMENT", "HRI": "HUMAN_RIGHTS", "NGO": "NGO"}


def is_title(word, demonyms):
    """A title, a country word or a possessive: no part of a plain name."""
    w = word.upper().rstrip(",")
    return (w in TITLE_WORDS or w.startswith(("PRESIDENT", "GOV", "EX-")) or "'" in w
            or fold(w).strip(".") in demonyms)


def fold(s):
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def key(s):
    return " ".join(re.findall(r"\w+", fold(s)))


def pretty(raw):
    """BORIS_N._YELTSIN -> Boris N. Yeltsin; particles lower-case."""
    words = [w for w in raw.strip("_+ ").split("_") if w]
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if i > 0 and i < len(words) - 1 and low in PARTICLES:
            out.append(low)
            continue
        parts = []
        for p in re.split(r"(-)", low):
            if p.startswith("mc") and len(p) > 2:
                p = "Mc" + p[2:].capitalize()
            elif p in PARTICLES and parts:
                pass
            else:
                p = p.capitalize()
            parts.append(p)
        out.append("".join(parts))
    return " ".join(out)


def ymd(d):
    if re.fullmatch(r"\d{8}", d):
        y, m, dd = d[:4], d[4:6], d[6:]
    elif re.fullmatch(r"\d{6}", d):
        yy = int(d[:2])
        y = str(2000 + yy if yy < 30 else 1900 + yy)
        m, dd = d[2:4], d[4:]
    else:
        return None
    try:
        import datetime
        datetime.date(int(y), int(m), int(dd))
    except ValueError:
        return None
    return f"{y}-{m}-{dd}"


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        head = None
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if head is None:
                head = cols
                continue
            rows.append(dict(zip(head, cols)))
    return rows


def lexicon_words():
    words = set()
    for lang in ("en", "es"):
        with gzip.open(os.path.join(ROOT, "models", f"lexicon-{lang}.tsv.gz"), "rt", encoding="utf-8") as f:
            for line in f:
                form = line.split("\t", 1)[0]
                if form and form == form.lower():
                    words.add(fold(form))
    return words


def taken_aliases():
    """Aliases of the hand-made tables (folded), and people.tsv's names."""
    taken, people = set(), set()
    for r in read_tsv(os.path.join(KB, "people.tsv")):
        for a in [r["name"]] + r.get("aliases", "").split("|"):
            if a:
                people.add(key(a))
    for name in ("countries.tsv", "orgs.tsv", "metonyms.tsv"):
        for r in read_tsv(os.path.join(KB, name)):
            for col, v in r.items():
                if col in ("iso3", "iso2", "cameo", "qid", "note", "type", "sector", "executive", "population", "id", "org"):
                    continue
                for a in re.split(r"[|,]", v or ""):
                    if a.strip():
                        taken.add(key(a))
    return taken, people


def blocks(path):
    """(name line, alias lines, code strings) per actor block."""
    cur = None
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.rstrip("\n")
            body = line.split("#", 1)[0].rstrip()
            if not body.strip():
                continue
            if body.startswith(("\t", " ")) and body.strip().startswith("["):
                if cur is not None:
                    cur[2].extend(re.findall(r"\[([^\]]*)\]", body))
                continue
            if body.startswith(("\t", " ")):
                continue
            if cur is not None and (body.startswith("+") or not cur[2]):
                cur[1].append(body.lstrip("+").strip())
                continue
            if body.startswith("+"):
                continue
            if cur is not None:
                yield cur
            # people come from CountryInfo ("NAME_  # CountryInfo.txt");
            # other blocks are countries, territories and bodies
            cur = (body.strip(), [], []) if "CountryInfo" in line else None
    if cur is not None:
        yield cur


def main():
    countries = {r["iso3"] for r in read_tsv(os.path.join(KB, "countries.tsv"))}
    lex = lexicon_words()
    demonyms = set()
    for r in read_tsv(os.path.join(KB, "countries.tsv")):
        for col in ("name_en", "aliases_en", "demonyms_en", "iso3"):
            for a in re.split(r"[|,]", r.get(col, "")):
                if a.strip() and " " not in a.strip():
                    demonyms.add(fold(a.strip()).strip("."))
    taken, curated = taken_aliases()
    people = []
    for name, aliases, codes in blocks(os.path.join(SRC, "Phoenix.Countries.actors.txt")):
        roles, default = [], []
        for c in codes:
            parts = c.split()
            if not parts or len(parts[0]) < 6 or parts[0][:3] not in countries:
                continue
            code = parts[0]
            if len(parts) == 1:
                default.append(code)
                continue
            d = parts[1]
            if d.startswith(">"):
                start, end = ymd(d[1:]), ""
            elif d.startswith("<"):
                start, end = "1900-01-01", ymd(d[1:])
            elif "-" in d:
                a, b = d.split("-", 1)
                start, end = ymd(a), ymd(b)
            else:
                continue
            if start is None or end is None or (end and end < start):
                continue
            roles.append((code, start, end))
        if not roles and default:
            roles.append((default[0], "1900-01-01", ""))
        if not roles:
            continue
        # a one-word name line with a country code is a country or group name
        words = [w for w in name.strip("_").split("_") if w]
        while words and is_title(words[0], demonyms):
            words = words[1:]
        if len(words) < 2 or any(is_title(w, demonyms) for w in words):
            continue
        full = pretty("_".join(words))
        last = words[-1].upper()
        names = [full]
        for a in aliases:
            if "," in a or "'" in a:
                continue
            ws = [w for w in a.strip("_").split("_") if w]
            plain = [w for w in ws if not is_title(w, demonyms)]
            if not plain:
                continue
            # "PRESIDENT_YELTSIN" names the surname alone
            if len(plain) == 1 and plain[0].upper() == last:
                ws = plain
            elif len(plain) < len(ws):
                continue
            if len(ws) == 1:
                w = fold(ws[0])
                if len(w) < 4 or w in lex or w in SURNAME_STOP or not w.isalpha():
                    continue
            names.append(pretty("_".join(ws)))
        people.append((full, names, roles))
    # given names: words that begin three or more names; a name of given
    # names only ("Juan Carlos", "Ana Maria") begins other people's names
    firsts = collections.Counter(key(full).split()[0] for full, _, _ in people)
    given = {w for w, n in firsts.items() if n >= 3}
    people = [(full, [n for n in names if not all(w in given for w in key(n).split())], roles)
              for full, names, roles in people]
    people = [p for p in people if p[1] and p[1][0] == p[0]]
    # ambiguity and curated entries
    owners = collections.defaultdict(set)
    for i, (_, names, _) in enumerate(people):
        for n in names:
            owners[key(n)].add(i)
    out_people, out_roles, ids = [], [], set()
    for i, (full, names, roles) in enumerate(people):
        if any(key(n) in curated for n in names):
            continue
        keep = []
        for n in names:
            k = key(n)
            if len(owners[k]) > 1 or k in taken or n in keep:
                continue
            keep.append(n)
        if not keep:
            continue
        base = "p_" + re.sub(r"\W+", "_", key(full)).strip("_")
        pid, n = base, 2
        while pid in ids:
            pid, n = f"{base}_{n}", n + 1
        ids.add(pid)
        out_people.append((pid, keep[0], "|".join(keep[1:])))
        seen = set()
        for code, start, end in roles:
            # the dictionary is of 2014-01-30: an open office is one held
            # then, not one held today (Lansana Conte died in office in 2008)
            if not end and start < DICTIONARY_DATE:
                end = DICTIONARY_DATE
            # the KB keeps one office per country and start day: the first
            # code listed for it
            if (code[:3], start) in seen:
                continue
            seen.add((code[:3], start))
            title = SECTOR_TITLE.get(code[3:6], "OTHER")
            out_roles.append((pid, "OTHER", title, code[:3], start, end, code))
    head = ("# Generated by tools/build_petrarch_people.py from PETRARCH2 Phoenix.Countries.actors.txt\n"
            "# (Open Event Data Alliance, MIT; from CountryInfo.140130.txt). Do not edit by hand.\n")
    with open(os.path.join(KB, "people_petrarch.tsv"), "w", encoding="utf-8") as f:
        f.write(head)
        f.write("id\tname\taliases\tgender\tqid\n")
        for pid, name, al in out_people:
            f.write(f"{pid}\t{name}\t{al}\t\t\n")
    with open(os.path.join(KB, "roles_petrarch.tsv"), "w", encoding="utf-8") as f:
        f.write(head)
        f.write("person\trole\ttitle\tiso3\tstart\tend\tcameo\n")
        for r in out_roles:
            f.write("\t".join(r) + "\n")
    print(f"{len(out_people)} people, {len(out_roles)} roles", file=sys.stderr)


if __name__ == "__main__":
    main()
