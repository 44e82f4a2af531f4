/*
 * registry_load.c - trademark registries, class vocabulary and
 * authorizations from YAML or CSV (see registry.h).
 *
 * YAML goes through the same event-based tree as rule packs (so the same
 * limits and the same rejection of anchors, aliases and tags apply); CSV
 * goes through the listing reader, so a bulk list exported from a
 * spreadsheet is read exactly like a catalogue.  Every problem is reported
 * with its position and loading goes on, so one run shows them all.
 */
#include <stdlib.h>

#include "../base/buf.h"
#include "../base/hugepage.h"
#include "../base/strmap.h"
#include "../input/reader.h"
#include "../rules/yaml_tree.h"
#include "registry.h"

void registry_init(struct registry *r)
{
    vec_init(&r->mark_blocks, sizeof(struct mark_def *));
    r->mark_count = 0;
    buf_init(&r->text, 0);
    buf_init(&r->shared, 0);
    r->spelled = NULL;
    r->shared_slots = NULL;
    r->shared_cap = r->shared_count = 0;
    vec_init(&r->profiles, sizeof(uint64_t));
    r->profile_slots = NULL;
    r->profile_cap = 0;
    buf_init(&r->mores, 0);
    vec_init(&r->classes, sizeof(struct class_vocab));
    vec_init(&r->authorizations, sizeof(struct authorization));
}

/* Frees r's blocks from block `from` on. */
static void free_blocks(struct registry *r, size_t from)
{
    struct mark_def **blocks = r->mark_blocks.items;
    for (size_t k = from; k < r->mark_blocks.count; k++)
        free(blocks[k]);
    r->mark_blocks.count = from;
}

void registry_release(struct registry *r)
{
    free_blocks(r, 0);
    vec_release(&r->mark_blocks);
    buf_release(&r->text);
    buf_release(&r->shared);
    registry_loaded(r);
    vec_release(&r->profiles);
    buf_release(&r->mores);
    vec_release(&r->classes);
    vec_release(&r->authorizations);
}

void registry_loaded(struct registry *r)
{
    hugepage_free(r->shared_slots, r->shared_cap * sizeof(uint32_t));
    r->shared_slots = NULL;
    r->shared_cap = r->shared_count = 0;
    hugepage_free(r->profile_slots, r->profile_cap * sizeof(uint32_t));
    r->profile_slots = NULL;
    r->profile_cap = 0;
}

/* Appends the len bytes at s to b, at *out (never 0: offset 0 is ""). */
static bool append_bytes(struct buf *b, const char *s, size_t len, uint32_t *out)
{
    if (!b->len && buf_append_char(b, '\0') != IPR_OK)
        return false;
    if (len >= UINT32_MAX - 1 - b->len)
        return false;
    *out = (uint32_t)b->len;
    return buf_append(b, s, len) == IPR_OK;
}

/* append_bytes and a NUL. */
static bool append_string(struct buf *b, const char *s, size_t len, uint32_t *out)
{
    return append_bytes(b, s, len, out) && buf_append_char(b, '\0') == IPR_OK;
}

/* Is the shared string at offset the len bytes at s?  The bytes compared
 * stay inside the buffer: a shorter string there is followed by others,
 * or by its end. */
static bool shared_is(const struct registry *r, uint32_t offset, const char *s, size_t len)
{
    const char *kept = r->shared.data + offset;
    return r->shared.len - offset > len && memcmp(kept, s, len) == 0 && kept[len] == '\0';
}

/* The slot of r's shared index where the len bytes at s are, or the
 * empty one where they would go. */
static uint32_t *shared_slot(const struct registry *r, const char *s, size_t len)
{
    size_t mask = r->shared_cap - 1, i = (size_t)strmap_hash(s, len) & mask;
    while (r->shared_slots[i] && !shared_is(r, r->shared_slots[i], s, len))
        i = (i + 1) & mask;
    return &r->shared_slots[i];
}

/* Replaces the index at *slots (*cap slots, NULL for none) by an empty one
 * at most half full with `keys` keys; the caller puts them in again.
 * False when out of memory, and the old index kept. */
static bool new_index(uint32_t **slots, size_t *cap, size_t keys)
{
    size_t n = 64;
    while (n < keys * 2)
        n *= 2;
    uint32_t *fresh = hugepage_alloc_table(n * sizeof(uint32_t), NULL);
    if (!fresh)
        return false;
    hugepage_free(*slots, *cap * sizeof(uint32_t));
    *slots = fresh;
    *cap = n;
    return true;
}

/* Room in r's shared index for `more` strings more: made from the shared
 * strings when there is none (before the first file, or after
 * registry_loaded), grown to keep it at most half full. */
static bool shared_room(struct registry *r, size_t more)
{
    if (r->shared_slots && (r->shared_count + more) * 2 <= r->shared_cap)
        return true;
    size_t strings = 0;
    for (size_t at = 1; at < r->shared.len; at += strlen(r->shared.data + at) + 1)
        strings++;
    if (!new_index(&r->shared_slots, &r->shared_cap, strings + more))
        return false;
    r->shared_count = strings;
    for (size_t at = 1; at < r->shared.len;) {
        size_t n = strlen(r->shared.data + at);
        *shared_slot(r, r->shared.data + at, n) = (uint32_t)at;
        at += n + 1;
    }
    return true;
}

/* The offset of the string s (len bytes, len > 0) in r's shared strings,
 * put there if it is not yet. */
static bool keep_shared(struct registry *r, const char *s, size_t len, uint32_t *out)
{
    if (!shared_room(r, 1))
        return false;
    uint32_t *slot = shared_slot(r, s, len);
    if (*slot) {
        *out = *slot;
        return true;
    }
    if (!append_string(&r->shared, s, len, out))
        return false;
    *slot = *out;
    r->shared_count++;
    return true;
}

/* The slot of r's profile index where profile p is, or the empty one
 * where it would go. */
