/*
 * test_match_scan.c - every condition kind end to end: pack text in,
 * findings out, through the public API.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scan_helper.h"

#define PACK_HEAD "pack: t\nstage: marketing\nversion: '1'\ntitle: test\n"

static ipr_ruleset *must_compile(const char *rules_yaml)
{
    return must_compile_parts(PACK_HEAD, rules_yaml);
}

static void expect_compile_error(const char *rules_yaml, const char *needle)
{
    char pack[8192];
    char diag[512];
    snprintf(pack, sizeof(pack), PACK_HEAD "%s", rules_yaml);
    ipr_ruleset *rs = compile_pack(pack, diag, sizeof(diag));
    if (rs) {
        ipr_ruleset_free(rs);
        fail_msg("pack compiled, expected an error containing '%s'", needle);
    }
    if (!strstr(diag, needle))
        fail_msg("diagnostic '%s' does not contain '%s'", diag, needle);
}

static void test_regex_leaf_reports_span(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile("rules:\n"
                                   "  - id: T-REGEX\n    title: regex\n    severity: high\n"
                                   "    fields: [title]\n"
                                   "    match: {regex: '(?i)\\bmirror\\s+quality\\b'}\n"
                                   "    message: \"'{match}' in {field}\"\n");
    struct found_list l;
    scan_text(rs, "{\"sku\":\"A\",\"title\":\"Bag in MIRROR  quality leather\"}\n", IPR_INPUT_JSONL,
              &l);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].matched, "MIRROR  quality");
    assert_int_equal(l.items[0].start, 7);
    assert_int_equal(l.items[0].end, 22);
    assert_string_equal(l.items[0].message, "'MIRROR  quality' in title");
    scan_text(rs, "{\"sku\":\"A\",\"title\":\"mirrorquality\"}\n", IPR_INPUT_JSONL, &l);
    assert_int_equal(l.count, 0);
    ipr_ruleset_free(rs);
}

static void test_terms_word_bounded_and_cjk(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile("terms:\n  fake: [rep, '1:1', 高仿, Réplica]\n"
                                   "rules:\n"
                                   "  - id: T-TERMS\n    title: terms\n    severity: critical\n"
                                   "    fields: [title, bullets]\n"
                                   "    match: {terms: fake}\n");
    struct found_list l;
    scan_text(rs,
              "{\"sku\":\"1\",\"title\":\"Watch repair kit\"}\n"
              "{\"sku\":\"2\",\"title\":\"REP watch 1:1\"}\n"
              "{\"sku\":\"3\",\"title\":\"新款高仿手表\"}\n"
              "{\"sku\":\"4\",\"bullets\":[\"ok\",\"RÉPLICA exacta\"]}\n",
              IPR_INPUT_JSONL, &l);
    assert_int_equal(l.records, 4);
    assert_null(find_match(&l, "T-TERMS", "repair"));
    assert_non_null(find_match(&l, "T-TERMS", "REP"));
    assert_non_null(find_match(&l, "T-TERMS", "1:1"));
    const struct found *cjk = find_match(&l, "T-TERMS", "高仿");
    assert_non_null(cjk);
    assert_int_equal(cjk->start, 6);
    const struct found *b = find_match(&l, "T-TERMS", "RÉPLICA");
    assert_non_null(b);
    assert_string_equal(b->field, "bullets[1]");
    assert_int_equal(l.count, 4);
    ipr_ruleset_free(rs);
}

/* A short value seen again has its term hits from the value memo, without
 * being normalized for them: each record still reports each hit at the
 * same bytes of its own value, also where normalizing moves offsets
 * (full-width letters) and where a value has more hits than are kept. */
