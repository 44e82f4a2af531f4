#!/usr/bin/env python3
"""Writes JSON Lines listings built from the built-in term lists and marks,
each word placed in contexts that sit on the edge of a match: inside longer
words, next to digits and CJK characters, after punctuation, in other cases.
Deterministic (no randomness), so a failure reproduces."""
import json
import os
import sys

root = sys.argv[1]
words = []
for name in sorted(os.listdir(os.path.join(root, "terms"))):
    with open(os.path.join(root, "terms", name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line)
for name in sorted(os.listdir(os.path.join(root, "trademarks"))):
    with open(os.path.join(root, "trademarks", name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("- mark:"):
                words.append(line[len("- mark:"):].strip().strip('"').strip("'"))
contexts = ["{w}", "x{w}", "{w}x", "1{w}", "{w}2", "高{w}", "{w}仿", "({w})", "{w}!", "#{w}",
            "{W}", "{w} {w}", "re-{w}", "{w}'s", "compatible with {w} X100", "for {w}",
            "faux {w}", "{w}@mail.com", "http://{w}.example",
            # capitals and accents the regex prefilter folds (Latin-1, CJK, symbols)
            "GEEIGNET FÜR {W} 5", "Passend für {w} X2", "FABRIQUÉ EN FRANCE {w}",
            "COMPATÍVEL COM {W} 3", "{w}® {w}™", "適用于{w}", "{W}対応 12"]
fields = ["title", "description", "brand", "tags", "bullets"]
n = 0
for i, w in enumerate(words):
    for j, c in enumerate(contexts):
        text = c.replace("{w}", w).replace("{W}", w.upper())
        field = fields[(i + j) % len(fields)]
        rec = {"sku": "G%d" % n, "title": "Listing %d" % n}
        if field == "bullets":
            rec["bullets"] = ["plain bullet", text]
        else:
            rec[field] = text
        if j % 3 == 0:
            rec["price"] = str(1 + (i * 7 + j) % 300)
            rec["list_price"] = str(100 + (i * 13) % 900)
        print(json.dumps(rec, ensure_ascii=False))
        n += 1
