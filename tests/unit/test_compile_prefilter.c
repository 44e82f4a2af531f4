/*
 * test_compile_prefilter.c - the regex prefilter finds every atom wherever
 * it starts in a field: first byte, last possible byte, and every offset in
 * between, for atoms of two, three, four and more bytes (a missed atom is a
 * missed finding).  The field is lowercased first, which may shorten it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "compile/ruleset.h"
#include "random_text.h"
#include "scan_helper.h"

#define PACK_HEAD "pack: t\nstage: marketing\nversion: '1'\ntitle: test\nrules:\n"

#define RULE(id, re)                                                                               \
    "  - {id: " id ", title: t, severity: high, fields: [title], message: m,\n"                    \
    "     match: {regex: '" re "'}}\n"

#define LONG_RULES  RULE("R-LONG", "(?i)replica") RULE("R-FOUR", "(?i)mint")
#define SHORT_RULES RULE("R-THREE", "(?i)zap") RULE("R-TWO", "(?i)ok")

struct probe {
    const char *rule;
    const char *atom; /* as written into the field: the prefilter lowercases it */
};

static const struct probe probes[] = {
    {"R-LONG", "RePlIcA"}, {"R-FOUR", "MINT"}, {"R-THREE", "Zap"}, {"R-TWO", "oK"}};

static ipr_ruleset *compile_rules(const char *rules)
{
    return must_compile_parts(PACK_HEAD, rules);
}

/* The regex id of rule id, or -1 when the ruleset has no such rule. */
static int regex_id(const ipr_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->rule_count; i++) {
        if (strcmp(rs->rules[i].info.id, id) != 0)
            continue;
        const struct ccond *c = rs->rules[i].match;
        assert_int_equal(c->kind, COND_REGEX);
        assert_true(c->has_atoms); /* else it always runs and nothing here is tested */
        return (int)c->pf_id;
    }
    return -1;
}

/* The candidate set of a field, as one word (the tests use few regexes).
 * The lowercased copy is kept from call to call, as the scanner keeps it. */
static uint64_t candidates(const ipr_ruleset *rs, const char *value, size_t len)
{
    uint8_t set[8] = {0};
    static char scratch[256];
    assert_true(rs->prefilter->regex_count <= 64 && len < sizeof(scratch));
    prefilter_regex_candidates(rs->prefilter, value, len, scratch, set);
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof(set); i++)
        bits |= (uint64_t)set[i] << (8 * i);
    return bits;
}

/* A field, and whether the regex a test is about is a candidate in it. */
struct field_case {
    const char *field;
    bool candidate;
};

/* Asserts each case: the candidates the field gives, of those in mask,
 * are bit when it is a candidate, none when not. */
static void expect_cases(const ipr_ruleset *rs, uint64_t mask, uint64_t bit,
                         const struct field_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t got = candidates(rs, cases[i].field, strlen(cases[i].field)) & mask;
        if (got != (cases[i].candidate ? bit : 0))
            fail_msg("'%s': candidates %#llx", cases[i].field, (unsigned long long)got);
    }
}

/* Every atom of the ruleset at every offset of fields of every length up
 * to a few words (beyond any unrolling of the scan): its regex, and only
 * its, is a candidate. */
static void expect_every_offset(const ipr_ruleset *rs)
{
    char field[64];
    assert_int_equal(candidates(rs, "", 0), 0);
    for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
        int id = regex_id(rs, probes[k].rule);
        if (id < 0)
            continue;
        size_t alen = strlen(probes[k].atom);
        for (size_t len = 0; len < sizeof(field); len++) {
            memset(field, '-', len);
            assert_int_equal(candidates(rs, field, len), 0);
            for (size_t at = 0; at + alen <= len; at++) {
                memset(field, '-', len);
                memcpy(field + at, probes[k].atom, alen);
                uint64_t got = candidates(rs, field, len);
                if (got != (uint64_t)1 << id)
                    fail_msg("%s at %zu of %zu: candidates %#llx, expected bit %d", probes[k].atom,
                             at, len, (unsigned long long)got, id);
                /* all of the atom but its last byte is not the atom, also when
                 * that byte follows the field and its lowercased copy */
                if (candidates(rs, field, at + alen - 1) != 0)
                    fail_msg("%.*s ending a field: a candidate", (int)alen - 1, probes[k].atom);
                field[at + alen - 1] = '-';
                if (candidates(rs, field, len) != 0)
                    fail_msg("%.*s at %zu of %zu: a candidate", (int)alen - 1, probes[k].atom, at,
                             len);
            }
        }
    }
}