static void test_terms_of_repeated_values(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile("terms:\n  fake: [rep, '1:1', replica]\n"
                                   "rules:\n"
                                   "  - id: T-TERMS\n    title: terms\n    severity: critical\n"
                                   "    fields: [title, bullets]\n"
                                   "    match: {terms: fake}\n");
    static const char *const values[] = {
        "\xEF\xBC\xB2\xEF\xBC\xA5\xEF\xBC\xB0 watch", /* full-width REP */
        "plain steel watch",                          /* no hit */
        "1:1 replica, rep grade, REP",                /* four hits: more than kept */
    };
    static const size_t want_hits[] = {1, 0, 4};
    char data[4096];
    size_t len = 0;
    for (int r = 0; r < 12; r++)
        len += (size_t)snprintf(data + len, sizeof(data) - len,
                                "{\"sku\":\"%d\",\"title\":\"x\",\"bullets\":[\"%s\"]}\n", r,
                                values[r % 3]);
    struct found_list l;
    scan_text(rs, data, IPR_INPUT_JSONL, &l);
    assert_int_equal(l.records, 12);
    size_t per_record[12] = {0};
    for (size_t i = 0; i < l.count; i++) {
        const struct found *f = &l.items[i];
        assert_string_equal(f->rule, "T-TERMS");
        per_record[f->record]++;
        const char *v = values[f->record % 3];
        /* the span is the value's own bytes, whatever record it came from */
        assert_true(f->end <= strlen(v) && f->start < f->end);
        assert_memory_equal(f->matched, v + f->start, f->end - f->start);
        if (f->record % 3 == 0) {
            assert_int_equal(f->start, 0);
            assert_int_equal(f->end, 9);
        }
    }
    for (int r = 0; r < 12; r++)
        if (per_record[r] != want_hits[r % 3])
            fail_msg("record %d: %zu findings, expected %zu", r, per_record[r], want_hits[r % 3]);
    ipr_ruleset_free(rs);
}

static void test_field_constraints(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile(
        "rules:\n"
        "  - id: T-GENERIC\n    title: g\n    severity: high\n    fields: [brand]\n"
        "    match: {field: brand, in: [generic, 'N/A']}\n"
        "  - id: T-ABSENT\n    title: a\n    severity: low\n    fields: [country_of_origin]\n"
        "    match: {absent: country_of_origin}\n"
        "  - id: T-HS\n    title: h\n    severity: low\n    fields: [customs.hs_code]\n"
        "    match: {not: {field: customs.hs_code, pattern: '\\d{6}(\\d{2}){0,2}'}}\n"
        "    unless: [{absent: customs.hs_code}]\n"
        "  - id: T-LONG\n    title: l\n    severity: low\n    fields: [title]\n"
        "    match: {field: title, length: {min: 10}}\n"
        "  - id: T-CHEAP\n    title: c\n    severity: medium\n    fields: [price]\n"
        "    match: {field: price, max: 5}\n");
    struct found_list l;
    scan_text(rs,
              "{\"sku\":\"1\",\"brand\":\"  GENERIC \",\"title\":\"short\",\"price\":\"$4.99\","
              "\"country_of_origin\":\"CN\",\"customs\":{\"hs_code\":\"42.02\"}}\n"
              "{\"sku\":\"2\",\"brand\":\"Acme\",\"title\":\"ten chars!\",\"price\":\"12\","
              "\"customs\":{\"hs_code\":\"420222\"}}\n",
              IPR_INPUT_JSONL, &l);
    const struct found *g = find_match(&l, "T-GENERIC", NULL);
    assert_non_null(g);
    assert_int_equal(g->record, 0);
    assert_string_equal(g->field, "brand");
    const struct found *hs = find_match(&l, "T-HS", NULL);
    assert_non_null(hs);
    assert_int_equal(hs->record, 0);
    assert_string_equal(hs->field, "customs.hs_code");
    const struct found *ab = find_match(&l, "T-ABSENT", NULL);
    assert_non_null(ab);
    assert_int_equal(ab->record, 1);
    assert_string_equal(ab->field, "country_of_origin");
    const struct found *lg = find_match(&l, "T-LONG", NULL);
    assert_non_null(lg);
    assert_int_equal(lg->record, 1);
    const struct found *ch = find_match(&l, "T-CHEAP", NULL);
    assert_non_null(ch);
    assert_int_equal(ch->record, 0);
    assert_int_equal(l.count, 5);
    ipr_ruleset_free(rs);
}

