/*
 * suppress.c - suppressions files (see suppress.h).
 *
 * The file is YAML and is read with the library's YAML tree, the reader
 * rule packs go through, so it gets the same limits (size, depth, scalar
 * length), the same refusal of anchors, aliases and tags, and positions in
 * the same byte columns.  That is the one place the program reaches past
 * the public header into the library's internals: the tree is not public
 * API, and a second YAML reader would be a second set of limits.
 *
 * Every entry is checked and every problem reported before anything is
 * applied.  Matching is a linear pass over the entries: the file is
 * written by people, so it holds tens or hundreds of entries, not millions.
 */
#define _POSIX_C_SOURCE 200809L
#include "suppress.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "../base/limits.h"
#include "../rules/yaml_tree.h"
#include "baseline.h"

struct loader {
    struct arena *arena;
    struct diag_list diags;
    const char *name;
    const char *today;
};

#define ERROR_AT(l, n, ...)                                                                        \
    diag_add(&(l)->diags, IPR_DIAG_ERROR, (l)->name, (n)->line, (n)->col, __VA_ARGS__)

/* A value quoted in a message: one short line whatever the file holds. */
static const char *shown(char out[YAML_EXCERPT_CAP], const struct ynode *n)
{
    if (n->kind != YNODE_SCALAR)
        return "?";
    yaml_excerpt(out, YAML_EXCERPT_CAP, n->u.scalar.text, n->u.scalar.len);
    return out;
}

static bool key_is(const struct ynode *key, const char *name)
{
    return key->kind == YNODE_SCALAR && strcmp(key->u.scalar.text, name) == 0;
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

/* A real calendar date written YYYY-MM-DD. */
static bool is_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-' || !is_digits(s, 4) || !is_digits(s + 5, 2) ||
        !is_digits(s + 8, 2))
        return false;
    int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

static bool is_blank_text(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    }
    return true;
}

/* The scalar text of a value, or NULL after reporting why it is not one. */
static const char *scalar_of(struct loader *l, const struct ypair *p)
{
    const struct ynode *v = p->value;
    if (v->kind == YNODE_BAD)
        return NULL;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        char name[YAML_EXCERPT_CAP];
        ERROR_AT(l, v, "'%s' must be text, not %s", shown(name, p->key), ynode_describe(v));
        return NULL;
    }
    return v->u.scalar.text;
}

static void load_entry(struct loader *l, const struct ynode *n, struct suppression *e)
{
    memset(e, 0, sizeof *e);
    e->line = n->line;
    e->col = n->col;
    if (n->kind != YNODE_MAPPING) {
        if (n->kind != YNODE_BAD)
            ERROR_AT(l, n, "a suppression must be a mapping, not %s", ynode_describe(n));
        return;
    }
    const struct ypair *fingerprint = NULL, *rule = NULL, *key = NULL, *reason = NULL;
    for (size_t i = 0; i < n->u.map.count; i++) {
        const struct ypair *p = &n->u.map.pairs[i];
        const char *text = scalar_of(l, p);
        char quoted[YAML_EXCERPT_CAP];
        if (key_is(p->key, "fingerprint")) {
            fingerprint = p;
            if (text && !fingerprint_parse(text, strlen(text), &e->fingerprint))
                ERROR_AT(l, p->value, "'fingerprint' must be 16 hex digits, not '%s'",
                         shown(quoted, p->value));
        } else if (key_is(p->key, "rule")) {
            rule = p;
            e->rule = text;
        } else if (key_is(p->key, "key")) {
            key = p;
            e->key_glob = text;
        } else if (key_is(p->key, "reason")) {
            reason = p;
            e->reason = text;
            if (text && is_blank_text(text))
                ERROR_AT(l, p->value, "'reason' is empty");
        } else if (key_is(p->key, "owner")) {
            e->owner = text;
        } else if (key_is(p->key, "expires")) {
            if (text && !is_date(text, strlen(text)))
                ERROR_AT(l, p->value, "'expires' must be a date YYYY-MM-DD, not '%s'",
                         shown(quoted, p->value));
            else if (text)
                memcpy(e->expires, text, 11);
        } else {
            ERROR_AT(l, p->key, "unknown key '%s' (fingerprint, rule, key, reason, expires, owner)",
                     shown(quoted, p->key));
        }
    }
    e->by_fingerprint = fingerprint != NULL;
    if (fingerprint && (rule || key))
        ERROR_AT(l, n, "a suppression names a 'fingerprint' or a 'rule' and a 'key', not both");
    else if (!fingerprint && !rule && !key)
        ERROR_AT(l, n, "a suppression needs a 'fingerprint', or a 'rule' and a 'key'");
    else if (!fingerprint && !key)
        ERROR_AT(l, n, "missing 'key' (a pattern on the record key; '*' for every record)");
    else if (!fingerprint && !rule)
        ERROR_AT(l, n, "missing 'rule' (the rule id the suppression is for)");
    if (!reason)
        ERROR_AT(l, n, "missing required key 'reason'");
    e->expired = e->expires[0] && strcmp(l->today, e->expires) > 0;
}

