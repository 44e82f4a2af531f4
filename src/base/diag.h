/*
 * diag.h - diagnostics as data: level, file:line:col, message.
 *
 * Loaders collect every problem of a run here instead of printing, so a user
 * sees all errors of a rule pack at once and the library stays silent.
 * Strings are copied into the list's arena.
 */
#ifndef IPR_BASE_DIAG_H
#define IPR_BASE_DIAG_H

#include "arena.h"
#include "common.h"
#include "vec.h"

struct diag_list {
    struct vec items; /* of ipr_diag */
    struct arena strings;
    size_t error_count;
    bool out_of_memory; /* a diagnostic could not be stored */
};

void diag_list_init(struct diag_list *d);
void diag_list_release(struct diag_list *d);
void diag_add(struct diag_list *d, ipr_diag_level level, const char *file, uint32_t line,
              uint32_t col, const char *fmt, ...) IPR_PRINTF(6, 7);
static inline size_t diag_count(const struct diag_list *d)
{
    return d->items.count;
}
static inline const ipr_diag *diag_get(const struct diag_list *d, size_t i)
{
    return (const ipr_diag *)vec_at(&d->items, i);
}
/* Adds copies of the diagnostics of `from`, in their order, after d's. */
void diag_list_append(struct diag_list *d, const struct diag_list *from);
/* Sorts by file, line, column (stable for equal positions). */
void diag_sort(struct diag_list *d);

#endif
