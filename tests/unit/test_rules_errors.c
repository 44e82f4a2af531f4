/*
 * test_rules_errors.c - broken rule packs and the exact diagnostics they give.
 *
 * Every tests/rule-errors/NAME.yaml has NAME.expected: one diagnostic per
 * line, `LINE:COL: MESSAGE`, sorted by position; a diagnostic about another
 * file (a term file) is `FILE:LINE:COL: MESSAGE` with FILE relative to the
 * folder.  A mismatch fails with a diff.  Setting IPR_UPDATE_GOLDEN=1
 * rewrites the .expected files instead; review the diff before keeping it.
 * Limits that need large or binary input are generated here.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/limits.h"
#include "rules/rule_load.h"

#define ERRORS_DIR IPR_SOURCE_DIR "/tests/rule-errors/"
#define GOOD_DIR   ERRORS_DIR "good/"

/* ---- loading and comparing ------------------------------------------------------------- */

static ipr_status read_beside(void *user, const char *pack_file, const char *rel, char **data,
                              size_t *len)
{
    (void)user;
    if (rel[0] == '/' || strstr(rel, ".."))
        return IPR_EINVAL; /* the compiler's rule: stay inside the pack's folder */
    const char *slash = strrchr(pack_file, '/');
    size_t dir_len = slash ? (size_t)(slash - pack_file) + 1 : 0;
    char path[4096];
    if (dir_len + strlen(rel) >= sizeof(path))
        return IPR_EIO;
    memcpy(path, pack_file, dir_len);
    memcpy(path + dir_len, rel, strlen(rel) + 1);
    FILE *f = fopen(path, "rb");
    if (!f)
        return IPR_EIO;
    struct buf b;
    buf_init(&b, IPR_MAX_TERM_FILE_BYTES);
    char chunk[4096];
    size_t n;
    ipr_status st = IPR_OK;
    while (st == IPR_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        st = buf_append(&b, chunk, n);
    fclose(f);
    if (st == IPR_OK)
        st = buf_reserve(&b, 0);
    if (st != IPR_OK) {
        buf_release(&b);
        return st;
    }
    *len = b.len;
    *data = buf_detach(&b);
    return IPR_OK;
}

/* NULL when the file does not exist. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        assert_int_equal(buf_append(&b, chunk, n), IPR_OK);
    fclose(f);
    assert_int_equal(buf_reserve(&b, 0), IPR_OK);
    *len = b.len;
    return buf_detach(&b);
}

struct run {
    struct arena arena;
    struct diag_list diags;
    struct rule_pack *pack;
    ipr_status status;
};

static void run_load(struct run *r, const char *file, const char *text, size_t len)
{
    arena_init(&r->arena, 0);
    diag_list_init(&r->diags);
    struct rule_load_ctx ctx = {&r->arena, &r->diags, read_beside, NULL};
    r->pack = NULL;
    r->status = rule_load_pack(&ctx, file, text, len, &r->pack);
    diag_sort(&r->diags);
}

static void run_release(struct run *r)
{
    arena_release(&r->arena);
    diag_list_release(&r->diags);
}

/* The diagnostics as .expected lines; pack_file's own are shown without it. */
static void format_diags(const struct run *r, const char *pack_file, struct buf *out)
{
    for (size_t i = 0; i < diag_count(&r->diags); i++) {
        const ipr_diag *d = diag_get(&r->diags, i);
        assert_int_equal(d->level, IPR_DIAG_ERROR);
        if (strcmp(d->file, pack_file) != 0) {
            const char *shown = d->file;
            if (strncmp(shown, ERRORS_DIR, strlen(ERRORS_DIR)) == 0)
                shown += strlen(ERRORS_DIR);
            assert_int_equal(buf_printf(out, "%s:", shown), IPR_OK);
        }
        assert_int_equal(buf_printf(out, "%u:%u: %s\n", d->line, d->col, d->message), IPR_OK);
    }
}

/* Splits text into lines (in place). */
static size_t split_lines(char *text, char **lines, size_t cap)
{
    size_t n = 0;
    for (char *p = text; *p && n < cap;) {
        char *nl = strchr(p, '\n');
        lines[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

/* Prints a line diff (longest common subsequence; the files are small). */
static void print_diff(char *expected, char *actual)
{
    enum { MAX_LINES = 256 };
    static char *a[MAX_LINES], *b[MAX_LINES];
    static unsigned short lcs[MAX_LINES + 1][MAX_LINES + 1];
    size_t na = split_lines(expected, a, MAX_LINES), nb = split_lines(actual, b, MAX_LINES);
    for (size_t i = na + 1; i-- > 0;)
        for (size_t j = nb + 1; j-- > 0;)
            lcs[i][j] = (i == na || j == nb) ? 0
                        : strcmp(a[i], b[j]) == 0
                            ? (unsigned short)(lcs[i + 1][j + 1] + 1)
                            : (lcs[i + 1][j] > lcs[i][j + 1] ? lcs[i + 1][j] : lcs[i][j + 1]);
    print_message("--- expected\n+++ actual\n");
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && strcmp(a[i], b[j]) == 0) {
            print_message("  %s\n", a[i]);
            i++, j++;
        } else if (j < nb && (i == na || lcs[i][j + 1] >= lcs[i + 1][j])) {
            print_message("+ %s\n", b[j++]);
        } else {
            print_message("- %s\n", a[i++]);
        }
    }
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Sorted names in dir ending with suffix (malloc'd). */
static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof(char *));
    assert_non_null(names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name), sl = strlen(suffix);
        if (len <= sl || strcmp(e->d_name + len - sl, suffix) != 0)
            continue;
        if (n == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof(char *));
            assert_non_null(names);
        }
        names[n] = malloc(len + 1);
        assert_non_null(names[n]);
        memcpy(names[n++], e->d_name, len + 1);
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp_name);
    *out = names;
    return n;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- the golden cases ------------------------------------------------------------------ */

/* Returns true when the pack gave exactly the expected diagnostics. */
static bool check_case(const char *name, bool update)
{
    char pack_path[1024], exp_path[1024];
    size_t base = strlen(name) - strlen(".yaml");
    snprintf(pack_path, sizeof(pack_path), "%s%s", ERRORS_DIR, name);
    snprintf(exp_path, sizeof(exp_path), "%s%.*s.expected", ERRORS_DIR, (int)base, name);
    size_t len, exp_len = 0;
    char *text = slurp(pack_path, &len);
    assert_non_null(text);
    struct run r;
    run_load(&r, pack_path, text, len);
    struct buf actual;
    buf_init(&actual, 0);
    format_diags(&r, pack_path, &actual);
    bool ok = true;
    if (r.status != IPR_ERULES || r.pack || r.diags.error_count == 0) {
        print_message("%s: status %d, expected IPR_ERULES and no pack\n", name, (int)r.status);
        ok = false;
    }
    if (update) {
        FILE *f = fopen(exp_path, "wb");
        assert_non_null(f);
        fwrite(buf_str(&actual), 1, actual.len, f);
        fclose(f);
    }
    char *expected = slurp(exp_path, &exp_len);
    if (!expected) {
        print_message("%s: missing %s\n", name, exp_path);
        ok = false;
    } else if (strcmp(expected, buf_str(&actual)) != 0) {
        print_message("%s: diagnostics differ\n", name);
        char *act = buf_detach(&actual);
        print_diff(expected, act ? act : (char[]){""});
        free(act);
        ok = false;
    }
    free(expected);
    buf_release(&actual);
    run_release(&r);
    free(text);
    return ok;
}

static void test_every_broken_pack_gives_its_diagnostics(void **state)
{
    (void)state;
    const char *env = getenv("IPR_UPDATE_GOLDEN");
    bool update = env && strcmp(env, "1") == 0;
    char **names;
    size_t n = list_dir(ERRORS_DIR, ".yaml", &names);
    assert_true(n >= 25);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += !check_case(names[i], update);
    free_names(names, n);
    if (failed)
        fail_msg("%zu of %zu packs gave other diagnostics than expected", failed, n);
}

static void test_every_expected_file_has_a_pack(void **state)
{
    (void)state;
    char **names;
    size_t n = list_dir(ERRORS_DIR, ".expected", &names);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        size_t base = strlen(names[i]) - strlen(".expected");
        snprintf(path, sizeof(path), "%s%.*s.yaml", ERRORS_DIR, (int)base, names[i]);
        size_t len;
        char *text = slurp(path, &len);
        if (!text)
            fail_msg("%s has no pack", names[i]);
        free(text);
    }
    free_names(names, n);
}

