#!/usr/bin/env python3
"""Deterministic benchmark corpus for iprcheck.

Writes, into one folder:

  listings.jsonl        marketplace listings, one JSON object per line (~200 MB, --small ~20 MB)
  listings.csv          the same records as a flat CSV export (bullets[0], images[0].alt_text, ...)
  marks10k.yaml         trademark registry of 10,000 synthetic marks (docs/trademarks.md format)
  marks100k-N.yaml      the 100,000-mark registry, in parts (a YAML file may hold at most 8 MiB);
                        the first 10,000 marks are those of marks10k.yaml
  marks10k.txt          the same marks and aliases as plain lists, one per line, for grep and rg
  marks100k.csv         the same 100,000 marks as one CSV registry (the bulk form; no size cap)
  marks100k.txt
  regex200.yaml         rule pack: 200 regex rules, each with literal atoms
  noatom10.yaml         rule pack: 10 regex rules without a usable literal (they run on every field)
  corpus.json           what was generated: sizes, counts, seed, generator version

Everything follows from the seed: the same arguments give byte-identical files on any machine
(no hash-order iteration, no clock, no locale).  The names are made from syllables; none is taken
from a real register.  About 2 % of listings carry risky wording: counterfeit vocabulary, a
registered mark with a qualifier ("dupe", "inspired by"), contact or payment details, or a
disguised mark; the rest is ordinary catalogue text in nine languages.
"""

import argparse
import csv
import io
import json
import os
import random
import re
import sys
import unicodedata

GENERATOR_VERSION = 5
YAML_PART_MARKS = 25000  # marks per registry file: keeps each part well under the 8 MiB limit

# ---------------------------------------------------------------------------------------------
# Names

ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p",
          "pr", "r", "s", "st", "t", "tr", "v", "z", "th", "sh", "l", "m", "n", "r", "s", "t", "v"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "io", "ai", "y"]
CODAS = ["", "", "", "", "", "n", "r", "l", "x", "s", "m", "nd", "rk", "v", "k"]
ENDINGS = ["", "", "", "", "a", "o", "ix", "era", "ora", "elle", "ique", "on", "ex", "ia", "us",
           "ify", "io", "ar", "is", "en", "ton", "ley", "wood", "line", "ova", "ino"]
SECOND_WORDS = ["Home", "Labs", "Sport", "Kids", "Beauty", "Gear", "Audio", "Studio", "Outdoor",
                "Pets", "Living", "Active", "Tech", "Works", "Garden", "Craft", "Care", "Motion",
                "Kitchen", "Baby", "Optics", "Mobile", "Wear", "Paris", "Milano", "Tokyo",
                "London", "Berlin", "Nordic", "Pro"]
BRAND_PARTS = ["Oak", "fern", "North", "peak", "River", "stone", "Maple", "cedar", "Harbor",
               "willow", "Pine", "sun", "Moon", "bay", "Field", "brook", "Ridge", "dale", "Wood",
               "leaf", "Bright", "clear", "True", "well", "Home", "nest", "Craft", "line", "Blue",
               "hill", "Green", "lake", "Silver", "birch", "Cloud", "berry", "Snow", "field",
               "Iron", "wing", "Fox", "glen"]
OWNER_FORMS = ["Inc.", "LLC", "Ltd.", "GmbH", "S.A.", "S.p.A.", "B.V.", "AB", "Co., Ltd.", "K.K.",
               "Pty Ltd", "SAS", "Oy", "A/S", "Corporation", "Holdings Ltd."]
JURISDICTIONS = ["US", "EU", "GB", "CN", "JP", "KR", "CA", "AU", "IN", "BR", "MX", "CH", "AE", "TR"]
CLASSES = [3, 8, 9, 11, 14, 16, 18, 20, 21, 24, 25, 28, 30, 32]
KATAKANA = ["ア", "カ", "サ", "タ", "ナ", "マ", "ラ", "ル", "ロ", "ク", "ス", "ト", "ノ", "ミ", "レ", "ン"]


def make_word(rng):
    n = 2 if rng.random() < 0.6 else 3
    # open syllables read like brand names (Korvalo, Lumetra); a closing consonant only at the end
    w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(n))
    w += rng.choice(CODAS) if rng.random() < 0.5 else rng.choice(ENDINGS)
    return w[:1].upper() + w[1:]


