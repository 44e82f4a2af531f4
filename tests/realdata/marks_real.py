#!/usr/bin/env python3
"""Trademark matching on real exports (read in place from the shared data folder):

- the 49 replica-watch offers in wdc-products/table{A,B}.csv (47 say "Replica" or
  "Copy" in the title next to a watch brand, 2 only in the description) are each
  flagged by MK-COUNTERFEIT-NEAR-MARK with the watch mark named (the brand itself or
  one of its model-line marks) and a critical marketing finding;
- the Zebra ribbons ("never sells used or third-party replicated products") and the
  Casio piano ("authentically replicates") carry no counterfeit finding;
- the four Etsy shops give no mark finding at high or above.
Prints the figures; exits 1 when any point fails.
Usage: marks_real.py IPRCHECK DATA_DIR"""
import csv
import json
import re
import subprocess
import sys

csv.field_size_limit(1 << 30)
iprcheck, data = sys.argv[1], sys.argv[2]
WATCH_OWNERS = ("TAG Heuer", "Omega", "Rolex", "Tudor", "Audemars Piguet", "Panerai",
                "Richemont", "LVMH", "Swatch")
failures = []


def scan(paths):
    out = subprocess.run([iprcheck, "scan", "-q", "-f", "json", "--date", "2026-11-28"] + paths,
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit("scan failed (%d): %s" % (out.returncode, out.stderr))
    return json.loads(out.stdout)


tables = ["%s/wdc-products/table%s.csv" % (data, t) for t in "AB"]
doc = scan(tables)
findings = {}
for f in doc["findings"]:
    findings.setdefault((f["file"], f["key"]), []).append(f)

offers = []
for path in tables:
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            title, desc = row["title"] or "", row["description"] or ""
            in_title = re.search(r"(?i)\b(replica|copy)\b", title) and re.search(
                r"(?i)tag heuer|omega|rolex|tudor|audemars|panerai", title)
            in_desc = re.search(r"(?i)replica watches shop", desc)
            if in_title or in_desc:
                offers.append((path, row["id"], title))
matched = 0
for path, key, title in offers:
    fs = findings.get((path, key), [])
    near = [f for f in fs if f["rule"] == "MK-COUNTERFEIT-NEAR-MARK" and f.get("mark")]
    critical = [f for f in fs if f["stage"] == "marketing" and f["severity"] == "critical"]
    right = [f for f in near if any(o.lower() in (f.get("owner") or "").lower()
                                    for o in WATCH_OWNERS)]
    if right and critical:
        matched += 1
    else:
        failures.append("replica offer %s:%s not matched to its mark: %s" % (path, key, title))
print("wdc replica-watch offers: %d found, %d matched to the watch mark and flagged critical"
      % (len(offers), matched))
if len(offers) != 49:
    failures.append("expected 49 replica-watch offers in the WDC tables, found %d" % len(offers))

for (path, key), fs in findings.items():
    for f in fs:
        value = f.get("matched", "")
        if f["rule"] in ("MK-COUNTERFEIT-NEAR-MARK", "MK-COUNTERFEIT-TERMS") and re.search(
                r"(?i)replicat", value):
            failures.append("'replicated/replicates' flagged in %s:%s" % (path, key))
zebra_casio = 0
for path in tables:
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row["title"] or "") + " " + (row["description"] or "")
            if re.search(r"third-party replicated products|authentically replicates", text):
                zebra_casio += 1
                bad = [f["rule"] for f in findings.get((path, row["id"]), [])
                       if f["rule"] in ("MK-COUNTERFEIT-NEAR-MARK", "MK-COUNTERFEIT-TERMS",
                                        "MK-BRAND-LOOKALIKE", "MK-BRAND-QUALIFIER")]
                if bad:
                    failures.append("honest 'replicate' listing %s:%s flagged by %s"
                                    % (path, row["id"], bad))
print("zebra/casio 'replicate' listings: %d, none flagged as counterfeit" % zebra_casio)
if zebra_casio == 0:
    failures.append("the Zebra and Casio listings were not found")

etsy = ["%s/etsy-api-listings/%s" % (data, n) for n in
        ("AcmeCufflinks.csv", "Coinworx.csv", "UniquePGifts.csv", "etsy_shop_42379264_listings.csv")]
doc = scan(etsy)
high = [f for f in doc["findings"] if f.get("mark") and f["severity"] in ("high", "critical")]
print("etsy: %d listings, %d mark findings, %d at high or above"
      % (doc["summary"]["records"], sum(1 for f in doc["findings"] if f.get("mark")), len(high)))
for f in high[:10]:
    failures.append("etsy mark finding at %s: %s %s '%s'" % (f["severity"], f["key"], f["rule"],
                                                             f["matched"]))
for line in failures:
    print("FAIL:", line)
sys.exit(1 if failures else 0)
