/*
 * test_compile_atoms.c - the literals the prefilter extracts from rule
 * regexes: required ones found, and "no atoms" whenever the parser cannot be
 * sure (a wrong atom would silently hide findings).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <unicode/uchar.h>

#include "compile/atoms.h"

typedef ipr_status (*extract_fn)(const char *pattern, struct arena *arena, struct atom_set *out);

/* Asserts the atom set extract gives for pattern is exactly the expected
 * list; atoms of the compact view never start words. */
static void expect_extracted(extract_fn extract, const char *pattern, const char *const *want,
                             size_t n)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(extract(pattern, &a, &set), IPR_OK);
    if (set.count != n)
        fail_msg("%s: %zu atoms, expected %zu", pattern, set.count, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < set.count && !found; k++)
            found = strcmp(set.atoms[k], want[i]) == 0 && set.lens[k] == strlen(want[i]) &&
                    !(extract == atoms_extract_compact && set.word_start[k]);
        if (!found)
            fail_msg("%s: atom '%s' missing", pattern, want[i]);
    }
    arena_release(&a);
}

#define ATOMS(pattern, ...)                                                                        \
    do {                                                                                           \
        static const char *const w[] = {__VA_ARGS__};                                              \
        expect_extracted(atoms_extract, pattern, w, sizeof(w) / sizeof(w[0]));                     \
    } while (0)

static void test_literals_and_alternations(void **state)
{
    (void)state;
    ATOMS("(?i)\\breplica\\b", "replica");
    ATOMS("(?i)\\b(?:replica|fake|knock-?off)\\b", "replica", "fake", "knock");
    ATOMS("Replica watch", "replica watch"); /* atoms are lowercase: a superset of both cases */
    ATOMS("mirror\\s+quality", "quality");   /* the longer literal filters better */
    ATOMS("\\bFCC ID:\\s*[A-Z0-9]+", "fcc id:");
    /* a group of literals joins the literal before it */
    ATOMS("(?i)pay(?:ment)? via (?:paypal|western union)", " via paypal", " via western union");
    ATOMS("(?i)\\.(?:com|co|io)\\b", ".com", ".co", ".io");
    ATOMS("a+bcd", "abcd"); /* at least one a right before bcd */
    /* n copies of a repeated literal are required: "AAA grade" */
    ATOMS("(?i)\\bA{3,5}\\+{0,2}(?!\\w)", "aaa");
    ATOMS("a{0,3}bc", "bc");               /* none may be there */
    ATOMS("x{100}y", "xxxxxxxxxxxxxxxxy"); /* sixteen copies at most */
    ATOMS("(?i)grade\\s+A{3,5}", "grade"); /* the longer literal */
    ATOMS("(?:ab){2,}xyz", "ababxyz");     /* two copies, then xyz */
    ATOMS("高仿|复刻", "高仿", "复刻");
}

static void no_atoms(const char *pattern)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract(pattern, &a, &set), IPR_OK);
    if (set.count != 0)
        fail_msg("%s: expected no atoms, got '%s'", pattern, set.atoms[0]);
    arena_release(&a);
}

static void test_uncertain_patterns_have_no_atoms(void **state)
{
    (void)state;
    no_atoms("\\d{3,}\\s*[A-Z]{2}"); /* no literal at all */
    no_atoms("(?i)replica|\\d+");    /* one branch without a literal */
    no_atoms("(?:replica)?\\w+");    /* optional literal */
    no_atoms("(?:ab)?c\\d");         /* one letter is too short a literal */
    ATOMS("colou?r", "colo");        /* "u?" may be absent; "colo" may not */
    no_atoms("abc(?i)def");          /* inline option mid-pattern */
    no_atoms("\\Qa.b\\E");           /* escapes the parser does not read */
    no_atoms("\\u0041BC");
    no_atoms("abc|(*:mark)\\b"); /* a verb: the branch matches at any word start */
    no_atoms("abc(*ACCEPT)def|xyz");
    ATOMS("(?i)\u0434\u0443\u0431\u043bikat", "ikat"); /* Cyrillic has case: not an atom */
    no_atoms("(?i)\u00e5\u00e5");                      /* å also matches the Angstrom sign */
    no_atoms("(?i)stra\u00dfe|x");                     /* ß has partners beyond Latin-1 */
    no_atoms("[a\u00ae]");                             /* a class with an ASCII member */
    no_atoms("[\u00ae-\u00b0]");                       /* a range */
    no_atoms("(?i)[\u00e5a]");                         /* å also matches the Angstrom sign */
    no_atoms("(?i)[\u0430\u0435]x");                   /* Cyrillic has case */
}