static uint32_t *profile_slot(const struct registry *r, uint64_t p)
{
    const uint64_t *kept = r->profiles.items;
    size_t mask = r->profile_cap - 1, i = (size_t)((p * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    while (r->profile_slots[i] && kept[r->profile_slots[i] - 1] != p)
        i = (i + 1) & mask;
    return &r->profile_slots[i];
}

/* The number of profile p in r's profiles, put there if it is not yet;
 * a mark takes at most one new, so their number stays below
 * REGISTRY_MAX_MARKS.  IPR_ENOMEM. */
static ipr_status keep_profile(struct registry *r, uint64_t p, uint32_t *out)
{
    size_t count = r->profiles.count;
    if (!r->profile_slots || (count + 1) * 2 > r->profile_cap) { /* made, or grown */
        if (!new_index(&r->profile_slots, &r->profile_cap, count + 1))
            return IPR_ENOMEM;
        const uint64_t *kept = r->profiles.items;
        for (size_t i = 0; i < count; i++)
            *profile_slot(r, kept[i]) = (uint32_t)(i + 1);
    }
    uint32_t *slot = profile_slot(r, p);
    if (!*slot) {
        uint64_t *item = vec_push(&r->profiles);
        if (!item)
            return IPR_ENOMEM;
        *item = p;
        *slot = (uint32_t)(count + 1);
    }
    *out = *slot - 1;
    return IPR_OK;
}

/* The definition of a new mark, at the end of the registry's blocks (a
 * new one when the last is full); NULL when out of memory. */
static struct mark_def *new_mark(struct registry *reg)
{
    if (reg->mark_count % REGISTRY_MARK_BLOCK == 0) {
        struct mark_def **slot = vec_push(&reg->mark_blocks);
        struct mark_def *block = slot ? malloc(REGISTRY_MARK_BLOCK * sizeof(*block)) : NULL;
        if (!block) {
            if (slot)
                reg->mark_blocks.count--;
            return NULL;
        }
        *slot = block;
    }
    return mark_in_blocks(reg->mark_blocks.items, reg->mark_count++);
}

/* Bytes of registry.mores before the first record: offset 0 is none. */
#define MORE_FIRST 8u

/* Appends the n items of src to dst (vectors of the same element). */
static bool append_items(struct vec *dst, const struct vec *src)
{
    if (!src->count)
        return true;
    if (vec_reserve_extra(dst, src->count) != IPR_OK)
        return false;
    memcpy(vec_at(dst, dst->count), src->items, src->count * src->elem_size);
    dst->count += src->count;
    return true;
}

ipr_status registry_append(struct registry *dst, struct registry *src)
{
    /* offsets into src's text move by what dst holds already; 0 ("", or
     * none) stays 0, and src's own leading NUL is not copied again */
    size_t from = dst->text.len ? 1 : 0;
    if (src->text.len > from) {
        if (src->text.len - from >= UINT32_MAX - dst->text.len)
            return IPR_ELIMIT;
        if (buf_append(&dst->text, src->text.data + from, src->text.len - from) != IPR_OK)
            return IPR_ENOMEM;
    }
    uint32_t shift = (uint32_t)(dst->text.len - src->text.len);
    /* src's owners and lists: where each is in dst's, by its offset in
     * src's halved (a string and its NUL are two bytes or more, so no two
     * share a half; 2 bytes of table a byte of src's strings) */
    uint32_t *moved = NULL;
    if (src->shared.len > 1) {
        moved = malloc((src->shared.len / 2 + 1) * sizeof(uint32_t));
        /* room for all of src's at once: one rebuild of the index, not
         * one each time it doubles (the first file's were ten) */
        if (!moved || !shared_room(dst, src->shared_count)) {
            free(moved);
            return IPR_ENOMEM;
        }
        for (size_t at = 1; at < src->shared.len;) {
            const char *s = src->shared.data + at;
            size_t n = strlen(s);
            if (!keep_shared(dst, s, n, &moved[at / 2])) {
                free(moved);
                return dst->shared.len >= UINT32_MAX - 1 - n ? IPR_ELIMIT : IPR_ENOMEM;
            }
            at += n + 1;
        }
    }
    /* src's profiles: where each is in dst's */
    if (src->mark_count > REGISTRY_MAX_MARKS - dst->mark_count) {
        free(moved);
        return IPR_ELIMIT;
    }
    uint32_t *profile_to = malloc((src->profiles.count + 1) * sizeof(uint32_t));
    ipr_status st = profile_to ? IPR_OK : IPR_ENOMEM;
    for (size_t i = 0; st == IPR_OK && i < src->profiles.count; i++)
        st = keep_profile(dst, ((const uint64_t *)src->profiles.items)[i], &profile_to[i]);
    if (st != IPR_OK) {
        free(moved);
        free(profile_to);
        return st;
    }
    /* src's records go after dst's: their offsets move by what dst holds
     * beyond the 8 bytes before the first (append_record) */
    size_t more_shift = dst->mores.len ? dst->mores.len - MORE_FIRST : 0;
    bool ok = true;
    if (src->mores.len) {
        if (src->mores.len - MORE_FIRST > UINT32_MAX - MORE_FIRST - more_shift) {
            free(moved);
            free(profile_to);
            return IPR_ELIMIT;
        }
        ok = dst->mores.len ? buf_append(&dst->mores, src->mores.data + MORE_FIRST,
                                         src->mores.len - MORE_FIRST) == IPR_OK
                            : buf_append(&dst->mores, src->mores.data, src->mores.len) == IPR_OK;
    }
    ok = ok && append_items(&dst->classes, &src->classes) &&
         append_items(&dst->authorizations, &src->authorizations);
    for (size_t i = 0; ok && i < src->mark_count; i++) {
        struct mark_def *def = new_mark(dst);
        if (!def) {
            ok = false;
            break;
        }
        *def = *registry_mark(src, i);
        def->name += def->name ? shift : 0;
        def->owner = def->owner ? moved[def->owner / 2] : 0;
        def->profile = profile_to[def->profile];
        uint32_t *codes = &def->jurisdictions;
        if (mark_has_more(dst, def)) { /* its record, where src's were appended */
            def->jurisdictions += (uint32_t)more_shift;
            codes = &mark_more_record(dst, def)->jurisdictions;
        }
        *codes = *codes ? moved[*codes / 2] : 0;
    }
    free(moved);
    free(profile_to);
    if (!ok)
        return IPR_ENOMEM;
    registry_release(src);
    registry_init(src);
    return IPR_OK;
}

/* Bytes of the text kept for mark def: its name and a NUL; 0 for a name
 * kept as its spelling. */
static size_t kept_name_bytes(const struct registry *r, const struct mark_def *def)
{
    if (def->name_case != MARK_CASE_KEPT || !def->name)
        return 0;
    return strlen(r->text.data + def->name) + 1;
}

ipr_status registry_keep_spelled_names(struct registry *r, const char *spelled)
{
    r->spelled = spelled;
    size_t bytes = 1; /* offset 0 is "" */
    for (size_t i = 0; i < r->mark_count; i++)
        bytes += kept_name_bytes(r, mark_in_blocks(r->mark_blocks.items, i));
    if (bytes >= r->text.len)
        return IPR_OK; /* every name is kept: no copy of them all */
    struct buf kept;
    buf_init(&kept, 0);
    if (buf_reserve(&kept, bytes) != IPR_OK) /* all at once: nothing below fails */
        return IPR_ENOMEM;
    (void)buf_append_char(&kept, '\0');
    for (size_t i = 0; i < r->mark_count; i++) {
        struct mark_def *def = mark_in_blocks(r->mark_blocks.items, i);
        size_t n = kept_name_bytes(r, def);
        if (!n)
            continue;
        const char *from = r->text.data + def->name;
        def->name = (uint32_t)kept.len;
        (void)buf_append(&kept, from, n);
    }
    buf_release(&r->text);
    r->text = kept;
    return IPR_OK;
}

struct mark_more mark_more_of(const struct registry *r, const struct mark_def *m)
{
    struct mark_more more = {.currency = ""};
    if (!mark_has_more(r, m))
        return more;
    struct mark_more_record *rec = mark_more_record(r, m);
    const char *at = (const char *)(rec + 1);
    if (rec->priced) {
        memcpy(&more.reference_price, at, sizeof(double));
        more.has_reference_price = true;
        at += sizeof(double);
    }
    if (rec->currency) {
        memcpy(&more.currency, at, sizeof(const char *));
        at += sizeof(const char *);
    }
    if (rec->sensed) {
        memcpy(&more.senses, at, sizeof(const struct mark_senses *));
        at += sizeof(const struct mark_senses *);
    }
    const char **items = (const char **)(void *)at;
    more.alias_count = rec->alias_count;
    more.generic_count = rec->generic_count;
    more.context_count = rec->context_count;
    more.aliases = more.alias_count ? items : NULL;
    more.generic_senses = more.generic_count ? items + rec->alias_count : NULL;
    more.context = more.context_count ? items + rec->alias_count + rec->generic_count : NULL;
    return more;
}

/* Appends the record of what `more` holds and the jurisdictions at
 * offset `codes` in the shared strings (mark_more_record) to r's mores,
 * at *out.  IPR_ENOMEM, IPR_ELIMIT (records past 4 GiB). */
static ipr_status append_record(struct registry *r, const struct mark_more *more, uint32_t codes,
                                uint32_t *out)
{
    struct mark_more_record head = {.alias_count = more->alias_count,
                                    .generic_count = more->generic_count,
                                    .context_count = more->context_count,
                                    .priced = more->has_reference_price,
                                    .currency = more->currency[0] != '\0',
                                    .sensed = more->generic_count || more->context_count,
                                    .jurisdictions = codes};
    size_t items = (size_t)head.alias_count + head.generic_count + head.context_count;
    size_t bytes = sizeof(head) + (head.priced ? sizeof(double) : 0) +
                   (head.currency ? sizeof(const char *) : 0) +
                   (head.sensed ? sizeof(const struct mark_senses *) : 0) + items * sizeof(char *);
    if (!r->mores.len) { /* offset 0 is none; the records after it stay 8-byte aligned */
        static const char none[MORE_FIRST];
        if (buf_append(&r->mores, none, sizeof(none)) != IPR_OK)
            return IPR_ENOMEM;
    }
    if (bytes > UINT32_MAX - r->mores.len || more->generic_count > MORE_MAX_GENERIC)
        return IPR_ELIMIT;
    size_t at = r->mores.len;
    if (buf_reserve(&r->mores, at + bytes) != IPR_OK)
        return IPR_ENOMEM;
    char *p = r->mores.data + at;
    memcpy(p, &head, sizeof(head));
    p += sizeof(head);
    if (head.priced) {
        memcpy(p, &more->reference_price, sizeof(double));
        p += sizeof(double);
    }
    if (head.currency) {
        memcpy(p, &more->currency, sizeof(const char *));
        p += sizeof(const char *);
    }
    if (head.sensed) {
        memset(p, 0, sizeof(const struct mark_senses *)); /* NULL until markset_build */
        p += sizeof(const struct mark_senses *);
    }
    const struct {
        const char *const *items;
        uint32_t count;
    } lists[] = {{more->aliases, more->alias_count},
                 {more->generic_senses, more->generic_count},
                 {more->context, more->context_count}};
    for (size_t i = 0; i < IPR_ARRAY_LEN(lists); i++) {
        if (lists[i].count)
            memcpy(p, lists[i].items, lists[i].count * sizeof(char *));
        p += lists[i].count * sizeof(char *);
    }
    r->mores.len = at + bytes;
    *out = (uint32_t)at;
    return IPR_OK;
}

bool registry_date_valid(const char *d)
{
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !ipr_is_ascii_digit((unsigned char)d[i]))
            return false;
    int month = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* Where a CSV column was found on the last row: rows of one file have the
 * header's columns in the header's order, so after the first row a lookup
 * is one comparison instead of a walk over the columns. */
struct column_hint {
    const char *name; /* the caller's literal, compared by address */
    size_t index;
};

struct loader {
    struct arena *arena;
    struct diag_list *diags;
    const char *file;
    struct column_hint hints[12]; /* more columns than any CSV registry has */
    size_t hint_count;
    /* codes that repeat on most rows (an authorization's territories),
     * kept once (intern_code):
     * string -> index into `codes` (const char *); NULL when not in use */
    struct strmap *code_index;
    struct vec *codes;
    struct jurisdictions_list code_list; /* a list of codes being made (join_code) */
    struct registry *reg; /* names into reg->text, owners and lists into reg->shared */
    struct arena *lists;  /* a mark's lists of aliases and words until add_mark copies them */
    ipr_status failure;   /* why add_mark failed, when not for memory */
    /* codes of one to four bytes (country codes: nearly
     * all), by their bytes: found again without hashing a string */
    struct short_code {
        uint32_t key, len;
        const char *copy; /* NULL: empty */
    } short_codes[256];
};

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- YAML helpers ------------------------------------------------------------ */

static const char *scalar(struct loader *l, const struct ynode *n, const char *what)
{
    if (n->kind != YNODE_SCALAR || ynode_is_null(n)) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col,
                 "expected a scalar for '%s', found %s", what, ynode_describe(n));
        return NULL;
    }
    return n->u.scalar.text;
}