static void test_atoms_at_every_offset(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(LONG_RULES SHORT_RULES);
    expect_every_offset(rs);
    ipr_ruleset_free(rs);
}

static void test_long_atoms_only(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(LONG_RULES);
    assert_false(rs->prefilter->has_short);
    expect_every_offset(rs);
    ipr_ruleset_free(rs);
}

/* KELVIN SIGN and LONG S lowercase to one byte, so the lowercased field is
 * shorter than the field: an atom at its very end is still found, whether
 * the shortening is in the atom or before it. */
static void test_atom_at_end_of_shortened_field(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(LONG_RULES SHORT_RULES);
    uint64_t two = (uint64_t)1 << regex_id(rs, "R-TWO");
    char field[64];
    for (size_t pad = 0; pad + 4 <= sizeof(field); pad++) {
        memset(field, '-', pad);
        memcpy(field + pad, "o\xE2\x84\xAA", 4);
        if (candidates(rs, field, pad + 4) != two)
            fail_msg("o + KELVIN SIGN after %zu bytes not found", pad);
    }
    static const char *const folded[] = {"\xE2\x84\xAA", "\xC5\xBF"};
    for (size_t f = 0; f < 2; f++) {
        size_t flen = strlen(folded[f]);
        for (size_t pad = 0; flen + pad + 2 <= sizeof(field); pad++) {
            memcpy(field, folded[f], flen);
            memset(field + flen, '-', pad);
            memcpy(field + flen + pad, "oK", 2);
            if (candidates(rs, field, flen + pad + 2) != two)
                fail_msg("oK after %s and %zu bytes not found", f ? "LONG S" : "KELVIN SIGN", pad);
        }
    }
    ipr_ruleset_free(rs);
}

/* Atoms are looked up by keys that take every byte with its 0x20 bit set,
 * so that capitals and small letters meet without a lowercased copy; the
 * bytes that merges besides ('@' and '`', '[' and '{', '^' and '~') are
 * told apart when the atom is compared. */
static void test_merged_bytes_told_apart(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(RULE("R-AT", "(?i)mail@box") RULE("R-BR", "(?i)x\\[1\\]"));
    uint64_t at = (uint64_t)1 << regex_id(rs, "R-AT"), br = (uint64_t)1 << regex_id(rs, "R-BR");
    assert_int_equal(candidates(rs, "MAIL@BOX", 8), at);
    assert_int_equal(candidates(rs, "mail`box", 8), 0);
    assert_int_equal(candidates(rs, "MAIL`BOX", 8), 0);
    assert_int_equal(candidates(rs, "say X[1] now", 12), br);
    assert_int_equal(candidates(rs, "say x{1} now", 12), 0);
    assert_int_equal(candidates(rs, "say x[1} now", 12), 0);
    /* the same in a field that is not ASCII, which is lowercased first */
    assert_int_equal(candidates(rs, "\xC3\xA9 MAIL@BOX", 11), at);
    assert_int_equal(candidates(rs, "\xC3\xA9 MAIL`BOX", 11), 0);
    ipr_ruleset_free(rs);
}

#define WORD_RULES                                                                                 \
    RULE("R-LONG", "(?i)\\breplica")                                                               \
    RULE("R-FOUR", "(?i)\\bmint\\b") RULE("R-THREE", "(?i)\\s+zap") RULE("R-TWO", "(?i)\\bok\\b")