static void test_escapes_scripts_and_classes(void **state)
{
    (void)state;
    ATOMS("\\x{41}BC", "abc"); /* ASCII by code: a literal */
    ATOMS("(?<!src=\\x27)\\bwww\\.", "www.");
    ATOMS("(?i)\\x41\\x42C", "abc");
    ATOMS("\\x{e9}tude", "tude"); /* non-ASCII by code: not looked for */
    ATOMS("(?i)\u9ad8\u4eff|\u30b3\u30d4\u30fc", "\u9ad8\u4eff", "\u30b3\u30d4\u30fc");
    /* Latin-1 letters are literals under (?i), lowered as the prefilter lowers the text */
    ATOMS("(?i)r\u00e9plica", "r\u00e9plica");
    ATOMS("(?i)F\u00dcR", "f\u00fcr");
    ATOMS("\u00c9dition", "\u00e9dition"); /* case-sensitive atoms are lowered as well */
    ATOMS("(?i)\\b(?:f\u00fcr|para)\\b", "f\u00fcr", "para");
    /* a class of symbols: one of them must appear */
    ATOMS("[\u00ae\u2122]", "\u00ae", "\u2122");
    ATOMS("(?i)[\u00ae\u2122]", "\u00ae", "\u2122");
    ATOMS("(?i)[\u9ad8\u4eff]\u54c1", "\u9ad8\u54c1", "\u4eff\u54c1"); /* either, then 品 */
    ATOMS("\\p{Latin}[\\x{200B}\\x{FEFF}]+\\p{Latin}", "\u200b", "\ufeff");
    no_atoms("[\\x{200B}-\\x{200D}]"); /* a range */
    no_atoms("[\\x{41}\\x{42}]");      /* ASCII members are single bytes */
    /* a positive lookaround must hold in the field as well; a negative one need not */
    ATOMS("(?=\\w*[\u0430\u0435])\\w{3,}", "\u0430", "\u0435");
    ATOMS("(?<=price: )\\d+", "price: ");
    no_atoms("(?!fake)\\w+");
    no_atoms("(?<!real )\\w+");
}

/* The prefilter writes KELVIN SIGN and LONG S in a field as k and s (PCRE2
 * matches them caselessly), so an atom holding one, also of a case-sensitive
 * pattern, is written so too; one that folds below two bytes is none. */
static void test_folded_like_the_field(void **state)
{
    (void)state;
    ATOMS("=\xc5\xbf", "=s");
    ATOMS("ab\xe2\x84\xaa"
          "cd",
          "abkcd");
    ATOMS("(?i)\xc3\x89T\xc3\x89", "\xc3\xa9t\xc3\xa9");
    no_atoms("\xc5\xbf");
    no_atoms("(?:ab|\xc5\xbf)");
}

/* Declared keywords are folded as extracted atoms are, and stay strings
 * of their folded length. */
static void test_keywords_folded(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    const char *words[] = {"\xc5\xbf"
                           "ale",
                           "N\xe2\x84\xaa"
                           "E",
                           "Ab"};
    struct atom_set set;
    assert_int_equal(atoms_from_keywords(words, 3, &a, &set), IPR_OK);
    assert_int_equal(set.count, 3);
    assert_true(set.caseless);
    assert_string_equal(set.atoms[0], "sale");
    assert_int_equal(set.lens[0], 4);
    assert_string_equal(set.atoms[1], "nke");
    assert_int_equal(set.lens[1], 3);
    assert_string_equal(set.atoms[2], "ab");
    for (size_t i = 0; i < set.count; i++)
        assert_false(set.word_start[i]);
    /* one that folds below two bytes leaves the regex to run always */
    const char *short_one[] = {"xyz", "\xc5\xbf"};
    assert_int_equal(atoms_from_keywords(short_one, 2, &a, &set), IPR_OK);
    assert_int_equal(set.count, 0);
    arena_release(&a);
}