/* A scalar or a sequence of scalars, as an array of strings. */
static bool string_list(struct loader *l, const struct ynode *n, const char *what,
                        struct arena *arrays, const char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (n->kind == YNODE_SCALAR) {
        if (ynode_is_null(n) || !n->u.scalar.text[0])
            return true; /* "" is no item, as in a sequence */
        const char **items = arena_alloc(arrays, sizeof(char *));
        if (!items)
            return false;
        items[0] = n->u.scalar.text;
        *out = items;
        *count = 1;
        return true;
    }
    if (n->kind != YNODE_SEQUENCE) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col,
                 "expected a sequence for '%s', found %s", what, ynode_describe(n));
        return true;
    }
    const char **items = arena_calloc(arrays, n->u.seq.count ? n->u.seq.count : 1, sizeof(char *));
    if (!items)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n->u.seq.count; i++) {
        const char *s = scalar(l, n->u.seq.items[i], what);
        if (s && s[0])
            items[k++] = s;
    }
    *out = items;
    *count = k;
    return true;
}

/* string_list for a mark's list, whose count is 32 bits (struct mark_more),
 * gathered in l->lists; a file under 4 GiB holds fewer items. */
static bool string_list32(struct loader *l, const struct ynode *n, const char *what,
                          const char ***out, uint32_t *count)
{
    size_t items;
    bool ok = string_list(l, n, what, l->lists, out, &items);
    *count = (uint32_t)items;
    return ok;
}

/* Adds one code to the list being made; false when out of memory. */
static bool join_code(struct loader *l, const char *code, size_t len, uint32_t *count)
{
    (*count)++;
    return jurisdictions_list_add(&l->code_list, code, len) == IPR_OK;
}

/* A copy of the len bytes at s and a NUL at the end of the registry's
 * text, at offset *out (the text starts with a NUL: offset 0 is "").  False
 * when out of memory or past 4 GiB of text. */
static bool append_text(struct loader *l, const char *s, size_t len, uint32_t *out)
{
    return append_string(&l->reg->text, s, len, out);
}

/* A string many marks repeat (an owner, a list of codes): kept once in
 * the registry's shared strings; 0 for none. */
static bool keep_text(struct loader *l, const char *s, size_t len, uint32_t *out)
{
    *out = 0;
    return !len || keep_shared(l->reg, s, len, out);
}

/* The list made, as registry.h says a list is kept (jurisdictions.c),
 * kept once however many marks list the same codes (an array of pointers
 * was 48 bytes a mark of 100,000), at *out. */
static bool joined_codes(struct loader *l, uint32_t *out)
{
    return jurisdictions_list_done(&l->code_list) == IPR_OK &&
           keep_text(l, l->code_list.kept.data, l->code_list.kept.len, out);
}

/* A scalar or a sequence of scalars (codes), as one string of codes
 * separated by '|'. */
static bool code_list(struct loader *l, const struct ynode *n, const char *what, uint32_t *out,
                      uint32_t *count)
{
    *out = 0;
    *count = 0;
    jurisdictions_list_clear(&l->code_list);
    const struct ynode *const *items = &n;
    size_t item_count = 1;
    if (n->kind == YNODE_SEQUENCE) {
        items = (const struct ynode *const *)n->u.seq.items;
        item_count = n->u.seq.count;
    } else if (n->kind != YNODE_SCALAR) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col,
                 "expected a sequence for '%s', found %s", what, ynode_describe(n));
        return true;
    } else if (ynode_is_null(n)) {
        return true;
    }
    for (size_t i = 0; i < item_count; i++) {
        const char *code = scalar(l, items[i], what);
        if (!code || !code[0])
            continue;
        /* its length and whether it holds '|' in one pass: codes are two
         * or three letters, and two calls a code were 2 to 3 % of loading */
        size_t len = 0;
        bool bar = false;
        for (; code[len]; len++)
            bar |= code[len] == '|';
        if (bar) {
            diag_add(l->diags, IPR_DIAG_ERROR, l->file, items[i]->line, items[i]->col,
                     "a code in '%s' cannot hold '|', not '%s'", what, code);
            continue;
        }
        if (!join_code(l, code, len, count))
            return false;
    }
    return joined_codes(l, out);
}

static bool parse_class(struct loader *l, const char *text, uint32_t line, uint32_t col,
                        unsigned *out)
{
    char *end = NULL;
    long v;
    if (ipr_is_ascii_digit((unsigned char)text[0]) &&
        (!text[1] || (ipr_is_ascii_digit((unsigned char)text[1]) && !text[2]))) {
        /* one or two digits, as nearly every class is written: what strtol
         * reads them as, without its call (a class a mark of 100,000) */
        v = text[1] ? (text[0] - '0') * 10 + (text[1] - '0') : text[0] - '0';
        end = (char *)text + (text[1] ? 2 : 1);
    } else {
        v = strtol(text, &end, 10);
    }
    if (!end || *end != '\0' || v < 1 || v > 45) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, line, col,
                 "Nice class must be a number from 1 to 45, not '%s'", text);
        return false;
    }
    *out = (unsigned)v;
    return true;
}

