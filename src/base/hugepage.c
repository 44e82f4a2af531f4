/*
 * hugepage.c - see hugepage.h.  madvise(MADV_HUGEPAGE) is a Linux hint; on
 * systems without it this file compiles to nothing that acts.
 */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "hugepage.h"

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
