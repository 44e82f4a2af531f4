/*
 * test_registry_files.c - registry files read on several threads give what
 * reading them one after the other gives: registry_append joins a registry
 * to another as if its file had been read after theirs, and
 * ipr_compiler_add_trademark_files returns the same status, diagnostics,
 * marks and rules digest for every thread count.
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

#include "base/buf.h"
#include "base/sha256.h"
#include "compile/ruleset.h"
#include "compiler_diags.h"
#include "iprcheck.h"
#include "registry/registry.h"

/* A YAML registry of n marks named <prefix>0 ..; every seventh has
 * aliases, every fifth an owner starting with its name, the others one
 * of 37 owners. */
static char *yaml_marks(const char *prefix, size_t n)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "registry: t\nversion: '1'\nmarks:\n"), IPR_OK);
    for (size_t i = 0; i < n; i++) {
        char owner[64];
        if (i % 5)
            snprintf(owner, sizeof(owner), "Owner %zu", i % 37);
        else
            snprintf(owner, sizeof(owner), "%s%zu Holdings", prefix, i);
        assert_int_equal(buf_printf(&b,
                                    "  - {mark: %s%zu, owner: '%s', classes: [%zu], "
                                    "jurisdictions: [US, %s]%s}\n",
                                    prefix, i, owner, 1 + i % 45, i % 2 ? "EU" : "CN",
                                    i % 7 ? "" : ", aliases: [Alias One, Alias Two]"),
                         IPR_OK);
    }
    return buf_detach(&b);
}

static char *csv_marks(const char *prefix, size_t n)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_append_str(&b, "mark,aliases,owner,classes,jurisdictions\n"), IPR_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(buf_printf(&b, "%s%zu,%s,%s%zu Ltd.,%zu|%zu,GB|%s\n", prefix, i,
                                    i % 3 ? "" : "Other Name", prefix, i, 1 + i % 45,
                                    1 + (i * 7) % 45, i % 2 ? "JP" : "KR"),
                         IPR_OK);
    return buf_detach(&b);
}

static void expect_same_registry(const struct registry *a, const struct registry *b)
{
    assert_int_equal(a->mark_count, b->mark_count);
    assert_int_equal(a->text.len, b->text.len);
    assert_memory_equal(a->text.data, b->text.data, a->text.len);
    assert_int_equal(a->shared.len, b->shared.len);
    assert_memory_equal(a->shared.data, b->shared.data, a->shared.len);
    assert_int_equal(a->mores.len, b->mores.len);
    for (size_t i = 0; i < a->mark_count; i++) {
        const struct mark_def *x = registry_mark(a, i), *y = registry_mark(b, i);
        assert_int_equal(x->name, y->name);
        assert_int_equal(x->owner, y->owner);
        assert_int_equal(x->jurisdictions, y->jurisdictions); /* or where its record is */
        struct arena scratch;
        arena_init(&scratch, 0);
        const char *codes_a = mark_jurisdictions(a, x, &scratch);
        assert_non_null(codes_a);
        assert_string_equal(codes_a, mark_jurisdictions(b, y, &scratch));
        arena_release(&scratch);
        assert_int_equal(x->profile, y->profile);
        assert_int_equal(mark_profile(a, x), mark_profile(b, y));
        struct mark_more mx = mark_more_of(a, x), my = mark_more_of(b, y);
        assert_int_equal(mx.alias_count, my.alias_count);
        for (size_t k = 0; k < mx.alias_count; k++)
            assert_string_equal(mx.aliases[k], my.aliases[k]);
    }
}

static void load(struct registry *r, struct arena *arena, struct diag_list *d, const char *file,
                 const char *text)
{
    assert_int_equal(registry_load_marks(r, arena, d, file, text, strlen(text)), IPR_OK);
}

