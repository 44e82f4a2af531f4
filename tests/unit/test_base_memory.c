/*
 * test_base_memory.c - the arena and the growable vector: allocations are
 * aligned and keep their bytes, arena blocks double so a large arena is a
 * handful of blocks, reset gives the first block back for reuse, and the
 * vector's prepend and geometric reserve keep every element in order.
 * An arena that adopts another's blocks keeps them.  The huge-page hint
 * must leave memory as it was; a table's pages are mapped from the start.
 */
#define _DEFAULT_SOURCE /* mincore */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/hugepage.h"
#include "base/vec.h"

static void test_arena_aligned_and_kept(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 1024);
    unsigned char *items[500];
    for (size_t i = 0; i < IPR_ARRAY_LEN(items); i++) {
        size_t n = 1 + i % 37;
        items[i] = arena_alloc(&a, n);
        assert_non_null(items[i]);
        assert_int_equal((uintptr_t)items[i] % 16, 0);
        memset(items[i], (int)(i & 0xff), n);
    }
    for (size_t i = 0; i < IPR_ARRAY_LEN(items); i++)
        for (size_t k = 0; k < 1 + i % 37; k++)
            assert_int_equal(items[i][k], i & 0xff);
    unsigned *zeroed = arena_calloc(&a, 100, sizeof(unsigned));
    assert_non_null(zeroed);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(zeroed[i], 0);
    arena_release(&a);
}

/* Makes count allocations of size bytes and counts those that do not
 * follow the one before: each starts a new block. */
static size_t block_starts(struct arena *a, size_t count, size_t size)
{
    char *prev = NULL;
    size_t starts = 0;
    for (size_t i = 0; i < count; i++) {
        char *p = arena_alloc(a, size);
        assert_non_null(p);
        p[0] = p[size - 1] = 'x';
        if (prev && p != prev + size)
            starts++;
        prev = p;
    }
    return starts;
}

/* 64 MiB in blocks of a fixed 64 KiB would start a thousand blocks. */
static void test_arena_blocks_double(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 64u * 1024u);
    size_t jumps = block_starts(&a, 16u * 1024u, 4096);
    assert_true(jumps >= 7);  /* 64 KiB, 128 KiB, ... 8 MiB: it did grow in steps */
    assert_true(jumps <= 20); /* and not in a thousand of them */
    arena_release(&a);
}

static void test_arena_reset_reuses_first_block(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    char *first = arena_alloc(&a, 64);
    assert_non_null(first);
    for (size_t i = 0; i < 1000; i++)
        assert_non_null(arena_alloc(&a, 1000));
    assert_non_null(arena_alloc(&a, 1u << 20)); /* an oversized block of its own */
    arena_reset(&a);
    assert_int_equal(a.used_total, 0);
    assert_ptr_equal(arena_alloc(&a, 64), first);
    /* growth starts over: the next blocks are small again */
    size_t jumps = block_starts(&a, 64, 1024);
    assert_true(jumps >= 2); /* 4 KiB then 8 KiB then 16 KiB ... not one 8 MiB block */
    arena_release(&a);
}

/* Blocks filled in another arena (another thread's) live on in the one
 * that adopts them, which goes on filling its own head block. */
static void test_arena_adopt(void **state)
{
    (void)state;
    struct arena a, b;
    arena_init(&a, 4096);
    arena_init(&b, 4096);
    char *in_a = arena_alloc(&a, 64);
    assert_non_null(in_a);
    memset(in_a, 'a', 64);
    char *in_b[300];
    for (size_t i = 0; i < 300; i++) { /* several blocks of b */
        in_b[i] = arena_strdup(&b, "kept in b");
        assert_non_null(in_b[i]);
    }
    size_t used = a.used_total + b.used_total;
    arena_adopt(&a, &b);
    assert_int_equal(a.used_total, used);
    assert_null(b.head);
    assert_int_equal(b.used_total, 0);
    /* a's head block keeps filling: the next allocation follows the first */
    char *next = arena_alloc(&a, 64);
    assert_ptr_equal(next, in_a + 64);
    for (size_t i = 0; i < 300; i++)
        assert_string_equal(in_b[i], "kept in b");
    /* b is empty and may be used again; an empty arena adopts b's blocks
     * whole, and goes on filling b's head block */
    char *again = arena_alloc(&b, 32);
    assert_non_null(again);
    struct arena empty;
    arena_init(&empty, 4096);
    arena_adopt(&empty, &b);
    assert_ptr_equal(arena_alloc(&empty, 32), again + 32);
    arena_adopt(&empty, &b); /* nothing to adopt */
    arena_release(&empty);
    arena_release(&a); /* frees b's former blocks too: a leak or double free shows under ASan */
    arena_release(&b);
}

