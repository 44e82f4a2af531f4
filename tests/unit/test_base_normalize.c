/*
 * test_base_normalize.c - what the normalizer sees through, and where each
 * normalized byte comes from.
 *
 * Every case checks the exact normalized text; cases on multi-byte input
 * also check the exact source span behind it, because findings quote the
 * seller's bytes.  Every result is checked against the map invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "base/limits.h"
#include "base/normalize.h"
#include "random_text.h"

#define ALL NORM_ALL

static int setup(void **state)
{
    struct normalizer *n = NULL;
    if (normalizer_new(&n) != IPR_OK)
        return -1;
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    normalizer_free(*state);
    return 0;
}

/* Non-decreasing maps inside the source, one range per output character,
 * valid UTF-8 out. */
static void check_invariants(const struct norm_text *t, size_t src_len)
{
    assert_int_equal(t->text[t->len], '\0');
    for (size_t i = 0; i < t->len; i++) {
        assert_true(t->src_start[i] < t->src_end[i]);
        assert_true(t->src_end[i] <= src_len);
        if (i > 0) {
            assert_true(t->src_start[i - 1] <= t->src_start[i]);
            assert_true(t->src_end[i - 1] <= t->src_end[i]);
        }
    }
    size_t i = 0;
    while (i < t->len) {
        size_t at = i;
        uint32_t cp = norm_utf8_next(t->text, t->len, &i);
        if (cp == 0xFFFD)
            assert_int_equal(i - at, 3); /* a real U+FFFD, not a bad byte */
        for (size_t k = at + 1; k < i; k++) {
            assert_int_equal(t->src_start[k], t->src_start[at]);
            assert_int_equal(t->src_end[k], t->src_end[at]);
        }
    }
}

static struct norm_text run_len(void **state, const char *s, size_t len, unsigned flags)
{
    struct norm_text t;
    assert_int_equal(normalizer_run(*state, s, len, flags, &t), IPR_OK);
    check_invariants(&t, len);
    return t;
}

static struct norm_text run(void **state, const char *s, unsigned flags)
{
    return run_len(state, s, strlen(s), flags);
}

static void expect(void **state, const char *in, unsigned flags, const char *want)
{
    struct norm_text t = run(state, in, flags);
    assert_string_equal(t.text, want);
    assert_int_equal(t.len, strlen(want));
}

/* The source bytes behind the first occurrence of needle in the result. */
static void expect_source(void **state, const char *in, unsigned flags, const char *needle,
                          const char *want_src)
{
    struct norm_text t = run(state, in, flags);
    const char *hit = strstr(t.text, needle);
    assert_non_null(hit);
    size_t a = (size_t)(hit - t.text);
    size_t sa, sb;
    norm_span_to_source(&t, a, a + strlen(needle), &sa, &sb);
    assert_int_equal(sb - sa, strlen(want_src));
    assert_memory_equal(in + sa, want_src, strlen(want_src));
}

/* The source range of every output byte, as (start, end) pairs. */
static void expect_map(const struct norm_text *t, const uint32_t *pairs, size_t pair_count)
{
    assert_int_equal(t->len, pair_count);
    for (size_t i = 0; i < pair_count; i++) {
        assert_int_equal(t->src_start[i], pairs[2 * i]);
        assert_int_equal(t->src_end[i], pairs[2 * i + 1]);
    }
}

/* ---- ASCII and case ------------------------------------------------------- */

static void test_ascii_fast_path(void **state)
{
    const char *in = "Hello, World 42!";
    struct norm_text t = run(state, in, NORM_FOLD);
    assert_string_equal(t.text, "hello, world 42!");
    for (size_t i = 0; i < t.len; i++) {
        assert_int_equal(t.src_start[i], i);
        assert_int_equal(t.src_end[i], i + 1);
    }
    expect(state, in, 0, in);
    expect(state, "NIKE Air", NORM_FOLD | NORM_CONFUSABLE, "nike air");
    /* ASCII has no confusable mapping: 0 and m are not O and rn */
    expect(state, "m0del", NORM_FOLD | NORM_CONFUSABLE, "m0del");
}

/* The source map of ASCII text is the identity and says so; it stays
 * right when a longer ASCII text, or a non-ASCII one, came in between. */
static void test_ascii_identity_map(void **state)
{
    struct norm_text t = run(state, "Short", NORM_FOLD);
    assert_true(t.identity);
    t = run(state, "Caf\xc3\xa9 au lait", NORM_FOLD); /* not ASCII: a real map */
    assert_false(t.identity);
    assert_string_equal(t.text, "cafe au lait"); /* accents go */
    static const uint32_t cafe[] = {0, 1, 1, 2, 2, 3,  3,  5,  5,  6,  6,  7,
                                    7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13};
    expect_map(&t, cafe, 12);
    t = run(state, "A much longer ASCII text than before", NORM_FOLD);
    assert_true(t.identity);
    assert_string_equal(t.text, "a much longer ascii text than before");
    for (size_t i = 0; i < t.len; i++) {
        assert_int_equal(t.src_start[i], i);
        assert_int_equal(t.src_end[i], i + 1);
    }
    t = run(state, "NIKE", NORM_FOLD | NORM_LEET); /* the slow path: no claim */
    assert_false(t.identity);
}

/* Runs of ASCII around characters that are not: an ASCII letter followed by
 * a combining mark is one segment with it ("e" + U+0301 folds to "e"). */
static void test_ascii_runs_meet_marks(void **state)
{
    const char in[] = "Caf"
                      "e\xcc\x81"
                      " Noir \xe2\x80\x94 Rolex";
    struct norm_text t = run(state, in, NORM_FOLD);
    assert_string_equal(t.text, "cafe noir \xe2\x80\x94 rolex");
    expect_source(state, in, NORM_FOLD, "cafe", "Cafe\xcc\x81");
    expect_source(state, in, NORM_FOLD, "noir", "Noir");
    expect_source(state, in, NORM_FOLD, "rolex", "Rolex");
    expect(state, "ABC\xcc\x81", 0, "ABC\xcc\x81"); /* without folding: as written */
}

