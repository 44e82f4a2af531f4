/*
 * termset.c - term lists compiled for matching (see termset.h).
 *
 * Matching is a plain substring search per term with boundary checks; the
 * prefiltered engine replaces the search loop, not these semantics.
 */
#include "termset.h"

static uint32_t first_cp(const char *s, size_t len)
{
    size_t i = 0;
    return norm_utf8_next(s, len, &i);
}

static uint32_t last_cp(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return norm_utf8_next(s, len, &i);
}

static bool needs_boundary(uint32_t cp)
{
    return norm_is_word_char(cp) && !norm_is_cjk(cp);
}

ipr_status termset_build(struct termset *set, const struct term *terms, size_t count,
                         struct normalizer *norm, struct arena *arena,
                         const struct term **empty_term)
{
    set->count = 0;
    set->terms = arena_calloc(arena, count ? count : 1, sizeof(struct cterm));
    if (!set->terms)
        return IPR_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        struct norm_text nt;
        ipr_status st = normalizer_run(norm, terms[i].text, strlen(terms[i].text), NORM_FOLD, &nt);
        if (st != IPR_OK)
            return st;
        /* trim surrounding white space the folding may have left */
        size_t a = 0, b = nt.len;
        while (a < b && ipr_is_ascii_space((unsigned char)nt.text[a]))
            a++;
        while (b > a && ipr_is_ascii_space((unsigned char)nt.text[b - 1]))
            b--;
        if (a == b) {
            *empty_term = &terms[i];
            return IPR_ERULES;
        }
        struct cterm *t = &set->terms[set->count++];
        t->norm = arena_strndup(arena, nt.text + a, b - a);
        if (!t->norm)
            return IPR_ENOMEM;
        t->norm_len = b - a;
        t->bound_start = needs_boundary(first_cp(t->norm, t->norm_len));
        t->bound_end = needs_boundary(last_cp(t->norm, t->norm_len));
        t->src = &terms[i];
    }
    return IPR_OK;
}

bool term_boundaries_ok(const struct norm_text *text, size_t start, size_t end, bool bound_start,
                        bool bound_end)
{
    /* a change between a CJK script and a spaced one is a boundary too:
     * "耐克Nike同款" is three words to a reader */
    if (bound_start && start > 0) {
        uint32_t before = last_cp(text->text, start);
        if (norm_is_word_char(before) && !norm_is_cjk(before))
            return false;
    }
    if (bound_end && end < text->len) {
        size_t i = end;
        uint32_t after = norm_utf8_next(text->text, text->len, &i);
        if (norm_is_word_char(after) && !norm_is_cjk(after))
            return false;
    }
    return true;
}

static const char *find_bytes(const char *hay, size_t hay_len, const char *needle,
                              size_t needle_len)
{
    if (needle_len == 0 || needle_len > hay_len)
        return NULL;
    const char *end = hay + hay_len - needle_len;
    for (const char *p = hay; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, needle_len) == 0)
            return p;
    }
    return NULL;
}

void term_find_each(const struct cterm *t, const struct norm_text *text, term_span_fn on_hit,
                    void *user)
{
    size_t from = 0;
    while (from < text->len) {
        const char *p = find_bytes(text->text + from, text->len - from, t->norm, t->norm_len);
        if (!p)
            return;
        size_t start = (size_t)(p - text->text);
        size_t end = start + t->norm_len;
        if (term_boundaries_ok(text, start, end, t->bound_start, t->bound_end)) {
            if (!on_hit(start, end, user))
                return;
            from = end;
        } else {
            /* advance one whole character so we never land mid-sequence */
            size_t k = start + 1;
            while (k < text->len && ((unsigned char)text->text[k] & 0xC0) == 0x80)
                k++;
            from = k;
        }
    }
}

struct set_find {
    const struct cterm *term;
    term_hit_fn on_hit;
    void *user;
    bool stop;
};

static bool set_find_hit(size_t start, size_t end, void *user)
{
    struct set_find *sf = user;
    struct term_hit hit = {start, end, sf->term};
    sf->stop = !sf->on_hit(&hit, sf->user);
    return !sf->stop;
}

void termset_find(const struct termset *set, const struct norm_text *text, term_hit_fn on_hit,
                  void *user)
{
    for (size_t i = 0; i < set->count; i++) {
        struct set_find sf = {&set->terms[i], on_hit, user, false};
        term_find_each(&set->terms[i], text, set_find_hit, &sf);
        if (sf.stop)
            return;
    }
}