/* What was allocated after a mark is freed (ASan reports a leak or a
 * double free), in new head blocks and oversized blocks alike, and the
 * arena goes on where it stood: the next allocation is the one that
 * followed the mark.  A mark of an empty arena empties it. */
static void test_arena_rollback(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    char *before = arena_strdup(&a, "before the mark");
    assert_non_null(before);
    struct arena_mark m;
    arena_mark(&a, &m);
    size_t used = a.used_total;
    char *first = arena_alloc(&a, 64);
    char *first_text = arena_strdup(&a, "text");
    for (size_t i = 0; i < 300; i++) /* several new head blocks */
        assert_non_null(arena_strdup(&a, "after the mark, to be forgotten"));
    assert_non_null(arena_alloc(&a, 100000)); /* an oversized block behind a later head */
    arena_rollback(&a, &m);
    assert_int_equal(a.used_total, used);
    assert_ptr_equal(arena_alloc(&a, 64), first);
    assert_ptr_equal(arena_strdup(&a, "text"), first_text);
    assert_string_equal(before, "before the mark");
    /* an oversized block behind the head of the mark's time, then back */
    arena_mark(&a, &m);
    char *small = arena_alloc(&a, 16);
    assert_non_null(arena_alloc(&a, 200000));
    arena_rollback(&a, &m);
    assert_ptr_equal(arena_alloc(&a, 16), small);
    arena_release(&a);

    struct arena empty;
    arena_init(&empty, 4096);
    arena_mark(&empty, &m);
    for (size_t i = 0; i < 300; i++)
        assert_non_null(arena_strdup(&empty, "forgotten"));
    arena_rollback(&empty, &m);
    assert_null(empty.head);
    assert_int_equal(empty.used_total, 0);
    assert_non_null(arena_strdup(&empty, "the arena is usable again"));
    arena_release(&empty);
}

static void test_arena_oversized_request(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 4096);
    char *small = arena_alloc(&a, 16);
    char *big = arena_alloc(&a, 100000);
    char *after = arena_alloc(&a, 16);
    assert_non_null(small);
    assert_non_null(big);
    memset(big, 7, 100000);
    /* the current block keeps filling behind the oversized one */
    assert_ptr_equal(after, small + 16);
    assert_null(arena_alloc(&a, SIZE_MAX - 8));
    assert_null(arena_alloc(&a, SIZE_MAX)); /* rounding up would wrap to 0 */
    /* zero bytes still get a place of their own, and the count of bytes
     * handed out grows by whole aligned steps */
    size_t used = a.used_total;
    char *zero = arena_alloc(&a, 0), *next = arena_alloc(&a, 1);
    assert_non_null(zero);
    assert_ptr_equal(next, zero + 16);
    assert_int_equal(a.used_total, used + 32);
    arena_release(&a);
    assert_null(a.head);
    assert_int_equal(a.avail, 0);
}

/* Text is taken from the top of a block, unaligned, and aligned
 * allocations from the bottom: both fill the same block. */
static void test_arena_text_from_the_top(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, 1024);
    char *x = arena_strdup(&a, "abc"), *y = arena_strdup(&a, "de");
    assert_string_equal(x, "abc");
    assert_string_equal(y, "de");
    assert_ptr_equal(y + 3, x); /* back to back, downwards: no 16-byte steps */
    assert_int_equal(a.used_total, 7);
    char *p = arena_alloc(&a, 5), *q = arena_alloc(&a, 5);
    assert_int_equal((uintptr_t)p % 16, 0);
    assert_ptr_equal(q, p + 16);
    assert_true(q + 16 <= y); /* below the text */
    /* fill the block exactly: its last free byte goes to text */
    size_t left = a.avail;
    char *fill = arena_alloc_text(&a, left);
    assert_ptr_equal(fill, q + 16);
    assert_int_equal(a.avail, 0);
    /* the next text opens a block whose bottom stays free */
    char *z = arena_strdup(&a, "next");
    assert_string_equal(z, "next");
    assert_int_equal(a.avail, 1024 * 2 - 5); /* blocks double */
    char *r = arena_alloc(&a, 16);
    assert_int_equal((uintptr_t)r % 16, 0);
    assert_ptr_equal(r + a.avail + 16, z);
    /* text larger than a block gets one of its own; the head keeps filling */
    size_t avail = a.avail;
    char big[5000];
    memset(big, 'b', sizeof(big));
    char *copy = arena_strndup(&a, big, sizeof(big));
    assert_non_null(copy);
    assert_int_equal(copy[4999], 'b');
    assert_int_equal(copy[5000], '\0');
    assert_int_equal(a.avail, avail);
    assert_null(arena_strndup(&a, big, SIZE_MAX));
    arena_reset(&a);
    assert_int_equal(a.used_total, 0);
    char *t = arena_alloc_text(&a, 1); /* the kept block's top */
    assert_ptr_equal(t, (char *)a.next + a.avail);
    assert_int_equal(a.avail, 1024 - 1);
    arena_release(&a);
}