static void test_case_folding(void **state)
{
    struct norm_text t = run(state, "Straße", NORM_FOLD);
    assert_string_equal(t.text, "strasse");
    static const uint32_t strasse[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 6, 4, 6, 6, 7};
    expect_map(&t, strasse, 7);

    t = run(state, "İstanbul", NORM_FOLD); /* İ folds to i + dot above, the dot goes */
    assert_string_equal(t.text, "istanbul");
    assert_int_equal(t.src_start[0], 0);
    assert_int_equal(t.src_end[0], 2);

    expect(state, "ΣΑΣ ς", NORM_FOLD, "σασ σ");
    expect(state, "NIKE nike NiKe", NORM_FOLD, "nike nike nike");
}

static void test_nfkc(void **state)
{
    struct norm_text t = run(state, "ＮＩＫＥ", NORM_FOLD);
    assert_string_equal(t.text, "nike");
    static const uint32_t fullwidth[] = {0, 3, 3, 6, 6, 9, 9, 12};
    expect_map(&t, fullwidth, 4);

    t = run(state, "ﬁne", NORM_FOLD);
    assert_string_equal(t.text, "fine");
    static const uint32_t ligature[] = {0, 3, 0, 3, 3, 4, 4, 5};
    expect_map(&t, ligature, 4);

    t = run(state, "①", NORM_FOLD);
    assert_string_equal(t.text, "1");
    static const uint32_t circled[] = {0, 3};
    expect_map(&t, circled, 1);

    t = run(state, "ǆ", NORM_FOLD); /* dž: the caron goes, both letters map to ǆ */
    assert_string_equal(t.text, "dz");
    static const uint32_t digraph[] = {0, 2, 0, 2};
    expect_map(&t, digraph, 2);

    expect(state, "ｶﾞﾝﾀﾞﾑ", NORM_FOLD, "ガンダム"); /* half-width kana */
    expect(state, "\u00a0x\u3000y", NORM_FOLD, " x y");
}

static void test_symbols_that_stay(void **state)
{
    /* NFKC would make these "niketm" and "burt s": the word must stay whole */
    expect(state, "Nike™ shoes", ALL, "nike™ shoes");
    expect(state, "Nike℠", NORM_FOLD, "nike℠");
    expect(state, "Burt´s Bees", NORM_FOLD, "burt´s bees");
    expect(state, "Burt´s Bees", NORM_FOLD | NORM_CONFUSABLE, "burt's bees");
    expect(state, "L’Oréal", NORM_FOLD | NORM_CONFUSABLE, "l'oreal");
}

/* ---- invisible characters and marks ---------------------------------------- */

static void test_invisible_removal(void **state)
{
    const char *zwsp = "N\u200Bike"; /* N, 3 bytes of ZWSP, ike */
    struct norm_text t = run(state, zwsp, NORM_FOLD);
    assert_string_equal(t.text, "nike");
    static const uint32_t skipped[] = {0, 1, 4, 5, 5, 6, 6, 7};
    expect_map(&t, skipped, 4);
    expect_source(state, zwsp, NORM_FOLD, "nike", zwsp);

    expect(state, "N\u200Dike", NORM_FOLD, "nike");       /* ZWJ */
    expect(state, "Ni\u00ADke", NORM_FOLD, "nike");       /* soft hyphen */
    expect(state, "\uFEFFNike", NORM_FOLD, "nike");       /* BOM */
    expect(state, "Ni\u2060ke", NORM_FOLD, "nike");       /* word joiner */
    expect(state, "\u202ENike\u202C", NORM_FOLD, "nike"); /* RLO ... PDF */
    t = run(state, "\u2764\uFE0F", NORM_FOLD);            /* VS16 */
    assert_string_equal(t.text, "\u2764");
    static const uint32_t heart[] = {0, 3, 0, 3, 0, 3};
    expect_map(&t, heart, 3);

    expect(state, "N\u200Bike", 0, "N\u200Bike"); /* only NORM_FOLD removes them */
}

static void test_combining_marks(void **state)
{
    struct norm_text t = run(state, "Hérmes", NORM_FOLD); /* precomposed é */
    assert_string_equal(t.text, "hermes");
    assert_int_equal(t.src_start[1], 1);
    assert_int_equal(t.src_end[1], 3);

    const char *decomposed = "He\u0301rmes";
    t = run(state, decomposed, NORM_FOLD);
    assert_string_equal(t.text, "hermes");
    static const uint32_t hermes[] = {0, 1, 1, 4, 4, 5, 5, 6, 6, 7, 7, 8};
    expect_map(&t, hermes, 6); /* the mark belongs to its e */
    expect_source(state, "Café", NORM_FOLD, "cafe", "Café");
    expect_source(state, "Cafe\u0301!", NORM_FOLD, "cafe", "Cafe\u0301");

    expect(state, "Fjällräven Lancôme Ελλάδα", NORM_FOLD, "fjallraven lancome ελλαδα");
    expect(state, "N\u0336i\u0336k\u0336e\u0336", NORM_FOLD, "nike"); /* strike-through */
    /* marks that spell the word are kept: Devanagari vowel signs, kana voicing */
    expect(state, "नाइकी", NORM_FOLD, "नाइकी");
    expect(state, "\u30AB\u3099", NORM_FOLD, "\u30AC"); /* カ + voicing mark -> ガ */
}

static void test_mark_flood_is_bounded(void **state)
{
    size_t marks = 5000;
    size_t len = 1 + 2 * marks + 1;
    char *in = malloc(len);
    assert_non_null(in);
    in[0] = 'a';
    for (size_t k = 0; k < marks; k++)
        memcpy(in + 1 + 2 * k, "\xcc\x81", 2); /* U+0301 */
    in[len - 1] = 'b';
    struct norm_text t = run_len(state, in, len, NORM_FOLD);
    assert_string_equal(t.text, "ab");
    /* a keeps the marks of its segment; the rest have no base and map nowhere */
    assert_int_equal(t.src_start[0], 0);
    assert_int_equal(t.src_end[0], 1 + 2 * (IPR_NORM_MAX_SEGMENT_CHARS - 1));
    assert_int_equal(t.src_start[1], len - 1);
    free(in);
}

/* ---- confusables --------------------------------------------------------------- */

