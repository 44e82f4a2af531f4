/*
 * test_match_value_memo.c - the memo of short values: what is kept for a
 * value comes back for the same bytes and never for other bytes, however
 * many values compete for its slots; long values and long hit lists are
 * not kept.  Candidates, term-list hits and trademark hits alike.  (That findings stay the same is
 * test_match_marks' and the differential tests' business.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/strmap.h"
#include "match/value_memo.h"

enum { CAND = 5 };

static uint64_t hash_of(const char *v)
{
    return strmap_hash(v, strlen(v));
}

/* The bits kept for value i: its number, spread over the bytes. */
static void bits_of(unsigned i, uint8_t *out)
{
    for (unsigned b = 0; b < CAND; b++)
        out[b] = (uint8_t)(i >> (b * 3) ^ b);
}

static void test_values_come_back_only_for_their_bytes(void **state)
{
    (void)state;
    struct value_memo *m = value_memo_new(CAND);
    assert_non_null(m);
    char v[32];
    uint8_t bits[CAND];
    const unsigned values = 3 * VALUE_MEMO_SLOTS; /* more than fit: slots are taken over */
    for (unsigned i = 0; i < values; i++) {
        snprintf(v, sizeof(v), "bullet %u", i);
        assert_null(value_memo_candidates(m, hash_of(v), v, strlen(v)));
        bits_of(i, bits);
        value_memo_keep_candidates(m, hash_of(v), v, strlen(v), bits);
        const uint8_t *got = value_memo_candidates(m, hash_of(v), v, strlen(v));
        assert_non_null(got);
        assert_memory_equal(got, bits, CAND);
    }
    unsigned kept = 0;
    for (unsigned i = 0; i < values; i++) {
        snprintf(v, sizeof(v), "bullet %u", i);
        const uint8_t *got = value_memo_candidates(m, hash_of(v), v, strlen(v));
        if (!got)
            continue; /* its slot went to a later value */
        bits_of(i, bits);
        assert_memory_equal(got, bits, CAND);
        kept++;
    }
    print_message("%u of %u values still kept\n", kept, values);
    assert_true(kept > VALUE_MEMO_SLOTS / 2 && kept <= VALUE_MEMO_SLOTS);
    /* the same bytes with another length, a prefix: not the value */
    value_memo_keep_candidates(m, hash_of("tags"), "tags", 4, bits);
    assert_null(value_memo_candidates(m, hash_of("tag"), "tag", 3));
    value_memo_free(m);
}

static void test_marks_and_limits(void **state)
{
    (void)state;
    struct value_memo *m = value_memo_new(CAND);
    assert_non_null(m);
    struct mark_hit hits[VALUE_MEMO_MAX_HITS + 1] = {{0}};
    for (size_t i = 0; i < VALUE_MEMO_MAX_HITS + 1; i++)
        hits[i] = (struct mark_hit){.mark = (uint32_t)i + 7, .start = i, .end = i + 4};
    const struct mark_hit *got;
    size_t count = 99;
    const char *v = "Nike shoes";
    assert_false(value_memo_marks(m, hash_of(v), v, strlen(v), &got, &count));
    value_memo_keep_marks(m, hash_of(v), v, strlen(v), hits, 0); /* none is an answer too */
    assert_true(value_memo_marks(m, hash_of(v), v, strlen(v), &got, &count));
    assert_int_equal(count, 0);
    value_memo_keep_marks(m, hash_of(v), v, strlen(v), hits, VALUE_MEMO_MAX_HITS);
    assert_true(value_memo_marks(m, hash_of(v), v, strlen(v), &got, &count));
    assert_int_equal(count, VALUE_MEMO_MAX_HITS);
    assert_int_equal(got[1].mark, 8);
    assert_int_equal(got[1].end, 5);
    /* candidates and marks of one value live side by side */
    uint8_t bits[CAND] = {1, 2, 3, 4, 5};
    value_memo_keep_candidates(m, hash_of(v), v, strlen(v), bits);
    assert_true(value_memo_marks(m, hash_of(v), v, strlen(v), &got, &count));
    assert_non_null(value_memo_candidates(m, hash_of(v), v, strlen(v)));
    /* too many hits: not kept */
    const char *w = "Nike Gucci Rolex";
    value_memo_keep_marks(m, hash_of(w), w, strlen(w), hits, VALUE_MEMO_MAX_HITS + 1);
    assert_false(value_memo_marks(m, hash_of(w), w, strlen(w), &got, &count));
    /* too long: not kept */
    char long_value[VALUE_MEMO_MAX_BYTES + 2];
    memset(long_value, 'a', sizeof(long_value) - 1);
    long_value[sizeof(long_value) - 1] = '\0';
    assert_false(value_memo_fits(strlen(long_value)));
    assert_true(value_memo_fits(VALUE_MEMO_MAX_BYTES));
    value_memo_keep_candidates(m, hash_of(long_value), long_value, strlen(long_value), bits);
    assert_null(value_memo_candidates(m, hash_of(long_value), long_value, strlen(long_value)));
    value_memo_free(m);
    value_memo_free(NULL);
}