static void test_vec_reserve_extra_doubles(void **state)
{
    (void)state;
    struct vec v;
    vec_init(&v, sizeof(uint32_t));
    assert_int_equal(vec_reserve_extra(&v, 1000), IPR_OK);
    assert_int_equal(v.cap, 1000);
    for (uint32_t i = 0; i < 1000; i++)
        *(uint32_t *)vec_push(&v) = i;
    assert_int_equal(v.cap, 1000); /* reserved room, no growth */
    assert_int_equal(vec_reserve_extra(&v, 10), IPR_OK);
    assert_int_equal(v.cap, 2000); /* a small top-up doubles */
    assert_int_equal(vec_reserve_extra(&v, 5000), IPR_OK);
    assert_int_equal(v.cap, 6000); /* a large one takes what it asks */
    assert_int_equal(vec_reserve_extra(&v, 100), IPR_OK);
    assert_int_equal(v.cap, 6000); /* room enough: unchanged */
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(*(uint32_t *)vec_at(&v, i), i);
    assert_int_equal(vec_reserve_extra(&v, SIZE_MAX / 2), IPR_ENOMEM);
    vec_release(&v);
}

static void test_hugepage_hint_keeps_memory(void **state)
{
    (void)state;
    hugepage_advise(NULL, 1u << 30); /* nothing to advise */
    size_t len = 3 * IPR_HUGEPAGE_MIN + 123;
    unsigned char *p = malloc(len);
    assert_non_null(p);
    for (size_t i = 0; i < len / 2; i++)
        p[i] = (unsigned char)(i * 31);
    hugepage_advise(p + 1, len - 1); /* unaligned start and end */
    hugepage_advise(p, 100);         /* too small: ignored */
    for (size_t i = len / 2; i < len; i++)
        p[i] = (unsigned char)(i * 31);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(p[i], (unsigned char)(i * 31));
    free(p);
}

/* Large requests come 2 MiB-aligned in whole huge pages, zeroed, with the
 * rounding usable; small ones are plain calloc. */
static void test_hugepage_alloc(void **state)
{
    (void)state;
    size_t got = 1;
    unsigned char *small = hugepage_alloc(100, &got);
    assert_non_null(small);
    assert_int_equal(got, 100);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(small[i], 0);
    hugepage_free(small, got);

    size_t sizes[] = {IPR_HUGEPAGE_MIN, IPR_HUGEPAGE_MIN + 1, 3 * IPR_HUGEPAGE_MIN - 5};
    size_t wants[] = {IPR_HUGEPAGE_MIN, 2 * IPR_HUGEPAGE_MIN, 3 * IPR_HUGEPAGE_MIN};
    for (size_t k = 0; k < 3; k++) {
        unsigned char *p = hugepage_alloc(sizes[k], &got);
        assert_non_null(p);
        assert_int_equal(got, wants[k]);
        assert_int_equal((uintptr_t)p % IPR_HUGEPAGE_MIN, 0);
        for (size_t i = 0; i < got; i += 4096)
            assert_int_equal(p[i], 0);
        memset(p, 0xA5, got); /* all of it is ours */
        assert_int_equal(p[got - 1], 0xA5);
        hugepage_free(p, k == 1 ? sizes[k] : got); /* either length frees it */
    }
    assert_non_null(small = hugepage_alloc(IPR_HUGEPAGE_MIN, NULL));
    hugepage_free(small, IPR_HUGEPAGE_MIN);
    assert_null(hugepage_alloc(SIZE_MAX - 1, &got));
    assert_int_equal(got, 0);
    hugepage_free(NULL, IPR_HUGEPAGE_MIN);
}

/* How many of the pages of [p, p + len) are mapped (mincore). */
static size_t pages_mapped(const void *p, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)p & ~(uintptr_t)(page - 1);
    size_t count = ((uintptr_t)p + len - start + page - 1) / page, mapped = 0;
    unsigned char *vec = malloc(count);
    assert_non_null(vec);
    assert_int_equal(mincore((void *)start, count * page, vec), 0);
    for (size_t i = 0; i < count; i++)
        mapped += vec[i] & 1;
    free(vec);
    return mapped;
}

/* A table comes zeroed like hugepage_alloc's blocks, and with every page
 * already mapped, before anything reads or writes it: a page read first
 * would be the zero page, written later a second fault. */