static void test_confusables(void **state)
{
    unsigned f = NORM_FOLD | NORM_CONFUSABLE;
    expect(state, "аеоіср", f, "aeoicp"); /* Cyrillic */
    expect(state, "ο Α", f, "o a");       /* Greek omicron, capital alpha */

    struct norm_text t = run(state, "Nіke", f); /* Cyrillic і, 2 bytes */
    assert_string_equal(t.text, "nike");
    static const uint32_t nike[] = {0, 1, 1, 3, 3, 4, 4, 5};
    expect_map(&t, nike, 4);

    t = run(state, "𝐍𝐢𝐤𝐞", f); /* mathematical bold, 4 bytes each */
    assert_string_equal(t.text, "nike");
    static const uint32_t bold[] = {0, 4, 4, 8, 8, 12, 12, 16};
    expect_map(&t, bold, 4);

    expect(state, "Ꭺdіdаs ∪ Røde", f, "adidas u rode"); /* Cherokee, ∪, ø */
    expect(state, "BeautyLu×", f, "beautylux");
    expect(state, "Аdidas ∪GG", f, "adidas ugg"); /* Cyrillic А, union sign */
    expect_source(state, "Buy Ρrаdа bag", f, "prada", "Ρrаdа");

    /* without the flag the look-alikes stay */
    expect(state, "Nіke", NORM_FOLD, "n\u0456ke");
    /* scripts that do not imitate Latin pass through */
    expect(state, "ナイキ 一 삼성 ا", f, "ナイキ 一 삼성 ا");
}

/* ---- leet ------------------------------------------------------------------------- */

static void test_leet(void **state)
{
    unsigned f = NORM_FOLD | NORM_LEET;
    expect(state, "N1ke", f, "nike");
    expect(state, "Ad1das", f, "adidas");
    expect(state, "Ch@nel", f, "chanel");
    expect(state, "L0uis Vuitt0n", f, "louis vuitton");
    expect(state, "PRIM3 AMAZ0N 5hirt Gu$$i C|ub", f, "prime amazon 5hirt gussi club");
    expect(state, "2024", f, "2024");
    expect(state, "1:1", f, "1:1");
    expect(state, "$20 10ml 3M 4K", f, "$20 10ml 3m 4k"); /* quantities and units */
    expect(state, "Nike! @nike", f, "nike! @nike");       /* punctuation at the ends */
    expect(state, "N1ke", NORM_FOLD, "n1ke");
    expect(state, "耐克1号 Ν1κε", f, "耐克1号 νiκε"); /* Han digits stay; Greek is leet */

    const char *in = "Ｃｈ＠ｎｅｌ"; /* full-width, leet after folding */
    expect_source(state, in, f, "chanel", in);
}

/* ---- separators --------------------------------------------------------------------- */