/* When every atom starts a word ("\\bmint"), an ASCII field is looked up
 * only where words start: every atom is found at every offset of fields
 * of every length (the scan goes sixteen bytes at a time, and the last
 * piece of a field is read in its own way) after a byte that is not part
 * of a word, and not after one that is.  A field that is not ASCII is
 * searched at every position but after an ASCII word byte, since a
 * non-ASCII character before an atom may or may not be a word character. */
static void test_atoms_at_word_starts(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(WORD_RULES);
    assert_true(rs->prefilter->word_starts_only);
    char field[64];
    for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
        uint64_t bit = (uint64_t)1 << regex_id(rs, probes[k].rule);
        size_t alen = strlen(probes[k].atom);
        for (size_t len = alen; len < sizeof(field); len++) {
            for (size_t at = 0; at + alen <= len; at++) {
                memset(field, ' ', len);
                memcpy(field + at, probes[k].atom, alen);
                if (candidates(rs, field, len) != bit)
                    fail_msg("%s at %zu of %zu after a space: not found", probes[k].atom, at, len);
                if (at == 0)
                    continue;
                field[at - 1] = '_'; /* a word byte */
                if (candidates(rs, field, len) != 0)
                    fail_msg("%s at %zu of %zu inside a word: a candidate", probes[k].atom, at,
                             len);
                if (at < 3)
                    continue; /* room for a two-byte letter before the word byte */
                /* not ASCII: searched at every position, but still not
                 * after an ASCII word byte */
                memcpy(field, "\xC3\xA9", 2);
                if (candidates(rs, field, len) != 0)
                    fail_msg("%s at %zu of %zu inside a word of a non-ASCII field: a candidate",
                             probes[k].atom, at, len);
                memcpy(field + at - 2, "\xC3\xA9", 2);
                if (candidates(rs, field, len) != bit)
                    fail_msg("%s at %zu of %zu after a non-ASCII letter: not found", probes[k].atom,
                             at, len);
            }
        }
    }
    ipr_ruleset_free(rs);
    /* one atom that may start inside a word: every position again, and
     * there an ASCII field still keeps the marked atoms to word starts */
    rs = compile_rules(WORD_RULES RULE("R-ANY", "(?i)quartz"));
    assert_false(rs->prefilter->word_starts_only);
    uint64_t four = (uint64_t)1 << regex_id(rs, "R-FOUR"),
             two = (uint64_t)1 << regex_id(rs, "R-TWO");
    assert_int_equal(candidates(rs, "roseQUARTZ", 10), (uint64_t)1 << regex_id(rs, "R-ANY"));
    assert_int_equal(candidates(rs, "_mint", 5), 0);
    assert_int_equal(candidates(rs, "spearmint", 9), 0);
    assert_int_equal(candidates(rs, "9mint", 5), 0);
    assert_int_equal(candidates(rs, "mint", 4), four);
    assert_int_equal(candidates(rs, "-mint", 5), four);
    assert_int_equal(candidates(rs, "book", 4), 0); /* "ok" inside a word */
    assert_int_equal(candidates(rs, "b-ok", 4), two);
    /* not ASCII: lowered first; an ASCII word byte before an atom is a
     * word character there too, any other may not be */
    assert_int_equal(candidates(rs, "\xC3\xA9mint", 6), four);
    assert_int_equal(candidates(rs, "\xC3\x89mint", 6), four);
    assert_int_equal(candidates(rs, "\xE2\x80\x94mint", 7), four);
    assert_int_equal(candidates(rs, "_mint \xC3\xA9", 8), 0);
    assert_int_equal(candidates(rs, "\xE2\x84\xAAmint", 7), 0); /* KELVIN SIGN: a k */
    assert_int_equal(candidates(rs, "\xC3\xA9 mint", 7), four);
    ipr_ruleset_free(rs);
}

/* An atom of a case-sensitive regex is compared with case in an ASCII
 * field ("AT" is not "at"), at word starts and elsewhere; a field that is
 * not ASCII is lowercased first and finds it in either case (a candidate
 * too many costs a match, one too few a finding). */
