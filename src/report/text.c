/*
 * text.c - the compiler-style report for people (format "text").
 *
 * Each flagged record is a `FILE:LINE: KEY` header, then per finding its
 * line, the field's value cut to a window around the evidence, a caret
 * line under the evidence and the rule's fix; error records are one line;
 * a summary closes the report.  Everything that came from a listing or a
 * rule pack goes through escape_term(), so the only control bytes this file
 * emits are its own SGR sequences, and only with IPR_REPORT_COLOR.
 * Caret columns count display width (East Asian wide = 2, combining = 0),
 * the width a terminal gives the escaped text, not bytes.
 */
#include "report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../base/limits.h"
#include "../base/vec.h"
#include "escape.h"

#define SGR_RESET "\x1b[0m"
#define SGR_BOLD  "\x1b[1m"
#define SGR_RED   "\x1b[31m"
#define SGR_GREEN "\x1b[32m"

static const char *const severity_sgr[IPR_SEV_COUNT] = {
    [IPR_SEV_INFO] = "\x1b[34m", [IPR_SEV_LOW] = "\x1b[36m",        [IPR_SEV_MEDIUM] = "\x1b[33m",
    [IPR_SEV_HIGH] = "\x1b[31m", [IPR_SEV_CRITICAL] = "\x1b[1;31m",
};

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, one column */

struct window_unit {
    size_t off; /* byte offset in the value */
    struct term_unit u;
};

struct text_state {
    struct buf out;    /* one record's text, handed to the writer in one call */
    ipr_status out_st; /* first failure while filling out; later appends do nothing */
    struct vec units;  /* of struct window_unit; scratch for one value */
    bool color;
    bool quiet;
    bool wrote_records; /* the summary is then set off by a blank line */
};

static void put_bytes(struct text_state *t, const char *s, size_t len)
{
    if (t->out_st == IPR_OK)
        t->out_st = buf_append(&t->out, s, len);
}

static void put(struct text_state *t, const char *s)
{
    put_bytes(t, s, strlen(s));
}

static void put_fmt(struct text_state *t, const char *fmt, ...) IPR_PRINTF(2, 3);
static void put_fmt(struct text_state *t, const char *fmt, ...)
{
    char tmp[256]; /* every format here prints numbers and names only */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        if (t->out_st == IPR_OK)
            t->out_st = IPR_EINVAL;
        return;
    }
    put_bytes(t, tmp, (size_t)n);
}

static void put_repeat(struct text_state *t, char c, size_t count)
{
    for (size_t i = 0; i < count; i++)
        put_bytes(t, &c, 1);
}

static void put_escaped_str(struct text_state *t, const char *s)
{
    if (t->out_st == IPR_OK)
        t->out_st = escape_term_str(&t->out, s);
}

static void style_on(struct text_state *t, const char *sgr)
{
    if (t->color)
        put(t, sgr);
}

static void style_off(struct text_state *t)
{
    if (t->color)
        put(t, SGR_RESET);
}

static ipr_status flush(struct ipr_reporter *r, struct text_state *t)
{
    ipr_status st = t->out_st;
    if (st == IPR_OK)
        st = reporter_write(r, t->out.data, t->out.len);
    buf_clear(&t->out);
    t->out_st = IPR_OK;
    return st;
}

static ipr_status text_begin(struct ipr_reporter *r, void **state)
{
    struct text_state *t = calloc(1, sizeof *t);
    if (!t)
        return IPR_ENOMEM;
    buf_init(&t->out, 0);
    vec_init(&t->units, sizeof(struct window_unit));
    t->color = (reporter_meta(r)->flags & IPR_REPORT_COLOR) != 0;
    t->quiet = (reporter_meta(r)->flags & IPR_REPORT_QUIET) != 0;
    *state = t;
    return IPR_OK;
}

