/*
 * test_compile_atoms.c - the literals the prefilter extracts from rule
 * regexes: required ones found, and "no atoms" whenever the parser cannot be
 * sure (a wrong atom would silently hide findings).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compile/atoms.h"

/* Asserts the atom set of pattern is exactly the expected list. */
static void expect_atoms(const char *pattern, const char *const *want, size_t n)
{
    struct arena a;
    arena_init(&a, 4096);
    struct atom_set set;
    assert_int_equal(atoms_extract(pattern, &a, &set), IPR_OK);
    if (set.count != n)
        fail_msg("%s: %zu atoms, expected %zu", pattern, set.count, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < set.count && !found; k++)
            found = strcmp(set.atoms[k], want[i]) == 0 && set.lens[k] == strlen(want[i]);
        if (!found)
            fail_msg("%s: atom '%s' missing", pattern, want[i]);
    }
    arena_release(&a);
}

#define ATOMS(pattern, ...)                                                                        \
    do {                                                                                           \
        static const char *const w[] = {__VA_ARGS__};                                              \
        expect_atoms(pattern, w, sizeof(w) / sizeof(w[0]));                                        \
    } while (0)

static void test_literals_and_alternations(void **state)
{
    (void)state;
    ATOMS("(?i)\\breplica\\b", "replica");
    ATOMS("(?i)\\b(?:replica|fake|knock-?off)\\b", "replica", "fake", "knock");
    ATOMS("Replica watch", "replica watch"); /* atoms are lowercase: a superset of both cases */
    ATOMS("mirror\\s+quality", "quality");   /* the longer literal filters better */
    ATOMS("\\bFCC ID:\\s*[A-Z0-9]+", "fcc id:");
    ATOMS("(?i)pay(?:ment)? via (?:paypal|western union)", "paypal", "western union");
    ATOMS("a+bcd", "bcd");
    ATOMS("(?:ab){2,}xyz", "xyz");
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
    no_atoms("(?:ab)?c[de]");        /* one letter is too short a literal */
    ATOMS("colou?r", "colo");        /* "u?" may be absent; "colo" may not */
    no_atoms("abc(?i)def");          /* inline option mid-pattern */
    no_atoms("\\x{41}BC");           /* escapes the parser does not read */
    no_atoms("\\Qa.b\\E");
    ATOMS("(?i)réplica", "plica"); /* caseless non-ASCII letters are not atoms */
    no_atoms("(?i)éé");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_and_alternations),
        cmocka_unit_test(test_uncertain_patterns_have_no_atoms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
