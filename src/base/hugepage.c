/*
 * hugepage.c - see hugepage.h.  madvise(MADV_HUGEPAGE) is a Linux hint; on
 * systems without it the hint does nothing and the blocks are plain
 * (aligned) allocations.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "hugepage.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void hugepage_advise(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < IPR_HUGEPAGE_MIN)
        return;
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0)
        return;
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)p + len) & ~((uintptr_t)page - 1);
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE); /* a hint: failure is harmless */
#else
    (void)p;
    (void)len;
#endif
}

/* Under AddressSanitizer large blocks come from the allocator it watches,
 * still aligned and rounded: it then sees overflows inside them, and the
 * pointers they hold (a ruleset kept to the end of a fuzzing run, its
 * arena in a block of its own mapping, looked leaked to it). */
#if defined(__SANITIZE_ADDRESS__)
#define HUGEPAGE_OWN_MAPPING 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUGEPAGE_OWN_MAPPING 0
#endif
#endif
#if !defined(HUGEPAGE_OWN_MAPPING) && defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
#define HUGEPAGE_OWN_MAPPING 1
#endif
#ifndef HUGEPAGE_OWN_MAPPING
#define HUGEPAGE_OWN_MAPPING 0
#endif

void *hugepage_alloc(size_t len, size_t *got)
{
    size_t unused;
    if (!got)
        got = &unused;
    *got = 0;
    if (len >= IPR_HUGEPAGE_MIN) {
        if (len > SIZE_MAX / 2)
            return NULL;
        size_t huge = IPR_HUGEPAGE_MIN;
        size_t size = (len + huge - 1) & ~(huge - 1);
#if HUGEPAGE_OWN_MAPPING
        /* map one huge page more than needed and trim both ends, so what
         * stays starts on a 2 MiB boundary */
        unsigned char *map =
            mmap(NULL, size + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED)
            return NULL;
        uintptr_t start = ((uintptr_t)map + huge - 1) & ~(uintptr_t)(huge - 1);
        unsigned char *p = (unsigned char *)start;
        if (p > map)
            munmap(map, (size_t)(p - map));
        if (map + size + huge > p + size)
            munmap(p + size, (size_t)(map + size + huge - (p + size)));
#else
        unsigned char *p = aligned_alloc(huge, size);
        if (!p)
            return NULL;
        memset(p, 0, size);
#endif
        hugepage_advise(p, size);
        *got = size;
        return p;
    }
    void *p = calloc(1, len ? len : 1);
    if (p)
        *got = len;
    return p;
}

void *hugepage_alloc_table(size_t len, size_t *got)
{
    size_t size;
    unsigned char *p = hugepage_alloc(len, &size);
    if (got)
        *got = size;
    long page = sysconf(_SC_PAGESIZE);
    if (p && page > 0)
        for (size_t at = 0; at < size; at += (size_t)page)
            ((volatile unsigned char *)p)[at] = 0;
    return p;
}

void hugepage_free(void *p, size_t len)
{
    if (!p)
        return;
#if HUGEPAGE_OWN_MAPPING
    if (len >= IPR_HUGEPAGE_MIN) {
        munmap(p, (len + IPR_HUGEPAGE_MIN - 1) & ~(IPR_HUGEPAGE_MIN - 1));
        return;
    }
#else
    (void)len;
#endif
    free(p);
}

void *hugepage_grow(void *p, size_t used, size_t len, size_t *got)
{
    if (len < IPR_HUGEPAGE_MIN) {
        void *q = realloc(p, len ? len : 1);
        if (q)
            *got = len;
        return q;
    }
    if (len > SIZE_MAX / 2)
        return NULL;
    size_t size = (len + IPR_HUGEPAGE_MIN - 1) & ~(IPR_HUGEPAGE_MIN - 1);
    void *q = aligned_alloc(IPR_HUGEPAGE_MIN, size);
    if (!q)
        return NULL;
    hugepage_advise(q, size);
    if (used)
        memcpy(q, p, used);
    free(p);
    *got = size;
    return q;
}