static void text_free(void *state)
{
    struct text_state *t = state;
    if (!t)
        return;
    buf_release(&t->out);
    vec_release(&t->units);
    free(t);
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

static size_t width_of(const struct window_unit *u, size_t from, size_t to)
{
    size_t w = 0;
    for (size_t i = from; i < to; i++)
        w += u[i].u.width;
    return w;
}

/*
 * Decodes the part of the value the window can reach: the evidence (at most
 * IPR_REPORT_WINDOW_SCAN_BYTES of it) and that many bytes on either side, so
 * a 1 MiB field costs no more than a short one.  The start is moved past
 * continuation bytes so decoding begins on a character boundary.
 */
static ipr_status decode_region(struct text_state *t, const char *v, size_t len, size_t span_start,
                                size_t span_end, size_t *lo_out, size_t *hi_out)
{
    const size_t scan = IPR_REPORT_WINDOW_SCAN_BYTES;
    size_t lo = span_start > scan ? span_start - scan : 0;
    for (int k = 0; k < 3 && lo > 0 && is_continuation((unsigned char)v[lo]); k++)
        lo++;
    size_t ev_end = span_end - span_start > scan ? span_start + scan : span_end;
    size_t hi = len - ev_end > scan ? ev_end + scan : len;

    vec_clear(&t->units);
    size_t pos = lo;
    while (pos < hi) {
        struct window_unit *wu = vec_push(&t->units);
        if (!wu)
            return IPR_ENOMEM;
        wu->off = pos;
        term_unit_next(v + pos, len - pos, &wu->u);
        pos += wu->u.src_len;
    }
    *lo_out = lo;
    *hi_out = pos;
    return IPR_OK;
}

/* The units [first, last) shown, and whether text was left out on a side. */
struct window {
    size_t first, last;
    bool cut_left, cut_right;
};

/*
 * Picks about IPR_REPORT_WINDOW_COLUMNS columns around the evidence units
 * [us, ue).  Context is split evenly before and after; a side that runs out
 * gives its share to the other.  Cuts fall between units, never inside a
 * UTF-8 sequence, and a combining mark is not shown without its base.
 * Evidence wider than the window is shown from its start.
 */
static void choose_window(const struct window_unit *u, size_t n, size_t us, size_t ue,
                          struct window *w)
{
    const size_t cols = IPR_REPORT_WINDOW_COLUMNS;
    size_t ev_w = width_of(u, us, ue);
    size_t first = us, last = us, acc = 0;
    if (ev_w >= cols) {
        while (last < n && acc + u[last].u.width <= cols)
            acc += u[last++].u.width;
    } else {
        size_t room = cols - ev_w, left = room / 2, right = room - left;
        size_t left_avail = width_of(u, 0, us), right_avail = width_of(u, ue, n);
        if (left_avail < left) {
            right += left - left_avail;
            left = left_avail;
        }
        if (right_avail < right)
            left += right - right_avail;
        while (first > 0 && acc + u[first - 1].u.width <= left)
            acc += u[--first].u.width;
        if (first > 0) {
            while (first < us && u[first].u.width == 0)
                first++;
        }
        last = ue;
        acc = 0;
        while (last < n && acc + u[last].u.width <= right)
            acc += u[last++].u.width;
    }
    w->first = first;
    w->last = last;
    w->cut_left = first > 0;
    w->cut_right = last < n;
}

/* Shows the value on one line, windowed around the evidence, and a caret
 * line under the evidence when the finding has a span. */
static void put_value(struct text_state *t, const ipr_finding *f)
{
    const char *v = f->value;
    size_t len = f->value_len;
    if (len == 0)
        return;
    size_t s = f->span_start, e = f->span_end;
    bool has_span = s < e && s < len;
    if (!has_span)
        s = e = 0;
    if (e > len)
        e = len;

    size_t lo, hi;
    ipr_status st = decode_region(t, v, len, s, e, &lo, &hi);
    if (st != IPR_OK) {
        if (t->out_st == IPR_OK)
            t->out_st = st;
        return;
    }
    const struct window_unit *u = t->units.items;
    size_t n = t->units.count;
    size_t us = 0, ue = 0;
    if (has_span) {
        while (us + 1 < n && u[us + 1].off <= s)
            us++;
        ue = us;
        while (ue < n && u[ue].off < e)
            ue++;
    }
    struct window w;
    choose_window(u, n, us, ue, &w);
    /* the decoded region may itself be a cut of the value */
    if (lo > 0 && !w.cut_left) {
        w.cut_left = true;
        while (w.first < us && u[w.first].u.width == 0)
            w.first++;
    }
    w.cut_right = w.cut_right || hi < len;

    put(t, "    | ");
    if (w.cut_left)
        put(t, ELLIPSIS);
    for (size_t i = w.first; i < w.last; i++) {
        if (u[i].u.text_len)
            put_bytes(t, u[i].u.text, u[i].u.text_len);
        else
            put_bytes(t, v + u[i].off, u[i].u.src_len);
    }
    if (w.cut_right)
        put(t, ELLIPSIS);
    put(t, "\n");
    if (!has_span)
        return;

    size_t column = (w.cut_left ? 1 : 0) + width_of(u, w.first, us);
    size_t caret_w = width_of(u, us, ue < w.last ? ue : w.last);
    put(t, "    | ");
    put_repeat(t, ' ', column);
    style_on(t, SGR_GREEN);
    put(t, "^");
    put_repeat(t, '~', caret_w > 1 ? caret_w - 1 : 0);
    style_off(t);
    put(t, "\n");
}

static void put_finding(struct text_state *t, const ipr_finding *f)
{
    const ipr_rule_info *rule = f->rule;
    put(t, "  ");
    style_on(t, severity_sgr[f->severity]);
    put(t, ipr_severity_name(f->severity));
    style_off(t);
    put(t, " ");
    style_on(t, SGR_BOLD);
    put_escaped_str(t, rule->id);
    style_off(t);
    put(t, " [");
    put(t, ipr_stage_name(rule->stage));
    put(t, "]");
    if (f->field[0]) {
        put(t, " ");
        put_escaped_str(t, f->field);
    }
    put(t, ": ");
    put_escaped_str(t, f->message);
    put(t, "\n");
    put_value(t, f);
    if (rule->fix && rule->fix[0]) {
        put(t, "  fix: ");
        put_escaped_str(t, rule->fix);
        put(t, "\n");
    }
}

static void put_location(struct text_state *t, const struct report_record *rec)
{
    put_escaped_str(t, rec->file);
    if (rec->line)
        put_fmt(t, ":%" PRIu32, rec->line);
    put(t, ":");
}

static ipr_status text_record(struct ipr_reporter *r, void *state, const struct report_entry *e)
{
    struct text_state *t = state;
    if (e->status == REPORT_CLEAN || t->quiet)
        return IPR_OK;
    put_location(t, e->rec);
    if (e->status == REPORT_ERROR) {
        put(t, " ");
        style_on(t, SGR_RED);
        put(t, "error");
        style_off(t);
        put(t, ": ");
        put_escaped_str(t, e->rec->error);
        put(t, "\n");
    } else {
        if (e->rec->key[0]) {
            put(t, " ");
            put_escaped_str(t, e->rec->key);
        }
        put(t, "\n");
        if (e->status == REPORT_INCOMPLETE) {
            put(t, "  ");
            style_on(t, SGR_RED);
            put(t, "incomplete");
            style_off(t);
            put(t, ": ");
            put_escaped_str(t, e->rec->incomplete);
            put(t, "\n");
        }
        for (size_t i = 0; i < e->finding_count; i++)
            put_finding(t, &e->findings[i]);
    }
    t->wrote_records = true;
    return flush(r, t);
}

static size_t digits(uint64_t v)
{
    size_t n = 1;
    while (v >= 10) {
        v /= 10;
        n++;
    }
    return n;
}

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

/* The per-stage checklist.  A stage that ran no checks shows "-": its
 * records were not checked, so "passed" would overstate it. */
static void put_checklist(struct ipr_reporter *r, struct text_state *t)
{
    struct report_stage_counts c[IPR_STAGE_COUNT];
    size_t name_w = strlen("stage"), checks_w = strlen("checks");
    size_t passed_w = strlen("passed"), flagged_w = strlen("flagged");
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        reporter_stage_counts(r, (ipr_stage)s, &c[s]);
        name_w = max_size(name_w, strlen(ipr_stage_name((ipr_stage)s)));
        checks_w = max_size(checks_w, digits(c[s].checks));
        passed_w = max_size(passed_w, digits(c[s].passed));
        flagged_w = max_size(flagged_w, digits(c[s].flagged));
    }
    put_fmt(t, "%-*s  %*s  %*s  %*s\n", (int)name_w, "stage", (int)checks_w, "checks",
            (int)passed_w, "passed", (int)flagged_w, "flagged");
    for (size_t s = 0; s < IPR_STAGE_COUNT; s++) {
        put_fmt(t, "%-*s  %*zu", (int)name_w, ipr_stage_name((ipr_stage)s), (int)checks_w,
                c[s].checks);
        if (c[s].checks == 0 && c[s].flagged == 0)
            put_fmt(t, "  %*s  %*s\n", (int)passed_w, "-", (int)flagged_w, "-");
        else
            put_fmt(t, "  %*" PRIu64 "  %*" PRIu64 "\n", (int)passed_w, c[s].passed, (int)flagged_w,
                    c[s].flagged);
    }
}