static void test_case_sensitive_atoms(void **state)
{
    (void)state;
    static const char *const packs[] = {
        RULE("R-CS", "\\b(?:AT|DE)\\d{2}") RULE("R-LONG", "\\bEORI-NO\\d"),
        RULE("R-CS", "(?:AT|DE)\\d{2}") RULE("R-LONG", "EORI-NO\\d")};
    for (size_t p = 0; p < 2; p++) {
        ipr_ruleset *rs = compile_rules(packs[p]);
        assert_int_equal(rs->prefilter->word_starts_only, p == 0);
        uint64_t cs = (uint64_t)1 << regex_id(rs, "R-CS"),
                 eori = (uint64_t)1 << regex_id(rs, "R-LONG");
        assert_int_equal(candidates(rs, "IBAN AT61 1904", 14), cs);
        assert_int_equal(candidates(rs, "DE89 3704", 9), cs);
        assert_int_equal(candidates(rs, "look at the de luxe", 19), 0);
        assert_int_equal(candidates(rs, "At De aT dE", 11), 0);
        assert_int_equal(candidates(rs, "our EORI-NO7", 12), eori);
        assert_int_equal(candidates(rs, "our eori-no7", 12), 0);
        /* not ASCII: any case (a digit after it still wanted) */
        assert_int_equal(candidates(rs, "\xC3\xA9 look at12 it", 15), cs);
        assert_int_equal(candidates(rs, "\xC3\xA9 look at it", 13), 0);
        assert_int_equal(candidates(rs, "\xC3\xA9 eori-no7", 11), eori);
        ipr_ruleset_free(rs);
    }
}

/* A regex without atoms runs only on fields holding the rarest byte its
 * parser found required: the "@" of an e-mail pattern, where PCRE2
 * names only the "." after it. */
static void test_required_byte(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(
        RULE("R-MAIL",
             "(?i)\\b[a-z0-9._%+-]+@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,63}){0,6}\\.[a-z]{2,24}\\b"));
    assert_false(rs->rules[0].match->has_atoms);
    assert_true(rs->rules[0].match->prefiltered);
    uint64_t bit = (uint64_t)1 << rs->rules[0].match->pf_id;
    assert_int_equal(candidates(rs, "write to me.now", 15), 0);
    assert_int_equal(candidates(rs, "me@x.io", 7), bit);
    assert_int_equal(candidates(rs, "\xC3\xA9 me@x.io", 10), bit);
    ipr_ruleset_free(rs);
}

/* A regex whose matches are runs of letters and digits, without a
 * literal, runs only on fields with such a run as long as its shortest
 * match: wherever the run lies, across the scan's 64-byte steps, and not
 * when a byte of another kind (punctuation, non-ASCII) cuts it. */
static void test_alnum_run(void **state)
{
    (void)state;
    ipr_ruleset *rs = compile_rules(RULE("R-RUN", "\\b[0-9a-zA-Z]{26,}\\b"));
    assert_false(rs->rules[0].match->has_atoms);
    uint64_t bit = (uint64_t)1 << rs->rules[0].match->pf_id;
    char field[128];
    for (size_t len = 25; len < sizeof(field); len++) {
        for (size_t at = 0; at + 26 <= len; at++) {
            memset(field, ' ', len);
            memset(field + at, 'x', 26);
            field[at] = '1';
            if (candidates(rs, field, len) != bit)
                fail_msg("a run of 26 at %zu of %zu: not found", at, len);
            field[at + 13] = (at & 1) ? '-' : '\xC3';
            if (candidates(rs, field, len) != 0)
                fail_msg("a run of 26 cut at %zu of %zu: a candidate", at + 13, len);
        }
        memset(field, 'x', len);
        field[0] = '1';
        field[25] = ' ';
        if (len > 25 && candidates(rs, field, len) != (len >= 52 ? bit : 0))
            fail_msg("runs of 25 and %zu in %zu: wrong", len - 26, len);
    }
    ipr_ruleset_free(rs);
}