/* 1,500 and 700 marks: the second registry's marks start inside a block. */
static void test_append_is_reading_after(void **state)
{
    (void)state;
    char *first = yaml_marks("Alpha", 1500), *second = csv_marks("Beta", 700);
    struct arena arena;
    arena_init(&arena, 0);
    struct diag_list d;
    diag_list_init(&d);
    struct registry one, a, b, empty;
    registry_init(&one);
    registry_init(&a);
    registry_init(&b);
    registry_init(&empty);
    load(&one, &arena, &d, "first.yaml", first);
    load(&one, &arena, &d, "second.csv", second);
    load(&a, &arena, &d, "first.yaml", first);
    load(&b, &arena, &d, "second.csv", second);
    assert_int_equal(diag_count(&d), 0);
    assert_int_equal(registry_append(&empty, &a), IPR_OK); /* into nothing: as it was */
    assert_int_equal(a.mark_count, 0);
    assert_int_equal(a.text.len, 0);
    assert_int_equal(registry_append(&empty, &b), IPR_OK);
    assert_int_equal(b.mark_count, 0);
    expect_same_registry(&empty, &one);
    assert_int_equal(empty.mark_count, 2200);
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    assert_string_equal(mark_name(&empty, registry_mark(&empty, 1500), spelled), "Beta0");
    assert_string_equal(mark_jurisdictions(&empty, registry_mark(&empty, 1501), &arena), "GB|JP");
    assert_string_equal(mark_owner(&empty, registry_mark(&empty, 1501), &arena), "Beta1 Ltd.");
    assert_int_equal(registry_append(&empty, &b), IPR_OK); /* an empty registry adds nothing */
    expect_same_registry(&empty, &one);
    registry_release(&one);
    registry_release(&a);
    registry_release(&b);
    registry_release(&empty);
    diag_list_release(&d);
    arena_release(&arena);
    free(first);
    free(second);
}

/* How many of the registry's shared strings are s. */
static size_t shared_copies(const struct registry *r, const char *s);

static size_t marks_with_more(const struct registry *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->mark_count; i++)
        n += mark_has_more(r, registry_mark(r, i));
    return n;
}

/* A file the plain-YAML reader takes up to its last mark, whose escape
 * makes it decline after every other mark went out: libyaml reads the file
 * again, and the marks, owners and messages of the first reading are
 * forgotten, so each comes once, after the marks read before the file. */
static void test_late_decline_read_once(void **state)
{
    (void)state;
    char *marks = yaml_marks("Gamma", 300), *before = csv_marks("Beta", 40);
    struct buf text;
    buf_init(&text, 0);
    /* the first mark has a key no mark has: one message */
    assert_int_equal(buf_printf(&text,
                                "registry: t\nmarks:\n  - {mark: Odd, colour: red}\n%s"
                                "  - {mark: \"Last\\tOne\", owner: Owner 5}\n",
                                strstr(marks, "marks:\n") + strlen("marks:\n")),
                     IPR_OK);
    struct arena arena;
    arena_init(&arena, 0);
    struct diag_list d;
    diag_list_init(&d);
    struct registry r;
    registry_init(&r);
    load(&r, &arena, &d, "before.csv", before);
    assert_int_equal(registry_load_marks(&r, &arena, &d, "late.yaml", buf_str(&text), text.len),
                     IPR_ERULES);
    assert_int_equal(diag_count(&d), 1);
    assert_int_equal(diag_get(&d, 0)->line, 3);
    assert_int_equal(r.mark_count, 40 + 1 + 300 + 1);
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    assert_string_equal(mark_name(&r, registry_mark(&r, 40), spelled), "Odd");
    assert_string_equal(mark_name(&r, registry_mark(&r, 41), spelled), "Gamma0");
    assert_string_equal(mark_name(&r, registry_mark(&r, 341), spelled), "Last\tOne");
    assert_string_equal(mark_owner(&r, registry_mark(&r, 341), &arena), "Owner 5");
    assert_int_equal(shared_copies(&r, "Owner 5"), 1);
    assert_int_equal(marks_with_more(&r), 14 + 43); /* every third of the CSV, every seventh */
    registry_release(&r);
    diag_list_release(&d);
    arena_release(&arena);
    buf_release(&text);
    free(marks);
    free(before);
}

static size_t shared_copies(const struct registry *r, const char *s)
{
    size_t copies = 0;
    for (size_t at = 1; at < r->shared.len; at += strlen(r->shared.data + at) + 1)
        copies += strcmp(r->shared.data + at, s) == 0;
    return copies;
}

/* An owner or a list of jurisdictions that marks of two files name is
 * kept once, whether the files are read one after the other or apart and
 * joined. */