static ipr_status text_finish(struct ipr_reporter *r, void *state)
{
    struct text_state *t = state;
    const struct report_meta *meta = reporter_meta(r);
    ipr_report_totals tot;
    reporter_totals(r, &tot);

    if (t->wrote_records)
        put(t, "\n");
    put_checklist(r, t);
    put_fmt(t, "findings: %" PRIu64 " (", tot.findings);
    uint64_t at_or_above = 0;
    for (int sev = IPR_SEV_COUNT - 1; sev >= 0; sev--) {
        put_fmt(t, "%s%s %" PRIu64, sev == IPR_SEV_COUNT - 1 ? "" : ", ",
                ipr_severity_name((ipr_severity)sev), tot.findings_by_severity[sev]);
        if (sev >= (int)meta->fail_on)
            at_or_above += tot.findings_by_severity[sev];
    }
    put(t, ")\n");
    put_fmt(t, "fail-on: %s (%" PRIu64 " %s at or above)\n", ipr_severity_name(meta->fail_on),
            at_or_above, at_or_above == 1 ? "finding" : "findings");
    for (size_t i = 0; i < reporter_input_count(r); i++) {
        const struct report_input *in = reporter_input(r, i);
        put(t, "input: ");
        put_escaped_str(t, in->file);
        put(t, " (");
        put_escaped_str(t, in->description);
        put(t, ")\n");
    }
    put_fmt(t, "records: %" PRIu64 " = clean %" PRIu64 " + flagged %" PRIu64, tot.records,
            tot.clean, tot.flagged);
    if (tot.incomplete)
        put_fmt(t, " + incomplete %" PRIu64, tot.incomplete);
    put_fmt(t, " + error %" PRIu64, tot.error);
    if (tot.outside_shard)
        put_fmt(t, " (%" PRIu64 " more in other shards)", tot.outside_shard);
    put(t, "\n");
    return flush(r, t);
}

const struct reporter_ops report_text_ops = {
    .begin = text_begin,
    .record = text_record,
    .finish = text_finish,
    .free = text_free,
};
