/*
 * rules_load.c - compile the rule packs a command asked for and print the
 * diagnostics as `file:line:col: level: message`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

void print_safe(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
}

static void print_diag(const ipr_diag *d)
{
    print_safe(stderr, d->file[0] ? d->file : "iprcheck");
    if (d->line)
        fprintf(stderr, ":%u", d->line);
    if (d->line && d->col)
        fprintf(stderr, ":%u", d->col);
    fprintf(stderr, ": %s: ", d->level == IPR_DIAG_ERROR ? "error" : "warning");
    print_safe(stderr, d->message);
    fputc('\n', stderr);
}

bool load_rules(const struct cli_options *opts, ipr_ruleset **out)
{
    ipr_compiler *c = NULL;
    ipr_status st = ipr_compiler_new(&c);
    if (st != IPR_OK) {
        fprintf(stderr, "iprcheck: %s\n", ipr_status_str(st));
        return false;
    }
    ipr_compiler_set_stages(c, opts->stage_mask);
    ipr_compiler_set_threads(c, cli_jobs(opts)); /* as many as the scan uses */
    if (opts->command == CMD_RULES_LINT)
        ipr_compiler_set_lint(c, IPR_LINT_ATOMS | (opts->strict ? IPR_LINT_STRICT : 0));
    if (!opts->no_default_rules)
        st = ipr_compiler_add_builtin(c);
    if (!opts->no_default_trademarks) {
        ipr_status s2 = ipr_compiler_add_builtin_trademarks(c);
        if (st == IPR_OK)
            st = s2;
    }
    if (opts->trademark_count && st != IPR_ENOMEM) {
        /* registry files are read on as many threads too */
        ipr_status s2 = ipr_compiler_add_trademark_files(c, (const char *const *)opts->trademarks,
                                                         opts->trademark_count, cli_jobs(opts));
        if (st == IPR_OK)
            st = s2;
    }
    for (size_t i = 0; i < opts->authorization_count && st != IPR_ENOMEM; i++) {
        ipr_status s2 = ipr_compiler_add_authorizations(c, opts->authorizations[i]);
        if (st == IPR_OK)
            st = s2;
    }
    static const char system_words[] = "/usr/share/dict/words";
    const char *words = opts->word_list;
    if (!words && access(system_words, R_OK) == 0)
        words = system_words;
    if (words && ipr_compiler_set_word_list(c, words) != IPR_OK) {
        fprintf(stderr, "iprcheck: cannot read word list '%s'\n", words);
        ipr_compiler_free(c);
        return false;
    }
    char today[16];
    const char *date = opts->date;
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        if (localtime_r(&now, &tm) && strftime(today, sizeof(today), "%Y-%m-%d", &tm))
            date = today;
    }
    if (date && ipr_compiler_set_reference_date(c, date) != IPR_OK) {
        fprintf(stderr, "iprcheck: --date must be YYYY-MM-DD, not '%s'\n", date);
        ipr_compiler_free(c);
        return false;
    }
    for (size_t i = 0; i < opts->rule_count && st != IPR_ENOMEM; i++) {
        ipr_status s2 = ipr_compiler_add_path(c, opts->rules[i]);
        if (s2 != IPR_OK && st == IPR_OK)
            st = s2;
    }
    ipr_ruleset *rs = NULL;
    if (st != IPR_ENOMEM) {
        ipr_status s2 = ipr_compiler_finish(c, &rs);
        if (st == IPR_OK)
            st = s2;
    }
    for (size_t i = 0; i < ipr_compiler_diag_count(c); i++)
        print_diag(ipr_compiler_diag(c, i));
    size_t errors = ipr_compiler_error_count(c);
    ipr_compiler_free(c);
    if (st != IPR_OK || !rs) {
        if (errors)
            fprintf(stderr, "iprcheck: %zu error%s in rule packs; nothing was scanned\n", errors,
                    errors == 1 ? "" : "s");
        else
            fprintf(stderr, "iprcheck: cannot load rules: %s\n", ipr_status_str(st));
        ipr_ruleset_free(rs);
        return false;
    }
    *out = rs;
    return true;
}