/* Term-list hits are kept beside the rest: none is an answer, at most
 * VALUE_MEMO_MAX_TERMS come back as kept, more are not kept, and taking a
 * slot over for another value drops them. */
static void test_terms(void **state)
{
    (void)state;
    struct value_memo *m = value_memo_new(CAND);
    assert_non_null(m);
    struct pf_term_hit hits[VALUE_MEMO_MAX_TERMS + 1];
    for (size_t i = 0; i < VALUE_MEMO_MAX_TERMS + 1; i++)
        hits[i] = (struct pf_term_hit){(uint32_t)i, (uint32_t)i + 3, i * 5, i * 5 + 4};
    const struct pf_term_hit *got;
    size_t count = 99;
    const char *v = "replica bag";
    assert_false(value_memo_terms(m, hash_of(v), v, strlen(v), &got, &count));
    value_memo_keep_terms(m, hash_of(v), v, strlen(v), hits, 0);
    assert_true(value_memo_terms(m, hash_of(v), v, strlen(v), &got, &count));
    assert_int_equal(count, 0);
    value_memo_keep_terms(m, hash_of(v), v, strlen(v), hits, VALUE_MEMO_MAX_TERMS);
    assert_true(value_memo_terms(m, hash_of(v), v, strlen(v), &got, &count));
    assert_int_equal(count, VALUE_MEMO_MAX_TERMS);
    assert_int_equal(got[1].set_id, 1);
    assert_int_equal(got[1].term, 4);
    assert_int_equal(got[1].start, 5);
    assert_int_equal(got[1].end, 9);
    /* marks kept later leave the terms be */
    struct mark_hit mark = {.mark = 3, .start = 0, .end = 7};
    value_memo_keep_marks(m, hash_of(v), v, strlen(v), &mark, 1);
    assert_true(value_memo_terms(m, hash_of(v), v, strlen(v), &got, &count));
    assert_int_equal(count, VALUE_MEMO_MAX_TERMS);
    const char *w = "fake copy replica";
    value_memo_keep_terms(m, hash_of(w), w, strlen(w), hits, VALUE_MEMO_MAX_TERMS + 1);
    assert_false(value_memo_terms(m, hash_of(w), w, strlen(w), &got, &count));
    /* every value competing for the slots: what comes back is its own */
    char x[32];
    for (unsigned i = 0; i < 2 * VALUE_MEMO_SLOTS; i++) {
        snprintf(x, sizeof(x), "tag %u", i);
        struct pf_term_hit one = {i, i, i, i + 1};
        value_memo_keep_terms(m, hash_of(x), x, strlen(x), &one, 1);
    }
    for (unsigned i = 0; i < 2 * VALUE_MEMO_SLOTS; i++) {
        snprintf(x, sizeof(x), "tag %u", i);
        if (!value_memo_terms(m, hash_of(x), x, strlen(x), &got, &count))
            continue;
        assert_int_equal(count, 1);
        assert_int_equal(got[0].set_id, i);
        assert_int_equal(got[0].end, i + 1);
    }
    value_memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_come_back_only_for_their_bytes),
        cmocka_unit_test(test_marks_and_limits),
        cmocka_unit_test(test_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
