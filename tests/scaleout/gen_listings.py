#!/usr/bin/env python3
"""Writes the listings the scale-out test streams through iprcheck.

Usage: gen_listings.py RECORDS OUT.jsonl SHUFFLED.jsonl

OUT holds RECORDS canonical JSONL listings with unique SKUs; about one in twelve carries risky
wording the built-in packs flag (counterfeit terms, a famous brand with "inspired", a messenger
number, an off-platform payment request).  SHUFFLED holds the same lines in another order, so
the test can check that sharding follows the record key and not the position.  The output
depends only on RECORDS (fixed seed).
"""

import json
import random
import sys

NOUNS = ["water bottle", "yoga mat", "desk lamp", "phone stand", "wool socks", "tea kettle",
         "camping lantern", "plush bear", "dog leash", "bath towel set", "hiking backpack",
         "cutting board", "wireless charger", "linen shirt", "plant pot"]
COLOURS = ["black", "white", "navy", "sage green", "terracotta", "sand", "olive", "charcoal"]
FEATURES = ["Easy to clean", "Ships in recyclable packaging", "Two-year warranty",
            "Fits most standard sizes", "Made in small batches", "Machine washable at 30 degrees",
            "Folds flat for storage", "Tested for everyday use"]
BRANDS = ["Oakfern", "Riverstone", "Maplenest", "Cedarline", "Harborwing", "Pinebrook"]
RISKY = [
    ("title", "Replica {noun}, mirror quality"),
    ("title", "Chanel inspired {noun} in {colour}"),
    ("description", "Questions? WhatsApp +86 138 0013 8000 for a better price."),
    ("description", "Pay by bank transfer outside the platform and save 10%."),
]


def main():
    count, out_path, shuffled_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(20261128)
    lines = []
    for i in range(count):
        noun, colour, brand = rng.choice(NOUNS), rng.choice(COLOURS), rng.choice(BRANDS)
        rec = {
            "sku": "%s-%05d" % (brand[:3].upper(), i),
            "marketplace": rng.choice(["amazon", "etsy", "ebay", "shopify"]),
            "title": "%s %s in %s" % (brand, noun, colour),
            "bullets": rng.sample(FEATURES, 3),
            "description": "A %s %s by %s. %s." % (colour, noun, brand, rng.choice(FEATURES)),
            "brand": brand,
            "price": round(rng.uniform(5, 90), 2),
            "currency": "USD",
        }
        if rng.random() < 0.08:
            field, text = rng.choice(RISKY)
            rec[field] = text.format(noun=noun, colour=colour)
        lines.append(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    rng.shuffle(lines)
    with open(shuffled_path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