static void test_good_packs_load_cleanly(void **state)
{
    (void)state;
    char **names;
    size_t n = list_dir(GOOD_DIR, ".yaml", &names);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s%s", GOOD_DIR, names[i]);
        size_t len;
        char *text = slurp(path, &len);
        assert_non_null(text);
        struct run r;
        run_load(&r, path, text, len);
        struct buf out;
        buf_init(&out, 0);
        format_diags(&r, path, &out);
        if (r.status != IPR_OK || diag_count(&r.diags))
            fail_msg("%s: status %d\n%s", names[i], (int)r.status, buf_str(&out));
        assert_non_null(r.pack);
        buf_release(&out);
        run_release(&r);
        free(text);
    }
    free_names(names, n);
}

/* ---- generated input: limits --------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads text and requires exactly one diagnostic. */
static void expect_one(const char *text, size_t len, uint32_t line, uint32_t col,
                       const char *message)
{
    struct run r;
    run_load(&r, "gen.yaml", text, len);
    assert_int_equal(r.status, IPR_ERULES);
    assert_null(r.pack);
    if (diag_count(&r.diags) != 1) {
        struct buf out;
        buf_init(&out, 0);
        format_diags(&r, "gen.yaml", &out);
        fail_msg("expected one diagnostic, got:\n%s", buf_str(&out));
    }
    const ipr_diag *d = diag_get(&r.diags, 0);
    assert_string_equal(d->message, message);
    assert_int_equal(d->line, line);
    assert_int_equal(d->col, col);
    run_release(&r);
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail, size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    *len = hl + ul * times + tl;
    char *p = malloc(*len + 1);
    assert_non_null(p);
    memcpy(p, head, hl);
    for (size_t i = 0; i < times; i++)
        memcpy(p + hl + i * ul, unit, ul);
    memcpy(p + hl + ul * times, tail, tl + 1);
    return p;
}