/* The index of atom among pattern's, extracted into set in a; fails the
 * test when there is no such atom. */
static size_t atom_index(const char *pattern, const char *atom, struct arena *a,
                         struct atom_set *set)
{
    assert_int_equal(atoms_extract(pattern, a, set), IPR_OK);
    size_t k = 0;
    while (k < set->count && strcmp(set->atoms[k], atom) != 0)
        k++;
    if (k == set->count)
        fail_msg("%s: no atom '%s'", pattern, atom);
    return k;
}

/* The exact spelling of atom (one of pattern's), NULL when none is kept. */
static void expect_exact(const char *pattern, const char *atom, const char *want)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    size_t k = atom_index(pattern, atom, &a, &set);
    const char *got = set.exact ? set.exact[k] : NULL;
    if (want ? !got || strcmp(got, want) != 0 : got != NULL)
        fail_msg("%s: '%s' spelled '%s', expected '%s'", pattern, atom, got ? got : "(none)",
                 want ? want : "(none)");
    arena_release(&a);
}

/* A case-sensitive pattern's matches hold an ASCII atom as the pattern
 * spells it, so the prefilter may compare it with case; not under (?i),
 * not for an atom without letters or beyond ASCII, and not when a class
 * had a capital lowered ([A-Z] gives lowercase members), nor for keywords. */
static void test_exact_spelling(void **state)
{
    (void)state;
    expect_exact("\\b(?:AT|DE)\\d{2}", "at", "AT");
    expect_exact("\\b(?:AT|DE)\\d{2}", "de", "DE");
    expect_exact("bc1[a-z]{25}", "bc1", "bc1");
    expect_exact("Replica watch", "replica watch", "Replica watch");
    expect_exact("\\x41BC", "abc", "ABC");
    expect_exact("(?i)\\bAT\\d", "at", NULL);
    expect_exact("12:34", "12:34", NULL);
    expect_exact("caf\xc3\xa9", "caf\xc3\xa9", NULL);
    expect_exact("[XY]abc", "xabc", NULL);
    expect_exact("[A-C]xyz", "axyz", NULL);
    expect_exact("[a-c]xyz", "axyz", "axyz");
    struct arena a;
    arena_init(&a, 4096);
    const char *words[] = {"IBAN"};
    struct atom_set set;
    assert_int_equal(atoms_from_keywords(words, 1, &a, &set), IPR_OK);
    assert_int_equal(set.count, 1);
    assert_true(!set.exact || !set.exact[0]);
    arena_release(&a);
}

/* The required set of pattern as a string of its bytes, "" for none. */
static const char *required_of(const char *pattern)
{
    static char out[ATOM_REQUIRED_MAX + 1];
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract(pattern, &a, &set), IPR_OK);
    assert_true(set.required_count <= ATOM_REQUIRED_MAX);
    memcpy(out, set.required, set.required_count);
    out[set.required_count] = '\0';
    arena_release(&a);
    return out;
}

/* A literal outside every group, in a pattern of one branch, is in every
 * match, and so is one string of a group or class there: the rarest such
 * set of bytes (one of which a field must hold) is kept, atoms or no
 * atoms.  Not one that may be absent (quantified to zero, in one branch of
 * several, in a negative lookaround, a group with the empty string), not
 * a letter (too common, and under (?i) of either case), and nothing when
 * the parser gives up. */
