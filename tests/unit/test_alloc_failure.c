/*
 * test_alloc_failure.c - the allocation-failure sweep: every allocation of a
 * small end-to-end run (compile a pack and a trademark registry, read
 * listings, scan, report) is made to fail in turn, N = 1, 2, ... until a run
 * completes without reaching N.  Each run must end in IPR_OK or IPR_ENOMEM,
 * never crash, free every block it allocated, and, when it still reports
 * IPR_OK after a failed allocation, produce exactly the report of an
 * undisturbed run (a swallowed failure would show as a different report).
 *
 * The binary is linked with --wrap for malloc, calloc, realloc and free (see
 * tests/CMakeLists.txt and support/failalloc.h): allocations of our objects
 * and of jansson are failed, except jansson's while a reader parses JSON
 * (jansson reports those as syntax errors); PCRE2, libyaml and ICU allocate
 * on their own and are not failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "iprcheck.h"
#include "failalloc.h"

/* Upper bound on the sweep, far above the allocations of these runs. */
#define MAX_SWEEP 200000u

static const char pack_yaml[] =
    "pack: sweep\n"
    "stage: marketing\n"
    "version: '1'\n"
    "title: allocation sweep\n"
    "terms:\n"
    "  counterfeit: [replica, '1:1', 高仿, mirror quality]\n"
    "rules:\n"
    "  - id: SW-TERMS\n"
    "    title: counterfeit words\n"
    "    severity: critical\n"
    "    fields: [title, bullets, description]\n"
    "    match:\n"
    "      any:\n"
    "        - terms: counterfeit\n"
    "        - regex: '(?i)\\bAAA+\\s+quality\\b'\n"
    "    unless:\n"
    "      - terms: [faux fur]\n"
    "    message: \"'{match}' in {field} of {brand}\"\n"
    "    fix: remove it\n"
    "    tests:\n"
    "      match: ['1:1 mirror quality bag', {title: x, bullets: [高仿]}]\n"
    "      no_match: ['faux fur coat', 'plain mug']\n"
    "  - id: SW-NEAR\n"
    "    title: copy near a brand\n"
    "    severity: high\n"
    "    fields: [title]\n"
    "    match:\n"
    "      near: {words: 2, first: {terms: [copy, dupe]}, second: {mark: any}}\n"
    "  - id: SW-PRICE\n"
    "    title: implausible price\n"
    "    severity: medium\n"
    "    fields: [price]\n"
    "    match:\n"
    "      all:\n"
    "        - compare: 'price < 0.3 * list_price'\n"
    "        - {field: brand, in: [Nike, Gucci]}\n"
    "        - present: brand\n"
    "  - id: SW-MARK\n"
    "    title: registered mark\n"
    "    severity: high\n"
    "    fields: [title, description]\n"
    "    match: {mark: any}\n"
    "    message: '{brand} of {owner}'\n";

static const char registry_yaml[] = "registry: sweep\n"
                                    "version: '1'\n"
                                    "marks:\n"
                                    "  - mark: Nike\n"
                                    "    aliases: [耐克]\n"
                                    "    owner: Nike, Inc.\n"
                                    "    classes: [25]\n"
                                    "    kind: brand\n"
                                    "  - mark: Gucci\n"
                                    "    owner: Guccio Gucci S.p.A.\n"
                                    "    classes: [18, 25]\n"
                                    "    kind: brand\n";

static const char listings_csv[] =
    "sku,title,bullets[0],description,brand,price,list_price\n"
    "A1,Nike Air replica sneakers,1:1 quality,\"line one\nline two\",Nike,19.99,120\n"
    "A2,Plain mug,Dishwasher safe,Stoneware,Kelda,9.99,12\n"
    "A3,\"12 inch ruler\n"
    "A4,Gucci dupe bag 高仿,faux fur trim,Ｇｕｃｃｉ style,Gucci,30,400\n"
    "A5,Bad \x01 title \xff,x,y,z,1,2\n";