/* Sets the bit of the Nice class the text names in *mask. */
static void add_class(struct loader *l, const char *text, uint32_t line, uint32_t col,
                      uint64_t *mask)
{
    unsigned cls;
    if (parse_class(l, text, line, col, &cls))
        *mask |= 1ull << cls;
}

/* The classes of a scalar or a sequence of scalars, read in place: a
 * list of their texts would stay in the registry's arena, unused, for
 * every mark. */
/* A registry holds 100,000 marks and more: a field added to every mark
 * goes into its profile, or behind PROFILE_HAS_MORE (struct
 * mark_more_record), unless every mark needs one of its own. */
_Static_assert(sizeof(struct mark_def) <= 16, "struct mark_def grew past 16 bytes");
_Static_assert(sizeof(struct mark_more_record) == 16, "a record's head is 16 bytes");

/* One mark as it is read: the record every mark keeps, and what add_mark
 * keeps beside it only when the entry says any of it. */
struct mark_entry {
    struct mark_def def;
    uint64_t class_mask; /* read here, kept in the mark's profile (add_mark) */
    uint8_t kind, status;
    bool context_required;
    enum owner_kept owner_kept; /* kept in the profile (keep_owner) */
    struct mark_more more;
    const char *mark;            /* the name as read, until add_mark keeps it in def */
    const char *owner;           /* as read, until keep_owner keeps it in def */
    uint32_t jurisdiction_count; /* read, not kept: the joined list says it */
};

static void class_list(struct loader *l, const struct ynode *n, struct mark_entry *m)
{
    if (n->kind == YNODE_SCALAR) {
        if (!ynode_is_null(n))
            add_class(l, n->u.scalar.text, n->line, n->col, &m->class_mask);
        return;
    }
    if (n->kind != YNODE_SEQUENCE) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col,
                 "expected a sequence for 'classes', found %s", ynode_describe(n));
        return;
    }
    for (size_t i = 0; i < n->u.seq.count; i++) {
        const struct ynode *item = n->u.seq.items[i];
        const char *text = scalar(l, item, "classes");
        if (text && text[0])
            add_class(l, text, item->line, item->col, &m->class_mask);
    }
}

static bool parse_kind(struct loader *l, const char *text, uint32_t line, uint32_t col,
                       uint8_t *out)
{
    if (strcmp(text, "brand") == 0)
        *out = MARK_BRAND;
    else if (strcmp(text, "character") == 0)
        *out = MARK_CHARACTER;
    else if (strcmp(text, "event") == 0)
        *out = MARK_EVENT;
    else {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, line, col,
                 "'kind' must be one of brand, character, event, not '%s'", text);
        return false;
    }
    return true;
}

static const char *const status_names[] = {"registered", "pending", "expired"};

const char *mark_status_name(enum mark_status status)
{
    return (size_t)status < IPR_ARRAY_LEN(status_names) ? status_names[status] : "registered";
}

/* The NUL-terminated string at offset in the registry's text. */
static const char *text_at(const struct registry *r, uint32_t offset)
{
    return r->text.len ? r->text.data + offset : "";
}

/* The NUL-terminated string at offset in the registry's shared strings. */
static const char *shared_at(const struct registry *r, uint32_t offset)
{
    return r->shared.len ? r->shared.data + offset : "";
}

const char *mark_name(const struct registry *r, const struct mark_def *m,
                      char buf[MARK_SPELLED_NAME_MAX + 1])
{
    if (m->name_case == MARK_CASE_KEPT)
        return text_at(r, m->name);
    const char *spelling = r->spelled + m->name;
    mark_case_put_back(spelling, strlen(spelling), (enum mark_case)m->name_case, buf);
    return buf;
}

const char *mark_owner(const struct registry *r, const struct mark_def *m, struct arena *arena)
{
    const char *kept = shared_at(r, m->owner);
    enum owner_kept how = mark_owner_kept(r, m);
    if (how == OWNER_WHOLE)
        return kept;
    char spelled[MARK_SPELLED_NAME_MAX + 1];
    const char *mark = mark_name(r, m, spelled);
    size_t name = how == OWNER_AFTER_NAME ? strlen(mark) : strcspn(mark, " "), rest = strlen(kept);
    char *owner = arena_alloc_text(arena, name + rest + 1);
    if (!owner)
        return NULL;
    memcpy(owner, mark, name);
    memcpy(owner + name, kept, rest + 1);
    return owner;
}

/* Mark m's list of jurisdictions as kept. */
static const char *kept_jurisdictions(const struct registry *r, const struct mark_def *m)
{
    return shared_at(r, mark_has_more(r, m) ? mark_more_record(r, m)->jurisdictions
                                            : m->jurisdictions);
}

const char *mark_jurisdictions(const struct registry *r, const struct mark_def *m,
                               struct arena *arena)
{
    const char *kept = kept_jurisdictions(r, m);
    if ((unsigned char)kept[0] == JURISDICTIONS_TEXT || !kept[0])
        return kept[0] ? kept + 1 : kept;
    char *text = arena_alloc_text(arena, jurisdictions_text_len(kept) + 1);
    if (text)
        jurisdictions_text(kept, text);
    return text;
}

bool mark_in_jurisdiction(const struct registry *r, const struct mark_def *m, const char *code)
{
    return jurisdictions_have(kept_jurisdictions(r, m), code);
}

/* The status named by text into *out; false (reported) when it names none. */
static bool parse_status(struct loader *l, const char *text, uint32_t line, uint32_t col,
                         uint8_t *out)
{
    for (size_t i = 0; i < IPR_ARRAY_LEN(status_names); i++) {
        if (strcmp(text, status_names[i]) == 0) {
            *out = (uint8_t)i;
            return true;
        }
    }
    diag_add(l->diags, IPR_DIAG_ERROR, l->file, line, col,
             "'status' must be one of registered, pending, expired, not '%s'", text);
    return false;
}

static bool parse_price(struct loader *l, const char *text, uint32_t line, uint32_t col,
                        double *out)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (!end || *end != '\0' || !(v > 0)) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, line, col,
                 "reference price must be a positive number, not '%s'", text);
        return false;
    }
    *out = v;
    return true;
}

/* The keys of a mark.  Found by length, then bytes: a registry of 100,000
 * marks has a million keys, and a chain of strcmp calls per key was a
 * tenth of taking the marks. */
enum mark_key {
    KEY_MARK,
    KEY_OWNER,
    KEY_ALIASES,
    KEY_CLASSES,
    KEY_JURISDICTIONS,
    KEY_STATUS,
    KEY_KIND,
    KEY_REFERENCE_PRICE,
    KEY_GENERIC_SENSES,
    KEY_CONTEXT,
    KEY_CONTEXT_REQUIRED,
    KEY_UNKNOWN
};

static enum mark_key mark_key_of(const struct ynode *k)
{
#define MARK_KEY(id, name) [id] = { name, sizeof(name) - 1 }
    static const struct {
        const char *name;
        size_t len;
    } keys[KEY_UNKNOWN] = {MARK_KEY(KEY_MARK, "mark"),
                           MARK_KEY(KEY_OWNER, "owner"),
                           MARK_KEY(KEY_ALIASES, "aliases"),
                           MARK_KEY(KEY_CLASSES, "classes"),
                           MARK_KEY(KEY_JURISDICTIONS, "jurisdictions"),
                           MARK_KEY(KEY_STATUS, "status"),
                           MARK_KEY(KEY_KIND, "kind"),
                           MARK_KEY(KEY_REFERENCE_PRICE, "reference_price"),
                           MARK_KEY(KEY_GENERIC_SENSES, "generic_senses"),
                           MARK_KEY(KEY_CONTEXT, "context"),
                           MARK_KEY(KEY_CONTEXT_REQUIRED, "context_required")};
#undef MARK_KEY
    if (k->kind != YNODE_SCALAR)
        return KEY_UNKNOWN;
    for (size_t i = 0; i < IPR_ARRAY_LEN(keys); i++)
        if (k->u.scalar.len == keys[i].len &&
            memcmp(k->u.scalar.text, keys[i].name, keys[i].len) == 0)
            return (enum mark_key)i;
    return KEY_UNKNOWN;
}