static void test_required_bytes(void **state)
{
    (void)state;
    assert_string_equal(required_of("(?i)\\b[a-z0-9._%+-]+@[a-z0-9-]{1,63}(?:\\.[a-z0-9-]{1,"
                                    "63}){0,6}\\.[a-z]{2,24}\\b"),
                        "@");
    assert_string_equal(required_of("x:y@z"), "@");
    assert_string_equal(required_of("\\x40[a-z]+"), "@");
    assert_string_equal(required_of("[a-z]@+[a-z]"), "@");
    assert_string_equal(required_of("\\d+:\\d+"), ":");
    assert_string_equal(required_of("replica@home"), "@"); /* beside atoms */
    /* a class or group: one of its first bytes, the set as weak as its
     * commonest */
    assert_string_equal(required_of("(?i)(?<![\\d:\xef\xbc\x9a])1\\s*[:\xef\xbc\x9a]\\s*1"),
                        ":\xef");
    assert_string_equal(required_of("(?i)1\\s*[:\xef\xbc\x9a]\\s*1"), ":\xef");
    assert_string_equal(required_of("[a-z]+(?:#|\\$)[0-9]"), "#$");
    assert_string_equal(required_of("[a-z]+(?=@)"), "@"); /* the field holds it */
    assert_string_equal(required_of("[a-z]+(?:#|\\.)@"), "@");
    assert_string_equal(required_of("[a-z]@?[a-z]"), "");
    assert_string_equal(required_of("[a-z]@{0,2}[a-z]"), "");
    assert_string_equal(required_of("[a-z](?:@|at)[a-z]"), ""); /* a letter */
    assert_string_equal(required_of("[a-z](?:@|)[a-z]"), "");   /* the empty string */
    assert_string_equal(required_of("[a-z]@[a-z]|[0-9]+"), "");
    assert_string_equal(required_of("(?<!@)[a-z]+"), "");
    assert_string_equal(required_of("[a-z]+Q[a-z]+"), "");
    assert_string_equal(required_of("(?x) [a-z] @ [a-z]"), "");
    assert_string_equal(required_of("(?:x@y)+z"), ""); /* inside a group: not looked at */
    assert_true(atoms_byte_rank('@') < atoms_byte_rank('.'));
    assert_true(atoms_byte_rank(0xEF) < atoms_byte_rank('1'));
    assert_int_equal(atoms_byte_rank('a'), UINT_MAX);
}

/* Under (?i) the CJK and full-width punctuation and digits are literals,
 * since no case mapping reaches them (ICU says so of each); the
 * full-width letters are not. */
static void test_caseless_punctuation(void **state)
{
    (void)state;
    static const uint32_t ranges[][2] = {
        {0x3000, 0x303F}, {0xFF01, 0xFF20}, {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}};
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            if (u_tolower((UChar32)cp) != (UChar32)cp || u_toupper((UChar32)cp) != (UChar32)cp ||
                u_foldCase((UChar32)cp, U_FOLD_CASE_DEFAULT) != (UChar32)cp)
                fail_msg("U+%04X has case", (unsigned)cp);
            char pattern[16] = "(?i)";
            char *u = pattern + 4;
            u[0] = (char)(0xE0 | cp >> 12);
            u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            memcpy(u + 3, u, 3); /* the character twice: one atom of six bytes */
            u[6] = '\0';
            struct arena a;
            arena_init(&a, 4096);
            struct atom_set set;
            assert_int_equal(atoms_extract(pattern, &a, &set), IPR_OK);
            if (set.count != 1)
                fail_msg("U+%04X under (?i): %zu atoms", (unsigned)cp, set.count);
            arena_release(&a);
        }
    }
    no_atoms("(?i)\xef\xbc\xa1\xef\xbc\xa1"); /* FULLWIDTH LATIN CAPITAL LETTER A */
    no_atoms("(?i)\xef\xbd\x81\xef\xbd\x81"); /* FULLWIDTH LATIN SMALL LETTER A */
}

/* A pattern made only of ASCII letters and digits, classes of them,
 * groups of alternatives and \b has matches of at least so many such
 * bytes in a row; anything else, or any doubt, is 0. */
