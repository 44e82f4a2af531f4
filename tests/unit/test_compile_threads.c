/*
 * test_compile_threads.c - ipr_compiler_finish on two threads or more
 * (ipr_compiler_set_threads: the mark set built beside the rules, and its
 * dictionary and names' near-miss keys beside the rest of it) gives
 * what one thread gives: the same status, the same diagnostics in the same
 * order, the same rules digest, and the same findings, span for span, on
 * records that meet marks exactly, spelled a letter off, as ordinary words
 * of the word list and through the built-in rules' regexes, with a
 * registry file or the built-in registry alone (which finish then reads
 * itself); also when the packs have errors.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compile/ruleset.h"
#include "compiler_diags.h"
#include "iprcheck.h"

/* A registry of its own beside the built-in one: a brand a letter off an
 * ordinary word of the word list below, and one that is not. */
static const char registry_yaml[] =
    "registry: t\nversion: '1'\nmarks:\n"
    "  - {mark: Tallowind, owner: Tallowind Ltd., classes: [25]}\n"
    "  - {mark: Harbor, owner: Harbor Goods Inc., classes: [25, 18]}\n";

static const char word_list[] = "harbour\nshoes\nleather\n";

/* A pack with errors: two regexes that do not compile. */
static const char bad_pack[] = "pack: bad\nstage: marketing\nversion: '1'\ntitle: bad\nrules:\n"
                               "  - id: BAD-1\n    title: one\n    severity: high\n"
                               "    fields: [title]\n    match: {mark: any}\n"
                               "  - id: BAD-2\n    title: two\n    severity: high\n"
                               "    fields: [title]\n    match: {regex: 'a(b'}\n"
                               "  - id: BAD-3\n    title: three\n    severity: high\n"
                               "    fields: [title]\n    match: {regex: '[z-a]'}\n";

static const char records[] =
    "{\"sku\":\"1\",\"title\":\"Nike Air running shoes, replica\"}\n"
    "{\"sku\":\"2\",\"title\":\"Guccy leather belt, 1:1 copy\",\"price\":12}\n"
    "{\"sku\":\"3\",\"title\":\"Tallowind jacket\",\"brand\":\"Talowind\"}\n"
    "{\"sku\":\"4\",\"title\":\"Harbour leather shoes\"}\n"
    "{\"sku\":\"5\",\"title\":\"Compatible with iPhone 15 case\",\"description\":"
    "\"Pay via Western Union only. Ships from our warehouse.\"}\n"
    "{\"sku\":\"6\",\"title\":\"Plain cotton tote bag\"}\n";

struct paths {
    char dir[64];
    char registry[96], words[96];
};

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
}

static void make_paths(struct paths *p)
{
    snprintf(p->dir, sizeof(p->dir), "/tmp/iprcheck-threads-XXXXXX");
    assert_non_null(mkdtemp(p->dir));
    snprintf(p->registry, sizeof(p->registry), "%s/marks.yaml", p->dir);
    snprintf(p->words, sizeof(p->words), "%s/words", p->dir);
    write_text(p->registry, registry_yaml);
    write_text(p->words, word_list);
}

static void remove_paths(const struct paths *p)
{
    unlink(p->registry);
    unlink(p->words);
    rmdir(p->dir);
}

struct outcome {
    ipr_status finish;
    struct diag_list diags;
    ipr_ruleset *rs;
};

/* The built-in packs and registry, the registry above when asked for
 * (without it the built-in registry is read in finish), the word list at words, and the pack with
 * errors when asked for, compiled by `threads`. */
static void compile(const struct paths *p, const char *words, bool own_registry, bool with_errors,
                    unsigned threads, struct outcome *out)
{
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    ipr_compiler_set_threads(c, threads);
    assert_int_equal(ipr_compiler_add_builtin(c), IPR_OK);
    assert_int_equal(ipr_compiler_add_builtin_trademarks(c), IPR_OK);
    if (own_registry)
        assert_int_equal(ipr_compiler_add_trademarks(c, p->registry), IPR_OK);
    assert_int_equal(ipr_compiler_set_word_list(c, words), IPR_OK);
    assert_int_equal(ipr_compiler_set_reference_date(c, "2026-01-15"), IPR_OK);
    if (with_errors)
        ipr_compiler_add_string(c, "bad.yaml", bad_pack, strlen(bad_pack));
    out->rs = NULL;
    out->finish = ipr_compiler_finish(c, &out->rs);
    compiler_diags_copy(c, &out->diags);
    ipr_compiler_free(c);
}

static int on_finding(const ipr_finding *f, void *user)
{
    char *out = user;
    size_t n = strlen(out);
    snprintf(out + n, 8192 - n, "%s:%s@%zu-%zu:%s;", f->rule->id, f->field, f->span_start,
             f->span_end, f->message);
    return 0;
}

