/*
 * profile.c - column patterns, header scoring and the built-in profiles.
 *
 * Patterns are matched with the classic two-pointer wildcard walk (one
 * backtrack point, the last `{*}`), so a hostile pattern in a user's
 * profile costs at most pattern length times name length.
 */
#include "profile.h"

#include <stdlib.h>

#include "../compile/builtin.h"

/* ---- patterns ---------------------------------------------------------------------- */

static bool at_token(const char *p, const char *token)
{
    return strncmp(p, token, strlen(token)) == 0;
}

bool profile_pattern_match(const char *pattern, const char *name, size_t name_len, long *n)
{
    long number = 0;
    while (name_len && ipr_is_ascii_space((unsigned char)name[0])) {
        name++;
        name_len--;
    }
    while (name_len && ipr_is_ascii_space((unsigned char)name[name_len - 1]))
        name_len--;
    const char *p = pattern;
    size_t s = 0;
    const char *star_p = NULL; /* just after the last {*} */
    size_t star_s = 0;
    for (;;) {
        if (*p == '\0' && s == name_len)
            break;
        if (at_token(p, "{*}")) {
            p += 3;
            star_p = p;
            star_s = s;
            continue;
        }
        bool ok = false;
        if (at_token(p, "{n}")) {
            size_t d = s;
            long v = 0;
            while (d < name_len && ipr_is_ascii_digit((unsigned char)name[d]) && d - s < 9)
                v = v * 10 + (name[d++] - '0');
            if (d > s) {
                number = v;
                p += 3;
                s = d;
                ok = true;
            }
        } else if (*p && s < name_len &&
                   ipr_ascii_lower((unsigned char)*p) == ipr_ascii_lower((unsigned char)name[s])) {
            p++;
            s++;
            ok = true;
        }
        if (ok)
            continue;
        if (!star_p || star_s >= name_len)
            return false;
        /* let the last {*} swallow one more byte and try again */
        star_s++;
        p = star_p;
        s = star_s;
    }
    if (n)
        *n = number;
    return true;
}

bool profile_names_match(const struct profile_names *names, const char *name, size_t name_len,
                         long *n)
{
    for (size_t i = 0; i < names->count; i++)
        if (profile_pattern_match(names->items[i], name, name_len, n))
            return true;
    return false;
}

/* ---- header scoring ------------------------------------------------------------------ */

bool profile_is_canonical_name(const struct profile *canonical, const char *name, size_t len)
{
    size_t seg = 0;
    while (seg < len && name[seg] != '.' && name[seg] != '[')
        seg++;
    for (size_t i = 0; i < canonical->known.count; i++) {
        const char *k = canonical->known.items[i];
        if (strlen(k) == seg && memcmp(k, name, seg) == 0)
            return true;
    }
    return false;
}

static bool cells_have(const struct csv_peek_cell *cells, size_t count, const char *pattern)
{
    for (size_t i = 0; i < count; i++)
        if (profile_pattern_match(pattern, cells[i].value, cells[i].len, NULL))
            return true;
    return false;
}

size_t profile_header_score(const struct profile *p, const struct csv_peek_cell *cells,
                            size_t count)
{
    size_t score = 0;
    if (p->canonical) {
        for (size_t i = 0; i < count; i++)
            score += profile_is_canonical_name(p, cells[i].value, cells[i].len);
        return score;
    }
    bool recognized = false;
    for (size_t d = 0; d < p->detect_count && !recognized; d++) {
        recognized = true;
        for (size_t k = 0; k < p->detect[d].count && recognized; k++)
            recognized = cells_have(cells, count, p->detect[d].items[k]);
    }
    if (!recognized)
        return 0;
    for (size_t i = 0; i < count; i++) {
        for (size_t r = 0; r < p->rule_count; r++) {
            if (profile_names_match(&p->rules[r].from, cells[i].value, cells[i].len, NULL)) {
                score++;
                break;
            }
        }
    }
    return score ? score : 1;
}

/* ---- the built-in set ------------------------------------------------------------------- */

static int cmp_profile(const void *a, const void *b)
{
    const struct profile *pa = *(struct profile *const *)a, *pb = *(struct profile *const *)b;
    return strcmp(pa->name, pb->name);
}

ipr_status profile_set_load_builtin(struct profile_set *set, const struct builtin_file *table,
                                    char *msg, size_t msg_len)
{
    static const char prefix[] = "builtin:rules/profiles/";
    set->items = NULL;
    set->count = 0;
    if (!table)
        return IPR_OK;
    size_t n = 0;
    for (const struct builtin_file *f = table; f->name; f++)
        n += strncmp(f->name, prefix, sizeof(prefix) - 1) == 0;
    if (n == 0)
        return IPR_OK;
    set->items = calloc(n, sizeof(*set->items));
    if (!set->items)
        return IPR_ENOMEM;
    for (const struct builtin_file *f = table; f->name; f++) {
        if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0)
            continue;
        size_t len = strlen(f->name);
        if (!(len > 5 && strcmp(f->name + len - 5, ".yaml") == 0))
            continue;
        struct profile *p = NULL;
        ipr_status st = profile_load_text(f->name, f->data, f->len, &p, msg, msg_len);
        if (st != IPR_OK) {
            profile_set_release(set);
            return st;
        }
        set->items[set->count++] = p;
    }
    qsort(set->items, set->count, sizeof(*set->items), cmp_profile);
    return IPR_OK;
}

void profile_set_release(struct profile_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        profile_free(set->items[i]);
    free(set->items);
    set->items = NULL;
    set->count = 0;
}

const struct profile *profile_set_find(const struct profile_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->items[i]->name, name) == 0)
            return set->items[i];
    return NULL;
}