static void test_shared_strings_kept_once(void **state)
{
    (void)state;
    enum { MARKS = 100 }; /* more owners than the index's first size takes */
    char *first = yaml_marks("Alpha", MARKS), *second = yaml_marks("Gamma", MARKS);
    struct arena arena;
    arena_init(&arena, 0);
    struct diag_list d;
    diag_list_init(&d);
    struct registry one, a, b;
    registry_init(&one);
    registry_init(&a);
    registry_init(&b);
    load(&one, &arena, &d, "first.yaml", first);
    load(&one, &arena, &d, "second.yaml", second);
    load(&a, &arena, &d, "first.yaml", first);
    load(&b, &arena, &d, "second.yaml", second);
    registry_loaded(&a); /* joining makes its index again */
    assert_int_equal(registry_append(&a, &b), IPR_OK);
    expect_same_registry(&a, &one);
    assert_int_equal(shared_copies(&one, " Holdings"), 1);
    assert_int_equal(shared_copies(&a, " Holdings"), 1);
    struct jurisdictions_map map;
    jurisdictions_map_init(&map);
    static const char *const after_us[] = {"EU", "CN"}; /* "US|EU", "US|CN" */
    for (size_t k = 0; k < sizeof(after_us) / sizeof(after_us[0]); k++) {
        struct jurisdictions_list list; /* as kept: a byte a code */
        jurisdictions_list_init(&list, &map);
        assert_int_equal(jurisdictions_list_add(&list, "US", 2), IPR_OK);
        assert_int_equal(jurisdictions_list_add(&list, after_us[k], 2), IPR_OK);
        assert_int_equal(jurisdictions_list_done(&list), IPR_OK);
        assert_int_equal(list.kept.len, 2);
        assert_int_equal(shared_copies(&one, list.kept.data), 1);
        assert_int_equal(shared_copies(&a, list.kept.data), 1);
        jurisdictions_list_release(&list);
    }
    for (size_t k = 0; k < 37; k++) {
        char owner[32];
        snprintf(owner, sizeof(owner), "Owner %zu", k);
        assert_int_equal(shared_copies(&one, owner), 1);
        assert_int_equal(shared_copies(&a, owner), 1);
    }
    const struct mark_def *alpha = registry_mark(&one, 41),
                          *gamma = registry_mark(&one, MARKS + 41);
    assert_string_equal(mark_owner(&one, gamma, &arena), "Owner 4");
    assert_int_equal(alpha->owner, gamma->owner);
    assert_string_equal(mark_jurisdictions(&one, alpha, &arena),
                        mark_jurisdictions(&one, gamma, &arena));
    assert_string_equal(mark_owner(&a, registry_mark(&a, MARKS), &arena), "Gamma0 Holdings");
    registry_release(&one);
    registry_release(&a);
    registry_release(&b);
    diag_list_release(&d);
    arena_release(&arena);
    free(first);
    free(second);
}

struct files {
    char dir[64];
    char *paths[8];
    size_t count;
};

