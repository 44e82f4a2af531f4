/*
 * diag.c - diagnostic collector (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void diag_list_init(struct diag_list *d)
{
    vec_init(&d->items, sizeof(ipr_diag));
    arena_init(&d->strings, 4096);
    d->error_count = 0;
    d->out_of_memory = false;
}

void diag_list_release(struct diag_list *d)
{
    vec_release(&d->items);
    arena_release(&d->strings);
}

void diag_add(struct diag_list *d, ipr_diag_level level, const char *file, uint32_t line,
              uint32_t col, const char *fmt, ...)
{
    if (level == IPR_DIAG_ERROR)
        d->error_count++;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = NULL;
    if (n >= 0 && (text = arena_alloc(&d->strings, (size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    char *file_copy = arena_strdup(&d->strings, file ? file : "");
    ipr_diag *slot = text && file_copy ? vec_push(&d->items) : NULL;
    if (!slot) {
        d->out_of_memory = true;
        return;
    }
    slot->level = level;
    slot->file = file_copy;
    slot->line = line;
    slot->col = col;
    slot->message = text;
}

void diag_list_append(struct diag_list *d, const struct diag_list *from)
{
    for (size_t i = 0; i < diag_count(from); i++) {
        const ipr_diag *x = diag_get(from, i);
        diag_add(d, x->level, x->file, x->line, x->col, "%s", x->message);
    }
    d->out_of_memory |= from->out_of_memory;
}

static int diag_cmp(const void *a, const void *b)
{
    const ipr_diag *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    /* keep insertion order for equal positions: compare addresses */
    return x < y ? -1 : (x > y);
}

void diag_sort(struct diag_list *d)
{
    if (d->items.count > 1)
        qsort(d->items.items, d->items.count, sizeof(ipr_diag), diag_cmp);
}