static void test_separators(void **state)
{
    unsigned f = NORM_FOLD | NORM_SEPARATORS;
    struct norm_text t = run(state, "G-U-C-C-I", f);
    assert_string_equal(t.text, "gucci");
    static const uint32_t gucci[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    expect_map(&t, gucci, 5);
    size_t sa, sb;
    norm_span_to_source(&t, 0, 5, &sa, &sb);
    assert_int_equal(sa, 0);
    assert_int_equal(sb, 9);

    expect(state, "G.u.c.c.i", f, "gucci");
    expect(state, "R O L E X watch", f, "rolex watch");
    expect(state, "P_r_a_d_a", f, "prada");
    expect(state, "G - U - C - C - I", f, "gucci");
    expect(state, "R   O   L   E   X", f, "rolex");
    expect(state, "A    B    C", f, "a    b    c"); /* too far apart to be one word */
    expect(state, "C*H*A*N*E*L and D/I/O/R", f, "chanel and dior");
    expect(state, "G·U·C·C·I • P•R•A•D•A", f, "gucci • prada");
    expect(state, "Ｇ－Ｕ－Ｃ－Ｃ－Ｉ", f, "gucci");

    expect(state, "a b test", f, "a b test");
    expect(state, "Wi-Fi", f, "wi-fi");
    expect(state, "1 2 3 4", f, "1 2 3 4");
    expect(state, "v1.2.3", f, "v1.2.3");
    expect(state, "G-U.C_C", f, "g-u.c_c"); /* the separator must not change */
    expect(state, "G-U.C-C-I", f, "g-u.cci");
    expect(state, "G-U-C-C-I", NORM_FOLD, "g-u-c-c-i");

    /* spaced-out leet collapses first, then folds */
    expect(state, "R 0 L E X", f | NORM_LEET, "rolex");
    expect(state, "G-U-C-C-1", f | NORM_LEET, "gucci");
    expect(state, "C H @ N E L", f | NORM_LEET, "chanel");
}

/* ---- which obfuscation views differ from the skeleton ------------------------------------ */

/* normalizer_obfuscation on in's confusable skeleton, and what the views
 * made from it say: a view it calls unchanged must be byte for byte the
 * text it would be made from, its offset map included, and one it calls
 * changed must differ. */
static char *copy_text(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    assert_non_null(c);
    memcpy(c, s, len + 1);
    return c;
}

static void expect_obfuscation(void **state, const char *in, bool want_collapses, bool want_folds)
{
    const unsigned skeleton_flags = NORM_FOLD | NORM_CONFUSABLE;
    struct norm_text t = run(state, in, skeleton_flags);
    size_t len = t.len;
    char *skeleton = copy_text(t.text, len);
    uint32_t *starts = malloc((len + 1) * sizeof(uint32_t));
    assert_non_null(starts);
    memcpy(starts, t.src_start, len * sizeof(uint32_t));
    bool collapses = !want_collapses, folds = !want_folds;
    assert_int_equal(normalizer_obfuscation(*state, skeleton, len, &collapses, &folds), IPR_OK);
    bool leet_folds = !folds;
    assert_int_equal(normalizer_leet_folds(*state, skeleton, len, &leet_folds), IPR_OK);
    assert_int_equal(leet_folds, folds); /* the same answer, from the tokens alone */
    if (collapses != want_collapses || folds != want_folds)
        fail_msg("'%s': collapses %d folds %d, expected %d %d", in, collapses, folds,
                 want_collapses, want_folds);
    struct norm_text leet = run(state, in, skeleton_flags | NORM_LEET);
    char *leet_text = copy_text(leet.text, leet.len);
    if (!folds) {
        assert_string_equal(leet.text, skeleton);
        assert_memory_equal(leet.src_start, starts, len * sizeof(uint32_t));
    } else {
        assert_string_not_equal(leet.text, skeleton);
    }
    struct norm_text all = run(state, in, NORM_ALL);
    if (!collapses)
        assert_string_equal(all.text, leet_text);
    else
        assert_string_not_equal(all.text, leet_text);
    free(leet_text);
    free(starts);
    free(skeleton);
}

static void test_obfuscation_views(void **state)
{
    expect_obfuscation(state, "Soft cotton tee, size M", false, false);
    expect_obfuscation(state, "N1ke running shoes", false, true);
    expect_obfuscation(state, "G-U-C-C-I belt", true, false);
    expect_obfuscation(state, "R 0 L E X watch", true, false); /* the 0 is a single: no fold */
    expect_obfuscation(state, "C H @ N E L and ad1das", true, true);
    expect_obfuscation(state, "$20 10ml 3M 4K, 1:1", false, false); /* quantities stay */
    expect_obfuscation(state, "PS5 controller", false, true);
    expect_obfuscation(state, "3 x 4 cm", true, false);
    expect_obfuscation(state, "1 2 3 4", false, false); /* numbers, no letter: kept */
    /* the "@" ends the run "3 0 @" and so starts no other: "@-Q-C" stays */
    expect_obfuscation(state, "3 0 @-Q-C", false, false);
    expect_obfuscation(state, "Ｇ－Ｕ－Ｃ－Ｃ－Ｉ", true, false);
    expect_obfuscation(state, "Ｃｈ＠ｎｅｌ bag", false, true);
    expect_obfuscation(state, "Café crème — 100% coton", false, false);
    expect_obfuscation(state, "耐克1号 Ν1κε", false, true);
    expect_obfuscation(state, "", false, false);
}

/* The same on text made at random from the characters the two questions
 * turn on: letters of several scripts, leet digits and symbols,
 * separators, other punctuation; each answer must agree with the views
 * themselves, whatever they are. */
static void test_obfuscation_views_random(void **state)
{
    static const char *const pieces[] = {"a",
                                         "B",
                                         "x",
                                         "k",
                                         "1",
                                         "0",
                                         "3",
                                         "7",
                                         "9",
                                         "@",
                                         "$",
                                         "!",
                                         "|",
                                         " ",
                                         " ",
                                         "-",
                                         ".",
                                         "_",
                                         "/",
                                         "*",
                                         ",",
                                         ":",
                                         "\xC3\xA9",
                                         "\xD0\x96",
                                         "\xD0\xB6",
                                         "\xE8\x80\x90",
                                         "\xCE\x9D",
                                         "\xC2\xB7",
                                         "\xC2\xA2",
                                         "\xE2\x80\xA2",
                                         "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80"};
    const size_t n_pieces = sizeof(pieces) / sizeof(pieces[0]);
    uint32_t seed = 2026;
    char in[128];
    for (int round = 0; round < 10000; round++) {
        random_text(&seed, pieces, n_pieces, 20, in);
        struct norm_text t = run(state, in, NORM_FOLD | NORM_CONFUSABLE);
        char *skeleton = copy_text(t.text, t.len);
        /* the skeleton is written straight out, the leet view through the
         * code points: where they agree, their maps must too */
        uint32_t *starts = malloc((t.len + 1) * sizeof(uint32_t));
        uint32_t *ends = malloc((t.len + 1) * sizeof(uint32_t));
        assert_non_null(starts);
        assert_non_null(ends);
        memcpy(starts, t.src_start, t.len * sizeof(uint32_t));
        memcpy(ends, t.src_end, t.len * sizeof(uint32_t));
        bool collapses, folds;
        assert_int_equal(normalizer_obfuscation(*state, skeleton, t.len, &collapses, &folds),
                         IPR_OK);
        bool leet_folds = !folds;
        assert_int_equal(normalizer_leet_folds(*state, skeleton, t.len, &leet_folds), IPR_OK);
        if (leet_folds != folds)
            fail_msg("'%s': folds %d, but from its tokens %d", in, folds, leet_folds);
        struct norm_text leet = run(state, in, NORM_FOLD | NORM_CONFUSABLE | NORM_LEET);
        char *leet_text = copy_text(leet.text, leet.len);
        if (folds != (strcmp(leet_text, skeleton) != 0))
            fail_msg("'%s': folds %d, but the leet view is '%s'", in, folds, leet_text);
        if (!folds) {
            assert_memory_equal(leet.src_start, starts, t.len * sizeof(uint32_t));
            assert_memory_equal(leet.src_end, ends, t.len * sizeof(uint32_t));
        }
        free(starts);
        free(ends);
        struct norm_text all = run(state, in, NORM_ALL);
        if (collapses != (strcmp(all.text, leet_text) != 0))
            fail_msg("'%s': collapses %d, but the full view is '%s'", in, collapses, all.text);
        free(leet_text);
        free(skeleton);
    }
}

/* ---- the quick look for letters spaced out ---------------------------------------------- */

/* norm_may_collapse on in's confusable skeleton; it must not say no where
 * normalizer_obfuscation says the text collapses. */
static bool may_collapse(void **state, const char *in)
{
    struct norm_text t = run(state, in, NORM_FOLD | NORM_CONFUSABLE);
    char *skeleton = copy_text(t.text, t.len);
    bool may = norm_may_collapse(skeleton, t.len);
    bool collapses, folds;
    assert_int_equal(normalizer_obfuscation(*state, skeleton, t.len, &collapses, &folds), IPR_OK);
    if (collapses && !may)
        fail_msg("'%s' (skeleton '%s') collapses, but the quick look says no", in, skeleton);
    free(skeleton);
    return may;
}

static void test_may_collapse(void **state)
{
    /* runs of every separator length, ASCII or not */
    assert_true(may_collapse(state, "S-O-N-Y headphones"));
    assert_true(may_collapse(state, "S--O--N--Y headphones"));
    assert_true(may_collapse(state, "S. O. N. Y headphones"));
    assert_true(may_collapse(state, "new G - U - C - C - I"));
    assert_true(may_collapse(state, "x a_b_c"));
    assert_true(may_collapse(state, "\xD0\x96-\xD0\x96-\xD0\x96")); /* Ж-Ж-Ж */
    assert_true(may_collapse(state, "a\xC2\xB7"
                                    "b\xC2\xB7"
                                    "c")); /* a·b·c */
    assert_true(may_collapse(state, "\xEF\xBC\xA7\xEF\xBC\x8D\xEF\xBC\xB5\xEF\xBC\x8D"
                                    "\xEF\xBC\xA3")); /* Ｇ－Ｕ－Ｃ */
    assert_true(may_collapse(state, "C H @ N E L"));
    /* ordinary text */
    assert_false(may_collapse(state, ""));
    assert_false(may_collapse(state, "a-b"));
    assert_false(may_collapse(state, "Soft cotton tee, size M"));
    assert_false(may_collapse(state, "It is a set of two in a box"));
    assert_false(may_collapse(state, "Price \xE2\x82\xAC"
                                     "16.41 incl. VAT. Assembled in minutes."));
    assert_false(may_collapse(state, "<p>Stackable to save space.</p><p>Ideal as a gift.</p>"));
}

/* Text made at random of units, separators of one to three characters,
 * ASCII and not, and other characters: a text that collapses is never
 * passed over, at any length and offset (the look goes 64 bytes at a
 * time). */
static void test_may_collapse_random(void **state)
{
    static const char *const pieces[] = {"a",
                                         "B",
                                         "x",
                                         "1",
                                         "0",
                                         "@",
                                         "$",
                                         "|",
                                         " ",
                                         " ",
                                         "-",
                                         ".",
                                         "_",
                                         "*",
                                         "/",
                                         ",",
                                         ":",
                                         "word",
                                         "ab",
                                         "  ",
                                         "--",
                                         ". ",
                                         " - ",
                                         "\xC3\xA9",
                                         "\xD0\x96",
                                         "\xE8\x80\x90",
                                         "\xC2\xB7",
                                         "\xE2\x80\xA2",
                                         "\xE2\x82\xAC",
                                         "\xC2\xA2",
                                         "\xEF\xBC\x8D",
                                         "\xF0\x9F\x98\x80"};
    const size_t n_pieces = sizeof(pieces) / sizeof(pieces[0]);
    uint32_t seed = 7;
    char in[256];
    size_t said_yes = 0;
    for (int round = 0; round < 20000; round++) {
        random_text(&seed, pieces, n_pieces, 60, in);
        said_yes += may_collapse(state, in);
    }
    assert_true(said_yes > 1000 && said_yes < 19000); /* both answers were given */
    /* a run at every offset, across the edges of the 64-byte blocks */
    for (size_t at = 1; at < 140; at++) {
        for (size_t sep = 1; sep <= 3; sep++) {
            memset(in, 'q', at);
            in[at - 1] = ' ';
            size_t len = at;
            for (const char *u = "abc"; *u; u++) {
                in[len++] = *u;
                if (u[1])
                    for (size_t k = 0; k < sep; k++)
                        in[len++] = "-. "[k];
            }
            in[len] = '\0';
            if (!may_collapse(state, in))
                fail_msg("a run of separators of %zu at %zu: passed over", sep, at);
        }
    }
}

/* ---- when the confusable skeleton is the folded text ------------------------------------ */

/* normalizer_skeleton_same on in's folded text: when it says same, the
 * skeleton must be that text byte for byte, both maps included; when it
 * says not, the skeleton must differ. */
static bool skeleton_same(void **state, const char *in)
{
    struct norm_text t = run(state, in, NORM_FOLD);
    size_t len = t.len;
    char *folded = copy_text(t.text, len);
    uint32_t *starts = malloc((len + 1) * sizeof(uint32_t));
    uint32_t *ends = malloc((len + 1) * sizeof(uint32_t));
    assert_non_null(starts);
    assert_non_null(ends);
    memcpy(starts, t.src_start, len * sizeof(uint32_t));
    memcpy(ends, t.src_end, len * sizeof(uint32_t));
    bool same = false;
    assert_int_equal(normalizer_skeleton_same(*state, folded, len, &same), IPR_OK);
    struct norm_text skeleton = run(state, in, NORM_FOLD | NORM_CONFUSABLE);
    if (same) {
        if (skeleton.len != len || memcmp(skeleton.text, folded, len) != 0)
            fail_msg("'%s': called the same, but the skeleton is '%s', the folded text '%s'", in,
                     skeleton.text, folded);
        assert_memory_equal(skeleton.src_start, starts, len * sizeof(uint32_t));
        assert_memory_equal(skeleton.src_end, ends, len * sizeof(uint32_t));
    } else if (skeleton.len == len && memcmp(skeleton.text, folded, len) == 0) {
        fail_msg("'%s': called different, but the skeleton is the folded text '%s'", in, folded);
    }
    free(ends);
    free(starts);
    free(folded);
    return same;
}

static void test_skeleton_same(void **state)
{
    assert_true(skeleton_same(state, ""));
    assert_true(skeleton_same(state, "Soft cotton tee, size M"));
    assert_true(skeleton_same(state, "Price \xE2\x82\xAC"
                                     "16.41 incl. VAT, or \xC2\xA3"
                                     "14")); /* € £ */
    assert_true(skeleton_same(state, "Caf\xC3\xA9 cr\xC3\xA8me f\xC3\xBCr Stra\xC3\x9F"
                                     "e")); /* folded to ASCII */
    assert_true(skeleton_same(
        state, "\xE8\x80\x90\xE5\x85\x8B \xE3\x83\x8A\xE3\x82\xA4\xE3\x82\xAD")); /* 耐克 ナイキ */
    assert_true(skeleton_same(state, "Nike\xE2\x84\xA2 shoes")); /* ™ keeps its form */
    assert_true(skeleton_same(state, "bad \xFF byte"));          /* U+FFFD for it */
    /* a look-alike letter of another script becomes the Latin one */
    assert_false(skeleton_same(state, "N\xD1\x96ke shoes")); /* Cyrillic і */
    assert_false(skeleton_same(state, "G\xCE\xBF"
                                      "cci belt"));                                 /* Greek ο */
    assert_false(skeleton_same(state, "\xD0\xBE\xD1\x87\xD0\xB5\xD0\xBD\xD1\x8C")); /* очень */
    assert_false(skeleton_same(state, "price \xE2\x82\xAC"
                                      "5, Ad\xD1\x96"
                                      "das")); /* one is enough */
    assert_false(skeleton_same(state, "Price \xC2\xA5"
                                      "2480")); /* ¥ stands for a Y */
}

/* The same on text made at random from ASCII, symbols, accented and
 * look-alike letters and CJK: whatever it answers must hold. */
static void test_skeleton_same_random(void **state)
{
    static const char *const pieces[] = {"a",
                                         "B",
                                         "0",
                                         "1",
                                         " ",
                                         "-",
                                         ".",
                                         "\xC3\xA9",
                                         "\xC3\x9F",
                                         "\xD0\x96",
                                         "\xD0\xBE",
                                         "\xD1\x96",
                                         "\xCE\xBF",
                                         "\xCE\x9D",
                                         "\xC2\xB7",
                                         "\xC2\xA2",
                                         "\xE2\x82\xAC",
                                         "\xE2\x84\xA2",
                                         "\xE8\x80\x90",
                                         "\xEF\xBD\x87",
                                         "\xCC\x81",
                                         "\xFF"};
    const size_t n_pieces = sizeof(pieces) / sizeof(pieces[0]);
    uint32_t seed = 2611;
    char in[128];
    size_t same = 0;
    for (int round = 0; round < 5000; round++) {
        random_text(&seed, pieces, n_pieces, 16, in);
        same += skeleton_same(state, in);
    }
    /* both answers were put to the test */
    assert_true(same > 500 && same < 4500);
}

/* ---- scripts without spaces ------------------------------------------------------------ */

static void test_cjk_passes_through(void **state)
{
    struct norm_text t = run(state, "耐克", ALL);
    assert_string_equal(t.text, "耐克");
    static const uint32_t naike[] = {0, 3, 0, 3, 0, 3, 3, 6, 3, 6, 3, 6};
    expect_map(&t, naike, 6);

    t = run(state, "ナイキ", ALL);
    assert_string_equal(t.text, "ナイキ");
    for (size_t i = 0; i < t.len; i++) {
        assert_int_equal(t.src_start[i], i / 3 * 3);
        assert_int_equal(t.src_end[i], i / 3 * 3 + 3);
    }
    expect_source(state, "正品耐克鞋 Nike", ALL, "耐克", "耐克");
    expect(state, "ร้านค้า 가방", ALL, "ร้านค้า 가방");
}

static void test_character_classes(void **state)
{
    (void)state;
    assert_true(norm_is_word_char('a'));
    assert_true(norm_is_word_char('Z'));
    assert_true(norm_is_word_char('7'));
    assert_true(norm_is_word_char(0x00E9)); /* é */
    assert_true(norm_is_word_char(0x0434)); /* д */
    assert_true(norm_is_word_char(0x8010)); /* 耐 */
    assert_true(norm_is_word_char(0x0301)); /* combining acute */
    assert_true(norm_is_word_char(0x0E49)); /* Thai tone mark */
    assert_false(norm_is_word_char('_'));
    assert_false(norm_is_word_char(' '));
    assert_false(norm_is_word_char('-'));
    assert_false(norm_is_word_char(0x3001)); /* 、 */
    assert_false(norm_is_word_char(0x2122)); /* ™ */
    assert_false(norm_is_word_char(0x110000));

    assert_true(norm_is_cjk(0x8010)); /* 耐 */
    assert_true(norm_is_cjk(0x30CA)); /* ナ */
    assert_true(norm_is_cjk(0x3072)); /* ひ */
    assert_true(norm_is_cjk(0x30FC)); /* ー, Common with kana extensions */
    assert_true(norm_is_cjk(0xAC00)); /* 가 */
    assert_true(norm_is_cjk(0x0E01)); /* ก */
    assert_false(norm_is_cjk('a'));
    assert_false(norm_is_cjk(0x00E9)); /* é */
    assert_false(norm_is_cjk(0x0434)); /* д */
    assert_false(norm_is_cjk(0x3001)); /* 、 is punctuation */
    assert_false(norm_is_cjk(0xFF2E)); /* Ｎ */
}

/* ---- invalid input, empty input, limits ------------------------------------------------ */

static void test_utf8_decoder(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
        uint32_t cp;
        size_t used;
    } cases[] = {
        {"A", 1, 'A', 1},
        {"\xc3\xa9", 2, 0xE9, 2},
        {"\xe8\x80\x90", 3, 0x8010, 3},
        {"\xf0\x9f\x98\x80", 4, 0x1F600, 4},
        {"\xff", 1, 0xFFFD, 1},
        {"\x80", 1, 0xFFFD, 1},             /* lone continuation */
        {"\xc0\xaf", 2, 0xFFFD, 1},         /* overlong / */
        {"\xe0\x80\xaf", 3, 0xFFFD, 1},     /* overlong / */
        {"\xed\xa0\x80", 3, 0xFFFD, 1},     /* surrogate D800 */
        {"\xf4\x90\x80\x80", 4, 0xFFFD, 1}, /* past U+10FFFF */
        {"\xe8\x80", 2, 0xFFFD, 1},         /* truncated */
        {"\xc3"
         "A",
         2, 0xFFFD, 1}, /* bad continuation */
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        size_t i = 0;
        assert_int_equal(norm_utf8_next(cases[k].s, cases[k].len, &i), cases[k].cp);
        assert_int_equal(i, cases[k].used);
    }
}

