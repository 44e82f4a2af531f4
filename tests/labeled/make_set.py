#!/usr/bin/env python3
"""Writes the labeled trademark test set (marks.jsonl) from the cases below.
Run it after editing the cases; the output is committed so the set is
reviewed as data.  Each record carries `label` (positive|negative), the
`expect_mark` a positive must be matched to, and `case` (what it tests)."""
import json

records = []


def add(label, case, expect_mark=None, **fields):
    rec = {"sku": "L%03d" % (len(records) + 1), "label": label, "case": case}
    if expect_mark:
        rec["expect_mark"] = expect_mark
    rec.update(fields)
    records.append(rec)


# --- positives: disguised marks, every class ---------------------------------------
obfuscated = [
    ("confusable", "N\u0456ke Air running shoes", "Nike"),          # Cyrillic i
    ("confusable", "\u0410didas Originals hoodie", "Adidas"),       # Cyrillic A
    ("confusable", "G\u03bfcci belt black", "Gucci"),               # Greek omicron for u? no: o
    ("confusable", "R\u043el\u0435x Submariner style watch", "Rolex"),
    ("confusable", "\uff2e\uff49\uff4b\uff45 sneakers", "Nike"),     # full-width
    ("confusable", "\U0001d40d\U0001d422\U0001d424\U0001d41e sport socks", "Nike"),  # math bold
    ("confusable", "Ch\u200banel flap bag", "Chanel"),               # zero-width space
    ("confusable", "Gu\u00adcci loafers", "Gucci"),                  # soft hyphen
    ("confusable", "Pr\u0430da nylon backpack", "Prada"),
    ("confusable", "H\u0435rm\u00e8s bracelet H buckle", "Hermès"),   # Cyrillic e
    ("leet", "N1ke Air Force 1 white", "Nike"),
    ("leet", "Ad1das Superstar shoes", "Adidas"),
    ("leet", "Ch@nel quilted wallet", "Chanel"),
    ("leet", "L0uis Vuitt0n Neverfull tote", "Louis Vuitton"),
    ("leet", "R0lex Daytona chronograph", "Rolex"),
    ("leet", "Gucc1 Marmont shoulder bag", "Gucci"),
    ("leet", "Pr@da re-nylon bag", "Prada"),
    ("leet", "Bal3nciaga triple s trainers", "Balenciaga"),
    ("leet", "D10r saddle bag", "Dior"),
    ("leet", "M0ncler puffer jacket", "Moncler"),
    ("separator", "G-U-C-C-I belt buckle", "Gucci"),
    ("separator", "G.u.c.c.i slides", "Gucci"),
    ("separator", "R O L E X oyster watch", "Rolex"),
    ("separator", "P_r_a_d_a sunglasses", "Prada"),
    ("separator", "N-I-K-E hoodie fleece", "Nike"),
    ("separator", "C H A N E L earrings", "Chanel"),
    ("separator", "D.I.O.R lipstick set", "Dior"),
    ("separator", "F*E*N*D*I scarf", "Fendi"),
    ("fuzzy", "Addidas tracksuit 3 stripes", "Adidas"),
    ("fuzzy", "Guccci belt gold", "Gucci"),
    ("fuzzy", "Rolexx automatic watch", "Rolex"),
    ("fuzzy", "Pradda handbag", "Prada"),
    ("fuzzy", "Balenciaaga sneakers", "Balenciaga"),
    ("fuzzy", "Chanell perfume 100 ml", "Chanel"),
    ("fuzzy", "Burbery check scarf", "Burberry"),
    ("fuzzy", "Moncller down jacket", "Moncler"),
]
for how, title, mark in obfuscated:
    add("positive", "obfuscated/" + how, mark, title=title, brand="Generic")