static void test_deep_nesting_fails_fast(void **state)
{
    (void)state;
    static const char *const units[] = {"[", "{a: ", "- "};
    for (size_t u = 0; u < 3; u++) {
        size_t len;
        char *text = repeat("", units[u], 40000, "x\n", &len);
        double t0 = now_seconds();
        struct run r;
        run_load(&r, "deep.yaml", text, len);
        double elapsed = now_seconds() - t0;
        assert_int_equal(r.status, IPR_ERULES);
        assert_int_equal(diag_count(&r.diags), 1);
        const ipr_diag *d = diag_get(&r.diags, 0);
        assert_string_equal(d->message, "nesting deeper than 64 levels");
        assert_int_equal(d->line, 1);
        assert_int_equal(d->col, 64 * strlen(units[u]) + 1);
        if (elapsed > 0.05)
            fail_msg("40,000 levels of '%s' took %.3f s to reject", units[u], elapsed);
        run_release(&r);
        free(text);
    }
}

static void test_depth_at_the_limit_is_accepted(void **state)
{
    (void)state;
    /* 64 levels: the root mapping, `terms`, the list ... nesting does not
     * itself fail, the schema does; no depth message */
    size_t len;
    char *head = repeat("", "[", 63, "", &len);
    char *tail = repeat("", "]", 63, "", &len);
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_printf(&text, "pack: %sx%s\n", head, tail), IPR_OK);
    struct run r;
    run_load(&r, "edge.yaml", buf_str(&text), text.len);
    assert_int_equal(r.status, IPR_ERULES);
    bool type_error = false;
    for (size_t i = 0; i < diag_count(&r.diags); i++) {
        const ipr_diag *d = diag_get(&r.diags, i);
        assert_null(strstr(d->message, "nesting"));
        type_error |= strcmp(d->message, "expected a string for 'pack', found a sequence") == 0 &&
                      d->line == 1 && d->col == 7;
    }
    assert_true(type_error);
    run_release(&r);
    buf_release(&text);
    free(head);
    free(tail);
}

static void test_oversized_scalar(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat("pack: p\ntitle: ", "x", IPR_YAML_MAX_SCALAR_BYTES + 1, "\n", &len);
    expect_one(text, len, 2, 8, "scalar longer than 262144 bytes");
    free(text);
    /* exactly at the limit it is a scalar like any other */
    text = repeat("title: ", "x", IPR_YAML_MAX_SCALAR_BYTES, "\n", &len);
    struct run r;
    run_load(&r, "gen.yaml", text, len);
    for (size_t i = 0; i < diag_count(&r.diags); i++)
        assert_null(strstr(diag_get(&r.diags, i)->message, "scalar longer"));
    assert_string_equal(diag_get(&r.diags, 0)->message, "missing required key 'pack' in the pack");
    run_release(&r);
    free(text);
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "pack: p\nstage: mark\0eting\n";
    expect_one(text, sizeof(text) - 1, 2, 12, "NUL byte in a rule pack");
    /* a "\0" escape in a double-quoted scalar is a NUL too */
    static const char escaped[] = "pack: p\nstage: marketing\nversion: '1'\ntitle: \"a\\0b\"\n"
                                  "rules: []\n";
    expect_one(escaped, sizeof(escaped) - 1, 4, 8,
               "NUL character in a scalar is not allowed in a rule pack");
}