static void test_compare_numeric_and_string(void **state)
{
    (void)state;
    ipr_ruleset *rs =
        must_compile("rules:\n"
                     "  - id: T-PRICE\n    title: p\n    severity: high\n    fields: [price]\n"
                     "    match: {compare: 'price < 0.3 * list_price'}\n"
                     "  - id: T-DECL\n    title: d\n    severity: high\n    fields: [brand]\n"
                     "    match: {compare: 'customs.declared_brand != brand'}\n"
                     "    message: 'declared {customs.declared_brand} but listed {brand}'\n");
    struct found_list l;
    scan_text(rs,
              "{\"sku\":\"1\",\"price\":\"29\",\"list_price\":\"$100.00\",\"brand\":\"Acme  Fit\","
              "\"customs\":{\"declared_brand\":\"acme fit\"}}\n"
              "{\"sku\":\"2\",\"price\":\"31\",\"list_price\":\"100\",\"brand\":\"Nike\","
              "\"customs\":{\"declared_brand\":\"ACMEFIT\"}}\n"
              "{\"sku\":\"3\",\"price\":\"free\",\"list_price\":\"100\"}\n",
              IPR_INPUT_JSONL, &l);
    const struct found *p = find_match(&l, "T-PRICE", NULL);
    assert_non_null(p);
    assert_int_equal(p->record, 0);
    const struct found *d = find_match(&l, "T-DECL", NULL);
    assert_non_null(d);
    assert_int_equal(d->record, 1);
    assert_string_equal(d->message, "declared ACMEFIT but listed Nike");
    assert_int_equal(l.count, 2);
    ipr_ruleset_free(rs);
}

static void test_combinators_and_unless_overlap(void **state)
{
    (void)state;
    ipr_ruleset *rs =
        must_compile("rules:\n"
                     "  - id: T-FAUX\n    title: f\n    severity: high\n    fields: [title]\n"
                     "    match:\n      all:\n        - terms: [fake, faux]\n"
                     "        - not: {field: category, equals: toys}\n"
                     "    unless:\n      - terms: ['faux fur', 'fake flowers']\n");
    struct found_list l;
    scan_text(rs,
              "{\"sku\":\"1\",\"title\":\"Faux fur coat\"}\n"
              "{\"sku\":\"2\",\"title\":\"Faux fur coat, fake Gucci belt\"}\n"
              "{\"sku\":\"3\",\"title\":\"fake Gucci belt\",\"category\":\"Toys\"}\n"
              "{\"sku\":\"4\",\"title\":\"Fake flowers bouquet\"}\n",
              IPR_INPUT_JSONL, &l);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].record, 1);
    assert_string_equal(l.items[0].matched, "fake");
    ipr_ruleset_free(rs);
}

static void test_near_either_order(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile(
        "rules:\n"
        "  - id: T-NEAR\n    title: n\n    severity: high\n    fields: [title]\n"
        "    match:\n      near:\n        words: 2\n        first: {terms: [dupe, inspired by]}\n"
        "        second: {terms: [stanley, yeti]}\n");
    struct found_list l;
    scan_text(rs,
              "{\"sku\":\"1\",\"title\":\"Stanley dupe tumbler\"}\n"
              "{\"sku\":\"2\",\"title\":\"dupe of the famous Yeti\"}\n"
              "{\"sku\":\"3\",\"title\":\"inspired by nature, not a Yeti cup\"}\n",
              IPR_INPUT_JSONL, &l);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].matched, "Stanley dupe");
    ipr_ruleset_free(rs);
    rs = must_compile("rules:\n"
                      "  - id: T-NEAR3\n    title: n\n    severity: high\n    fields: [title]\n"
                      "    match:\n      near:\n        words: 3\n"
                      "        first: {terms: [dupe]}\n        second: {terms: [yeti]}\n");
    scan_text(rs, "{\"sku\":\"2\",\"title\":\"dupe of the famous Yeti\"}\n", IPR_INPUT_JSONL, &l);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].matched, "dupe of the famous Yeti");
    ipr_ruleset_free(rs);
}