static bool mark_from_yaml(struct loader *l, const struct ynode *n, struct mark_entry *m)
{
    memset(m, 0, sizeof(*m));
    m->status = MARK_REGISTERED;
    m->more.currency = "";
    m->owner = "";
    if (n->kind != YNODE_MAPPING) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col,
                 "expected a mapping for a mark, found %s", ynode_describe(n));
        return true;
    }
    for (size_t i = 0; i < n->u.map.count; i++) {
        const struct ynode *k = n->u.map.pairs[i].key, *v = n->u.map.pairs[i].value;
        const char *key = k->kind == YNODE_SCALAR ? k->u.scalar.text : "";
        const char *s;
        bool ok = true;
        switch (mark_key_of(k)) {
        case KEY_MARK:
            m->mark = scalar(l, v, key);
            break;
        case KEY_OWNER:
            if ((s = scalar(l, v, key)) != NULL)
                m->owner = s;
            break;
        case KEY_ALIASES:
            ok = string_list32(l, v, key, &m->more.aliases, &m->more.alias_count);
            break;
        case KEY_CLASSES:
            class_list(l, v, m);
            break;
        case KEY_JURISDICTIONS:
            ok = code_list(l, v, key, &m->def.jurisdictions, &m->jurisdiction_count);
            break;
        case KEY_STATUS:
            /* an unknown status is reported and the default stays */
            if ((s = scalar(l, v, key)) != NULL)
                parse_status(l, s, v->line, v->col, &m->status);
            break;
        case KEY_KIND:
            if ((s = scalar(l, v, key)) != NULL)
                parse_kind(l, s, v->line, v->col, &m->kind);
            break;
        case KEY_REFERENCE_PRICE:
            if (v->kind != YNODE_MAPPING) {
                diag_add(l->diags, IPR_DIAG_ERROR, l->file, v->line, v->col,
                         "'reference_price' must be a mapping {amount, currency}");
                continue;
            }
            for (size_t j = 0; j < v->u.map.count; j++) {
                const struct ynode *pk = v->u.map.pairs[j].key, *pv = v->u.map.pairs[j].value;
                const char *pkey = pk->kind == YNODE_SCALAR ? pk->u.scalar.text : "";
                if (strcmp(pkey, "amount") == 0) {
                    if ((s = scalar(l, pv, pkey)) != NULL &&
                        parse_price(l, s, pv->line, pv->col, &m->more.reference_price))
                        m->more.has_reference_price = true;
                } else if (strcmp(pkey, "currency") == 0) {
                    if ((s = scalar(l, pv, pkey)) != NULL)
                        m->more.currency = s;
                } else {
                    diag_add(l->diags, IPR_DIAG_ERROR, l->file, pk->line, pk->col,
                             "unknown key '%s' in reference_price (amount, currency)", pkey);
                }
            }
            break;
        case KEY_GENERIC_SENSES:
            ok = string_list32(l, v, key, &m->more.generic_senses, &m->more.generic_count);
            break;
        case KEY_CONTEXT:
            ok = string_list32(l, v, key, &m->more.context, &m->more.context_count);
            break;
        case KEY_CONTEXT_REQUIRED:
            if ((s = scalar(l, v, key)) != NULL) {
                if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
                    m->context_required = strcmp(s, "true") == 0;
                else
                    diag_add(l->diags, IPR_DIAG_ERROR, l->file, v->line, v->col,
                             "use true or false, not '%s'", s);
            }
            break;
        case KEY_UNKNOWN:
            diag_add(l->diags, IPR_DIAG_ERROR, l->file, k->line, k->col,
                     "unknown key '%s' in mark (mark, aliases, owner, classes, jurisdictions, "
                     "status, kind, reference_price, generic_senses, context, context_required)",
                     key);
            break;
        }
        if (!ok)
            return false;
    }
    if (!m->mark || !m->mark[0]) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, n->line, n->col, "mark without a 'mark' name");
        m->mark = NULL;
    }
    return true;
}

/* Finds the value of `key` in a top-level mapping. */
static const struct ynode *map_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != YNODE_MAPPING)
        return NULL;
    for (size_t i = 0; i < map->u.map.count; i++) {
        const struct ynode *k = map->u.map.pairs[i].key;
        if (k->kind == YNODE_SCALAR && strcmp(k->u.scalar.text, key) == 0)
            return map->u.map.pairs[i].value;
    }
    return NULL;
}

static void check_top_keys(struct loader *l, const struct ynode *root, const char *const *allowed,
                           size_t n_allowed, const char *what)
{
    for (size_t i = 0; i < root->u.map.count; i++) {
        const struct ynode *k = root->u.map.pairs[i].key;
        const char *key = k->kind == YNODE_SCALAR ? k->u.scalar.text : "";
        bool known = false;
        for (size_t a = 0; a < n_allowed; a++)
            known = known || strcmp(key, allowed[a]) == 0;
        if (!known)
            diag_add(l->diags, IPR_DIAG_ERROR, l->file, k->line, k->col, "unknown key '%s' in %s",
                     key, what);
    }
}

/* The tree goes into tree_arena: the loader's own arena, or a scratch one
 * the caller frees after taking what it keeps (keep_mark). */
/* Parses a registry file's YAML and finds its list.  With on_item, the
 * list's items go to it as they are read and the list is left empty
 * (yaml_tree_parse_items). */
static ipr_status parse_root(struct loader *l, struct arena *tree_arena, const char *text,
                             size_t len, const char *list_key, yaml_item_fn on_item,
                             yaml_restart_fn on_restart, void *user, const struct ynode **list)
{
    struct ynode *root = NULL;
    ipr_status st = yaml_tree_parse_items(tree_arena, l->diags, l->file, text, len, list_key,
                                          on_item, on_restart, user, &root);
    if (st != IPR_OK)
        return st;
    if (!root || root->kind != YNODE_MAPPING) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, root ? root->line : 1, root ? root->col : 1,
                 "expected a mapping with '%s'", list_key);
        return IPR_ERULES;
    }
    *list = map_get(root, list_key);
    if (!*list || (*list)->kind != YNODE_SEQUENCE) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, root->line, root->col, "missing sequence '%s'",
                 list_key);
        return IPR_ERULES;
    }
    static const char *const marks_keys[] = {"registry", "version", "title", "description",
                                             "marks"};
    static const char *const class_keys[] = {"registry", "vocabulary",  "version",
                                             "title",    "description", "classes"};
    static const char *const auth_keys[] = {"version", "title", "description", "authorizations"};
    if (strcmp(list_key, "marks") == 0)
        check_top_keys(l, root, marks_keys, IPR_ARRAY_LEN(marks_keys), "a trademark registry");
    else if (strcmp(list_key, "classes") == 0)
        check_top_keys(l, root, class_keys, IPR_ARRAY_LEN(class_keys), "a class vocabulary");
    else
        check_top_keys(l, root, auth_keys, IPR_ARRAY_LEN(auth_keys), "an authorizations file");
    return IPR_OK;
}

/* ---- CSV --------------------------------------------------------------------------- */

/* The value of column `name` in this row, borrowed until the next row; ""
 * when the file has no such column. */
static const char *csv_view(struct loader *l, const struct ipr_record *rec, const char *name)
{
    struct column_hint *hint = NULL;
    for (size_t i = 0; i < l->hint_count && !hint; i++)
        if (l->hints[i].name == name)
            hint = &l->hints[i];
    if (hint && hint->index < rec->field_count && strcmp(rec->fields[hint->index].path, name) == 0)
        return rec->fields[hint->index].value;
    const struct record_field *f = record_find(rec, name);
    if (!f)
        return "";
    if (!hint && l->hint_count < IPR_ARRAY_LEN(l->hints))
        hint = &l->hints[l->hint_count++];
    if (hint) {
        hint->name = name;
        hint->index = (size_t)(f - rec->fields);
    }
    return f->value;
}

/* As csv_view, copied into the arena for the loaded registry; NULL only
 * when out of memory. */
static const char *csv_field(struct loader *l, const struct ipr_record *rec, const char *name)
{
    const char *v = csv_view(l, rec, name);
    return v[0] ? arena_strdup(l->arena, v) : "";
}