static void load_root(struct loader *l, const struct ynode *root, struct suppressions *s)
{
    if (!root)
        return; /* an empty file suppresses nothing */
    if (root->kind != YNODE_MAPPING) {
        if (root->kind != YNODE_BAD)
            ERROR_AT(l, root, "expected a mapping with 'suppressions:', not %s",
                     ynode_describe(root));
        return;
    }
    const struct ynode *list = NULL;
    for (size_t i = 0; i < root->u.map.count; i++) {
        const struct ypair *p = &root->u.map.pairs[i];
        if (key_is(p->key, "suppressions"))
            list = p->value;
        else {
            char quoted[YAML_EXCERPT_CAP];
            ERROR_AT(l, p->key, "unknown key '%s' (suppressions)", shown(quoted, p->key));
        }
    }
    if (!list || ynode_is_null(list))
        return;
    if (list->kind != YNODE_SEQUENCE) {
        if (list->kind != YNODE_BAD)
            ERROR_AT(l, list, "'suppressions' must be a list, not %s", ynode_describe(list));
        return;
    }
    s->items = arena_calloc(l->arena, list->u.seq.count ? list->u.seq.count : 1, sizeof *s->items);
    if (!s->items) {
        ERROR_AT(l, list, "out of memory");
        return;
    }
    for (size_t i = 0; i < list->u.seq.count; i++)
        load_entry(l, list->u.seq.items[i], &s->items[s->count++]);
}

static void print_diags(const struct diag_list *d, FILE *messages)
{
    for (size_t i = 0; i < diag_count(d); i++) {
        const ipr_diag *g = diag_get(d, i);
        fprintf(messages, "%s", g->file);
        if (g->line)
            fprintf(messages, ":%u", g->line);
        if (g->line && g->col)
            fprintf(messages, ":%u", g->col);
        fprintf(messages, ": %s: %s\n", g->level == IPR_DIAG_ERROR ? "error" : "warning",
                g->message);
    }
}

bool suppressions_parse(struct suppressions *s, const char *name, const char *text, size_t len,
                        const char *today, FILE *messages)
{
    memset(s, 0, sizeof *s);
    struct arena *arena = malloc(sizeof *arena);
    s->path = strdup(name);
    if (!arena || !s->path) {
        free(arena);
        fprintf(messages, "%s: error: out of memory\n", name);
        return false;
    }
    arena_init(arena, 16u * 1024u);
    s->mem = arena;
    struct loader l = {.arena = arena, .name = s->path, .today = today};
    diag_list_init(&l.diags);
    struct ynode *root = NULL;
    ipr_status st = yaml_tree_parse(arena, &l.diags, s->path, text, len, &root);
    if (st == IPR_ENOMEM)
        diag_add(&l.diags, IPR_DIAG_ERROR, s->path, 0, 0, "out of memory");
    else if (st == IPR_OK)
        load_root(&l, root, s);
    diag_sort(&l.diags);
    print_diags(&l.diags, messages);
    bool ok = l.diags.error_count == 0 && !l.diags.out_of_memory && st == IPR_OK;
    diag_list_release(&l.diags);
    for (size_t i = 0; ok && i < s->count; i++) {
        if (s->items[i].expired)
            fprintf(messages, "%s:%u: suppression expired on %s\n", s->path, s->items[i].line,
                    s->items[i].expires);
    }
    if (!ok)
        s->count = 0; /* nothing applies from a file with errors */
    return ok;
}

bool suppressions_load(struct suppressions *s, const char *path, const char *today, FILE *messages)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(messages, "%s: error: cannot read the suppressions file: %s\n", path,
                strerror(errno));
        return false;
    }
    /* one byte past the limit is enough for the tree to refuse the file */
    size_t cap = IPR_YAML_MAX_FILE_BYTES + 1u;
    char *text = malloc(cap);
    size_t len = text ? fread(text, 1, cap, f) : 0;
    bool read_ok = text && !ferror(f);
    fclose(f);
    bool ok = false;
    if (!read_ok)
        fprintf(messages, "%s: error: cannot read the suppressions file\n", path);
    else
        ok = suppressions_parse(s, path, text, len, today, messages);
    free(text);
    return ok;
}

void suppressions_release(struct suppressions *s)
{
    if (s->mem) {
        arena_release(s->mem);
        free(s->mem);
    }
    free(s->path);
    memset(s, 0, sizeof *s);
}

struct suppression *suppressions_match(struct suppressions *s, const char *rule_id, const char *key,
                                       const char *fingerprint)
{
    uint64_t fp = 0;
    bool has_fp = fingerprint && fingerprint_parse(fingerprint, strlen(fingerprint), &fp);
    for (size_t i = 0; i < s->count; i++) {
        struct suppression *e = &s->items[i];
        if (e->expired)
            continue;
        bool hit = e->by_fingerprint
                       ? has_fp && e->fingerprint == fp
                       : strcmp(e->rule, rule_id) == 0 && fnmatch(e->key_glob, key, 0) == 0;
        if (hit) {
            e->matched++;
            return e;
        }
    }
    return NULL;
}

size_t suppressions_report_unused(const struct suppressions *s, FILE *messages)
{
    size_t n = 0;
    for (size_t i = 0; i < s->count; i++) {
        const struct suppression *e = &s->items[i];
        if (!e->expired && e->matched == 0) {
            fprintf(messages, "%s:%u: suppression matched no finding\n", s->path, e->line);
            n++;
        }
    }
    return n;
}

uint64_t suppressions_matched(const struct suppressions *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->count; i++)
        n += s->items[i].matched;
    return n;
}