static void test_hugepage_alloc_table(void **state)
{
    (void)state;
    size_t sizes[] = {300 * 1024, 3 * IPR_HUGEPAGE_MIN - 5};
    for (size_t k = 0; k < 2; k++) {
        size_t got = 0;
        unsigned char *p = hugepage_alloc_table(sizes[k], &got);
        assert_non_null(p);
        assert_true(got >= sizes[k]);
        size_t pages = (got + 4095) / 4096;
        assert_true(pages_mapped(p, got) >= pages);
        for (size_t i = 0; i < got; i++)
            if (p[i])
                fail_msg("byte %zu of %zu is %d", i, got, p[i]);
        memset(p, 0x5A, got);
        hugepage_free(p, got);
    }
    size_t got = 1;
    assert_null(hugepage_alloc_table(SIZE_MAX - 1, &got));
    assert_int_equal(got, 0);
}

/* Growing arrays: small sizes are plain realloc, large ones move to
 * 2 MiB-aligned blocks with what was used copied, and free() releases
 * either.  A vector pushed past several huge pages keeps every item. */
static void test_hugepage_grow(void **state)
{
    (void)state;
    size_t got = 0;
    unsigned char *p = hugepage_grow(NULL, 0, 1000, &got);
    assert_non_null(p);
    assert_int_equal(got, 1000);
    for (size_t i = 0; i < 1000; i++)
        p[i] = (unsigned char)(i * 13);
    p = hugepage_grow(p, 1000, IPR_HUGEPAGE_MIN + 10, &got);
    assert_non_null(p);
    assert_int_equal(got, 2 * IPR_HUGEPAGE_MIN);
    assert_int_equal((uintptr_t)p % IPR_HUGEPAGE_MIN, 0);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(p[i], (unsigned char)(i * 13));
    p[got - 1] = 1;
    free(p);
    assert_null(hugepage_grow(NULL, 0, SIZE_MAX - 1, &got));

    struct vec v;
    vec_init(&v, sizeof(uint32_t));
    for (uint32_t i = 0; i < 3u * 1024 * 1024; i++) {
        uint32_t *slot = vec_push(&v);
        assert_non_null(slot);
        *slot = i * 2654435761u;
    }
    assert_true(v.cap >= v.count);
    for (uint32_t i = 0; i < 3u * 1024 * 1024; i++)
        if (*(uint32_t *)vec_at(&v, i) != i * 2654435761u)
            fail_msg("item %u lost", i);
    free(vec_take(&v)); /* handed on, freed as malloc'd memory */
}

/* A block of huge-page size holds its own header: the first block of an
 * arena of 2 MiB blocks starts on a 2 MiB boundary and gives almost all of
 * those 2 MiB, not 2 MiB and a header in a mapping of 4. */
static void test_arena_huge_blocks(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a, IPR_HUGEPAGE_MIN);
    unsigned char *first = arena_alloc(&a, 4096);
    assert_non_null(first);
    uintptr_t base = (uintptr_t)first & ~(uintptr_t)(IPR_HUGEPAGE_MIN - 1);
    assert_true((uintptr_t)first - base <= 64); /* the header only */
    size_t in_first = 4096;
    for (;;) {
        unsigned char *p = arena_alloc(&a, 4096);
        assert_non_null(p);
        if ((uintptr_t)p < base || (uintptr_t)p >= base + IPR_HUGEPAGE_MIN)
            break;
        memset(p, 1, 4096);
        in_first += 4096;
    }
    assert_true(in_first >= IPR_HUGEPAGE_MIN - 4096 - 64);
    assert_true(in_first <= IPR_HUGEPAGE_MIN);
    /* an oversized request larger than a huge page gets whole ones */
    unsigned char *big = arena_alloc(&a, 5 * 1024 * 1024);
    assert_non_null(big);
    memset(big, 2, 5 * 1024 * 1024);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_aligned_and_kept),
        cmocka_unit_test(test_arena_blocks_double),
        cmocka_unit_test(test_arena_reset_reuses_first_block),
        cmocka_unit_test(test_arena_adopt),
        cmocka_unit_test(test_arena_rollback),
        cmocka_unit_test(test_arena_oversized_request),
        cmocka_unit_test(test_arena_text_from_the_top),
        cmocka_unit_test(test_vec_reserve_extra_doubles),
        cmocka_unit_test(test_hugepage_hint_keeps_memory),
        cmocka_unit_test(test_hugepage_alloc),
        cmocka_unit_test(test_hugepage_alloc_table),
        cmocka_unit_test(test_hugepage_grow),
        cmocka_unit_test(test_arena_huge_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
