#!/usr/bin/env python3
"""Generates the large adversarial inputs at test time, so none is committed.

Usage: gen.py KIND [ARGS...] > FILE   (see the functions below for each kind)
Every output is written in chunks: the generator itself stays small in memory.
"""
import sys

CHUNK = 1 << 20


def out(data):
    sys.stdout.buffer.write(data.encode() if isinstance(data, str) else data)


def repeat(unit, total):
    """Writes `unit` repeated until `total` bytes, in chunks."""
    unit = unit.encode() if isinstance(unit, str) else unit
    block = unit * max(1, CHUNK // len(unit))
    left = total
    while left > 0:
        piece = block[:left]
        out(piece)
        left -= len(piece)


def long_line(total):
    """A CSV header, then one line of `total` bytes with no newline at all."""
    out("sku,title\n")
    repeat("A", int(total))


def huge_field(total):
    """Three records; the second has a description of `total` bytes."""
    out("sku,title,description\nA1,plain mug,stoneware\nA2,big,")
    repeat("lorem ipsum ", int(total))
    out("\nA3,Gucci replica bag,after the big one\n")


def columns(count):
    """A header of `count` columns and one short row."""
    count = int(count)
    out(",".join("c%d" % i for i in range(count)) + "\n")
    out("A1,replica\n")


def deep_yaml(levels):
    """A rule pack whose `rules` value opens `levels` flow sequences."""
    levels = int(levels)
    out("pack: deep\nstage: marketing\nversion: '1'\ntitle: deep\nrules: ")
    repeat("[", levels)
    repeat("]", levels)
    out("\n")


def deep_json(levels):
    """JSON Lines: a good record, one nested `levels` arrays deep, a good one."""
    levels = int(levels)
    out('{"sku":"J1","title":"replica"}\n{"sku":"J2","title":')
    repeat("[", levels)
    repeat("]", levels)
    out('}\n{"sku":"J3","title":"plain"}\n')


def backtrack(total):
    """A field of `total` letters that an alternation under a star explores
    in exponentially many ways before failing."""
    out("sku,title,description\nB1,first,")
    repeat("a", int(total))
    out("bc\nB2,second,plain text\n")


def many_findings(count):
    """`count` records, each with one counterfeit word."""
    out("sku,title\n")
    for i in range(int(count)):
        out("S%05d,replica watch %d\n" % (i, i))


def alias_bomb():
    """The 'billion laughs' pack: nine levels of ten aliases each."""
    out("pack: bomb\nstage: marketing\nversion: '1'\ntitle: bomb\n")
    out('a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n')
    for i in range(1, 10):
        refs = ",".join(["*a%d" % (i - 1)] * 10)
        out("a%d: &a%d [%s]\n" % (i, i, refs))
    out("rules: *a9\n")


def one_edit_variants(word):
    """Every spelling one edit from `word` with its first letter, of five
    letters or more: deletions, substitutions, insertions, swaps."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    variants = set()
    for i in range(len(word) + 1):
        for c in letters:
            variants.add(word[:i] + c + word[i:])
    for i in range(len(word)):
        variants.add(word[:i] + word[i + 1:])
        for c in letters:
            variants.add(word[:i] + c + word[i + 1:])
    for i in range(len(word) - 1):
        variants.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
    variants.discard(word)
    return sorted(v for v in variants if v[0] == word[0] and len(v) >= 5)


def near_crowd_marks(word):
    """A CSV registry of every mark one edit from `word` (hundreds)."""
    out("mark,owner,classes\n")
    for v in one_edit_variants(word):
        out("%s,Crowd Ltd,25\n" % v.capitalize())


def near_crowd_listing(word, count):
    """`count` records whose title is `word` twenty times."""
    out("sku,title\n")
    for i in range(int(count)):
        out("C%05d,%s\n" % (i, " ".join([word] * 20)))


def atom_join_pack(count):
    """A rule pack of `count` regexes of 128 spellings joined to ~680
    literals after them (each join copies every spelling)."""
    count = int(count)
    pattern = "[ab]" * 7
    while len(pattern) + 6 < 4096:
        pattern += "y(?:x)"
    out("pack: join\nstage: marketing\nversion: '1'\ntitle: join\nrules:\n")
    for i in range(count):
        out("  - {id: J-%04d, title: t, severity: low, fields: [title], message: m,\n"
            "     match: {regex: '%s'}}\n" % (i, pattern))


KINDS = {
    "long-line": long_line,
    "huge-field": huge_field,
    "columns": columns,
    "deep-yaml": deep_yaml,
    "deep-json": deep_json,
    "backtrack": backtrack,
    "many-findings": many_findings,
    "alias-bomb": alias_bomb,
    "near-crowd-marks": near_crowd_marks,
    "near-crowd-listing": near_crowd_listing,
    "atom-join-pack": atom_join_pack,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in KINDS:
        sys.stderr.write("usage: gen.py %s [ARGS]\n" % "|".join(sorted(KINDS)))
        sys.exit(2)
    KINDS[sys.argv[1]](*sys.argv[2:])