static void write_file(struct files *f, const char *name, const char *text)
{
    char *path = malloc(strlen(f->dir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", f->dir, name);
    if (text) {
        FILE *out = fopen(path, "wb");
        assert_non_null(out);
        assert_int_equal(fwrite(text, 1, strlen(text), out), strlen(text));
        fclose(out);
    }
    f->paths[f->count++] = path;
}

static void remove_files(struct files *f)
{
    for (size_t i = 0; i < f->count; i++) {
        unlink(f->paths[i]);
        free(f->paths[i]);
    }
    rmdir(f->dir);
}

static const char pack[] = "pack: t\nstage: marketing\nversion: '1'\ntitle: t\nrules:\n"
                           "  - id: T-MARK\n    title: mark\n    severity: high\n"
                           "    fields: [title]\n    match: {mark: any}\n";

struct outcome {
    ipr_status add, finish;
    struct diag_list diags;
    ipr_ruleset *rs;
};

/* threads 0: ipr_compiler_add_trademarks file by file.  With the
 * built-in registry, its marks come first. */
static void compile(const struct files *f, unsigned threads, bool builtin, struct outcome *out)
{
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    assert_int_equal(ipr_compiler_add_string(c, "pack.yaml", pack, strlen(pack)), IPR_OK);
    if (builtin)
        assert_int_equal(ipr_compiler_add_builtin_trademarks(c), IPR_OK);
    if (threads == 0) {
        out->add = IPR_OK;
        for (size_t i = 0; i < f->count; i++) {
            ipr_status st = ipr_compiler_add_trademarks(c, f->paths[i]);
            if (out->add == IPR_OK)
                out->add = st;
        }
    } else {
        out->add =
            ipr_compiler_add_trademark_files(c, (const char *const *)f->paths, f->count, threads);
    }
    out->rs = NULL;
    out->finish = ipr_compiler_finish(c, &out->rs);
    compiler_diags_copy(c, &out->diags);
    ipr_compiler_free(c);
}

static void expect_same_outcome(const struct outcome *a, const struct outcome *b)
{
    assert_int_equal(a->add, b->add);
    assert_int_equal(a->finish, b->finish);
    compiler_diags_expect_same(&a->diags, &b->diags);
    assert_int_equal(a->rs != NULL, b->rs != NULL);
    if (a->rs) {
        assert_string_equal(a->rs->sha256, b->rs->sha256);
        expect_same_registry(&a->rs->registry, &b->rs->registry);
    }
}

static void release(struct outcome *o)
{
    diag_list_release(&o->diags);
    ipr_ruleset_free(o->rs);
}

static void expect_every_thread_count_alike(const struct files *f, bool builtin, size_t marks)
{
    struct outcome one;
    compile(f, 0, builtin, &one);
    if (marks) {
        assert_non_null(one.rs);
        assert_true(builtin ? one.rs->registry.mark_count > marks
                            : one.rs->registry.mark_count == marks);
        const struct registry *r = &one.rs->registry;
        char spelled[MARK_SPELLED_NAME_MAX + 1];
        assert_string_equal(mark_name(r, registry_mark(r, r->mark_count - marks), spelled),
                            "Alpha0");
    }
    static const unsigned threads[] = {1, 2, 3, 8};
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        struct outcome other;
        compile(f, threads[t], builtin, &other);
        expect_same_outcome(&one, &other);
        release(&other);
    }
    release(&one);
}

static void test_files_on_threads_good(void **state)
{
    (void)state;
    struct files f = {.dir = "/tmp/iprcheck-regfiles-XXXXXX"};
    assert_non_null(mkdtemp(f.dir));
    char *texts[4] = {yaml_marks("Alpha", 1500), csv_marks("Beta", 700), yaml_marks("Gamma", 3),
                      csv_marks("Delta", 2100)};
    write_file(&f, "a.yaml", texts[0]);
    write_file(&f, "b.csv", texts[1]);
    write_file(&f, "c.yaml", texts[2]);
    write_file(&f, "d.csv", texts[3]);
    /* read again by libyaml after its first 1,500 marks (test_late_decline_read_once) */
    struct buf late;
    buf_init(&late, 0);
    assert_int_equal(buf_printf(&late, "%s  - {mark: \"Late\\tOne\"}\n", texts[0]), IPR_OK);
    write_file(&f, "e.yaml", buf_str(&late));
    expect_every_thread_count_alike(&f, false, 1500 + 700 + 3 + 2100 + 1501);
    expect_every_thread_count_alike(&f, true, 1500 + 700 + 3 + 2100 + 1501);
    remove_files(&f);
    buf_release(&late);
    for (size_t i = 0; i < 4; i++)
        free(texts[i]);
}

/* Files over 256 KB are read into huge pages, and a text parsed is the
 * buffer the next file is read into: a shorter file after a longer one
 * (the longer one's bytes still behind its end), a file too large for the
 * buffer after them, and a short one after that. */
static void test_large_files_reuse_texts(void **state)
{
    (void)state;
    struct files f = {.dir = "/tmp/iprcheck-regfiles-XXXXXX"};
    assert_non_null(mkdtemp(f.dir));
    char *texts[4] = {yaml_marks("Alpha", 9000), csv_marks("Beta", 9000),
                      yaml_marks("Gamma", 30000), yaml_marks("Delta", 3500)};
    static const char *const names[4] = {"a.yaml", "b.csv", "c.yaml", "d.yaml"};
    for (size_t i = 0; i < 4; i++) {
        assert_true(strlen(texts[i]) > 256 * 1024);
        write_file(&f, names[i], texts[i]);
    }
    assert_true(strlen(texts[2]) > 2 * 1024 * 1024);
    expect_every_thread_count_alike(&f, false, 9000 + 9000 + 30000 + 3500);
    remove_files(&f);
    for (size_t i = 0; i < 4; i++)
        free(texts[i]);
}

/* The rules digest: for each source in the order it was added, its name
 * with its NUL and the sha256 of its text, on one thread and on several. */
static void test_rules_digest_of_sources(void **state)
{
    (void)state;
    struct files f = {.dir = "/tmp/iprcheck-regfiles-XXXXXX"};
    assert_non_null(mkdtemp(f.dir));
    char *texts[3] = {yaml_marks("Alpha", 40), csv_marks("Beta", 30), yaml_marks("Gamma", 3500)};
    write_file(&f, "a.yaml", texts[0]);
    write_file(&f, "b.csv", texts[1]);
    write_file(&f, "c.yaml", texts[2]);
    struct sha256 all;
    sha256_init(&all);
    const char *names[4] = {"pack.yaml", f.paths[0], f.paths[1], f.paths[2]};
    const char *sources[4] = {pack, texts[0], texts[1], texts[2]};
    for (size_t i = 0; i < 4; i++) {
        struct sha256 one;
        unsigned char sum[32];
        sha256_init(&one);
        sha256_update(&one, sources[i], strlen(sources[i]));
        sha256_final(&one, sum);
        sha256_update(&all, names[i], strlen(names[i]) + 1);
        sha256_update(&all, sum, sizeof(sum));
    }
    unsigned char digest[32];
    char hex[65];
    sha256_final(&all, digest);
    sha256_hex(digest, sizeof(digest), hex);
    static const unsigned threads[] = {0, 1, 2};
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        struct outcome o;
        compile(&f, threads[t], false, &o);
        assert_non_null(o.rs);
        assert_string_equal(ipr_ruleset_sha256(o.rs), hex);
        release(&o);
    }
    remove_files(&f);
    for (size_t i = 0; i < 3; i++)
        free(texts[i]);
}