static void test_invalid_utf8(void **state)
{
    const char in[] = "N\xff"
                      "ke \xe8\x80 ok";
    struct norm_text t = run_len(state, in, sizeof(in) - 1, ALL);
    assert_string_equal(t.text, "n\uFFFDke \uFFFD\uFFFD ok");
    static const uint32_t map[] = {0, 1, 1, 2, 1, 2, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
                                   5, 6, 5, 6, 6, 7, 6, 7, 6, 7, 7, 8, 8, 9, 9, 10};
    expect_map(&t, map, 16);
    expect(state, "\xff", 0, "\uFFFD");
}

static void test_empty_input(void **state)
{
    struct norm_text t;
    const unsigned flag_sets[] = {0, NORM_FOLD, ALL};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(normalizer_run(*state, "", 0, flag_sets[k], &t), IPR_OK);
        assert_int_equal(t.len, 0);
        assert_string_equal(t.text, "");
        assert_int_equal(normalizer_run(*state, NULL, 0, flag_sets[k], &t), IPR_OK);
        assert_int_equal(t.len, 0);
    }
    expect(state, "\u200B\uFEFF", ALL, ""); /* nothing but removed characters */
    assert_int_equal(normalizer_run(*state, NULL, 3, NORM_FOLD, &t), IPR_EINVAL);
}

