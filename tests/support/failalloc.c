/*
 * failalloc.c - the failing allocator behind failalloc.h.
 *
 * The linker renames the library's calls to malloc, calloc, realloc and free
 * into the __wrap_ functions below; __real_ reaches libc.  Live blocks are
 * kept in an open-addressing set of pointers, so a block that libc allocated
 * on its own (and our code frees) passes through untracked instead of
 * confusing the count.  Single-threaded by design: the sweep runs one scan.
 */
#include "failalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t size);
void __real_free(void *p);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t size);
void __wrap_free(void *p);

#define SET_CAP (1u << 20) /* power of two; far above the live blocks of a small scan */

/* Test-support state: the wrappers have no other way to reach it. */
static struct {
    bool active;
    size_t fail_at;
    size_t count;
    bool failed;
    bool spare_jansson;
    size_t live;
    uintptr_t *set; /* 0 empty, 1 removed, else a live pointer */
} fa;

#define SLOT_EMPTY   ((uintptr_t)0)
#define SLOT_REMOVED ((uintptr_t)1)

static size_t slot_of(uintptr_t p)
{
    return (size_t)((p >> 4) * 0x9E3779B97F4A7C15ull >> 44) & (SET_CAP - 1);
}

static void track(void *ptr)
{
    if (!fa.set) {
        fa.set = __real_calloc(SET_CAP, sizeof(*fa.set));
        if (!fa.set) {
            fputs("failalloc: no memory for the tracking set\n", stderr);
            abort();
        }
    }
    uintptr_t p = (uintptr_t)ptr;
    for (size_t i = slot_of(p), n = 0; n < SET_CAP; i = (i + 1) & (SET_CAP - 1), n++) {
        if (fa.set[i] == SLOT_EMPTY || fa.set[i] == SLOT_REMOVED) {
            fa.set[i] = p;
            fa.live++;
            return;
        }
    }
    fputs("failalloc: tracking set full\n", stderr);
    abort();
}

/* Removes ptr; false when it was not allocated through the wrappers. */
static bool untrack(void *ptr)
{
    if (!fa.set)
        return false;
    uintptr_t p = (uintptr_t)ptr;
    for (size_t i = slot_of(p), n = 0; n < SET_CAP; i = (i + 1) & (SET_CAP - 1), n++) {
        if (fa.set[i] == SLOT_EMPTY)
            return false;
        if (fa.set[i] == p) {
            fa.set[i] = SLOT_REMOVED;
            fa.live--;
            return true;
        }
    }
    return false;
}

/* Counts one allocation; true when this one must fail. */
static bool must_fail(void)
{
    fa.active = true;
    fa.count++;
    if (fa.fail_at && fa.count == fa.fail_at) {
        fa.failed = true;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t size)
{
    if (must_fail())
        return NULL;
    void *p = __real_malloc(size);
    if (p)
        track(p);
    return p;
}

void *__wrap_calloc(size_t count, size_t size)
{
    if (must_fail())
        return NULL;
    void *p = __real_calloc(count, size);
    if (p)
        track(p);
    return p;
}

void *__wrap_realloc(void *old, size_t size)
{
    if (!old)
        return __wrap_malloc(size);
    if (must_fail())
        return NULL; /* the old block stays valid and tracked */
    bool tracked = untrack(old);
    void *p = __real_realloc(old, size);
    if (p && tracked)
        track(p);
    else if (!p && tracked)
        track(old);
    return p;
}

void __wrap_free(void *p)
{
    if (!p)
        return;
    untrack(p);
    __real_free(p);
}

bool failalloc_active(void)
{
    /* without the wrap options these reach libc and leave the flag unset;
     * volatile keeps the compiler from dropping the pair */
    void *volatile p = malloc(1);
    free(p);
    return fa.active;
}

void failalloc_arm(size_t fail_at)
{
    fa.fail_at = fail_at;
    fa.count = 0;
    fa.failed = false;
}

void failalloc_disarm(void)
{
    fa.fail_at = 0;
}

size_t failalloc_count(void)
{
    return fa.count;
}

bool failalloc_failed(void)
{
    return fa.failed;
}

size_t failalloc_live(void)
{
    return fa.live;
}

static void *jansson_malloc(size_t size)
{
    if (!fa.spare_jansson)
        return __wrap_malloc(size);
    void *p = __real_malloc(size);
    if (p)
        track(p);
    return p;
}

static void jansson_free(void *p)
{
    __wrap_free(p);
}

void failalloc_hook_jansson(void)
{
    json_set_alloc_funcs(jansson_malloc, jansson_free);
}

void failalloc_spare_jansson(bool spare)
{
    fa.spare_jansson = spare;
}