/* Errors in two files, a file that is not there and one that is a
 * folder: the same messages in the same order, the same status. */
static void test_files_on_threads_with_errors(void **state)
{
    (void)state;
    struct files f = {.dir = "/tmp/iprcheck-regfiles-XXXXXX"};
    assert_non_null(mkdtemp(f.dir));
    char *good = yaml_marks("Alpha", 50);
    write_file(&f, "good.yaml", good);
    write_file(&f, "bad.yaml",
               "registry: t\nversion: '1'\nmarks:\n  - {mark: X, classes: [99]}\n"
               "  - {mark: Y, status: unheard}\n  - {owner: nobody}\n");
    write_file(&f, "missing.yaml", NULL);
    write_file(&f, "bad.csv", "mark,classes\nA,1\nB,77\n\"unclosed,2\n");
    write_file(&f, "", NULL); /* the folder itself */
    expect_every_thread_count_alike(&f, false, 0);
    struct outcome o;
    compile(&f, 2, false, &o);
    assert_int_not_equal(o.add, IPR_OK);
    assert_null(o.rs);
    assert_true(diag_count(&o.diags) >= 5);
    release(&o);
    remove_files(&f);
    free(good);
}

/* A NULL path reads nothing; no files at all is no error. */
static void test_files_arguments(void **state)
{
    (void)state;
    ipr_compiler *c = NULL;
    assert_int_equal(ipr_compiler_new(&c), IPR_OK);
    const char *paths[] = {"/nonexistent/a.yaml", NULL};
    assert_int_equal(ipr_compiler_add_trademark_files(c, paths, 2, 2), IPR_EINVAL);
    assert_int_equal(ipr_compiler_diag_count(c), 0); /* the first was not tried either */
    assert_int_equal(ipr_compiler_add_trademark_files(c, NULL, 0, 2), IPR_OK);
    assert_int_equal(ipr_compiler_add_trademark_files(NULL, paths, 1, 2), IPR_EINVAL);
    ipr_compiler_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_is_reading_after),
        cmocka_unit_test(test_late_decline_read_once),
        cmocka_unit_test(test_shared_strings_kept_once),
        cmocka_unit_test(test_files_on_threads_good),
        cmocka_unit_test(test_large_files_reuse_texts),
        cmocka_unit_test(test_rules_digest_of_sources),
        cmocka_unit_test(test_files_on_threads_with_errors),
        cmocka_unit_test(test_files_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