static void test_alnum_run(void **state)
{
    (void)state;
    assert_int_equal(atoms_alnum_run("\\b(?:bc1[ac-hj-np-z02-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]"
                                     "{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\\b"),
                     26);
    assert_int_equal(atoms_alnum_run("\\bAB\\b"), 2);
    assert_int_equal(atoms_alnum_run("a{2,}b+c?d*"), 3);
    assert_int_equal(atoms_alnum_run("(?:ab|cde){3}x"), 7);
    assert_int_equal(atoms_alnum_run("[a-z]{5}|x"), 1);
    assert_int_equal(atoms_alnum_run("a{3}?b{2}+"), 5); /* lazy, possessive */
    assert_int_equal(atoms_alnum_run("x{99999999999}"), 4096);
    assert_int_equal(atoms_alnum_run(""), 0);
    /* not this grammar: 0 */
    static const char *const other[] = {
        "(?i)[a-z]{30}", "\\d{30}",      "\\w{30}",   "[^a-z]{30}", "[a-z-]{30}",
        "[a-Z]{30}",     "[9-0]{30}",    "[a-z",      "ab)",        "a{,5}",
        "a{5",           "(?:ab",        "a.{30}",    "(?=a{30})b", "(?<x>a{30})",
        "a b{30}",       "\xc3\xa9{30}", "[\\w]{30}", "a|b\\B{30}", "(?:a|(?i)b){30}"};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
        if (atoms_alnum_run(other[i]) != 0)
            fail_msg("%s: a run of %zu", other[i], atoms_alnum_run(other[i]));
}

static void expect_spaced(const char *pattern, size_t want_letters, size_t want_gap)
{
    size_t letters = 0, gap = 0;
    if (!atoms_spaced_letters(pattern, &letters, &gap))
        fail_msg("%s: not letters spaced out", pattern);
    if (letters != want_letters || gap != want_gap)
        fail_msg("%s: %zu letters, %zu apart; expected %zu, %zu", pattern, letters, gap,
                 want_letters, want_gap);
}

/* Letters spaced out: told only where every letter must stand alone with
 * at least one separator on each side. */
static void test_spaced_letters(void **state)
{
    (void)state;
    expect_spaced("(?i)\\b(?:g[\\W_]{1,2}u[\\W_]{1,2}c[\\W_]{1,2}c[\\W_]{1,2}i|"
                  "n[\\W_]{1,2}i[\\W_]{1,2}k[\\W_]{1,2}e)\\b",
                  4, 2);
    expect_spaced("\\bg[-.]u[-.]{1,3}c\\b", 3, 3);
    expect_spaced("\\bg[ ]{2}u\\b", 2, 2);
    expect_spaced("\\bx[\\s.]+y\\b", 2, SIZE_MAX);
    expect_spaced("\\b(?:a[-]b|c[-]d[-]e)\\b", 2, 1);
    expect_spaced("\\b1[-]2\\b", 2, 1);
    /* not this grammar: letters may touch, stand next to others, or be
     * something other than one ASCII letter or digit */
    static const char *const other[] = {"\\bg[\\W_]*u\\b",
                                        "\\bg[\\W_]?u\\b",
                                        "\\bg[\\W_]{0,2}u\\b",
                                        "g[\\W_]{1,2}u\\b",
                                        "\\bg[\\W_]{1,2}u",
                                        "\\bg\\b",
                                        "\\bg[a-z]u\\b",
                                        "\\bg[^a]u\\b",
                                        "\\bg[\\w]u\\b",
                                        "\\bgu[-]c\\b",
                                        "\\bg[-]u|c[-]d\\b",
                                        "(?x)\\bg [-] u\\b",
                                        "\\b(?:g[-]u)[-]c\\b",
                                        "\\bg[-]\\xe9\\b",
                                        "\\bg.u\\b",
                                        "\\bg[-]{2,1}u\\b",
                                        "\\bg[-]{,2}u\\b",
                                        "\\b(?:g[-]u|)\\b",
                                        "\\bg[-]u\\\\b",
                                        "",
                                        "\\b\\b"};
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        size_t letters, gap;
        if (atoms_spaced_letters(other[i], &letters, &gap))
            fail_msg("%s: letters spaced out (%zu, %zu apart)", other[i], letters, gap);
    }
}

