/*
 * rule_test.c - run the examples in rule packs (ipr_ruleset_run_tests).
 *
 * Each example becomes a real record and goes through the same scanner code
 * as a listing file, evaluated against its own rule only, so a passing
 * example proves the rule works in a scan, not in a special test path.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scanner.h"

static ipr_status build_record(struct ipr_record *rec, const struct crule *rule,
                               const struct rule_example *ex)
{
    record_reset(rec);
    rec->file = rule->info.file;
    rec->line = ex->pos.line;
    for (size_t i = 0; i < ex->field_count; i++) {
        const struct example_field *f = &ex->fields[i];
        ipr_status st = record_add_field(rec, f->path, strlen(f->path), f->value, strlen(f->value),
                                         ex->pos.line, 0, FIELD_STRING);
        if (st != IPR_OK)
            return st;
    }
    return record_finish(rec);
}

/* Evaluates the rule alone on rec, with the engine s is set to; the
 * findings are in s->findings. */
static ipr_status eval_rule_on(struct ipr_scanner *s, const struct ipr_record *rec,
                               const struct crule *rule)
{
    ipr_status st = scanner_begin(s, rec);
    if (st == IPR_OK)
        st = scanner_eval_rule(s, rule);
    return st == IPR_OK ? s->error : st;
}

static ipr_status run_example(struct ipr_scanner *s, struct ipr_record *rec,
                              const struct crule *rule, const struct rule_example *ex,
                              int must_match, size_t index, struct buf *detail,
                              ipr_rule_test_fn on_result, void *user, size_t *failed)
{
    ipr_status st = build_record(rec, rule, ex);
    if (st == IPR_OK)
        st = eval_rule_on(s, rec, rule);
    if (st != IPR_OK)
        return st;
    size_t n = s->findings.count;
    buf_clear(detail);
    if (n == 0 && must_match && !s->naive) {
        /* the prefilter skipped what the regexes match: a literal it looks
         * for (a `keywords:` entry) is not in the example */
        s->naive = true;
        st = eval_rule_on(s, rec, rule);
        s->naive = false;
        if (st != IPR_OK)
            return st;
        if (s->findings.count)
            st = buf_append_str(detail, "no finding, but one with --engine naive: the example "
                                        "holds none of the literals the prefilter looks for "
                                        "(is a keyword missing from 'keywords'?)");
        else
            st = buf_append_str(detail, "no finding");
    } else if (n == 0) {
        st = buf_append_str(detail, "no finding");
    } else {
        const struct pending_finding *pf = vec_at(&s->findings, 0);
        const struct evidence *ev = &pf->ev;
        if (ev->field >= 0 && ev->has_span) {
            const struct record_field *f = &rec->fields[ev->field];
            st = buf_printf(detail, "%zu finding(s), first: '%.*s' in %s", n,
                            (int)(ev->end - ev->start), f->value + ev->start, f->name);
        } else {
            const char *name = ev->field >= 0 ? rec->fields[ev->field].name : ev->field_name;
            st = buf_printf(detail, "%zu finding(s), first on field %s", n, name ? name : "");
        }
    }
    if (st != IPR_OK)
        return st;
    int passed = must_match ? n > 0 : n == 0;
    if (!passed)
        (*failed)++;
    if (on_result) {
        ipr_rule_test_result r = {&rule->info,    must_match, index,
                                  ex->pos.line,   passed,     ex->display ? ex->display : "",
                                  buf_str(detail)};
        on_result(&r, user);
    }
    return IPR_OK;
}

ipr_status ipr_ruleset_run_tests(const ipr_ruleset *rs, ipr_rule_test_fn on_result, void *user,
                                 size_t *failed_out)
{
    if (!rs)
        return IPR_EINVAL;
    struct ipr_scanner *s = NULL;
    ipr_status st = ipr_scanner_new(rs, &s);
    if (st != IPR_OK)
        return st;
    struct ipr_record rec;
    record_init(&rec);
    struct buf detail;
    buf_init(&detail, 0);
    size_t failed = 0;
    for (size_t i = 0; i < rs->rule_count && st == IPR_OK; i++) {
        const struct crule *rule = &rs->rules[i];
        const struct rule *ast = rule->ast;
        for (size_t k = 0; k < ast->must_match_count && st == IPR_OK; k++)
            st = run_example(s, &rec, rule, &ast->must_match[k], 1, k, &detail, on_result, user,
                             &failed);
        for (size_t k = 0; k < ast->must_not_match_count && st == IPR_OK; k++)
            st = run_example(s, &rec, rule, &ast->must_not_match[k], 0, k, &detail, on_result, user,
                             &failed);
    }
    buf_release(&detail);
    record_release(&rec);
    ipr_scanner_free(s);
    if (failed_out)
        *failed_out = failed;
    return st;
}
