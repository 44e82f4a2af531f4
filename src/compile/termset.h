/*
 * termset.h - a compiled term list: normalized terms with boundary flags.
 *
 * Terms are normalized with the same function as listing text (NORM_FOLD),
 * so `Réplica` in a pack meets `REPLICA` or `réplica` in a title.  A term
 * whose first (last) character is a letter or digit of a spaced script must
 * start (end) at a word boundary; CJK terms match as substrings.
 */
#ifndef IPR_COMPILE_TERMSET_H
#define IPR_COMPILE_TERMSET_H

#include "../base/arena.h"
#include "../base/normalize.h"
#include "../rules/rule_ast.h"

struct cterm {
    const char *norm; /* normalized text, NUL-terminated */
    size_t norm_len;
    bool bound_start; /* must be preceded by a non-word character or the start */
    bool bound_end;   /* must be followed by a non-word character or the end */
    const struct term *src;
};

struct termset {
    struct cterm *terms;
    size_t count;
};

/* Normalizes every term into arena memory.  Terms that normalize to nothing
 * are reported through *empty_term (and the function returns IPR_ERULES). */
ipr_status termset_build(struct termset *set, const struct term *terms, size_t count,
                         struct normalizer *norm, struct arena *arena,
                         const struct term **empty_term);

/* One occurrence, as a span of the normalized text. */
struct term_hit {
    size_t start;
    size_t end;
    const struct cterm *term;
};

typedef bool (*term_hit_fn)(const struct term_hit *hit, void *user);

/* Calls on_hit for every occurrence of every term in text (normalized with
 * NORM_FOLD), in order of terms then position; stops when on_hit returns
 * false. */
void termset_find(const struct termset *set, const struct norm_text *text, term_hit_fn on_hit,
                  void *user);

/* Calls on_hit(start, end) for every boundary-respecting, non-overlapping
 * occurrence of term t in text, left to right, until on_hit returns false. */
typedef bool (*term_span_fn)(size_t start, size_t end, void *user);
void term_find_each(const struct cterm *t, const struct norm_text *text, term_span_fn on_hit,
                    void *user);

/* Does an occurrence at [start, end) of text respect the boundary flags? */
bool term_boundaries_ok(const struct norm_text *text, size_t start, size_t end, bool bound_start,
                        bool bound_end);

#endif