/* A regex without a literal the parser can find runs on every field,
 * unless its rule declares `keywords:`, which the prefilter then looks for
 * as it would atoms: lowercased, in any case in the field. */
static void test_declared_keywords(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile_parts(
        PACK_HEAD, "  - {id: R-KW, title: t, severity: high, fields: [title], message: m,\n"
                   "     match: {regex: '(?i)\\br[e3]p[l1][i1]c[a4]\\b', keywords: [Rep, r3p]}}\n");
    uint64_t bit = (uint64_t)1 << regex_id(rs, "R-KW"); /* has_atoms: asserted there */
    assert_int_equal(candidates(rs, "a REPLICA bag", 13), bit);
    assert_int_equal(candidates(rs, "a R3PL1CA bag", 13), bit);
    assert_int_equal(candidates(rs, "a rEpl1ca bag", 13), bit);
    assert_int_equal(candidates(rs, "a fake bag", 10), 0);
    ipr_ruleset_free(rs);
}

/* An atom digits must follow ("DE" of an IBAN, two) is a candidate only
 * with the bytes of as many after it: ASCII digits, or bytes of characters
 * beyond ASCII, which may be digits (\d is Unicode's). */
static void test_digit_after(void **state)
{
    (void)state;
    ipr_ruleset *rs =
        must_compile_parts(PACK_HEAD, RULE("R-IBAN", "\\b(?:AT|DE)\\d{2}(?: [A-Z0-9]{4}){3,7}\\b")
                                          RULE("R-PHONE", "(?<![\\d.-])1[3-9]\\d{9}(?![\\d.-])"));
    uint64_t iban = (uint64_t)1 << regex_id(rs, "R-IBAN");
    uint64_t phone = (uint64_t)1 << regex_id(rs, "R-PHONE");
    static const struct field_case cases[] = {
        {"IBAN DE89 3704 0044 0532 0130 00", true},
        {"DE89", true},
        {"x DE8", false}, /* one digit, not two */
        {"DE8\u0669", true},
        {"Made in DE", false},
        {"DE", false},
        {"DE 89", false},
        {"ATX", false},
        {"AT\u0661\u0662", true}, /* Arabic-Indic digits */
        {"AT\u00e9", true},       /* any character beyond ASCII may be a digit */
        {"\u20ac5 DE89", true},   /* in a lowered copy */
        {"\u20ac5 Made in DE", false},
    };
    expect_cases(rs, iban, iban, cases, sizeof(cases) / sizeof(cases[0]));
    assert_int_equal(candidates(rs, "call 13812345678", 16), phone);
    assert_int_equal(candidates(rs, "Price $149.99, 1500 mAh", 23), 0);
    assert_int_equal(candidates(rs, "call 1381234567", 15), 0); /* ten digits */
    ipr_ruleset_free(rs);
}

/* A regex of spaced-out letters has no atom in the field but one in its
 * compact view: letters and digits alone, lowered, KELVIN SIGN and LONG S
 * as k and s (PCRE2 matches them caselessly with those letters). */