# --- positives: counterfeit wording next to a mark, by language ------------------------
near = [
    ("en", "Replica Rolex Submariner automatic", "Rolex"),
    ("en", "Fake Gucci belt with box", "Gucci"),
    ("en", "Louis Vuitton copy speedy bag", "Louis Vuitton"),
    ("en", "1:1 mirror quality Chanel flap bag, replica", "Chanel"),
    ("en", "Nike knockoff running shoes", "Nike"),
    ("en", "Imitation Cartier love bracelet", "Cartier"),
    ("es", "Réplica Rolex Daytona calidad AAA", "Rolex"),
    ("es", "Bolso imitación Louis Vuitton", "Louis Vuitton"),
    ("es", "Copia Nike Air Jordan 1", "Nike"),
    ("es", "Cinturón Gucci réplica exacta", "Gucci"),
    ("pt", "Tênis Nike primeira linha", "Nike"),
    ("pt", "Réplica perfeita Rolex Submariner", "Rolex"),
    ("pt", "Bolsa Michael Kors réplica", "Michael Kors"),
    ("fr", "Sac Chanel contrefaçon qualité", "Chanel"),
    ("fr", "Copie montre Cartier Tank", "Cartier"),
    ("de", "Rolex Fälschung Uhr Submariner", "Rolex"),
    ("de", "Nachahmung Gucci Gürtel", "Gucci"),
    ("it", "Borsa Prada imitazione", "Prada"),
    ("it", "Orologio Rolex falso", "Rolex"),
    ("zh", "高仿劳力士手表", "Rolex"),
    ("zh", "复刻 Gucci 腰带", "Gucci"),
    ("zh", "耐克 高仿 运动鞋", "Nike"),
    ("zh", "香奈儿 A货 包包", "Chanel"),
    ("ja", "ロレックス スーパーコピー 時計", "Rolex"),
    ("ja", "スーパーコピー ルイヴィトン 財布", "Louis Vuitton"),
    ("ja", "シャネル 偽物 バッグ", "Chanel"),
    ("ko", "샤넬 레플리카 가방", "Chanel"),
    ("ko", "롤렉스 짝퉁 시계", "Rolex"),
    ("en", "Replica Omega Speedmaster moonwatch", "Omega"),
    ("en", "AAA replica Audemars Piguet Royal Oak", "Audemars Piguet"),
    ("en", "Hermes Birkin replica 30cm", "Birkin"),  # the nearest mark: Hermès' bag line
    ("en", "Fake Apple AirPods Pro 2", "Apple"),
    ("en", "Copy Beats Studio headphones", "Beats"),
    ("en", "Pandora charm bracelet replica", "Pandora"),
    ("en", "Replica Ray-Ban Wayfarer sunglasses", "Ray-Ban"),
    ("en", "Canada Goose knockoff parka", "Canada Goose"),
    ("en", "Fake Moncler jacket", "Moncler"),
    ("en", "Replica Yeezy 350 boost", "Yeezy"),
    ("en", "Hello Kitty bootleg plush", "Hello Kitty"),
    ("en", "Labubu fake doll", "Labubu"),
]
for lang, title, mark in near:
    add("positive", "counterfeit-near-mark/" + lang, mark, title=title, brand="Generic")
# in the description, not the title
add("positive", "counterfeit-near-mark/description", "Omega", title="Steel diver watch 42 mm",
    description="Purchase top quality replica Omega Seamaster watches at our shop.")
add("positive", "counterfeit-near-mark/bullets", "Rolex", title="Automatic watch",
    bullets=["Sapphire glass", "Looks exactly like a Rolex, 1:1 replica"])

# --- positives: characters and events without a licence ---------------------------------
for title, mark in [("Hello Kitty lunch box", "Hello Kitty"), ("Pikachu plush toy 30 cm", "Pikachu"),
                    ("Mickey Mouse ears headband", "Mickey Mouse"), ("Spider-Man phone case", "Spider-Man"),
                    ("Peppa Pig birthday balloons", "Peppa Pig"), ("Labubu keychain pendant", "Labubu"),
                    ("Bluey plush family set", "Bluey"), ("Harry Potter wand replica", "Harry Potter"),
                    ("Stitch slippers kids", "Stitch"), ("FIFA World Cup 2026 jersey", "FIFA World Cup")]:
    add("positive", "character", mark, title=title)

# --- positives: brand fields, authorizations expired or for another country -------------
add("positive", "authorization/none", "Nike", title="Air Max 90 sneakers", brand="Nike",
    seller={"id": "S-NONE"}, target_country="US")
add("positive", "authorization/expired", "Nike", title="Air Max 90 sneakers", brand="Nike",
    seller={"id": "S-EXP"}, target_country="US")
add("positive", "authorization/expired", "Rolex", title="Submariner 41 mm", brand="Rolex",
    seller={"id": "S-EXP"}, target_country="US")
add("positive", "authorization/territory", "Nike", title="Air Max 90 sneakers", brand="Nike",
    seller={"id": "S-US"}, target_country="GB")
add("positive", "authorization/territory", "Adidas", title="Superstar shoes", brand="Adidas",
    seller={"id": "S-US"}, target_country="DE")
add("positive", "authorization/other-brand", "Gucci", title="Marmont bag", brand="Gucci",
    seller={"id": "S-US"}, target_country="US")