/* Asserts whether atom (one of pattern's) is marked to start a word. */
static void expect_word_start(const char *pattern, const char *atom, bool want)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    size_t k = atom_index(pattern, atom, &a, &set);
    if (set.word_start[k] != want)
        fail_msg("%s: '%s' %s a word start", pattern, atom, want ? "not marked" : "marked");
    arena_release(&a);
}

/* Asserts whether atom (one of pattern's) is marked to have a digit after it. */
static void expect_digit_after(const char *pattern, const char *atom, unsigned want)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    size_t k = atom_index(pattern, atom, &a, &set);
    unsigned got = set.digit_after ? set.digit_after[k] : 0;
    if (got != want)
        fail_msg("%s: '%s' marked with %u digits after it, not %u", pattern, atom, got, want);
    arena_release(&a);
}

/* A mark is right only when every match has a \d right after the atom. */
static void test_digit_after(void **state)
{
    (void)state;
    expect_digit_after("\\b(?:AT|DE)\\d{2}(?: [A-Z0-9]{4}){3,7}\\b", "at", 2);
    expect_digit_after("\\b(?:AT|DE)\\d{2}(?: [A-Z0-9]{4}){3,7}\\b", "de", 2);
    expect_digit_after("(?i)\\border\\d", "order", 1);
    expect_digit_after("order(?=\\d)\\d", "order", 1); /* zero-width between */
    expect_digit_after("order\\b\\d+", "order", 1);
    expect_digit_after("(?<![\\d.-])1[3-9]\\d{9}(?![\\d.-])", "15", 9);
    expect_digit_after("xy\\d{40}", "xy", 16);        /* counted up to a bound */
    expect_digit_after("(?:order\\d)+x", "order", 1); /* a required group keeps it */
    expect_digit_after("(?:ab\\d|cd)", "ab", 1);
    expect_digit_after("(?:ab\\d|cd)", "cd", 0); /* each branch its own */
    expect_digit_after("order\\d?", "order", 0);
    expect_digit_after("order\\d*", "order", 0);
    expect_digit_after("order\\d{0,3}", "order", 0);
    expect_digit_after("order\\D", "order", 0);
    expect_digit_after("order\\s\\d", "order", 0);
    expect_digit_after("order[0-9]x", "order5x", 0); /* written out: joined, not marked */
    expect_digit_after("order", "order", 0);
    /* the compact view has no mark */
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract_compact("\\bg[\\W_]u[\\W_]c\\d", &a, &set), IPR_OK);
    assert_true(set.count > 0 && !set.digit_after);
    arena_release(&a);
}

/* Marked atoms are looked for only where a word starts (in ASCII text), so
 * a mark is right only when every match has the atom there. */