/* Every finding of every record above, in order, as text. */
static void findings(const ipr_ruleset *rs, char out[8192])
{
    ipr_reader *rd = NULL;
    ipr_scanner *s = NULL;
    assert_int_equal(ipr_reader_open_mem("input", records, strlen(records), IPR_INPUT_JSONL, &rd),
                     IPR_OK);
    assert_int_equal(ipr_scanner_new(rs, &s), IPR_OK);
    out[0] = '\0';
    const ipr_record *rec;
    while (ipr_reader_next(rd, &rec) == IPR_OK) {
        assert_int_equal(ipr_scanner_scan(s, rec, on_finding, out), IPR_OK);
        strcat(out, "|");
        assert_true(strlen(out) + 256 < 8192); /* nothing cut off */
    }
    ipr_scanner_free(s);
    ipr_reader_free(rd);
}

static void expect_same(const struct outcome *a, const struct outcome *b)
{
    assert_int_equal(a->finish, b->finish);
    compiler_diags_expect_same(&a->diags, &b->diags);
    assert_int_equal(a->rs != NULL, b->rs != NULL);
    if (!a->rs)
        return;
    assert_string_equal(a->rs->sha256, b->rs->sha256);
    static char fa[8192], fb[8192];
    findings(a->rs, fa);
    findings(b->rs, fb);
    assert_string_equal(fa, fb);
}

static void release(struct outcome *o)
{
    diag_list_release(&o->diags);
    ipr_ruleset_free(o->rs);
}

/* One thread against 2, 3 and 8; the one-thread outcome checked by
 * `check` first, so that alike is not alike in emptiness. */
static void expect_every_thread_count_alike(const struct paths *p, const char *words,
                                            bool own_registry, bool with_errors,
                                            void (*check)(const struct outcome *one))
{
    struct outcome one;
    compile(p, words, own_registry, with_errors, 1, &one);
    check(&one);
    static const unsigned threads[] = {2, 3, 8};
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        struct outcome other;
        compile(p, words, own_registry, with_errors, threads[t], &other);
        expect_same(&one, &other);
        release(&other);
    }
    release(&one);
}

/* The n-th record's findings (from 0) in the text of findings(). */
static const char *record_findings(const char *text, size_t n)
{
    for (; n > 0; n--) {
        text = strchr(text, '|');
        assert_non_null(text);
        text++;
    }
    return text;
}

/* A clean compilation with a mark set; its findings into text.  Found
 * whatever the registries: a built-in mark, one a letter off, a regex of
 * the built-in packs. */
static void expect_builtin_findings(const struct outcome *one, char text[8192])
{
    assert_int_equal(one->finish, IPR_OK);
    assert_non_null(one->rs);
    assert_non_null(one->rs->marks);
    findings(one->rs, text);
    assert_non_null(strstr(record_findings(text, 0), "a copy of Nike"));
    assert_non_null(strstr(record_findings(text, 1), "\"Guccy\" in title looks like a misspelled"));
    assert_non_null(strstr(record_findings(text, 4), "\"Pay via Western Union\""));
}

static void check_clean(const struct outcome *one)
{
    static char text[8192];
    expect_builtin_findings(one, text);
    /* the registry's own mark, exactly and a letter off */
    assert_non_null(strstr(record_findings(text, 2), "names \"Tallowind\""));
    assert_non_null(strstr(record_findings(text, 2), "\"Talowind\" (Tallowind, Tallowind Ltd.)"));
    /* "Harbour" is an ordinary word of the word list: no near-miss of Harbor */
    assert_true(record_findings(text, 3)[0] == '|');
    assert_true(record_findings(text, 5)[0] == '|');
}

static void test_clean_packs(void **state)
{
    struct paths *p = *state;
    expect_every_thread_count_alike(p, p->words, true, false, check_clean);
}

static void check_builtin_only(const struct outcome *one)
{
    static char text[8192];
    expect_builtin_findings(one, text);
    /* the registry of its own was not added: its marks are not found */
    assert_null(strstr(record_findings(text, 2), "Tallowind"));
}

/* Only the built-in registry, which finish then reads itself. */
static void test_builtin_registry_only(void **state)
{
    struct paths *p = *state;
    expect_every_thread_count_alike(p, p->words, false, false, check_builtin_only);
}

static void check_errors(const struct outcome *one)
{
    assert_int_equal(one->finish, IPR_ERULES);
    assert_null(one->rs);
    size_t bad = 0;
    for (size_t i = 0; i < diag_count(&one->diags); i++)
        bad += strcmp(diag_get(&one->diags, i)->file, "bad.yaml") == 0;
    assert_true(bad >= 2);
}

static void test_packs_with_errors(void **state)
{
    struct paths *p = *state;
    expect_every_thread_count_alike(p, p->words, true, true, check_errors);
    expect_every_thread_count_alike(p, p->words, false, true, check_errors);
}

static int setup(void **state)
{
    static struct paths p;
    make_paths(&p);
    *state = &p;
    return 0;
}

static int teardown(void **state)
{
    remove_paths(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_packs),
        cmocka_unit_test(test_builtin_registry_only),
        cmocka_unit_test(test_packs_with_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