/* The owner's name of def, as kept: once however many marks of the
 * files loaded name it, and for a name that starts with the mark's name
 * ("Acme Corp." of Acme) or its first word ("Acme Trading Ltd." of Acme
 * Tools), only the rest, which the marks of a registry share among a few
 * forms of company (" Corp.", " Trading Co., Ltd."; enum owner_kept).  A
 * copy of every name was a tenth of a 100,000-mark registry's memory, and
 * the names after a first word 2.4 bytes a mark of the benchmark's
 * registry.  False when out of memory. */
static bool keep_owner(struct loader *l, struct mark_entry *m, const char *owner)
{
    const char *mark = m->mark;
    size_t name = strlen(mark), len = strlen(owner), word = strcspn(mark, " ");
    size_t skip = 0;
    m->owner_kept = OWNER_WHOLE;
    if (name && len >= name && memcmp(owner, mark, name) == 0) {
        m->owner_kept = OWNER_AFTER_NAME;
        skip = name;
    } else if (word && word < name && len >= word && memcmp(owner, mark, word) == 0) {
        m->owner_kept = OWNER_AFTER_FIRST_WORD;
        skip = word;
    }
    owner += skip;
    len -= skip;
    uint32_t kept;
    if (!keep_text(l, owner, len, &kept))
        return false;
    m->def.owner = kept;
    return true;
}

/* One copy of a short string that many rows repeat: a code (split_bar).
 * An owner's name and a list of codes go to the registry's text instead
 * (keep_text). */
static const char *intern_code(struct loader *l, const char *s, size_t len)
{
    struct short_code *sc = NULL;
    uint32_t key = 0;
    if (len >= 1 && len <= 4) {
        memcpy(&key, s, len);
        sc = &l->short_codes[(key * 2654435761u) >> 24];
        if (sc->copy && sc->key == key && sc->len == len)
            return sc->copy;
    }
    uint32_t idx;
    const char *copy;
    if (strmap_get(l->code_index, s, len, &idx)) {
        copy = *(const char **)vec_at(l->codes, idx);
    } else {
        copy = arena_strndup(l->arena, s, len);
        const char **slot = copy ? vec_push(l->codes) : NULL;
        if (!slot || strmap_put(l->code_index, s, len, (uint32_t)(l->codes->count - 1)) != IPR_OK)
            return NULL;
        *slot = copy;
    }
    if (sc)
        *sc = (struct short_code){key, (uint32_t)len, copy};
    return copy;
}

/* Splits "a|b|c" into trimmed, non-empty parts; with `codes`, parts are
 * interned (see struct loader). */
/* The next part of "a|b|c" at *p, trimmed, as [*a, *b); *p moves past its
 * bar, or to NULL after the last part. */
static void next_bar_part(const char **p, const char **a, const char **b)
{
    const char *bar = strchr(*p, '|');
    *a = *p;
    *b = bar ? bar : *p + strlen(*p);
    while (*a < *b && ipr_is_ascii_space((unsigned char)**a))
        (*a)++;
    while (*b > *a && ipr_is_ascii_space((unsigned char)(*b)[-1]))
        (*b)--;
    *p = bar ? bar + 1 : NULL;
}

static bool split_bar(struct loader *l, const char *text, struct arena *arrays, const char ***out,
                      size_t *count, bool codes)
{
    *out = NULL;
    *count = 0;
    if (!text[0])
        return true;
    size_t parts = 1;
    for (const char *p = text; *p; p++)
        parts += *p == '|';
    const char **items = arena_calloc(arrays, parts, sizeof(char *));
    if (!items)
        return false;
    size_t n = 0;
    for (const char *p = text, *a, *b; p;) {
        next_bar_part(&p, &a, &b);
        size_t len = (size_t)(b - a);
        if (b > a && !(items[n++] = codes && l->code_index ? intern_code(l, a, len)
                                                           : arena_strndup(l->arena, a, len)))
            return false;
    }
    *out = items;
    *count = n;
    return true;
}

/* split_bar for a mark's list, whose count is 32 bits (struct mark_more),
 * gathered in l->lists. */
static bool split_bar32(struct loader *l, const char *text, const char ***out, uint32_t *count)
{
    size_t items;
    bool ok = split_bar(l, text, l->lists, out, &items, false);
    *count = (uint32_t)items;
    return ok;
}

/* "US| EU |CN" as "US|EU|CN": the codes trimmed, empty ones left out,
 * joined as code_list joins them. */
static bool code_bar(struct loader *l, const char *text, uint32_t *out, uint32_t *count)
{
    *count = 0;
    jurisdictions_list_clear(&l->code_list);
    for (const char *p = text[0] ? text : NULL, *a, *b; p;) {
        next_bar_part(&p, &a, &b);
        if (b > a && !join_code(l, a, (size_t)(b - a), count))
            return false;
    }
    return joined_codes(l, out);
}

/* The classes of "25|3|28" into *mask, cut as split_bar cuts its parts
 * but not kept.  false when out of memory. */
static bool class_bar(struct loader *l, const char *text, uint32_t line, uint64_t *mask)
{
    for (const char *p = text[0] ? text : NULL, *a, *b; p;) {
        next_bar_part(&p, &a, &b);
        size_t len = (size_t)(b - a);
        if (!len)
            continue;
        char small[64];
        char *part = len < sizeof(small) ? small : malloc(len + 1);
        if (!part)
            return false;
        memcpy(part, a, len);
        part[len] = '\0';
        add_class(l, part, line, 0, mask);
        if (part != small)
            free(part);
    }
    return true;
}

typedef bool (*csv_row_fn)(struct loader *l, const struct ipr_record *rec, void *user);

/* Is `name` one of the cells of the header line (the text's first line)?
 * Only asked when the file has no rows, to tell an empty registry from a
 * file that is no registry at all (another table, a binary file). */
static bool header_has(const char *text, size_t len, const char *name)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    const char *end = memchr(text, '\n', len);
    if (!end)
        end = text + len;
    size_t want = strlen(name);
    for (const char *cell = text; cell <= end;) {
        const char *comma = memchr(cell, ',', (size_t)(end - cell));
        const char *stop = comma ? comma : end;
        const char *a = cell, *b = stop;
        while (a < b && (ipr_is_ascii_space((unsigned char)*a) || *a == '"'))
            a++;
        while (b > a && (ipr_is_ascii_space((unsigned char)b[-1]) || b[-1] == '"'))
            b--;
        if ((size_t)(b - a) == want && memcmp(a, name, want) == 0)
            return true;
        cell = stop + 1;
    }
    return false;
}

/* Puts mark m into the registry.  The definition goes into a block of
 * REGISTRY_MARK_BLOCK marks (new_mark), where it never moves: a vector of definitions was copied
 * each time it grew, a fifth of reading 100,000 marks from four files.  What few marks have goes
 * into a record of their own (new_more_record). */
static bool add_mark(struct loader *l, struct registry *reg, const struct mark_entry *m)
{
    if (reg->mark_count >= REGISTRY_MAX_MARKS) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, 0, 0,
                 "more than %u marks in the registries loaded", (unsigned)REGISTRY_MAX_MARKS);
        l->failure = IPR_ELIMIT;
        return false;
    }
    const struct mark_more *more = &m->more;
    bool has_more = more->alias_count || more->generic_count || more->context_count ||
                    more->currency[0] || more->has_reference_price;
    uint64_t profile = (m->class_mask & PROFILE_CLASSES) | (uint64_t)m->kind << PROFILE_KIND_SHIFT |
                       (uint64_t)m->status << PROFILE_STATUS_SHIFT |
                       (m->context_required ? PROFILE_CONTEXT_REQUIRED : 0) |
                       (has_more ? PROFILE_HAS_MORE : 0) |
                       (uint64_t)m->owner_kept << PROFILE_OWNER_SHIFT;
    uint32_t profile_index;
    if (keep_profile(reg, profile, &profile_index) != IPR_OK)
        return false;
    /* a name is kept as it is: few marks share one */
    uint32_t name;
    if (!append_text(l, m->mark, strlen(m->mark), &name))
        return false;
    struct mark_def *def = new_mark(reg);
    if (!def)
        return false;
    *def = m->def;
    def->name = name;
    def->profile = profile_index;
    if (has_more) { /* the record keeps the jurisdictions, the mark where it is */
        ipr_status st = append_record(reg, more, m->def.jurisdictions, &def->jurisdictions);
        if (st != IPR_OK) {
            if (st == IPR_ELIMIT)
                diag_add(l->diags, IPR_DIAG_ERROR, l->file, 0, 0,
                         "too many aliases, senses and prices in the registries loaded (at "
                         "most 4 GiB of them, and %u ordinary senses a mark)",
                         (unsigned)MORE_MAX_GENERIC);
            l->failure = st;
            return false;
        }
    }
    arena_reset(l->lists); /* the lists are copied into the record */
    return true;
}