static void test_fingerprint_ignores_line_moves(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile("rules:\n"
                                   "  - id: T-FP\n    title: f\n    severity: high\n"
                                   "    fields: [title]\n    match: {terms: [replica]}\n");
    struct found_list a, b;
    scan_text(rs, "sku,title\nX1,Replica watch\n", IPR_INPUT_CSV, &a);
    scan_text(rs, "sku,title\nX0,other\nX2,nothing\nX1,REPLICA   watch\n", IPR_INPUT_CSV, &b);
    assert_int_equal(a.count, 1);
    assert_int_equal(b.count, 1);
    assert_int_not_equal(a.items[0].line, b.items[0].line);
    assert_string_equal(a.items[0].fingerprint, b.items[0].fingerprint);
    assert_int_equal(strlen(a.items[0].fingerprint), 16);
    struct found_list c;
    scan_text(rs, "sku,title\nX9,Replica watch\n", IPR_INPUT_CSV, &c);
    assert_string_not_equal(a.items[0].fingerprint, c.items[0].fingerprint);
    ipr_ruleset_free(rs);
}

static void test_order_is_field_then_offset_then_id(void **state)
{
    (void)state;
    ipr_ruleset *rs =
        must_compile("rules:\n"
                     "  - id: T-B\n    title: b\n    severity: low\n"
                     "    fields: [title, description]\n    match: {terms: [aaa]}\n"
                     "  - id: T-A\n    title: a\n    severity: low\n"
                     "    fields: [title, description]\n    match: {terms: [aaa, zzz]}\n");
    struct found_list l;
    scan_text(rs, "{\"sku\":\"1\",\"title\":\"zzz aaa\",\"description\":\"aaa\"}\n",
              IPR_INPUT_JSONL, &l);
    assert_int_equal(l.count, 5);
    assert_string_equal(l.items[0].rule, "T-A"); /* title 0: zzz */
    assert_string_equal(l.items[1].rule, "T-A"); /* title 4: aaa */
    assert_string_equal(l.items[2].rule, "T-B");
    assert_string_equal(l.items[3].field, "description");
    assert_string_equal(l.items[3].rule, "T-A");
    ipr_ruleset_free(rs);
}

static void test_compile_errors_have_positions(void **state)
{
    (void)state;
    expect_compile_error("rules:\n"
                         "  - id: T-BAD\n    title: b\n    severity: low\n    fields: [title]\n"
                         "    match: {regex: 'abc(def'}\n",
                         "regex does not compile");
    expect_compile_error("rules:\n"
                         "  - id: T-BAD\n    title: b\n    severity: low\n    fields: [title]\n"
                         "    match: {regex: '(a+)+b'}\n",
                         "10:21: nested unbounded quantifiers");
    expect_compile_error("rules:\n"
                         "  - id: T-BAD\n    title: b\n    severity: low\n    fields: [title]\n"
                         "    match: {regex: '(\\w+) \\1'}\n",
                         "backreferences");
    expect_compile_error("rules:\n"
                         "  - id: T-BAD\n    title: b\n    severity: low\n    fields: [title]\n"
                         "    match: {regex: '(*LIMIT_MATCH=99999999)a'}\n",
                         "leading (*VERB)");
    expect_compile_error("rules:\n"
                         "  - id: T-BAD\n    title: b\n    severity: low\n    fields: [price]\n"
                         "    match: {compare: 'price < * 3'}\n",
                         "bad compare expression");
}