static const char listings_jsonl[] =
    "{\"sku\":\"J1\",\"title\":\"N1ke copy shoes\",\"bullets\":[\"AAA quality\",\"ok\"],"
    "\"images\":[{\"alt_text\":\"replica\"}]}\n"
    "{\"sku\":\"J2\",\"title\":\"ok\",\"title\":\"dup\"}\n"
    "{\"title\":\n"
    "{\"sku\":\"J4\",\"description\":\"G-U-C-C-I bag, \\u9ad8\\u4eff\",\"price\":5,"
    "\"list_price\":90,\"brand\":\"gucci\"}\n";

/* The report lands in fixed storage so the sink itself never allocates. */
struct sink {
    char bytes[1u << 17];
    size_t len;
};

static int sink_write(const char *bytes, size_t len, void *user)
{
    struct sink *s = user;
    if (len > sizeof(s->bytes) - s->len)
        return 1;
    memcpy(s->bytes + s->len, bytes, len);
    s->len += len;
    return 0;
}

struct scenario {
    const char *listing;
    ipr_input_format input;
    ipr_report_format report;
    bool run_tests;
};

struct scan_ctx {
    ipr_reporter *reporter;
    ipr_status status;
};

static int on_finding(const ipr_finding *f, void *user)
{
    struct scan_ctx *ctx = user;
    ctx->status = ipr_reporter_add_finding(ctx->reporter, f);
    return ctx->status != IPR_OK;
}

static void on_test(const ipr_rule_test_result *r, void *user)
{
    (void)user;
    if (!r->passed && !failalloc_failed())
        print_message("rule test failed: %s %s: %s\n", r->rule->id, r->example, r->detail);
}

static char registry_dir[64], registry_path[96];

static ipr_status scan_all(ipr_ruleset *rs, const struct scenario *sc, struct sink *out)
{
    ipr_reporter *rep = NULL;
    ipr_scanner *scanner = NULL;
    ipr_reader *reader = NULL;
    ipr_report_options opts = {0, IPR_SEV_HIGH};
    ipr_status st = ipr_reporter_new(sc->report, rs, &opts, sink_write, out, &rep);
    if (st == IPR_OK)
        st = ipr_scanner_new(rs, &scanner);
    if (st == IPR_OK)
        st = ipr_reader_open_mem("listing", sc->listing, strlen(sc->listing), sc->input, &reader);
    const ipr_record *rec;
    for (;;) {
        if (st != IPR_OK)
            break;
        failalloc_spare_jansson(true);
        st = ipr_reader_next(reader, &rec);
        failalloc_spare_jansson(false);
        if (st != IPR_OK)
            break;
        struct scan_ctx ctx = {rep, IPR_OK};
        st = ipr_reporter_begin_record(rep, rec);
        if (st == IPR_OK)
            st = ipr_scanner_scan(scanner, rec, on_finding, &ctx);
        if (st == IPR_ECALLBACK)
            st = ctx.status;
        const char *why = ipr_scanner_incomplete(scanner);
        if (st == IPR_OK && why)
            st = ipr_reporter_set_incomplete(rep, why);
        if (st == IPR_OK)
            st = ipr_reporter_end_record(rep);
    }
    if (st == IPR_DONE)
        st = ipr_reporter_finish(rep);
    ipr_reader_free(reader);
    ipr_scanner_free(scanner);
    ipr_reporter_free(rep);
    return st;
}

/* One whole run; the first status that is not IPR_OK ends it. */
static ipr_status run(const struct scenario *sc, struct sink *out)
{
    out->len = 0;
    ipr_compiler *c = NULL;
    ipr_ruleset *rs = NULL;
    ipr_status st = ipr_compiler_new(&c);
    if (st == IPR_OK)
        st = ipr_compiler_add_string(c, "sweep.yaml", pack_yaml, sizeof(pack_yaml) - 1);
    if (st == IPR_OK)
        st = ipr_compiler_add_trademarks(c, registry_path);
    if (st == IPR_OK)
        st = ipr_compiler_finish(c, &rs);
    ipr_compiler_free(c);
    if (st == IPR_OK && sc->run_tests) {
        size_t failed = 0;
        st = ipr_ruleset_run_tests(rs, on_test, NULL, &failed);
        /* a failure swallowed by a rule test would show as a failed example */
        if (st == IPR_OK && failed)
            st = IPR_ERULES;
    }
    if (st == IPR_OK)
        st = scan_all(rs, sc, out);
    ipr_ruleset_free(rs);
    return st;
}

