/*
 * hugepage.h - large allocations in huge pages: the hint, and blocks laid
 * out so that the hint can work (2 MiB-aligned, whole huge pages).
 *
 * Loading 100,000 marks touches about 120 MB of fresh memory; with 4 KiB
 * pages that is some 30,000 page faults, which on a virtual machine cost
 * as much as the whole registry parse.  The hash tables and arena blocks
 * that make up that memory are touched all over, so a 2 MiB page wastes
 * nothing and replaces 512 faults and TLB entries.  Still only a hint:
 * where the kernel has no transparent huge pages the blocks are the same
 * and merely get 4 KiB pages.
 */
#ifndef IPR_BASE_HUGEPAGE_H
#define IPR_BASE_HUGEPAGE_H

#include "common.h"

/* Allocations at least this large get the hint and the layout. */
#define IPR_HUGEPAGE_MIN ((size_t)2 * 1024 * 1024)

/* Advises huge pages for the whole pages inside [p, p + len) when len is at
 * least IPR_HUGEPAGE_MIN.  Call it before the memory is first written.
 * Only the 2 MiB-aligned stretches of a malloc'd block can become huge
 * pages: for tables of a fixed size, hugepage_alloc does better. */
void hugepage_advise(void *p, size_t len);

/* Zeroed memory for a table or block of len bytes.  From IPR_HUGEPAGE_MIN
 * on, it is mapped on its own, 2 MiB-aligned, in whole huge pages (advised
 * as such), so that the first touch of each 2 MiB is one page fault rather
 * than 512: on a virtual machine a fault costs some 15 us, and a 2 MiB
 * table touched all over took 8 ms in faults alone.  Smaller requests are
 * calloc'd.  When got is not NULL it receives the usable length (len
 * rounded up to whole huge pages), all of which the caller may use.  NULL
 * when there is no memory. */
void *hugepage_alloc(size_t len, size_t *got);
/* hugepage_alloc for a hash table or a bit filter, which lookups read
 * before anything is written: each of its pages is written once now.  A
 * fresh page read first is mapped to the shared zero page, and the write
 * after that read faults a second time and, in a process with threads,
 * has the kernel stop every other core to flush its TLB.  Free it with
 * hugepage_free. */
void *hugepage_alloc_table(size_t len, size_t *got);
/* Frees what hugepage_alloc gave; len is the length asked for or the one
 * got.  NULL is ignored. */
void hugepage_free(void *p, size_t len);

/* realloc for arrays that grow into megabytes: from IPR_HUGEPAGE_MIN on,
 * the new block is 2 MiB-aligned in whole huge pages (advised), and the
 * first `used` bytes are copied over.  Unlike hugepage_alloc, the block is
 * an ordinary malloc'd one (free() releases it, so arrays handed on keep
 * their owners' free()) and is not zeroed.  *got receives the usable
 * length.  NULL, with p untouched, when there is no memory. */
void *hugepage_grow(void *p, size_t used, size_t len, size_t *got);

#endif