/* Calls fn for every row; `required` is the column a file without rows
 * must still name in its header. */
static ipr_status each_csv_row(struct loader *l, const char *text, size_t len, const char *required,
                               csv_row_fn fn, void *user)
{
    struct ipr_reader *r = NULL;
    ipr_status st = reader_open_mem(l->file, text, len, IPR_INPUT_CSV, &r);
    if (st != IPR_OK)
        return st;
    const struct ipr_record *rec;
    size_t rows = 0;
    while ((st = reader_next(r, &rec)) == IPR_OK) {
        rows++;
        if (rec->error) {
            diag_add(l->diags, IPR_DIAG_ERROR, l->file,
                     rec->error_line ? rec->error_line : rec->line, 0, "%s", rec->error);
            continue;
        }
        if (!fn(l, rec, user)) {
            st = l->failure != IPR_OK ? l->failure : IPR_ENOMEM;
            break;
        }
    }
    reader_free(r);
    if (st == IPR_DONE && rows == 0 && !header_has(text, len, required))
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, 1, 1,
                 "no '%s' column: the first line must name the columns (see docs/trademarks.md)",
                 required);
    return st == IPR_DONE ? IPR_OK : st;
}

static bool mark_from_csv(struct loader *l, const struct ipr_record *rec, void *user)
{
    struct registry *reg = user;
    struct mark_entry m;
    memset(&m, 0, sizeof(m));
    m.mark = csv_view(l, rec, "mark");
    m.more.currency = csv_field(l, rec, "currency");
    if (!m.more.currency || !keep_owner(l, &m, csv_view(l, rec, "owner")))
        return false;
    /* as in YAML: an unknown status is reported and the default stays */
    const char *status = csv_view(l, rec, "status");
    m.status = MARK_REGISTERED;
    if (status[0])
        parse_status(l, status, rec->line, 0, &m.status);
    const char *kind = csv_view(l, rec, "kind");
    if (kind && kind[0])
        parse_kind(l, kind, rec->line, 0, &m.kind);
    const char *price = csv_view(l, rec, "reference_price");
    if (price && price[0] && parse_price(l, price, rec->line, 0, &m.more.reference_price))
        m.more.has_reference_price = true;
    const char *required = csv_view(l, rec, "context_required");
    m.context_required = required && strcmp(required, "true") == 0;
    if (!split_bar32(l, csv_view(l, rec, "aliases"), &m.more.aliases, &m.more.alias_count) ||
        !code_bar(l, csv_view(l, rec, "jurisdictions"), &m.def.jurisdictions,
                  &m.jurisdiction_count) ||
        !split_bar32(l, csv_view(l, rec, "generic_senses"), &m.more.generic_senses,
                     &m.more.generic_count) ||
        !split_bar32(l, csv_view(l, rec, "context"), &m.more.context, &m.more.context_count) ||
        !class_bar(l, csv_view(l, rec, "classes"), rec->line, &m.class_mask))
        return false;
    if (!m.mark[0]) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, rec->line, 0, "row without a 'mark'");
        return true;
    }
    return add_mark(l, reg, &m);
}

/* Copies the strings of m out of the YAML item, which is freed once the
 * mark is taken. */
static bool keep_mark(struct loader *l, struct mark_entry *m)
{
    if (m->more.currency[0] && !(m->more.currency = arena_strdup(l->arena, m->more.currency)))
        return false;
    if (!keep_owner(l, m, m->owner))
        return false;
    /* the jurisdictions are kept already (code_list) */
    struct {
        const char **items;
        size_t count;
    } lists[] = {{m->more.aliases, m->more.alias_count},
                 {m->more.generic_senses, m->more.generic_count},
                 {m->more.context, m->more.context_count}};
    for (size_t i = 0; i < IPR_ARRAY_LEN(lists); i++)
        for (size_t k = 0; k < lists[i].count; k++)
            if (!(lists[i].items[k] = arena_strdup(l->arena, lists[i].items[k])))
                return false;
    return true;
}

/* How far a registry is filled: a file's marks go after it, and a
 * reading of the file that has to start again goes back to it
 * (registry_truncate). */
struct registry_fill {
    size_t marks, blocks, text, shared, mores, profiles;
};

static struct registry_fill registry_fill_of(const struct registry *r)
{
    return (struct registry_fill){r->mark_count, r->mark_blocks.count, r->text.len,
                                  r->shared.len, r->mores.len,         r->profiles.count};
}

/* Forgets what was added to r since it was filled to f, and frees the
 * blocks made since; what the marks pointed to is in an arena the caller
 * rolls back.  The indexes of the shared strings and the profiles are
 * made again from what is left when next needed. */
static void registry_truncate(struct registry *r, const struct registry_fill *f)
{
    r->mark_count = f->marks;
    free_blocks(r, f->blocks);
    r->text.len = f->text;
    r->shared.len = f->shared;
    if (r->text.data)
        r->text.data[r->text.len] = '\0';
    if (r->shared.data)
        r->shared.data[r->shared.len] = '\0';
    registry_loaded(r);
    r->mores.len = f->mores;
    r->profiles.count = f->profiles;
}

/* Where the marks of a YAML registry go as they are read (take_mark).
 * When the plain-YAML reader declines after marks went out, libyaml reads
 * the file again, and restart_marks first puts the registry and the arenas
 * back where they stood before the file and forgets its messages, so no
 * mark and no message comes twice.  Going back costs nothing when there is
 * no need: a reading of its own, joined after, left 1.5 MB more peak
 * memory of 100,000 marks in the holes its tables left in the heap. */
struct mark_reading {
    struct loader *l;
    struct registry *reg;
    struct registry_fill fill;
    struct arena_mark strings; /* l->arena before the file */
    struct diag_list diags;    /* the file's messages, passed on once it is read */
};

static void reading_begin(struct mark_reading *rd, struct loader *l, struct registry *reg)
{
    rd->l = l;
    rd->reg = reg;
    rd->fill = registry_fill_of(reg);
    arena_mark(l->arena, &rd->strings);
    diag_list_init(&rd->diags);
}

static ipr_status restart_marks(void *user)
{
    struct mark_reading *rd = user;
    registry_truncate(rd->reg, &rd->fill);
    arena_rollback(rd->l->arena, &rd->strings);
    diag_list_release(&rd->diags);
    diag_list_init(&rd->diags);
    return IPR_OK;
}

static ipr_status take_mark(const struct ynode *item, void *user)
{
    struct mark_reading *rd = user;
    struct mark_entry m;
    if (!mark_from_yaml(rd->l, item, &m))
        return IPR_ENOMEM;
    if (!m.mark)
        return IPR_OK;
    if (keep_mark(rd->l, &m) && add_mark(rd->l, rd->reg, &m))
        return IPR_OK;
    return rd->l->failure != IPR_OK ? rd->l->failure : IPR_ENOMEM;
}