static void test_field_size_limit(void **state)
{
    const char unit[] = "N\u0456ke G-U-C-C-I \u2602 "; /* 1 + 2 + 13 + 3 + 1 bytes */
    size_t unit_len = sizeof(unit) - 1;
    size_t len = IPR_INPUT_MAX_FIELD_BYTES_CEILING;
    char *in = malloc(len + 1);
    assert_non_null(in);
    size_t at = 0;
    while (at + unit_len <= len) {
        memcpy(in + at, unit, unit_len);
        at += unit_len;
    }
    memset(in + at, 'x', len + 1 - at);

    struct norm_text t = run_len(state, in, len, ALL);
    const char *want = "nike gucci \u2602 nike gucci";
    assert_memory_equal(t.text, want, strlen(want));
    assert_int_equal(t.src_end[t.len - 1], len);
    assert_int_equal(t.text[t.len - 1], 'x');

    assert_int_equal(normalizer_run(*state, in, len + 1, ALL, &t), IPR_ELIMIT);
    memset(in, 'A', len + 1); /* the ASCII fast path has the same limit */
    assert_int_equal(normalizer_run(*state, in, len + 1, NORM_FOLD, &t), IPR_ELIMIT);
    t = run_len(state, in, len, NORM_FOLD);
    assert_int_equal(t.len, len);
    assert_int_equal(t.text[len - 1], 'a');
    free(in);
}

