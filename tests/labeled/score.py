#!/usr/bin/env python3
"""Scores trademark matching on the labeled set (marks.jsonl): recall on the
positives (a finding that names the expected mark, at any severity) and the
negatives (no finding at medium or above from any rule).  Prints both figures
and every miss; exits 1 when recall < 95% or a negative is flagged.
Usage: score.py IPRCHECK"""
import json
import os
import subprocess
import sys
import unicodedata

here = os.path.dirname(os.path.abspath(__file__))
cmd = [sys.argv[1], "scan", "-f", "jsonl", "--date", "2026-11-28",
       "--authorizations", os.path.join(here, "authorizations.yaml"),
       os.path.join(here, "marks.jsonl")]
out = subprocess.run(cmd, capture_output=True, text=True)
if out.returncode not in (0, 1):
    sys.exit("scan failed (%d): %s" % (out.returncode, out.stderr))
labels = {}
with open(os.path.join(here, "marks.jsonl"), encoding="utf-8") as fh:
    for line in fh:
        rec = json.loads(line)
        labels[rec["sku"]] = rec


def fold(s):
    return unicodedata.normalize("NFKD", s or "").encode("ascii", "ignore").decode().lower()


pos = hit = neg = clean = 0
misses = []
for line in out.stdout.splitlines():
    rec = json.loads(line)
    lab = labels[rec["key"]]
    if lab["label"] == "positive":
        pos += 1
        want = fold(lab["expect_mark"])
        if any(fold(f.get("mark")) == want for f in rec["findings"]):
            hit += 1
        else:
            misses.append("missed %s (%s): %s -> %s" % (rec["key"], lab["case"],
                          lab.get("title"), [(f["rule"], f.get("mark")) for f in rec["findings"]]))
    else:
        neg += 1
        bad = [f for f in rec["findings"] if f["severity"] in ("medium", "high", "critical")]
        if bad:
            misses.append("flagged %s (%s): %s -> %s" % (rec["key"], lab["case"], lab.get("title"),
                          [(f["rule"], f["severity"], f["matched"]) for f in bad]))
        else:
            clean += 1
recall = hit / pos if pos else 0.0
print("labeled set: %d records; positives %d, recall %.1f%% (%d matched to the right mark); "
      "negatives %d, %d with no finding at medium or above" % (pos + neg, pos, 100 * recall, hit,
                                                               neg, clean))
for m in misses:
    print(m)
sys.exit(0 if pos + neg >= 150 and recall >= 0.95 and clean == neg else 1)
