#!/usr/bin/env python3
"""Checks the accounting invariant in report files:
records = clean + flagged + incomplete + error.

Usage: check_accounting.py FILE...
Understands the json report (its `summary`), a compact summary line on its
own (the one `--format jsonl` writes to standard error) and the text
report's `records:` line.  Every summary found must add up; a file holding
none is fine (an error message, an empty report).  Exit 1 on a mismatch.
"""
import json
import re
import sys

TEXT = re.compile(r"^records: (\d+) = (.*)$")


def check(where, s):
    parts = ("clean", "flagged", "incomplete", "error")
    total = sum(int(s.get(k, 0)) for k in parts)
    if int(s["records"]) != total:
        print("%s: records %s != %s" % (where, s["records"],
                                        " + ".join("%s %s" % (k, s.get(k, 0)) for k in parts)))
        return False
    return True


def summaries(text):
    try:
        doc = json.loads(text)
        if isinstance(doc, dict) and isinstance(doc.get("summary"), dict):
            yield doc["summary"]
            return
    except ValueError:
        pass
    for line in text.splitlines():
        line = line.strip()
        if line.startswith('{"records":'):
            try:
                yield json.loads(line)
            except ValueError:
                pass
        m = TEXT.match(line)
        if m:
            s = {"records": m.group(1)}
            for term in m.group(2).split(" + "):
                name, _, value = term.strip().rpartition(" ")
                s[name] = value
            yield s


ok = True
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for s in summaries(f.read()):
            ok = check(path, s) and ok
sys.exit(0 if ok else 1)