ipr_status registry_load_marks(struct registry *r, struct arena *arena, struct diag_list *diags,
                               const char *file, const char *text, size_t text_len)
{
    struct loader l = {.arena = arena, .diags = diags, .file = file};
    size_t errors = diags->error_count;
    struct strmap code_index;
    struct vec codes;
    strmap_init(&code_index);
    vec_init(&codes, sizeof(const char *));
    l.code_index = &code_index;
    l.codes = &codes;
    struct jurisdictions_map codes_map;
    jurisdictions_map_init(&codes_map);
    jurisdictions_list_init(&l.code_list, &codes_map);
    l.reg = r;
    struct arena lists;
    arena_init(&lists, 4096);
    l.lists = &lists;
    ipr_status st;
    if (has_suffix(file, ".csv")) {
        st = each_csv_row(&l, text, text_len, "mark", mark_from_csv, r);
    } else {
        /* the marks are taken as they are read (take_mark) */
        struct arena tree;
        arena_init(&tree, 64u * 1024u);
        const struct ynode *list = NULL;
        struct mark_reading rd;
        reading_begin(&rd, &l, r);
        l.diags = &rd.diags;
        st = parse_root(&l, &tree, text, text_len, "marks", take_mark, restart_marks, &rd, &list);
        arena_release(&tree);
        diag_list_append(diags, &rd.diags); /* and its out_of_memory */
        diag_list_release(&rd.diags);
        l.diags = diags;
    }
    strmap_release(&code_index);
    vec_release(&codes);
    jurisdictions_list_release(&l.code_list);
    arena_release(&lists);
    if (st == IPR_OK && diags->error_count > errors)
        st = IPR_ERULES;
    return st;
}

ipr_status registry_load_classes(struct registry *r, struct arena *arena, struct diag_list *diags,
                                 const char *file, const char *text, size_t text_len)
{
    struct loader l = {.arena = arena, .diags = diags, .file = file};
    size_t errors = diags->error_count;
    const struct ynode *list = NULL;
    ipr_status st = parse_root(&l, arena, text, text_len, "classes", NULL, NULL, NULL, &list);
    for (size_t i = 0; st == IPR_OK && i < list->u.seq.count; i++) {
        const struct ynode *n = list->u.seq.items[i];
        if (n->kind != YNODE_MAPPING) {
            diag_add(diags, IPR_DIAG_ERROR, file, n->line, n->col,
                     "expected a mapping for a class");
            continue;
        }
        struct class_vocab v = {0, "", NULL, 0};
        const struct ynode *cls = map_get(n, "class"), *title = map_get(n, "title"),
                           *words = map_get(n, "words");
        const char *s;
        if (!cls || !(s = scalar(&l, cls, "class")) ||
            !parse_class(&l, s, cls->line, cls->col, &v.cls))
            continue;
        if (title && (s = scalar(&l, title, "title")) != NULL)
            v.title = s;
        if (words && words->kind == YNODE_MAPPING) {
            /* words by language: {en: [...], zh: [...]} */
            struct vec all;
            vec_init(&all, sizeof(char *));
            for (size_t k = 0; st == IPR_OK && k < words->u.map.count; k++) {
                const char **lang;
                size_t lang_count;
                if (!string_list(&l, words->u.map.pairs[k].value, "words", l.arena, &lang,
                                 &lang_count)) {
                    st = IPR_ENOMEM;
                    break;
                }
                for (size_t w = 0; w < lang_count; w++) {
                    const char **slot = vec_push(&all);
                    if (!slot) {
                        st = IPR_ENOMEM;
                        break;
                    }
                    *slot = lang[w];
                }
            }
            v.words = arena_calloc(arena, all.count ? all.count : 1, sizeof(char *));
            if (st == IPR_OK && v.words) {
                if (all.count)
                    memcpy(v.words, all.items, all.count * sizeof(char *));
                v.word_count = all.count;
            } else if (st == IPR_OK) {
                st = IPR_ENOMEM;
            }
            vec_release(&all);
            if (st != IPR_OK)
                break;
        } else if (words && !string_list(&l, words, "words", l.arena, &v.words, &v.word_count)) {
            st = IPR_ENOMEM;
            break;
        }
        struct class_vocab *slot = vec_push(&r->classes);
        if (!slot) {
            st = IPR_ENOMEM;
            break;
        }
        *slot = v;
    }
    if (st == IPR_OK && diags->error_count > errors)
        st = IPR_ERULES;
    return st;
}

static bool check_auth(struct loader *l, struct authorization *a)
{
    if (!a->seller_id[0] || !a->brand[0]) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, a->line, 0,
                 "authorization needs 'seller_id' and 'brand'");
        return false;
    }
    if ((a->valid_from[0] && !registry_date_valid(a->valid_from)) ||
        (a->valid_to[0] && !registry_date_valid(a->valid_to))) {
        diag_add(l->diags, IPR_DIAG_ERROR, l->file, a->line, 0,
                 "authorization dates must be YYYY-MM-DD");
        return false;
    }
    return true;
}

static bool auth_from_csv(struct loader *l, const struct ipr_record *rec, void *user)
{
    struct registry *reg = user;
    struct authorization a;
    memset(&a, 0, sizeof(a));
    a.file = l->file;
    a.line = rec->line;
    a.id = csv_field(l, rec, "id");
    a.seller_id = csv_field(l, rec, "seller_id");
    a.brand = csv_field(l, rec, "brand");
    a.valid_from = csv_field(l, rec, "valid_from");
    a.valid_to = csv_field(l, rec, "valid_to");
    if (!a.id || !a.seller_id || !a.brand || !a.valid_from || !a.valid_to ||
        !split_bar(l, csv_view(l, rec, "territories"), l->arena, &a.territories, &a.territory_count,
                   true))
        return false;
    if (!check_auth(l, &a))
        return true;
    struct authorization *slot = vec_push(&reg->authorizations);
    if (!slot)
        return false;
    *slot = a;
    return true;
}

ipr_status registry_load_authorizations(struct registry *r, struct arena *arena,
                                        struct diag_list *diags, const char *file, const char *text,
                                        size_t text_len)
{
    struct loader l = {.arena = arena, .diags = diags, .file = file};
    size_t errors = diags->error_count;
    ipr_status st;
    if (has_suffix(file, ".csv")) {
        st = each_csv_row(&l, text, text_len, "seller_id", auth_from_csv, r);
    } else {
        const struct ynode *list = NULL;
        st = parse_root(&l, arena, text, text_len, "authorizations", NULL, NULL, NULL, &list);
        for (size_t i = 0; st == IPR_OK && i < list->u.seq.count; i++) {
            const struct ynode *n = list->u.seq.items[i];
            if (n->kind != YNODE_MAPPING) {
                diag_add(diags, IPR_DIAG_ERROR, file, n->line, n->col,
                         "expected a mapping for an authorization");
                continue;
            }
            struct authorization a;
            memset(&a, 0, sizeof(a));
            a.file = file;
            a.line = n->line;
            a.id = a.seller_id = a.brand = a.valid_from = a.valid_to = "";
            for (size_t k = 0; k < n->u.map.count; k++) {
                const struct ynode *key = n->u.map.pairs[k].key, *v = n->u.map.pairs[k].value;
                const char *name = key->kind == YNODE_SCALAR ? key->u.scalar.text : "";
                const char *s = NULL;
                if (strcmp(name, "territories") == 0) {
                    if (!string_list(&l, v, name, l.arena, &a.territories, &a.territory_count))
                        return IPR_ENOMEM;
                    continue;
                }
                const char **slot = strcmp(name, "id") == 0           ? &a.id
                                    : strcmp(name, "seller_id") == 0  ? &a.seller_id
                                    : strcmp(name, "brand") == 0      ? &a.brand
                                    : strcmp(name, "valid_from") == 0 ? &a.valid_from
                                    : strcmp(name, "valid_to") == 0   ? &a.valid_to
                                                                      : NULL;
                if (!slot) {
                    diag_add(diags, IPR_DIAG_ERROR, file, key->line, key->col,
                             "unknown key '%s' in authorization (id, seller_id, brand, "
                             "territories, valid_from, valid_to)",
                             name);
                    continue;
                }
                if ((s = scalar(&l, v, name)) != NULL)
                    *slot = s;
            }
            if (!check_auth(&l, &a))
                continue;
            struct authorization *slot = vec_push(&r->authorizations);
            if (!slot)
                return IPR_ENOMEM;
            *slot = a;
        }
    }
    if (st == IPR_OK && diags->error_count > errors)
        st = IPR_ERULES;
    return st;
}