static void test_duplicate_ids_across_packs(void **state)
{
    (void)state;
    const char *pack = PACK_HEAD "rules:\n  - id: T-DUP\n    title: d\n    severity: low\n"
                                 "    fields: [title]\n    match: {terms: [x]}\n";
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "a.yaml", pack, strlen(pack)), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "b.yaml", pack, strlen(pack)), IPR_OK);
    ipr_ruleset *rs = NULL;
    assert_int_equal(ipr_compiler_finish(c, &rs), IPR_ERULES);
    assert_null(rs);
    assert_int_equal(ipr_compiler_error_count(c), 1);
    const ipr_diag *d = ipr_compiler_diag(c, 0);
    assert_string_equal(d->file, "b.yaml");
    assert_non_null(strstr(d->message, "duplicate rule id 'T-DUP' (first in a.yaml:"));
    ipr_compiler_free(c);
}

static void test_catastrophic_regex_is_bounded(void **state)
{
    (void)state;
    /* accepted by the lint (no nesting) but slow by nature: the match limit
     * must end it and mark the record incomplete */
    ipr_ruleset *rs = must_compile("rules:\n"
                                   "  - id: T-SLOW\n    title: s\n    severity: low\n"
                                   "    fields: [title]\n"
                                   "    match: {regex: '(a|aa)*b'}\n");
    static char data[70000];
    size_t n = (size_t)snprintf(data, sizeof(data), "{\"sku\":\"1\",\"title\":\"");
    memset(data + n, 'a', 65536);
    n += 65536;
    snprintf(data + n, sizeof(data) - n, "cb\"}\n");
    ipr_reader *r = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("big", data, strlen(data), IPR_INPUT_JSONL, &r), IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    const ipr_record *rec;
    assert_int_equal(ipr_reader_next(r, &rec), IPR_OK);
    assert_int_equal(ipr_scanner_scan(s, rec, NULL, NULL), IPR_OK);
    assert_non_null(ipr_scanner_incomplete(s));
    ipr_scanner_free(s);
    ipr_reader_free(r);
    ipr_ruleset_free(rs);
}

/* Fields change places and names from record to record; a rule reads only
 * the fields it names, whatever the record before looked like (a path that
 * starts like the one before it, or is cut short of it, is another path). */
/* Patterns are JIT-compiled at their first match, in whichever thread
 * gets there first.  Threads that start together on a fresh ruleset must
 * all find what one thread finds: the compilation happens once, and no
 * thread matches a pattern while it is being compiled. */
struct first_match_race {
    const ipr_ruleset *rs;
    pthread_barrier_t *start;
    struct found_list found;
};

static const char race_text[] = "{\"sku\":\"1\",\"title\":\"mirror quality bag\"}\n"
                                "{\"sku\":\"2\",\"title\":\"a replica watch\"}\n"
                                "{\"sku\":\"3\",\"title\":\"AAA grade copy\"}\n"
                                "{\"sku\":\"4\",\"title\":\"super fake shoes\"}\n"
                                "{\"sku\":\"5\",\"title\":\"unbranded mug\"}\n"
                                "{\"sku\":\"6\",\"title\":\"1:1 original look\"}\n";

static void *scan_after_start(void *arg)
{
    struct first_match_race *race = arg;
    pthread_barrier_wait(race->start);
    scan_text(race->rs, race_text, IPR_INPUT_JSONL, &race->found);
    return NULL;
}