static void test_oversized_file(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat("", "# filler line\n", IPR_YAML_MAX_FILE_BYTES / 14 + 1, "", &len);
    assert_true(len > IPR_YAML_MAX_FILE_BYTES);
    expect_one(text, len, 0, 0, "rule pack larger than 8388608 bytes");
    free(text);
}

static void test_too_many_errors_stop(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat("pack: p\nstage: marketing\nversion: '1'\ntitle: t\nrules:\n",
                        "  - {id: bad}\n", 2000, "", &len);
    struct run r;
    run_load(&r, "many.yaml", text, len);
    assert_int_equal(r.status, IPR_ERULES);
    assert_int_equal(diag_count(&r.diags), IPR_YAML_MAX_ERRORS + 1);
    const ipr_diag *last = NULL;
    for (size_t i = 0; i < diag_count(&r.diags); i++)
        if (strstr(diag_get(&r.diags, i)->message, "too many errors"))
            last = diag_get(&r.diags, i);
    assert_non_null(last);
    assert_string_equal(last->message, "too many errors; stopping after 1000");
    run_release(&r);
    free(text);

    /* the tree builder has the same budget: 5000 anchors */
    text = repeat("pack: p\nrules:\n", "  - &a x\n", 5000, "", &len);
    run_load(&r, "anchors.yaml", text, len);
    assert_int_equal(r.status, IPR_ERULES);
    assert_int_equal(diag_count(&r.diags), IPR_YAML_MAX_ERRORS + 1);
    run_release(&r);
    free(text);
}

/* A key repeated three times: both repeats point at the first, in a small
 * mapping (compared pairwise) and in one of more than sixteen keys (sorted). */
static void test_repeated_key_points_at_first(void **state)
{
    (void)state;
    for (unsigned extra = 0; extra <= 20; extra += 20) {
        struct buf text;
        buf_init(&text, 0);
        assert_int_equal(buf_append_str(&text, "terms:\n  dup: [a]\n  other: [b]\n"), IPR_OK);
        for (unsigned i = 0; i < extra; i++)
            assert_int_equal(buf_printf(&text, "  k%u: [c]\n", i), IPR_OK);
        assert_int_equal(buf_append_str(&text, "  dup: [d]\n  dup: [e]\n"), IPR_OK);
        struct run r;
        run_load(&r, "dup.yaml", buf_str(&text), text.len);
        assert_int_equal(r.status, IPR_ERULES);
        size_t dups = 0; /* the pack has other errors too (no id, no rules) */
        for (size_t i = 0; i < diag_count(&r.diags); i++) {
            const struct ipr_diag *d = diag_get(&r.diags, i);
            if (strncmp(d->message, "duplicate key", 13) != 0)
                continue;
            assert_string_equal(d->message, "duplicate key 'dup' (first at line 2)");
            assert_int_equal(d->line, 4 + extra + dups);
            dups++;
        }
        assert_int_equal(dups, 2);
        run_release(&r);
        buf_release(&text);
    }
}

static void test_many_keys_are_checked_quickly(void **state)
{
    (void)state;
    /* 200,000 keys, every one a duplicate of its neighbour: sorting, not
     * pairwise comparison, finds them */
    struct buf text;
    buf_init(&text, 0);
    assert_int_equal(buf_append_str(&text, "terms:\n"), IPR_OK);
    for (unsigned i = 0; i < 100000; i++)
        assert_int_equal(buf_printf(&text, "  l%u: [a]\n  l%u: [b]\n", i, i), IPR_OK);
    double t0 = now_seconds();
    struct run r;
    run_load(&r, "keys.yaml", buf_str(&text), text.len);
    double elapsed = now_seconds() - t0;
    assert_int_equal(r.status, IPR_ERULES);
    assert_string_equal(diag_get(&r.diags, 0)->message, "duplicate key 'l0' (first at line 2)");
    assert_int_equal(diag_count(&r.diags), IPR_YAML_MAX_ERRORS + 1);
    /* pairwise checking would take minutes; allow for slow sanitizer builds */
    if (elapsed > 20.0)
        fail_msg("200,000 keys took %.3f s", elapsed);
    run_release(&r);
    buf_release(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_broken_pack_gives_its_diagnostics),
        cmocka_unit_test(test_every_expected_file_has_a_pack),
        cmocka_unit_test(test_good_packs_load_cleanly),
        cmocka_unit_test(test_deep_nesting_fails_fast),
        cmocka_unit_test(test_depth_at_the_limit_is_accepted),
        cmocka_unit_test(test_oversized_scalar),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_oversized_file),
        cmocka_unit_test(test_too_many_errors_stop),
        cmocka_unit_test(test_repeated_key_points_at_first),
        cmocka_unit_test(test_many_keys_are_checked_quickly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
