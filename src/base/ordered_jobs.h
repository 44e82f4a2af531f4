/*
 * ordered_jobs.h - independent jobs on several threads, their results taken
 * in order on the calling thread.
 *
 * Reading four registry files of 25,000 marks is four parses that share
 * nothing until their marks join one registry, where order matters (mark
 * numbers, diagnostics, the rules digest).  So the parses run on worker
 * threads, and the joining (`take`) runs on the caller's thread for job 0,
 * 1, 2, ... each as soon as it is done.  Workers run at most a few jobs
 * ahead of the one taken last, so a long list of files is not all in
 * memory at once.
 */
#ifndef IPR_BASE_ORDERED_JOBS_H
#define IPR_BASE_ORDERED_JOBS_H

#include "common.h"

/* Runs work(ctx, i) for every i in [0, count), on up to `threads` worker
 * threads (0 or 1: all on the calling thread), and take(ctx, i) on the
 * calling thread in order of i, after work(ctx, i) returned.  work must be
 * safe to run for different i at once.  When threads cannot be started,
 * fewer do the work (at worst the calling thread alone), so every job is
 * worked and taken exactly once whatever happens. */
void ordered_jobs_run(size_t count, unsigned threads, void (*work)(void *ctx, size_t i),
                      void (*take)(void *ctx, size_t i), void *ctx);

#endif
