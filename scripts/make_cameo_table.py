#!/usr/bin/env python3
"""Compiles the CAMEO -> PLOVER conversion table of the PLOVER project
(CAMEO2PLOVER-2021.txt, CC BY-SA 4.0, Open Event Data Alliance) into
crates/dateline-pipeline/data/events/cameo.tsv: code, PLOVER type, mode,
context, description. Usage:

    python3 scripts/make_cameo_table.py ../shared/data/plover/CAMEO2PLOVER-2021.txt
"""
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/plover/CAMEO2PLOVER-2021.txt"
out = "crates/dateline-pipeline/data/events/cameo.tsv"
rows = []
for line in open(src, encoding="utf-8"):
    m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?(?:#\s*(.*))?$", line.strip())
    if not m:
        continue
    code, typ, mode, ctx, desc = m.groups()
    mode = (mode or "").strip()
    ctx = (ctx or "").strip()
    desc = (desc or "").strip()
    if "no longer" in desc:
        desc = desc.split("21.09")[0].strip()
    rows.append((code, typ, mode, ctx, desc))
with open(out, "w", encoding="utf-8") as f:
    f.write("# CAMEO code -> PLOVER type, mode and context.\n")
    f.write("# Compiled by scripts/make_cameo_table.py from CAMEO2PLOVER-2021.txt of the PLOVER project\n")
    f.write("# (https://github.com/openeventdata/PLOVER, Draft 0.8, 2021), CC BY-SA 4.0, Open Event Data Alliance.\n")
    f.write("code\ttype\tmode\tcontext\tdescription\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
print(len(rows), "rows ->", out)