/* The largest field there may be, whose result passes IPR_NORM_MAX_OUTPUT_BYTES. */
static void expect_expansion_limit(void **state, const char *ch)
{
    size_t ch_len = strlen(ch);
    size_t count = IPR_INPUT_MAX_FIELD_BYTES_CEILING / ch_len;
    char *in = malloc(count * ch_len);
    assert_non_null(in);
    for (size_t k = 0; k < count; k++)
        memcpy(in + ch_len * k, ch, ch_len);
    struct norm_text t;
    assert_int_equal(normalizer_run(*state, in, count * ch_len, NORM_FOLD, &t), IPR_ELIMIT);
    free(in);
}

static void test_expansion_limit(void **state)
{
    /* ㌖ is 3 bytes and folds to キロメートル, 6 characters in 18 bytes: the
     * text passes the limit before the character count does */
    expect_expansion_limit(state, "㌖");
    /* ﷺ folds to 18 characters: the character count passes it first */
    expect_expansion_limit(state, "ﷺ");
    struct norm_text t = run(state, "ﷺ", NORM_FOLD); /* one is fine */
    assert_true(t.len > 30);
    assert_int_equal(t.src_end[t.len - 1], 3);
}

/* ---- spans, one per class ------------------------------------------------------------------ */

static void test_span_mapping(void **state)
{
    expect_source(state, "ｂｕｙ Ｎ1ｋｅ now", ALL, "nike", "Ｎ1ｋｅ");
    expect_source(state, "Real G-U-C-C-I bag", ALL, "gucci", "G-U-C-C-I");
    expect_source(state, "new Nіke shoes", ALL, "nike", "Nіke");
    expect_source(state, "the N\u200Bike logo", ALL, "nike", "N\u200Bike");
    expect_source(state, "Ch@nel No5", ALL, "chanel", "Ch@nel");
    expect_source(state, "𝐍𝐢𝐤𝐞 Air", ALL, "nike", "𝐍𝐢𝐤𝐞");
    expect_source(state, "Straße", NORM_FOLD, "ss", "ß");
    expect_source(state, "ﬁne", NORM_FOLD, "i", "ﬁ");
    expect_source(state, "Hermès bag", ALL, "hermes", "Hermès");

    /* empty spans stay where they stand */
    struct norm_text t = run(state, "aé", NORM_FOLD);
    size_t sa, sb;
    norm_span_to_source(&t, 1, 1, &sa, &sb);
    assert_int_equal(sa, 1);
    assert_int_equal(sb, 1);
    norm_span_to_source(&t, 2, 2, &sa, &sb);
    assert_int_equal(sa, 3);
    assert_int_equal(sb, 3);
}

/* ---- one function for terms and text ----------------------------------------------------------
 */

static void test_every_disguise_meets_its_mark(void **state)
{
    static const char *const nike[] = {
        "N1ke",    "NIKE",    "Ｎｉｋｅ", "Nіke", "N\u200Bike",
        "N I K E", "N.I.K.E", "𝐍𝐢𝐤𝐞",     "ℕ𝕚𝕜𝕖", "ⓃⒾⓀⒺ",
    };
    for (size_t k = 0; k < sizeof(nike) / sizeof(nike[0]); k++)
        expect(state, nike[k], ALL, "nike");
    expect(state, "Ad1das", ALL, "adidas");
    expect(state, "Ch@nel", ALL, "chanel");
    expect(state, "L0uis Vuitt0n", ALL, "louis vuitton");
    expect(state, "P_r_a_d_a", ALL, "prada");
    expect(state, "R O L E X", ALL, "rolex");
}

static void test_reuse_across_flags(void **state)
{
    /* the per-character cache must not leak results between flag sets */
    for (int round = 0; round < 2; round++) {
        expect(state, "Nіke Ꭺ", NORM_FOLD, "n\u0456ke \u13AA"); /* Cherokee folds to upper */
        expect(state, "Nіke Ꭺ", NORM_FOLD | NORM_CONFUSABLE, "nike a");
        expect(state, "Nіke Ꭺ", NORM_CONFUSABLE, "Nike a");
        expect(state, "Nіke Ꭺ", 0, "Nіke Ꭺ");
    }
}

/* ---- real data
 * ------------------------------------------------------------------------------------ */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, used = 0;
    char *data = malloc(cap);
    while (data) {
        used += fread(data + used, 1, cap - used, f);
        if (used < cap)
            break;
        char *p = realloc(data, cap * 2);
        if (!p) {
            free(data);
            data = NULL;
        } else {
            data = p;
            cap *= 2;
        }
    }
    fclose(f);
    *len = used;
    return data;
}

/* The look-alike brands of the labelled counterfeit table normalize to
 * their canonical brand; misspellings (TechCrop) are not normalization's
 * job and stay different. */
