/*
 * failalloc.h - a failing allocator for the allocation-failure sweep.
 *
 * A test binary linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=free routes every allocation made by the library's own objects (and
 * by jansson, through failalloc_hook_jansson()) here.  Shared libraries that
 * call libc directly (PCRE2, libyaml, ICU) are not seen: their handling of
 * a NULL return is theirs, and the sweep fails only what our code asked for.
 * The allocator counts allocations, can fail the Nth one, and tracks every
 * live block so a run can assert that it freed all it allocated.
 */
#ifndef IPR_TEST_FAILALLOC_H
#define IPR_TEST_FAILALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* True when the binary was linked with the wrap options (the wrappers ran). */
bool failalloc_active(void);

/* Starts counting from zero; the allocation numbered fail_at (1-based) and
 * only that one returns NULL.  fail_at 0 fails nothing. */
void failalloc_arm(size_t fail_at);
/* Stops failing; counting and tracking go on. */
void failalloc_disarm(void);

/* Allocations since the last failalloc_arm(), and whether one was failed. */
size_t failalloc_count(void);
bool failalloc_failed(void);

/* Blocks allocated through the wrappers and not yet freed. */
size_t failalloc_live(void);

/* Routes jansson's allocations through the wrappers too.  Call before any
 * JSON value exists. */
void failalloc_hook_jansson(void);

/* While spared, jansson's allocations are tracked but neither counted nor
 * failed.  jansson 2.14 reports an allocation that fails while parsing as a
 * syntax error ("invalid token"), so a reader cannot tell a failed
 * allocation from a bad line: the sweep spares jansson while reading. */
void failalloc_spare_jansson(bool spare);

#endif
