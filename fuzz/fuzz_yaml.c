/*
 * fuzz_yaml.c - libFuzzer target: the plain-YAML reader (rules/yaml_fast.h)
 * against libyaml.
 *
 * The input is a registry's text.  Invariants: when the fast reader takes
 * it, libyaml's events read it without an error, to the same tree and the
 * same items, node for node (kind, line, byte column, scalar text and
 * style); when it declines, nothing was handed over and there is no tree.
 * Reading the text once, with a restart for a late decline, ends the same
 * way, with the same items, and a decline leaves nothing handed over.
 * The readings are written out in one canonical form and compared.
 *
 * Uses the internal reader: the public API has no YAML of its own.
 */
#include <string.h>

#include "base/buf.h"
#include "fuzz_common.h"
#include "rules/yaml_fast.h"

/* Appends node n in a canonical form: kind, position, style, and the
 * scalar's bytes with their length, so no two trees write the same. */
static void dump(struct buf *out, const struct ynode *n)
{
    if (!n) {
        buf_append_str(out, "~;");
        return;
    }
    char head[64];
    snprintf(head, sizeof(head), "%d@%u:%u", (int)n->kind, (unsigned)n->line, (unsigned)n->col);
    buf_append_str(out, head);
    if (n->kind == YNODE_SCALAR) {
        snprintf(head, sizeof(head), "s%d/%zu:", (int)n->u.scalar.style, n->u.scalar.len);
        buf_append_str(out, head);
        buf_append(out, n->u.scalar.text, n->u.scalar.len);
    } else if (n->kind == YNODE_SEQUENCE) {
        snprintf(head, sizeof(head), "[%zu:", n->u.seq.count);
        buf_append_str(out, head);
        for (size_t i = 0; i < n->u.seq.count; i++)
            dump(out, n->u.seq.items[i]);
    } else if (n->kind == YNODE_MAPPING) {
        snprintf(head, sizeof(head), "{%zu:", n->u.map.count);
        buf_append_str(out, head);
        for (size_t i = 0; i < n->u.map.count; i++) {
            dump(out, n->u.map.pairs[i].key);
            dump(out, n->u.map.pairs[i].value);
        }
    }
    buf_append_str(out, ";");
}

struct reading {
    struct buf items; /* every item handed over, dumped */
    size_t count;
};

/* The reader declined after items went out: they are forgotten. */
static ipr_status restart(void *user)
{
    struct reading *r = user;
    buf_clear(&r->items);
    r->count = 0;
    return IPR_OK;
}

static ipr_status take(const struct ynode *item, void *user)
{
    struct reading *r = user;
    dump(&r->items, item);
    r->count++;
    return IPR_OK;
}

/* Do two readings hand over the same items and give the same tree? */
static bool same_readings(const struct reading *x, const struct ynode *x_root,
                          const struct reading *y, const struct ynode *y_root)
{
    struct buf a, b;
    buf_init(&a, 0);
    buf_init(&b, 0);
    dump(&a, x_root);
    dump(&b, y_root);
    bool same = x->count == y->count && x->items.len == y->items.len &&
                memcmp(buf_str(&x->items), buf_str(&y->items), x->items.len) == 0 &&
                a.len == b.len && memcmp(buf_str(&a), buf_str(&b), a.len) == 0;
    buf_release(&a);
    buf_release(&b);
    return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (memchr(text, '\0', size) || size > 1u << 20)
        return 0; /* the caller refuses NUL bytes before either reader runs */
    struct arena fast_arena, slow_arena;
    arena_init(&fast_arena, 0);
    arena_init(&slow_arena, 0);
    struct reading fast = {{0}, 0}, slow = {{0}, 0}, once = {{0}, 0};
    buf_init(&fast.items, 0);
    buf_init(&slow.items, 0);
    buf_init(&once.items, 0);
    struct ynode *fast_root = NULL, *slow_root = NULL, *once_root = NULL;
    ipr_status st = IPR_OK, once_st = IPR_OK;
    enum yaml_fast_result r =
        yaml_fast_parse_items(&fast_arena, text, size, "marks", take, NULL, &fast, &fast_root, &st);
    struct arena once_arena;
    arena_init(&once_arena, 0);
    enum yaml_fast_result once_r = yaml_fast_parse_items(&once_arena, text, size, "marks", take,
                                                         restart, &once, &once_root, &once_st);
    FUZZ_CHECK(once_r == r && once_st == st);
    if (r == YAML_FAST_DECLINED)
        FUZZ_CHECK(once.count == 0 && once.items.len == 0 && !once_root);
    if (r == YAML_FAST_DONE)
        FUZZ_CHECK(same_readings(&once, once_root, &fast, fast_root));
    buf_release(&once.items);
    arena_release(&once_arena);
    if (r == YAML_FAST_DECLINED) {
        FUZZ_CHECK(st == IPR_OK && fast.count == 0 && !fast_root);
    } else if (r == YAML_FAST_DONE) {
        FUZZ_CHECK(st == IPR_OK && fast_root);
        struct diag_list diags;
        diag_list_init(&diags);
        ipr_status slow_st = yaml_tree_parse_events(&slow_arena, &diags, "f.yaml", text, size,
                                                    "marks", take, &slow, &slow_root);
        FUZZ_CHECK(slow_st == IPR_OK && diags.error_count == 0);
        diag_list_release(&diags);
        FUZZ_CHECK(same_readings(&fast, fast_root, &slow, slow_root));
    } else {
        FUZZ_CHECK(st == IPR_ENOMEM); /* take never fails */
    }
    buf_release(&fast.items);
    buf_release(&slow.items);
    arena_release(&fast_arena);
    arena_release(&slow_arena);
    return 0;
}