static void test_compact_view(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile_parts(
        PACK_HEAD, RULE("R-SPACED", "(?i)\\b(?:g[\\W_]{1,2}u[\\W_]{1,2}c[\\W_]{1,2}c[\\W_]{1,2}i|"
                                    "n[\\W_]{1,2}i[\\W_]{1,2}k[\\W_]{1,2}e)\\b"));
    uint64_t bit = (uint64_t)1 << regex_id(rs, "R-SPACED");
    static const struct field_case cases[] = {
        {"G-U-C-C-I belt", true},
        {"a g.u_c c-i belt", true},
        {"N\u00b7I\u00b7K\u00b7E shoes", true},  /* non-ASCII separators are dropped */
        {"N \u00b7 I \u00b7 K \u00b7 E", false}, /* three characters apart: no match */
        {"n-i-\u212a-e", true},                  /* KELVIN SIGN is a k */
        {"Gu", false},
        {"Gucc", false},
        {"a plain leather belt", false},
        {"g-u-c-c-\u00ec", false}, /* i with a grave accent is not an i */
        {"", false},
        /* in ASCII the letters of a match stand alone, at most two bytes
         * apart: the view is searched only where they do */
        {"a gucci belt", false},
        {"G . U . C . C . I", false}, /* three bytes apart: no match either */
        {"g-u-c-ix", false},
        {"1 g-u-c-c-i", true},
        {"n__i__k__e", true},
        {"\u20ac5, a gucci belt", false}, /* the lowered copy, where characters count once */
        {"\u20ac5, g\u20acu\u20acc\u20acc\u20aci", true}, /* "€" is one character */
    };
    expect_cases(rs, UINT64_MAX, bit, cases, sizeof(cases) / sizeof(cases[0]));
    /* a regex with atoms of its own keeps them; the view is for those without */
    assert_true(rs->prefilter->compact_count == 2);
    ipr_ruleset_free(rs);
    rs = must_compile_parts(PACK_HEAD, RULE("R-OWN", "(?i)\\bg[\\W_]*ucci\\b"));
    assert_int_equal(rs->prefilter->compact_count, 0);
    ipr_ruleset_free(rs);
}

/* Fields made at random of single letters, words and separators: a field
 * the regex of spaced-out letters matches is always a candidate. */
static void test_compact_view_random(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile_parts(
        PACK_HEAD, RULE("R-SPACED", "(?i)\\b(?:g[\\W_]{1,2}u[\\W_]{1,2}c[\\W_]{1,2}c[\\W_]{1,2}i|"
                                    "n[\\W_]{1,2}i[\\W_]{1,2}k[\\W_]{1,2}e)\\b"));
    int id = regex_id(rs, "R-SPACED");
    assert_true(rs->prefilter->spaced_letters == 4 && rs->prefilter->spaced_gap == 2);
    const pcre2_code *code = rs->rules[0].match->re.code;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    assert_non_null(md);
    static const char *const pieces[] = {"g",
                                         "u",
                                         "c",
                                         "i",
                                         "n",
                                         "k",
                                         "e",
                                         "x",
                                         "1",
                                         "_",
                                         "-",
                                         ".",
                                         " ",
                                         "  ",
                                         "--",
                                         " . ",
                                         "gucci",
                                         "nike",
                                         "n-i-k-e",
                                         "G_U_C_C_I",
                                         "n.i.",
                                         "n . i . k",
                                         "k--e ",
                                         "c c i",
                                         "\u00b7",
                                         "\u20ac",
                                         "\u212a",
                                         "\u00e9",
                                         "\u00c9",
                                         "\u017f",
                                         "\u00b7\u00b7",
                                         "n\u00b7i\u00b7k",
                                         "\u20ac\u20ac\u20ac"};
    uint32_t seed = 42;
    size_t matched = 0;
    for (int round = 0; round < 20000; round++) {
        char field[200];
        size_t len = random_text(&seed, pieces, sizeof(pieces) / sizeof(pieces[0]), 16, field);
        bool match = pcre2_match(code, (PCRE2_SPTR)field, len, 0, 0, md, NULL) >= 0;
        matched += match;
        if (match && !(candidates(rs, field, len) >> id & 1))
            fail_msg("'%s': a match, not a candidate", field);
    }
    assert_true(matched > 100); /* the property was put to the test */
    pcre2_match_data_free(md);
    ipr_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atoms_at_every_offset),
        cmocka_unit_test(test_long_atoms_only),
        cmocka_unit_test(test_atom_at_end_of_shortened_field),
        cmocka_unit_test(test_merged_bytes_told_apart),
        cmocka_unit_test(test_atoms_at_word_starts),
        cmocka_unit_test(test_declared_keywords),
        cmocka_unit_test(test_case_sensitive_atoms),
        cmocka_unit_test(test_required_byte),
        cmocka_unit_test(test_alnum_run),
        cmocka_unit_test(test_digit_after),
        cmocka_unit_test(test_compact_view),
        cmocka_unit_test(test_compact_view_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