static void test_first_match_in_threads(void **state)
{
    (void)state;
    enum { THREADS = 4, ROUNDS = 8 };
    static const char *const want[][2] = {{"T-MIRROR", "mirror quality"},
                                          {"T-REPLICA", "replica"},
                                          {"T-GRADE", "AAA grade"},
                                          {"T-FAKE", "fake"},
                                          {"T-ONE", "1:1"}};
    for (int round = 0; round < ROUNDS; round++) {
        /* a fresh ruleset each round: nothing JIT-compiled yet */
        ipr_ruleset *rs =
            must_compile("rules:\n"
                         "  - {id: T-MIRROR, title: t, severity: high, fields: [title],\n"
                         "     match: {regex: '(?i)\\bmirror\\s+quality\\b'}}\n"
                         "  - {id: T-REPLICA, title: t, severity: high, fields: [title],\n"
                         "     match: {regex: '\\breplicas?\\b'}}\n"
                         "  - {id: T-GRADE, title: t, severity: high, fields: [title],\n"
                         "     match: {regex: '\\bA{3}\\s*grade\\b'}}\n"
                         "  - {id: T-FAKE, title: t, severity: high, fields: [title],\n"
                         "     match: {regex: '\\bfake\\b'}}\n"
                         "  - {id: T-ONE, title: t, severity: high, fields: [title],\n"
                         "     match: {regex: '\\b1:1\\b'}}\n");
        pthread_barrier_t start;
        assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
        struct first_match_race *races = calloc(THREADS, sizeof(*races));
        assert_non_null(races);
        pthread_t tids[THREADS];
        for (int t = 0; t < THREADS; t++) {
            races[t].rs = rs;
            races[t].start = &start;
            assert_int_equal(pthread_create(&tids[t], NULL, scan_after_start, &races[t]), 0);
        }
        for (int t = 0; t < THREADS; t++)
            assert_int_equal(pthread_join(tids[t], NULL), 0);
        pthread_barrier_destroy(&start);
        for (int t = 0; t < THREADS; t++) {
            const struct found_list *l = &races[t].found;
            assert_int_equal(l->records, 6);
            assert_int_equal(l->count, 5);
            for (size_t i = 0; i < 5; i++) {
                assert_string_equal(l->items[i].rule, want[i][0]);
                assert_string_equal(l->items[i].matched, want[i][1]);
            }
        }
        free(races);
        ipr_ruleset_free(rs);
    }
}

static void test_fields_move_between_records(void **state)
{
    (void)state;
    ipr_ruleset *rs = must_compile("rules:\n"
                                   "  - id: T-TITLE\n    title: t\n    severity: high\n"
                                   "    fields: [title]\n"
                                   "    match: {regex: '(?i)fake'}\n");
    struct found_list l;
    scan_text(rs,
              "{\"title\":\"fake one\",\"brand\":\"x\"}\n"
              "{\"brand\":\"fake two\",\"title\":\"fake three\"}\n"
              "{\"brand\":\"ok\",\"title_x\":\"fake four\"}\n"
              "{\"brand\":\"ok\",\"titl\":\"fake five\"}\n"
              "{\"brand\":\"ok\",\"title\":\"fake six\"}\n"
              "{\"title\":\"fake seven\"}\n",
              IPR_INPUT_JSONL, &l);
    assert_int_equal(l.records, 6);
    assert_int_equal(l.count, 4);
    const size_t records[] = {0, 1, 4, 5};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(l.items[i].record, records[i]);
        assert_string_equal(l.items[i].field, "title");
    }
    ipr_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regex_leaf_reports_span),
        cmocka_unit_test(test_terms_word_bounded_and_cjk),
        cmocka_unit_test(test_terms_of_repeated_values),
        cmocka_unit_test(test_field_constraints),
        cmocka_unit_test(test_compare_numeric_and_string),
        cmocka_unit_test(test_combinators_and_unless_overlap),
        cmocka_unit_test(test_near_either_order),
        cmocka_unit_test(test_fingerprint_ignores_line_moves),
        cmocka_unit_test(test_order_is_field_then_offset_then_id),
        cmocka_unit_test(test_compile_errors_have_positions),
        cmocka_unit_test(test_duplicate_ids_across_packs),
        cmocka_unit_test(test_catastrophic_regex_is_bounded),
        cmocka_unit_test(test_fields_move_between_records),
        cmocka_unit_test(test_first_match_in_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
