/*
 * hugepage.h - ask the kernel to back a large allocation with huge pages.
 *
 * Loading 100,000 marks touches about 120 MB of fresh memory; with 4 KiB
 * pages that is some 30,000 page faults, which on a virtual machine cost
 * as much as the whole registry parse.  The hash tables and arena blocks
 * that make up that memory are touched all over, so a 2 MiB page wastes
 * nothing and replaces 512 faults and TLB entries.  Only a hint: where the
 * kernel has no transparent huge pages (or the range is small) nothing
 * changes and nothing fails.
 */
#ifndef IPR_BASE_HUGEPAGE_H
#define IPR_BASE_HUGEPAGE_H

#include "common.h"

/* Allocations at least this large get the hint. */
#define IPR_HUGEPAGE_MIN ((size_t)2 * 1024 * 1024)

/* Advises huge pages for the whole pages inside [p, p + len) when len is at
 * least IPR_HUGEPAGE_MIN.  Call it before the memory is first written. */
void hugepage_advise(void *p, size_t len);

#endif