def fold(word):
    """ASCII letters of word, case-folded, accents dropped (Fácil -> facil, Maße -> masse)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if "a" <= c <= "z")


def deletion_keys(word):
    """word and each one-letter deletion: two words share a key when they are within about one
    edit of each other (the symmetric-deletion test; it errs towards sharing)."""
    return [word] + [word[:i] + word[i + 1:] for i in range(len(word))]


def make_names(rng, count, vocabulary_keys, two_word_share):
    """count unique names; none is within one edit of a word the listings use, so ordinary text
    never reads as a misspelt mark."""
    names = []
    seen = {}
    while len(names) < count:
        w = make_word(rng)
        lw = w.lower()
        if len(lw) < 4 or len(lw) > 14 or lw in seen:
            continue
        if any(k in vocabulary_keys for k in deletion_keys(lw)):
            continue
        seen[lw] = True
        if rng.random() < two_word_share:
            name = w + " " + rng.choice(SECOND_WORDS)
        else:
            name = w
        names.append(name)
    return names, seen


def make_marks(rng, count, vocabulary_keys):
    names, seen = make_names(rng, count, vocabulary_keys, 0.15)
    marks = []
    for i, name in enumerate(names):
        first = name.split(" ")[0]
        m = {"mark": name,
             "owner": first + " " + rng.choice(["Brands", "Group", "Industries", "International",
                                                "Trading", "Europe", "Global", ""]).strip() +
             " " + rng.choice(OWNER_FORMS),
             "classes": sorted(rng.sample(CLASSES, rng.choice([1, 1, 2, 3]))),
             "jurisdictions": [j for j in JURISDICTIONS if rng.random() < 0.35] or ["US"],
             "aliases": []}
        m["owner"] = " ".join(m["owner"].split())
        r = rng.random()
        if " " in name and r < 0.3:
            m["aliases"].append(name.replace(" ", ""))
        elif r < 0.04:
            m["aliases"].append("".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 5))))
        if rng.random() < 0.02:
            m["kind"] = "character"
        if i < 10000 and rng.random() < 0.1:
            m["reference_price"] = rng.choice([19, 25, 40, 60, 90, 150, 350, 900])
        marks.append(m)
    return marks, seen


# ---------------------------------------------------------------------------------------------
# Catalogue vocabulary (English); other languages below

CATEGORIES = {
    "kitchen": (["water bottle", "travel mug", "chef knife", "cutting board", "frying pan",
                 "saucepan", "mixing bowl set", "coffee grinder", "tea kettle", "lunch box",
                 "storage jar", "spice rack", "baking tray", "salad spinner", "french press"],
                ["stainless steel", "bamboo", "borosilicate glass", "cast iron", "silicone",
                 "ceramic", "BPA-free plastic", "carbon steel"]),
    "apparel": (["t-shirt", "hoodie", "rain jacket", "running shorts", "wool socks", "denim jeans",
                 "linen shirt", "knit beanie", "fleece vest", "yoga leggings", "chino trousers",
                 "puffer jacket", "polo shirt", "pyjama set", "sun hat"],
                ["organic cotton", "merino wool", "recycled polyester", "linen", "nylon",
                 "cotton blend", "bamboo viscose", "fleece"]),
    "electronics": (["usb-c cable", "wireless charger", "power bank", "bluetooth speaker",
                     "phone stand", "laptop sleeve", "hdmi adapter", "desk lamp",
                     "wireless mouse", "mechanical keyboard", "webcam cover", "car charger",
                     "smart plug", "earbud case", "screen protector"],
                    ["aluminium", "ABS plastic", "tempered glass", "braided nylon", "silicone",
                     "polycarbonate", "zinc alloy", "TPU"]),
    "home": (["throw pillow", "cotton blanket", "shower curtain", "bath towel set", "door mat",
              "wall clock", "photo frame", "scented candle", "storage basket", "table runner",
              "curtain rod", "bed sheet set", "laundry hamper", "plant pot", "coat hook"],
             ["cotton", "jute", "linen", "soy wax", "rattan", "microfiber", "pine wood",
              "terracotta"]),
    "sports": (["yoga mat", "resistance bands", "jump rope", "dumbbell set", "cycling gloves",
                "hiking backpack", "camping lantern", "tent stakes", "water filter",
                "trekking poles", "swim goggles", "foam roller", "bike light", "gym bag",
                "climbing chalk bag"],
               ["TPE foam", "neoprene", "ripstop nylon", "aluminium", "natural rubber",
                "polyester", "carbon fibre", "EVA foam"]),
    "beauty": (["face serum", "hand cream", "lip balm", "hair brush", "makeup bag",
                "nail file set", "bath salts", "facial roller", "shampoo bar", "body lotion",
                "soap dish", "cosmetic mirror", "hair clips", "sheet mask set", "konjac sponge"],
               ["shea butter", "vitamin C", "hyaluronic acid", "jade stone", "boar bristle",
                "aloe vera", "argan oil", "rose quartz"]),
    "toys": (["building blocks", "wooden puzzle", "plush bear", "stacking rings", "toy car set",
              "kite", "bath toys", "card game", "magnetic tiles", "play dough set", "drum kit",
              "marble run", "doll house", "ride-on car", "bubble machine"],
             ["beech wood", "non-toxic ABS", "soft polyester", "natural rubber", "recycled card",
              "organic cotton", "food-grade silicone", "birch plywood"]),
    "pets": (["dog leash", "cat scratcher", "pet bed", "feeding bowl", "chew toy", "dog harness",
              "litter mat", "grooming glove", "bird feeder", "aquarium net", "pet carrier",
              "treat pouch", "cat tunnel", "dog raincoat", "lick mat"],
             ["nylon webbing", "sisal rope", "memory foam", "stainless steel", "natural rubber",
              "polyester", "corrugated card", "silicone"]),
}
ADJECTIVES = ["lightweight", "durable", "compact", "foldable", "reusable", "adjustable",
              "premium", "classic", "modern", "minimalist", "eco-friendly", "ergonomic",
              "portable", "waterproof", "breathable", "non-slip", "heavy-duty", "soft", "sturdy",
              "handmade", "vintage-style", "everyday", "large", "small", "extra long"]
COLOURS = ["black", "white", "navy", "grey", "sage green", "terracotta", "sand", "olive",
           "burgundy", "sky blue", "charcoal", "ivory", "mustard", "coral", "forest green"]
FEATURES = [
    "easy to clean and dishwasher safe", "fits most standard sizes",
    "keeps drinks cold for 24 hours",
    "tested for everyday use", "ships in recyclable packaging", "machine washable at 30 degrees",
    "includes a carry pouch", "backed by a two-year warranty", "designed in our own studio",
    "suitable for indoor and outdoor use", "free from PVC and phthalates", "assembled in minutes",
    "double stitched seams for a longer life", "non-toxic finish safe for children",
    "stackable to save space", "compatible with standard chargers", "quiet operation under 40 dB",
    "gentle on sensitive skin", "reinforced corners and edges", "available in three sizes",
    "folds flat for storage", "made to order in small batches", "ideal as a gift",
    "packed with a care card", "lab tested for colour fastness"]
DESC_OPENERS = [
    "Meet the {adj} {noun} you will reach for every day.",
    "Our {noun} is made from {mat} and built to last.",
    "A {adj} {noun} in {colour}, designed for {use}.",
    "This {noun} combines {mat} with a {adj} design.",
    "Looking for a {adj} {noun}? This one is made from {mat}.",
]
USES = ["busy mornings", "weekend trips", "small apartments", "the office", "family dinners",
        "long hikes", "everyday carry", "cosy evenings", "the gym", "travel"]
MARKETPLACES = ["amazon", "ebay", "etsy", "shopify", "walmart", "aliexpress", "temu", "shopee",
                "mercadolibre", "allegro"]
COUNTRIES = [("US", "USD"), ("GB", "GBP"), ("DE", "EUR"), ("FR", "EUR"), ("ES", "EUR"),
             ("IT", "EUR"), ("JP", "JPY"), ("CA", "CAD"), ("AU", "AUD"), ("MX", "MXN"),
             ("BR", "BRL"), ("PL", "PLN")]
ORIGINS = ["CN", "CN", "CN", "VN", "IN", "TR", "PT", "DE", "US", "BD", "MX", "PL"]
EU_COUNTRIES = ["DE", "FR", "ES", "IT", "PL"]

# A few phrases per language: titles and bullets get one of them, so about a quarter of the
# records carry accented Latin, CJK, Cyrillic or Hangul text.
OTHER_LANGS = {
    "de": {"title": ["{noun} aus {mat}, {colour}, langlebig", "Praktische {noun} für jeden Tag"],
           "bullets": ["Pflegeleicht und spülmaschinenfest", "Größe: siehe Tabelle",
                       "Lieferung in recycelbarer Verpackung", "Für drinnen und draußen geeignet"],
           "desc": "Hochwertige Verarbeitung, geprüft für den täglichen Gebrauch. Maße und "
                   "Farben können leicht abweichen."},
    "fr": {"title": ["{noun} en {mat}, coloris {colour}", "{noun} pratique pour tous les jours"],
           "bullets": ["Facile à nettoyer", "Livré dans un emballage recyclable",
                       "Garantie de deux ans", "Conçu pour un usage quotidien"],
           "desc": "Fabriqué avec soin, idéal comme cadeau. Les couleurs peuvent légèrement "
                   "varier selon l'écran."},
    "es": {"title": ["{noun} de {mat}, color {colour}", "{noun} práctico para el día a día"],
           "bullets": ["Fácil de limpiar", "Envío en embalaje reciclable",
                       "Garantía de dos años", "Diseño ergonómico y ligero"],
           "desc": "Producto de calidad, probado para el uso diario. Precio con IVA incluido."},
    "it": {"title": ["{noun} in {mat}, colore {colour}", "{noun} pratico per ogni giorno"],
           "bullets": ["Facile da pulire", "Confezione riciclabile", "Garanzia di due anni",
                       "Leggero e resistente"],
           "desc": "Realizzato con cura, ideale come regalo. Spedizione in 24 ore."},
    "ja": {"title": ["{noun} 軽量 {colour} 日本語説明書付き", "毎日使える {noun}"],
           "bullets": ["お手入れ簡単", "リサイクル可能な梱包でお届け", "二年間の保証付き",
                       "室内でも屋外でも使えます"],
           "desc": "丁寧に仕上げた日常使いのアイテムです。色味は画面により異なる場合があります。"},
    "zh": {"title": ["{noun} 便携 {colour} 家用", "日常实用 {noun} 新款"],
           "bullets": ["易于清洁", "环保包装", "两年质保", "适合室内和户外使用"],
           "desc": "精心制作，适合日常使用，也是送礼的好选择。颜色因显示器不同可能略有差异。"},
    "ko": {"title": ["{noun} 가벼운 {colour} 생활용품", "매일 쓰는 {noun}"],
           "bullets": ["세척이 쉬워요", "재활용 포장", "2년 품질 보증", "실내외 겸용"],
           "desc": "꼼꼼하게 만든 생활용품입니다. 모니터에 따라 색상이 다를 수 있습니다."},
    "ru": {"title": ["{noun} из {mat}, цвет {colour}", "Практичный {noun} на каждый день"],
           "bullets": ["Легко чистить", "Экологичная упаковка", "Гарантия два года",
                       "Подходит для дома и улицы"],
           "desc": "Качественный товар для ежедневного использования. Цвет может немного "
                   "отличаться."},
}
LANG_WEIGHTS = [("en", 74), ("de", 5), ("fr", 4), ("es", 4), ("it", 3), ("ja", 3), ("zh", 3),
                ("ko", 2), ("ru", 2)]

# ---------------------------------------------------------------------------------------------
# Risky wording (about 2 % of the listings)

COUNTERFEIT = ["replica", "super copy", "1:1 mirror quality", "AAA quality replica", "knockoff",
               "高仿", "réplica", "first copy", "unbranded replica", "counterfeit-grade"]
QUALIFIERS = ["{m} dupe", "inspired by {m}", "similar to {m}", "{m} style", "{m} inspired",
              "just like {m}", "{m} 同款", "tipo {m}", "{m} lookalike", "same as {m}"]
CONTACTS = ["WhatsApp +86 138 0013 {n4}", "wechat: shop{n4}vip", "call +1 415 555 {n4}",
            "email orders{n4}@mailbox-shop.example", "telegram @deals{n4}",
            "pay by PayPal friends and family, paypal.me/shop{n4}",
            "contact us for wholesale price: t.me/store{n4}"]
RISK_KINDS = [("counterfeit", 30), ("qualifier", 30), ("contact", 20), ("obfuscated", 10),
              ("mark_in_title", 10)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for item, w in pairs:
        r -= w
        if r < 0:
            return item
    return pairs[-1][0]


def obfuscate(rng, mark):
    word = mark.split(" ")[0]
    style = rng.randrange(4)
    if style == 0:
        return ".".join(word)
    if style == 1:
        return word.replace("o", "0").replace("e", "3").replace("a", "@")
    if style == 2:
        return " ".join(word)
    return word[:len(word) // 2] + "-" + word[len(word) // 2:]


def gtin13(rng):
    digits = [rng.randrange(10) for _ in range(12)]
    s = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((10 - s % 10) % 10)


def price_text(amount, currency, lang):
    if lang in ("de", "fr", "es", "it", "ru"):
        return ("%.2f" % amount).replace(".", ",") + " " + {"EUR": "€"}.get(currency, currency)
    if currency == "JPY":
        return "¥%d" % round(amount * 150)
    return {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency, currency + " ") + "%.2f" % amount


# words record() writes besides those in the tables above
RECORD_WORDS = ["Price incl. VAT", "front view", "side view", "detail", "in use", "Top",
                "same as original", "for fans", "pack of size set of", "Europe GmbH Hafenstr",
                "Hamburg", "https img example jpg", "new", "Brands Group Industries International "
                "Trading Global"]


def all_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k in value:
            yield from all_strings(k)
            yield from all_strings(value[k])
    else:
        for v in value:
            yield from all_strings(v)


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.own_brands = sorted(dict.fromkeys(a.capitalize() + b.lower() for a in BRAND_PARTS
                                               for b in BRAND_PARTS if a.lower() != b.lower()))
        vocabulary = {}
        for text in all_strings([CATEGORIES, ADJECTIVES, COLOURS, FEATURES, DESC_OPENERS, USES,
                                 OTHER_LANGS, SECOND_WORDS, MARKETPLACES, RECORD_WORDS,
                                 COUNTERFEIT, QUALIFIERS, CONTACTS, OWNER_FORMS, BRAND_PARTS,
                                 self.own_brands]):
            for word in re.findall(r"\w+", text):
                word = fold(word)
                if len(word) >= 3:
                    for k in deletion_keys(word):
                        vocabulary[k] = True
        self.marks, _ = make_marks(self.rng, 100000, vocabulary)

    def record(self, index):
        rng = self.rng
        lang = weighted(rng, LANG_WEIGHTS)
        cat = rng.choice(sorted(CATEGORIES))
        nouns, mats = CATEGORIES[cat]
        noun, mat, colour = rng.choice(nouns), rng.choice(mats), rng.choice(COLOURS)
        adj = rng.sample(ADJECTIVES, 2)
        brand = rng.choice(self.own_brands)
        country, currency = rng.choice(COUNTRIES)
        size = rng.choice(["", "", " - 500 ml", " - pack of 2", " - size M", " - 30 x 40 cm",
                           " - 1.5 m", " - set of 4"])
        title = "%s %s %s %s in %s%s" % (brand, adj[0].capitalize(), mat, noun, colour, size)
        bullets = [f[:1].upper() + f[1:] for f in rng.sample(FEATURES, 5)]
        fields = {"noun": noun, "mat": mat, "colour": colour, "adj": adj[1],
                  "use": rng.choice(USES)}
        desc = [rng.choice(DESC_OPENERS).format(**fields)]
        desc += [f[:1].upper() + f[1:] + "." for f in rng.sample(FEATURES, rng.randint(3, 7))]
        amount = round(rng.uniform(4, 180), 2)
        if lang != "en":
            tr = OTHER_LANGS[lang]
            title = brand + " " + rng.choice(tr["title"]).format(**fields)
            bullets[rng.randrange(5)] = rng.choice(tr["bullets"])
            bullets[rng.randrange(5)] = rng.choice(tr["bullets"])
            desc.insert(1, tr["desc"])
        desc.append("Price %s incl. VAT." % price_text(amount, currency, lang))
        search_terms = [noun, mat, colour, adj[0], cat]
        tags = rng.sample([noun, colour, cat, adj[1], "gift idea", "new season", mat], 4)
        alt = "%s %s in %s, %s" % (brand, noun, colour, rng.choice(["front view", "side view",
                                                                    "detail", "in use"]))

        risky = rng.random() < 0.02
        if risky:
            kind = weighted(rng, RISK_KINDS)
            # 90 % of the marks named come from the first 10,000 (the 10k registry)
            m = self.marks[rng.randrange(10000) if rng.random() < 0.9
                           else rng.randrange(10000, 100000)]["mark"]
            n4 = "%04d" % rng.randrange(10000)
            if kind == "counterfeit":
                w = rng.choice(COUNTERFEIT)
                title = "%s %s %s" % (w.capitalize() if w[0].isascii() else w, noun, colour)
                bullets[0] = "Top %s, same as original" % w
            elif kind == "qualifier":
                phrase = rng.choice(QUALIFIERS).format(m=m)
                title = "%s %s %s, %s" % (adj[0].capitalize(), noun, colour, phrase)
                tags[0] = phrase
            elif kind == "contact":
                desc.insert(rng.randrange(len(desc)), rng.choice(CONTACTS).format(n4=n4) + ".")
            elif kind == "obfuscated":
                title = "%s %s %s %s" % (obfuscate(rng, m), adj[0], noun, colour)
            else:  # someone else's mark in the title of an own-brand listing
                title = "%s %s %s for %s fans" % (brand, noun, colour, m)
                search_terms.append(m)
        rec = {
            "sku": "%s-%06d" % (brand[:3].upper(), index),
            "marketplace": rng.choice(MARKETPLACES),
            "target_country": country,
            "title": title,
            "bullets": bullets,
            "description": "<p>" + "</p>\n<p>".join(desc[:2]) + "</p><p>" + " ".join(desc[2:]) +
                           "</p>" if rng.random() < 0.3 else " ".join(desc),
            "brand": brand,
            "manufacturer": brand + " " + rng.choice(OWNER_FORMS),
            "price": amount,
            "list_price": round(amount * rng.choice([1, 1, 1.1, 1.2, 1.25]), 2),
            "currency": currency,
            "condition": "new",
            "country_of_origin": rng.choice(ORIGINS),
            "gtin": gtin13(rng),
            "search_terms": search_terms,
            "tags": tags,
            "images": [{"url": "https://img.example/%s/%d.jpg" % (brand.lower().replace(" ", ""),
                                                                  i),
                        "alt_text": alt if i == 0 else "%s %s" % (noun, colour)}
                       for i in range(rng.randint(1, 2))],
        }
        if country in EU_COUNTRIES or country == "GB":
            rec["compliance"] = {"eu_responsible_party":
                                 "%s Europe GmbH, Hafenstr. %d, 20457 Hamburg" %
                                 (brand, rng.randint(1, 99))}
        return rec, risky


CSV_COLUMNS = (["sku", "marketplace", "target_country", "title"] +
               ["bullets[%d]" % i for i in range(5)] +
               ["description", "brand", "manufacturer", "price", "list_price", "currency",
                "condition", "country_of_origin", "gtin", "search_terms", "tags",
                "images[0].url", "images[0].alt_text", "images[1].url", "images[1].alt_text",
                "compliance.eu_responsible_party"])


def csv_row(rec):
    row = {k: rec.get(k, "") for k in ("sku", "marketplace", "target_country", "title",
                                          "description", "brand", "manufacturer", "currency",
                                          "condition", "country_of_origin", "gtin")}
    row["price"] = "%.2f" % rec["price"]
    row["list_price"] = "%.2f" % rec["list_price"]
    for i, b in enumerate(rec["bullets"]):
        row["bullets[%d]" % i] = b
    row["search_terms"] = ", ".join(rec["search_terms"])
    row["tags"] = ", ".join(rec["tags"])
    for i, img in enumerate(rec["images"]):
        row["images[%d].url" % i] = img["url"]
        row["images[%d].alt_text" % i] = img["alt_text"]
    row["compliance.eu_responsible_party"] = rec.get("compliance", {}).get(
        "eu_responsible_party", "")
    return [row.get(c, "") for c in CSV_COLUMNS]


# ---------------------------------------------------------------------------------------------
# Registries and rule packs

def yq(s):
    """A YAML double-quoted scalar."""
    return json.dumps(s, ensure_ascii=False)


def write_registry(path, marks, title):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Synthetic trademark registry for the iprcheck benchmark (generated).\n")
        f.write("registry: bench\nversion: \"%d\"\ntitle: %s\nmarks:\n" % (GENERATOR_VERSION,
                                                                            yq(title)))
        for m in marks:
            f.write("  - mark: %s\n    owner: %s\n    classes: [%s]\n    jurisdictions: [%s]\n" %
                    (yq(m["mark"]), yq(m["owner"]), ", ".join(map(str, m["classes"])),
                     ", ".join(m["jurisdictions"])))
            if m["aliases"]:
                f.write("    aliases: [%s]\n" % ", ".join(yq(a) for a in m["aliases"]))
            if "kind" in m:
                f.write("    kind: %s\n" % m["kind"])
            if "reference_price" in m:
                f.write("    reference_price: {amount: %d, currency: USD}\n" %
                        m["reference_price"])


def write_registry_csv(path, marks):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["mark", "aliases", "owner", "classes", "jurisdictions", "kind",
                    "reference_price", "currency"])
        for m in marks:
            w.writerow([m["mark"], "|".join(m["aliases"]), m["owner"],
                        "|".join(map(str, m["classes"])), "|".join(m["jurisdictions"]),
                        m.get("kind", ""), m.get("reference_price", ""),
                        "USD" if "reference_price" in m else ""])


def write_plain(path, marks):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for m in marks:
            f.write(m["mark"] + "\n")
            for a in m["aliases"]:
                f.write(a + "\n")


KEYWORDS = ["invoice", "tracking", "batch", "lot", "order", "voucher", "coupon", "serial",
            "warranty", "model", "ref", "article", "catalog", "item", "bundle", "pallet",
            "carton", "parcel", "shipment", "receipt", "licence", "permit", "certificate",
            "report", "test", "sample", "stock", "bin", "slot", "rack", "aisle", "zone", "dock",
            "gate", "route", "zip", "postcode", "ticket", "booking", "claim"]
CONTEXT_WORDS = ["replica", "copy", "style", "dupe", "inspired", "fake", "imitation",
                 "lookalike"]


def regex_rules(marks):
    """200 rules in five shapes, each with a literal every match must contain."""
    rules = []
    for i in range(40):
        m = marks[i * 7]["mark"].lower()
        rules.append(r"(?i)\b%s\b" % m.replace(" ", r"\s+"))
    for i in range(40):
        m = marks[i * 11 + 3]["mark"].lower()
        rules.append(r"(?i)\b%s\s+(?:%s)\b" % (m.replace(" ", r"\s+"), "|".join(CONTEXT_WORDS)))
    for i in range(40):
        m = marks[i * 13 + 5]["mark"].lower()
        rules.append(r"(?i)\b(?:replica|copy|fake|dupe)\b.{0,40}\b%s\b" % m.replace(" ", r"\s+"))
    for i in range(40):
        group = [marks[i * 17 + 1 + j]["mark"].split(" ")[0].lower() for j in range(4)]
        rules.append(r"(?i)\b(?:%s)(?:s|'s)?\s+(?:original|genuine|authentic)\b" %
                     "|".join(group))
    for i, kw in enumerate(KEYWORDS):
        rules.append(r"(?i)\b%s\s*(?:no\.?|number|#|:)\s*[A-Z0-9-]{%d,}" % (kw, 5 + i % 4))
    return rules


NOATOM_RULES = [
    r"(?i)\b[a-z][\W_]+[a-z][\W_]+[a-z][\W_]+[a-z][\W_]+[a-z]\b",
    r"[A-Z]{4,}\d{3,}[A-Z]?\b",
    r"\d{3}[-.\s]\d{3}[-.\s]\d{4}\b",
    r"(?i)[a-z]+\d+[a-z]+\d+",
    r"[^\x00-\x7F]{2,}\s*\d{4,}",
    r"(?i)\b\w+@\w+\b",
    r"\b[A-Z][a-z]+[0-9]{2,}\b",
    r"(?i)[bcdfghjklmnpqrstvwxz]{6,}",
    r"[$€£¥]\s?\d+[.,]\d{2}\s*-\s*[$€£¥]?\s?\d+",
    r"(?i)\b\w{2}\.\w{2}\.\w{2}\b",
]


def write_pack(path, name, title, patterns, prefix):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# %s (generated for the iprcheck benchmark).\n" % title)
        f.write("pack: %s\nstage: marketing\nversion: \"%d\"\ntitle: %s\nrules:\n" %
                (name, GENERATOR_VERSION, yq(title)))
        for i, p in enumerate(patterns):
            f.write("  - id: %s-%03d\n    title: Benchmark pattern %d\n    severity: medium\n"
                    "    fields: [title, bullets, description, search_terms, tags, "
                    "\"images[].alt_text\"]\n    match:\n      regex: '%s'\n" %
                    (prefix, i + 1, i + 1, p.replace("'", "''")))


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder to write into")
    ap.add_argument("--small", action="store_true", help="about 20 MB of JSONL instead of 200 MB")
    ap.add_argument("--size-mb", type=int, help="target size of listings.jsonl in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    size_mb = args.size_mb or (20 if args.small else 200)
    os.makedirs(args.out, exist_ok=True)
    stamp_path = os.path.join(args.out, "corpus.json")
    want = {"generator": GENERATOR_VERSION, "seed": args.seed, "size_mb": size_mb}
    try:
        with open(stamp_path, encoding="utf-8") as f:
            have = json.load(f)
        if all(have.get(k) == v for k, v in want.items()):
            print("corpus in %s is up to date (%s MB, seed %d)" % (args.out, size_mb, args.seed))
            return 0
    except (OSError, ValueError):
        pass

    gen = Generator(args.seed)
    marks = gen.marks
    out = lambda name: os.path.join(args.out, name)  # noqa: E731
    write_registry(out("marks10k.yaml"), marks[:10000], "Benchmark marks (10,000)")
    parts = []
    for p in range(0, len(marks), YAML_PART_MARKS):
        name = "marks100k-%d.yaml" % (p // YAML_PART_MARKS + 1)
        write_registry(out(name), marks[p:p + YAML_PART_MARKS],
                       "Benchmark marks (100,000), part %d" % (p // YAML_PART_MARKS + 1))
        parts.append(name)
    write_registry_csv(out("marks100k.csv"), marks)
    write_plain(out("marks10k.txt"), marks[:10000])
    write_plain(out("marks100k.txt"), marks)
    write_pack(out("regex200.yaml"), "bench-regex200", "200 regex rules with literal atoms",
               regex_rules(marks), "BX")
    write_pack(out("noatom10.yaml"), "bench-noatom10", "10 regex rules without literal atoms",
               NOATOM_RULES, "BN")

    limit = size_mb * 1000000
    written = records = risky_count = 0
    with open(out("listings.jsonl"), "w", encoding="utf-8", newline="\n") as fj, \
            open(out("listings.csv"), "w", encoding="utf-8", newline="") as fc:
        cw = csv.writer(fc, lineterminator="\n")
        cw.writerow(CSV_COLUMNS)
        buf_j, buf_c = [], io.StringIO()
        bufw = csv.writer(buf_c, lineterminator="\n")
        while written < limit:
            rec, risky = gen.record(records)
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
            written += len(line.encode("utf-8"))
            records += 1
            risky_count += risky
            buf_j.append(line)
            bufw.writerow(csv_row(rec))
            if len(buf_j) >= 4096:
                fj.write("".join(buf_j))
                fc.write(buf_c.getvalue())
                buf_j, buf_c = [], io.StringIO()
                bufw = csv.writer(buf_c, lineterminator="\n")
        fj.write("".join(buf_j))
        fc.write(buf_c.getvalue())
    want.update({"records": records, "risky_records": risky_count,
                 "jsonl_bytes": os.path.getsize(out("listings.jsonl")),
                 "csv_bytes": os.path.getsize(out("listings.csv")),
                 "marks100k_parts": parts})
    with open(stamp_path, "w", encoding="utf-8") as f:
        json.dump(want, f, indent=1)
        f.write("\n")
    print("wrote %d records (%d risky) to %s" % (records, risky_count, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