static void test_word_starts(void **state)
{
    (void)state;
    expect_word_start("(?i)\\breplica\\b", "replica", true);
    expect_word_start("replica", "replica", false);
    expect_word_start("(?i)\\b(?:replica|fake)\\b", "replica", true);
    expect_word_start("(?i)\\b(?:replica|fake)\\b", "fake", true);
    expect_word_start("mirror\\s+quality", "quality", true);  /* a space before it */
    expect_word_start("mirror\\s*quality", "quality", false); /* "mirrorquality" */
    expect_word_start("mirror\\W+quality", "quality", true);
    expect_word_start("mirror\\h{1,3}quality", "quality", true);
    expect_word_start("mirror\\S+quality", "quality", false);
    expect_word_start("mirror\\d+quality", "quality", false);
    expect_word_start("\\bFCC ID:\\s*[A-Z0-9]+", "fcc id:", true);
    expect_word_start("(?i)\\b_tag", "_tag", true);
    expect_word_start("\\b-tag", "-tag", false);        /* the atom starts with no word byte */
    expect_word_start("\\b?replica", "replica", false); /* an optional \\b asserts nothing */
    expect_word_start("^replica", "replica", false);
    expect_word_start("\\b^replica", "replica", true); /* ^ consumes nothing */
    expect_word_start("\\b(?#note)replica", "replica", true);
    /* the first copies of a repeated letter start where the match does,
     * the copies that end the repetition need not */
    expect_word_start("(?i)\\bA{3,5}", "aaa", true);
    expect_word_start("\\ba+bcd", "abcd", false);
    expect_word_start("\\b(?:ab){2,}xyz", "ababxyz", false);
    /* after a group or a literal nothing is assumed, even a space */
    expect_word_start("(?i)(?:via\\s|by\\s)(?:paypal|western union)", "paypal", false);
    expect_word_start("\\b(?:s|'s)?\\s+(?:original|genuine)\\b", "original", true);
    expect_word_start("\\b(?=rep)replica", "replica", true); /* a lookahead consumes nothing */
    expect_word_start("(?i)\\b(?:n[1!]ke|r0lex)", "n!ke", true);
    expect_word_start("(?i)\\b[@4]didas", "@didas", false); /* '@' is no word byte */
    expect_word_start("(?i)\\b[@4]didas", "4didas", true);
    expect_word_start("x(?:n[1!]ke)", "xn1ke", false);
    expect_word_start("\\b(?:(?:fake|copy)|replica)", "copy", true); /* nested */
    expect_word_start("(?i)\\bcaf\xc3\xa9", "caf\xc3\xa9", true);
    expect_word_start("\\b\xe9\xab\x98\xe4\xbb\xbf", "\xe9\xab\x98\xe4\xbb\xbf", false);
}

/* Small classes and groups of literals are written out and joined to the
 * literals around them: the leet spellings rules list ("n[1!|]k[e3]") give
 * atoms instead of leaving the regex to run on every field. */
static void test_classes_joined(void **state)
{
    (void)state;
    ATOMS("(?:ab)?c[de]", "cd", "ce"); /* every match holds one of the two */
    ATOMS("(?i)\\bn[1!|]k[e3]\\b", "n1ke", "n!ke", "n|ke", "n1k3", "n!k3", "n|k3");
    ATOMS("(?i)\\bd(?:[1!|][o0]|i0)r\\b", "d1or", "d10r", "d!or", "d!0r", "d|or", "d|0r", "di0r");
    ATOMS("(?i)[@4]didas", "@didas", "4didas");
    ATOMS("[A-C]x", "ax", "bx", "cx");  /* a short range, lowered */
    ATOMS("(?i)[Ee]bay", "ebay");       /* members that fold together count once */
    ATOMS("[\\-.]net", "-net", ".net"); /* escaped punctuation */
    ATOMS("ab(?!c)de", "abde");         /* a negative lookahead consumes nothing */
    ATOMS("(?<![\\w@])x[yz]", "xy", "xz");
    ATOMS("r\u00e9[sz]", "r\u00e9s", "r\u00e9z");
    ATOMS("(?i)caf[\u00e9\u00e8]", "caf\u00e9", "caf\u00e8"); /* Latin-1 letters lowered */
    /* what cannot be written out ends the literal: the longer side wins */
    ATOMS("abc[a-z]de", "abc");
    ATOMS("ab[^x]cde", "cde");
    ATOMS("ab[\\d_]cde", "cde");
    ATOMS("ab[[:alpha:]]cde", "cde");
    /* "[:" that is no POSIX class (a ']' or another "[:" before ":]") is two
     * members, as PCRE2 reads it: the class ends at its first ']' and what
     * follows, here an empty alternative, is seen (found by fuzz_prefilter) */
    no_atoms("RA[[:[[:]$|");
    ATOMS("abc[[:x]de", "abc");
    ATOMS("abc[[:]:]de", ":]de"); /* the class is "[[:]", then ":]de" */
    ATOMS("ab[\u00e0-\u00e9]cde", "cde");
    no_atoms("[a-z][0-9]");
    /* a product beyond the limit ends the run; the next one starts anew */
    ATOMS("[a-h][a-h][a-h]xy", "axy", "bxy", "cxy", "dxy", "exy", "fxy", "gxy", "hxy");
    /* a repeated class: one copy before what follows is required */
    ATOMS("ab[cd]+ef", "abc", "abd"); /* ties with "cef" "def": the first */
    no_atoms("[cd]?ef|x");
    /* 128 spellings joined to hundreds of literals after them would copy
     * megabytes for one pattern: past its budget it has no atoms */
    char hostile[4200] = "";
    for (int i = 0; i < 7; i++)
        strcat(hostile, "[ab]");
    while (strlen(hostile) + 6 < 4096)
        strcat(hostile, "y(?:x)");
    no_atoms(hostile);
    /* within it: 128 spellings of seven letters, each joined to "yx" */
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract("[ab][ab][ab][ab][ab][ab][ab]y(?:x)", &a, &set), IPR_OK);
    assert_int_equal(set.count, 128);
    for (size_t i = 0; i < set.count; i++) {
        assert_int_equal(set.lens[i], 9);
        assert_int_equal(strspn(set.atoms[i], "ab"), 7);
        assert_string_equal(set.atoms[i] + 7, "yx");
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(set.atoms[k], set.atoms[i]);
    }
    arena_release(&a);
}

