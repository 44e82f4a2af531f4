#!/usr/bin/env python3
"""Reads a report in one of the formats meant for other programs and prints
what matters about it on a few stable lines, failing (exit 1) when the file
is not what its format promises.

Usage: report_check.py csv|html|junit|sarif FILE
  csv    parses the file as CSV; every cell that a spreadsheet would run as a
         formula (= + - @ TAB CR first) must start with a quote
  html   parses the page: scripts, event-handler attributes, javascript: links,
         and the embedded data, which must hold the listing text unchanged
  junit  parses the XML (it must be well-formed) and lists the failures
  sarif  parses the log and lists each result's rule, line and columns
"""
import csv
import html.parser
import json
import sys
import xml.etree.ElementTree as ET

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_csv(path):
    ok = True
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    print("rows", len(rows))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell.startswith(FORMULA_START):
                print("FORMULA row %d column %d: %r" % (r + 1, c + 1, cell))
                ok = False
        if r:
            print(" | ".join(repr(cell) for cell in row))
    return ok


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []  # (attrs, text)
        self.handlers = 0
        self.js_links = 0
        self.csp = ""
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers += 1
            if value and value.strip().lower().startswith("javascript:"):
                self.js_links += 1
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        if tag == "script":
            self._in_script = [a, ""]

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1] += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append(tuple(self._in_script))
            self._in_script = None


def check_html(path, *needles):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p = Page()
    p.feed(text)
    p.close()
    ok = True
    kinds = [a.get("type", "text/javascript") for a, _ in p.scripts]
    print("scripts:", ", ".join(kinds))
    print("event-handler attributes:", p.handlers)
    print("javascript: links:", p.js_links)
    csp_ok = "script-src" in p.csp and "unsafe-inline" not in p.csp
    print("content security policy without unsafe-inline:", "yes" if csp_ok else "no")
    data = [t for a, t in p.scripts if a.get("type") == "application/json"]
    if len(data) != 1:
        print("FAIL: expected one JSON data block")
        return False
    doc = json.loads(data[0])
    flat = json.dumps(doc, ensure_ascii=False)
    for n in needles:
        kept = n in flat
        print("listing text kept as data: %r %s" % (n, "yes" if kept else "NO"))
        ok = ok and kept
    ok = ok and p.handlers == 0 and p.js_links == 0 and csp_ok and len(p.scripts) == 2
    return ok


def check_junit(path):
    root = ET.parse(path).getroot()
    print("root", root.tag, root.get("tests"), root.get("failures"))
    for case in root.iter("testcase"):
        print("testcase", repr(case.get("name")))
        for failure in case.iter("failure"):
            print("  failure", repr(failure.get("message")), repr(failure.text))
    return True


def check_sarif(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    run = log["runs"][0]
    print("version", log["version"])
    print("columnKind", run.get("columnKind"))
    print("results", len(run.get("results", [])))
    for res in run.get("results", [])[:20]:
        loc = res["locations"][0]["physicalLocation"]
        print("  %s %s %s" % (res["ruleId"], res.get("level"),
                              json.dumps(loc.get("region", {}), ensure_ascii=False,
                                         sort_keys=True)))
    return True


CHECKS = {"csv": check_csv, "html": check_html, "junit": check_junit, "sarif": check_sarif}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in CHECKS:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(0 if CHECKS[sys.argv[1]](*sys.argv[2:]) else 1)