static struct sink baseline, attempt;

static void sweep(const struct scenario *sc)
{
    if (!failalloc_active())
        skip();
    failalloc_arm(0);
    size_t live_before = failalloc_live();
    assert_int_equal(run(sc, &baseline), IPR_OK);
    assert_true(baseline.len > 0);
    assert_int_equal(failalloc_live(), live_before);
    size_t total = failalloc_count();
    assert_true(total > 10);

    size_t n;
    for (n = 1; n < MAX_SWEEP; n++) {
        failalloc_arm(n);
        ipr_status st = run(sc, &attempt);
        bool failed = failalloc_failed();
        failalloc_disarm();
        if (failalloc_live() != live_before)
            fail_msg("allocation %zu failed: %zu blocks leaked (status %s)", n,
                     failalloc_live() - live_before, ipr_status_str(st));
        if (st != IPR_OK && st != IPR_ENOMEM)
            fail_msg("allocation %zu failed: status '%s', expected out of memory", n,
                     ipr_status_str(st));
        if (st == IPR_OK &&
            (attempt.len != baseline.len || memcmp(attempt.bytes, baseline.bytes, baseline.len)))
            fail_msg("allocation %zu failed: the run succeeded with a different report", n);
        if (!failed)
            break;
    }
    /* the sweep ended because run n needed fewer than n allocations */
    assert_int_equal(n, total + 1);
}

static void test_csv_to_json_report(void **state)
{
    (void)state;
    struct scenario sc = {listings_csv, IPR_INPUT_CSV, IPR_REPORT_JSON, false};
    sweep(&sc);
}

static void test_jsonl_to_text_report_with_rule_tests(void **state)
{
    (void)state;
    struct scenario sc = {listings_jsonl, IPR_INPUT_JSONL, IPR_REPORT_TEXT, true};
    sweep(&sc);
}

static void test_jsonl_report(void **state)
{
    (void)state;
    struct scenario sc = {listings_csv, IPR_INPUT_AUTO, IPR_REPORT_JSONL, false};
    sweep(&sc);
}

/* The wrappers must see the library: a run allocates, and failing its first
 * allocation is reported, not ignored. */
static void test_first_allocation_fails_cleanly(void **state)
{
    (void)state;
    if (!failalloc_active())
        skip();
    ipr_compiler *c = NULL;
    failalloc_arm(1);
    ipr_status st = ipr_compiler_new(&c);
    failalloc_disarm();
    assert_true(failalloc_failed());
    assert_int_equal(st, IPR_ENOMEM);
    assert_null(c);
}

static int write_registry(void **state)
{
    (void)state;
    snprintf(registry_dir, sizeof(registry_dir), "/tmp/ipr-sweep-XXXXXX");
    if (!mkdtemp(registry_dir))
        return -1;
    snprintf(registry_path, sizeof(registry_path), "%s/marks.yaml", registry_dir);
    int fd = open(registry_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return -1;
    ssize_t w = write(fd, registry_yaml, sizeof(registry_yaml) - 1);
    close(fd);
    return w == (ssize_t)(sizeof(registry_yaml) - 1) ? 0 : -1;
}

static int remove_registry(void **state)
{
    (void)state;
    unlink(registry_path);
    rmdir(registry_dir);
    return 0;
}

int main(void)
{
    failalloc_hook_jansson();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_allocation_fails_cleanly),
        cmocka_unit_test(test_csv_to_json_report),
        cmocka_unit_test(test_jsonl_to_text_report_with_rule_tests),
        cmocka_unit_test(test_jsonl_report),
    };
    return cmocka_run_group_tests(tests, write_registry, remove_registry);
}