/* Atoms of the compact view: what it drops (separator classes, \s \W,
 * ASCII punctuation) joins the letters around it; what it may keep or fold
 * (\w, ., classes with letters and punctuation, non-ASCII) ends them. */
#define COMPACT(pattern, ...)                                                                      \
    do {                                                                                           \
        static const char *const w[] = {__VA_ARGS__};                                              \
        expect_extracted(atoms_extract_compact, pattern, w, sizeof(w) / sizeof(w[0]));             \
    } while (0)

static void test_compact_view(void **state)
{
    (void)state;
    COMPACT(
        "(?i)\\b(?:g[\\W_]{1,2}u[\\W_]{1,2}c[\\W_]{1,2}c[\\W_]{1,2}i|n[\\W_]*i[\\W_]*k[\\W_]*e)\\b",
        "gucci", "nike");
    COMPACT("R\\s*O\\s*L\\s*E\\s*X", "rolex"); /* lowered as the view is */
    COMPACT("d[-. ]?i[-. ]?o[-. ]?r", "dior");
    COMPACT("a\\.b-c_d e\\x2Df", "abcdef");
    COMPACT("n[1!|]ke", "ke"); /* '!' and '|' are dropped, '1' kept: n can be apart */
    COMPACT("x[e3][\\W_]y", "xey", "x3y");
    COMPACT("ab\\wcd", "ab");             /* \\w may be a letter: the view keeps it */
    COMPACT("ab[\\w-]cd", "ab");          /* a class with letters */
    COMPACT("ab[^x]cd", "ab");            /* negated */
    COMPACT("ab[ -/]cd", "ab");           /* a range, even of punctuation, is not read */
    COMPACT("ab\u00e9cd", "ab");          /* non-ASCII ends a run */
    COMPACT("(?i)ab[\\W\u017f]cd", "ab"); /* LONG S is an s in the view */
    COMPACT("ab.cd", "ab");
    COMPACT("a[\\W_]+b", "ab");
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract_compact("[a-z]\\W+[a-z]", &a, &set), IPR_OK);
    assert_int_equal(set.count, 0);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_alternations),
        cmocka_unit_test(test_uncertain_patterns_have_no_atoms),
        cmocka_unit_test(test_escapes_scripts_and_classes),
        cmocka_unit_test(test_word_starts),
        cmocka_unit_test(test_classes_joined),
        cmocka_unit_test(test_compact_view),
        cmocka_unit_test(test_folded_like_the_field),
        cmocka_unit_test(test_keywords_folded),
        cmocka_unit_test(test_exact_spelling),
        cmocka_unit_test(test_required_bytes),
        cmocka_unit_test(test_caseless_punctuation),
        cmocka_unit_test(test_alnum_run),
        cmocka_unit_test(test_spaced_letters),
        cmocka_unit_test(test_digit_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