add("positive", "authorization/not-yet-valid", "Nike", title="Pegasus 41", brand="Nike",
    seller={"id": "S-FUT"}, target_country="US")
for brand, title in [("Chanel", "No. 5 eau de parfum 100 ml"), ("Louis Vuitton", "Neverfull MM"),
                     ("Apple", "AirPods Pro 2"), ("Sony", "WH-1000XM5 headphones"),
                     ("Disney", "Mickey plush"), ("Dyson", "V15 cordless vacuum")]:
    add("positive", "authorization/none", brand, title=title, brand=brand)

# --- negatives: nominative fair use -----------------------------------------------------
fair = [
    ("ACME case compatible with Apple iPhone 15", "ACME"),
    ("Voltix charging cable for Samsung Galaxy S24", "Voltix"),
    ("Kelda strap fits Sony WH-1000XM4", "Kelda"),
    ("Filtra replacement filter for Dyson V11", "Filtra"),
    ("Lumio screen protector compatible with Google Pixel 8", "Lumio"),
    ("Bandly watch band compatible with Apple Watch Series 9", "Bandly"),
    ("PowerUp battery replacement for Canon LP-E6", "PowerUp"),
    ("Tekno stand works with Nintendo Switch OLED", "Tekno"),
    ("Soundo ear tips for Sony WF-1000XM5", "Soundo"),
    ("Clipo mount compatible with GoPro Hero 12", "Clipo"),
    ("Funda compatible con Samsung Galaxy A54", "Fundix"),
    ("Hülle kompatibel mit Apple iPhone 14", "Schutzly"),
    ("Coque compatible avec Apple iPhone 13", "Protecto"),
    ("适用于 苹果 iPhone 15 手机壳", "ACME"),
    ("ACME controller charger for PlayStation 5 DualSense", "ACME"),
]
for title, brand in fair:
    add("negative", "fair-use", title=title, brand=brand)

# --- negatives: marks that are ordinary words, in their ordinary sense -------------------
common = [
    "Apple pie dish, ceramic, 26 cm", "Apple juice glass set of 6", "Polo neck sweater, merino",
    "Orange gemstone cufflinks, silver", "Abalone shell necklace", "Coach bus model 1:87 scale",
    "Fossil fern print on canvas", "Celtic knot ring, sterling silver", "Puma cat figurine, bronze",
    "Jaguar animal print scarf", "Mustang horse poster A3", "Dove shaped pendant, gold plated",
    "Mango wood serving bowl", "Amazon parrot feather earrings", "Guess the word card game",
    "Shell fossil paperweight", "Crocodile leather belt", "Next day delivery gift box",
    "Boss day card for manager", "Diesel engine oil filter wrench", "Converse with your kids cards",
    "Champion trophy cup gold", "Element symbol periodic table mug", "Hunter green wool scarf",
    "Mercury glass candle holder", "Target practice paper 100 sheets", "Monster truck toy remote",
    "Stanley Cup hockey puck display case", "Vans and trucks coloring book", "Lush green artificial plant",
]
for title in common:
    add("negative", "common-word", title=title, brand="Artisan Goods")

# --- negatives: near misses and honest wording ---------------------------------------------
honest = [
    "Faux fur coat with hood", "Fake flower bouquet, 12 peonies", "Scale replica of the Eiffel Tower",
    "Channel organizer for drawers", "Nikel plated towel hook", "Rolled steel sheet 2 mm",
    "Copy paper A4 500 sheets", "Digital piano that authentically replicates a grand piano",
    "Leather tote inspired by Scandinavian design", "Imitation pearl necklace 45 cm",
    "Dupe-free handmade soap", "Guccione biography hardcover",
]
for title in honest:
    add("negative", "near-miss", title=title, brand="Makers Co")

# --- negatives: authorized sellers -----------------------------------------------------------
add("negative", "authorization/valid", title="Air Max 90 sneakers", brand="Nike",
    seller={"id": "S-US"}, target_country="US")
add("negative", "authorization/valid", title="Superstar shoes", brand="Adidas",
    seller={"id": "S-US"}, target_country="US")
add("negative", "authorization/valid-worldwide", title="Submariner 41 mm", brand="Rolex",
    seller={"id": "S-WORLD"}, target_country="JP")
add("negative", "authorization/ship-date", title="Air Max 90 sneakers", brand="Nike",
    seller={"id": "S-EXP"}, target_country="US", shipment={"ship_date": "2024-06-01"})

with open("marks.jsonl", "w", encoding="utf-8") as out:
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
print(len(records), "records,", sum(r["label"] == "positive" for r in records), "positive")