static void test_real_lookalike_brands(void **state)
{
    size_t len;
    char *csv = read_file(IPR_SHARED_DATA "/counterfeit-synthetic/counterfeit_products.csv", &len);
    if (!csv)
        skip();
    static const char *const pairs[][2] = {
        {"GlamourC0", "GlamourCo"},     {"DigitalPr0", "DigitalPro"}, {"BeautyLu×", "BeautyLux"},
        {"NaturalGl0w", "NaturalGlow"}, {"PureSk1n", "PureSkin"},
    };
    size_t seen[5] = {0};
    char canon[64];
    size_t line = 0, at = 0;
    while (at < len) {
        size_t end = at;
        while (end < len && csv[end] != '\n')
            end++;
        /* the fourth column is the brand */
        size_t col = 0, f0 = at;
        for (size_t i = at; i < end && col < 3; i++)
            if (csv[i] == ',' && ++col == 3)
                f0 = i + 1;
        size_t f1 = f0;
        while (f1 < end && csv[f1] != ',')
            f1++;
        for (size_t p = 0; line > 0 && p < 5; p++) {
            if (f1 - f0 != strlen(pairs[p][0]) || memcmp(csv + f0, pairs[p][0], f1 - f0) != 0)
                continue;
            struct norm_text t = run(state, pairs[p][1], ALL);
            assert_true(t.len < sizeof(canon));
            memcpy(canon, t.text, t.len + 1);
            t = run_len(state, csv + f0, f1 - f0, ALL);
            assert_string_equal(t.text, canon);
            seen[p]++;
        }
        line++;
        at = end + 1;
    }
    free(csv);
    assert_int_equal(line, 5001);
    for (size_t p = 0; p < 5; p++)
        assert_true(seen[p] > 50);
    struct norm_text t = run(state, "TechCrop", ALL);
    assert_string_equal(t.text, "techcrop");
}

/* Brand names in many scripts keep every map invariant under every flag set,
 * and the diacritics of real names fold away. */
static void test_real_brand_names(void **state)
{
    static const char *const files[] = {"shop_clothes.json", "shop_watches.json",
                                        "shop_cosmetics.json", "shop_mobile_phone.json"};
    const unsigned flag_sets[] = {0, NORM_FOLD, NORM_FOLD | NORM_CONFUSABLE, ALL};
    size_t lines = 0;
    for (size_t fi = 0; fi < sizeof(files) / sizeof(files[0]); fi++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/nsi-brands/%s", IPR_SHARED_DATA, files[fi]);
        size_t len;
        char *json = read_file(path, &len);
        if (!json)
            skip();
        size_t at = 0;
        while (at < len) {
            size_t end = at;
            while (end < len && json[end] != '\n')
                end++;
            for (size_t k = 0; k < 4; k++)
                run_len(state, json + at, end - at, flag_sets[k]);
            lines++;
            at = end + 1;
        }
        free(json);
    }
    assert_true(lines > 10000);
    expect(state, "A. Lange & Söhne", ALL, "a. lange & sohne");
}

/* The letters told without ICU are what ICU says they are: for every
 * code point of the Basic Multilingual Plane that norm_common_letter
 * places, a letter (so a word character and no mark) of a Latin, Greek or
 * Cyrillic script, or of one written without spaces; and norm_is_word_char
 * and norm_is_cjk answer for them as ICU's tables do. */
static void test_common_letters_agree_with_icu(void **state)
{
    (void)state;
    size_t lgc = 0, spaceless = 0;
    for (uint32_t cp = 0x80; cp <= 0xFFFF; cp++) {
        enum norm_letter kind = norm_common_letter(cp);
        if (kind == NORM_LETTER_OTHER)
            continue;
        UErrorCode err = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript((UChar32)cp, &err);
        bool latin_like = sc == USCRIPT_LATIN || sc == USCRIPT_GREEK || sc == USCRIPT_CYRILLIC;
        bool no_spaces = uscript_hasScript((UChar32)cp, USCRIPT_HAN) ||
                         uscript_hasScript((UChar32)cp, USCRIPT_HIRAGANA) ||
                         uscript_hasScript((UChar32)cp, USCRIPT_KATAKANA) ||
                         uscript_hasScript((UChar32)cp, USCRIPT_HANGUL);
        if (!u_isalpha((UChar32)cp) || !u_isalnum((UChar32)cp) ||
            (U_GET_GC_MASK((UChar32)cp) & U_GC_M_MASK) || U_FAILURE(err) ||
            (kind == NORM_LETTER_LGC ? !latin_like || no_spaces : latin_like || !no_spaces))
            fail_msg("U+%04X is not the letter norm_common_letter says", (unsigned)cp);
        assert_true(norm_is_word_char(cp));
        assert_int_equal(norm_is_cjk(cp), kind == NORM_LETTER_SPACELESS);
        lgc += kind == NORM_LETTER_LGC;
        spaceless += kind == NORM_LETTER_SPACELESS;
    }
    /* the ranges as documented: Latin-1 to Latin Extended-B less two
     * signs, basic Greek, Cyrillic less its signs and marks; Han, kana,
     * Hangul syllables */
    assert_int_equal(lgc,
                     (0x24F - 0xC0 + 1 - 2) + (0x3C9 - 0x391 + 1 - 8) + (0x4FF - 0x400 + 1 - 8));
    assert_int_equal(spaceless, (0x9FFF - 0x4E00 + 1) + (0xD7A3 - 0xAC00 + 1) +
                                    (0x3096 - 0x3041 + 1) + (0x30FA - 0x30A1 + 1));
    assert_int_equal(norm_common_letter(0xD7), NORM_LETTER_OTHER);   /* × */
    assert_int_equal(norm_common_letter(0x0482), NORM_LETTER_OTHER); /* ҂ */
    assert_int_equal(norm_common_letter(0x30FB), NORM_LETTER_OTHER); /* ・ */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_fast_path),
        cmocka_unit_test(test_ascii_identity_map),
        cmocka_unit_test(test_ascii_runs_meet_marks),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_nfkc),
        cmocka_unit_test(test_symbols_that_stay),
        cmocka_unit_test(test_invisible_removal),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_mark_flood_is_bounded),
        cmocka_unit_test(test_confusables),
        cmocka_unit_test(test_leet),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_obfuscation_views),
        cmocka_unit_test(test_obfuscation_views_random),
        cmocka_unit_test(test_cjk_passes_through),
        cmocka_unit_test(test_may_collapse),
        cmocka_unit_test(test_may_collapse_random),
        cmocka_unit_test(test_skeleton_same),
        cmocka_unit_test(test_skeleton_same_random),
        cmocka_unit_test(test_character_classes),
        cmocka_unit_test(test_utf8_decoder),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_field_size_limit),
        cmocka_unit_test(test_expansion_limit),
        cmocka_unit_test(test_span_mapping),
        cmocka_unit_test(test_every_disguise_meets_its_mark),
        cmocka_unit_test(test_reuse_across_flags),
        cmocka_unit_test(test_real_lookalike_brands),
        cmocka_unit_test(test_real_brand_names),
        cmocka_unit_test(test_common_letters_agree_with_icu),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
