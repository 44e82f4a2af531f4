/*
 * test_compile_wordset.c - the set of ordinary words: which lines of a
 * word list count as words, how they are lowered, and that every kept word
 * and nothing else is found, in a list of the system's size too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/strmap.h"
#include "compile/wordset.h"

static void build(struct wordset *ws, const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    assert_non_null(copy);
    memcpy(copy, text, len + 1);
    assert_int_equal(wordset_build(ws, copy, len, 0), IPR_OK);
}

static bool has(const struct wordset *ws, const char *word)
{
    size_t n = strlen(word);
    return wordset_has(ws, word, n, strmap_hash(word, n));
}

static void test_which_lines_are_words(void **state)
{
    (void)state;
    struct wordset ws;
    build(&ws, "channel\r\nrolled\nNike\nadidas's\ncafé\niPod\n\nchannel\n"
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
               "well-known\nlast");
    assert_true(has(&ws, "channel")); /* CRLF, and twice: counted once */
    assert_true(has(&ws, "rolled"));
    assert_false(has(&ws, "nike"));     /* capitalized: a name */
    assert_false(has(&ws, "adidas's")); /* possessive */
    assert_false(has(&ws, "adidas"));
    assert_false(has(&ws, "café")); /* not ASCII */
    assert_true(has(&ws, "ipod"));  /* lowered */
    assert_false(has(&ws, "iPod")); /* lookups are of lowercase text */
    assert_true(
        has(&ws, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 63 */
    assert_false(has(&ws, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    assert_true(has(&ws, "well-known"));
    assert_true(has(&ws, "last")); /* no final newline */
    assert_false(has(&ws, "chann"));
    assert_false(has(&ws, "channels"));
    assert_false(has(&ws, ""));
    assert_int_equal(ws.count, 6);
    wordset_release(&ws);

    build(&ws, "");
    assert_false(has(&ws, "channel"));
    wordset_release(&ws);
    struct wordset none;
    memset(&none, 0, sizeof(none));
    assert_false(has(&none, "channel")); /* no list at all */
}

/* 100,000 generated words: each is found, and the same words with one
 * letter changed are not (unless the change made another kept word). */
static void test_many_words(void **state)
{
    (void)state;
    enum { WORDS = 100000 };
    char *text = malloc((size_t)WORDS * 12);
    assert_non_null(text);
    size_t len = 0;
    for (unsigned i = 0; i < WORDS; i++)
        len += (size_t)sprintf(text + len, "w%07uq\n", i * 2); /* even numbers only */
    struct wordset ws;
    assert_int_equal(wordset_build(&ws, text, len, 0), IPR_OK);
    assert_int_equal(ws.count, WORDS);
    char word[16];
    for (unsigned i = 0; i < 2 * WORDS; i++) {
        snprintf(word, sizeof(word), "w%07uq", i);
        if (has(&ws, word) != (i % 2 == 0))
            fail_msg("%s: %s", word, i % 2 ? "found, but not in the list" : "not found");
    }
    wordset_release(&ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_lines_are_words),
        cmocka_unit_test(test_many_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
