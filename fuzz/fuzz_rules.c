/*
 * fuzz_rules.c - libFuzzer target: rule packs through the whole compiler.
 *
 * The input is up to two YAML packs separated by the first NUL byte (a NUL
 * inside a pack is an error anyway, so no pack is lost), compiled through
 * the public API exactly as `iprcheck rules lint` does, then the examples of
 * every compiled rule are run.  Invariants: every diagnostic has a file and a
 * UTF-8 message, a status of IPR_OK means no error diagnostics, and every
 * compiled rule has a well-formed id that ipr_ruleset_find() returns.
 */
#include <string.h>

#include "iprcheck.h"
#include "fuzz_common.h"

static bool id_well_formed(const char *id)
{
    size_t n = strlen(id);
    if (n < 3 || n > 64 || id[0] < 'A' || id[0] > 'Z')
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

static void check_diags(const ipr_compiler *c)
{
    size_t n = ipr_compiler_diag_count(c);
    size_t errors = 0;
    for (size_t i = 0; i < n; i++) {
        const ipr_diag *d = ipr_compiler_diag(c, i);
        FUZZ_CHECK(d && d->file && d->message && d->message[0]);
        FUZZ_CHECK(fuzz_utf8_valid(d->message, strlen(d->message)));
        FUZZ_CHECK(d->level == IPR_DIAG_ERROR || d->level == IPR_DIAG_WARNING);
        errors += d->level == IPR_DIAG_ERROR;
    }
    FUZZ_CHECK(ipr_compiler_diag(c, n) == NULL);
    FUZZ_CHECK(errors == ipr_compiler_error_count(c));
}

static void on_test(const ipr_rule_test_result *r, void *user)
{
    size_t *count = user;
    FUZZ_CHECK(r->rule && r->example && r->detail);
    FUZZ_CHECK(r->must_match == 0 || r->must_match == 1);
    (*count)++;
}

static void check_ruleset(const ipr_ruleset *rs)
{
    size_t n = ipr_ruleset_rule_count(rs);
    size_t per_stage = 0;
    for (size_t i = 0; i < n; i++) {
        const ipr_rule_info *ri = ipr_ruleset_rule(rs, i);
        FUZZ_CHECK(ri && ri->id && ri->title && ri->message && ri->condition);
        FUZZ_CHECK(id_well_formed(ri->id));
        FUZZ_CHECK(ipr_ruleset_find(rs, ri->id) == ri);
        FUZZ_CHECK((unsigned)ri->stage < IPR_STAGE_COUNT);
        FUZZ_CHECK((unsigned)ri->severity < IPR_SEV_COUNT);
    }
    for (unsigned s = 0; s < IPR_STAGE_COUNT; s++)
        per_stage += ipr_ruleset_stage_rule_count(rs, (ipr_stage)s);
    FUZZ_CHECK(per_stage <= n);
    FUZZ_CHECK(strlen(ipr_ruleset_sha256(rs)) == 64);

    size_t results = 0, failed = 0;
    ipr_status st = ipr_ruleset_run_tests(rs, on_test, &results, &failed);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ENOMEM);
    FUZZ_CHECK(failed <= results);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t first_len = nul ? (size_t)(nul - text) : size;

    ipr_compiler *c = NULL;
    if (ipr_compiler_new(&c) != IPR_OK)
        return 0;
    ipr_compiler_set_lint(c, IPR_LINT_ATOMS); /* as `rules lint` compiles */
    ipr_status st = ipr_compiler_add_string(c, "fuzz-a.yaml", text, first_len);
    FUZZ_CHECK(st == IPR_OK || st == IPR_ERULES || st == IPR_ENOMEM);
    if (nul) {
        st = ipr_compiler_add_string(c, "fuzz-b.yaml", nul + 1, size - first_len - 1);
        FUZZ_CHECK(st == IPR_OK || st == IPR_ERULES || st == IPR_ENOMEM);
    }
    check_diags(c);
    ipr_ruleset *rs = NULL;
    st = ipr_compiler_finish(c, &rs);
    check_diags(c);
    if (st == IPR_OK) {
        FUZZ_CHECK(rs != NULL);
        FUZZ_CHECK(ipr_compiler_error_count(c) == 0);
        check_ruleset(rs);
    } else {
        FUZZ_CHECK(rs == NULL);
        FUZZ_CHECK(st != IPR_ERULES || ipr_compiler_error_count(c) > 0);
    }
    ipr_ruleset_free(rs);
    ipr_compiler_free(c);
    return 0;
}
