/*
 * pipeline.h - scan records on N threads and hand them back in input order.
 *
 * The reader and the reporter stay on the calling thread; records go into
 * batches (handed over by the reader, or copied) that N - 1 worker threads
 * and the calling thread scan, each with its own scanner, and finished
 * batches are delivered in the order they were pushed.  With one job nothing
 * is copied and no thread is started, and the output is byte-identical for
 * every job count.
 */
#ifndef IPR_CLI_PIPELINE_H
#define IPR_CLI_PIPELINE_H

#include <stdbool.h>

#include "iprcheck.h"

/* Called on the pushing thread, in input order; false stops the pipeline. */
typedef bool (*pipeline_deliver_fn)(const ipr_record *record, const ipr_result *result, void *user);

struct pipeline;

/* NULL on failure (out of memory, thread creation), with *status set. */
/* batch: records per batch, 0 for the default; 1 delivers each record as soon
 * as it is scanned (--line-buffered).  limits (NULL: the defaults) is copied
 * into every scanner. */
struct pipeline *pipeline_new(const ipr_ruleset *rs, unsigned jobs, ipr_engine engine,
                              const ipr_scan_limits *limits, unsigned batch,
                              pipeline_deliver_fn deliver, void *user, ipr_status *status);
/* Queues one record (borrowed only for the call).  False when the pipeline
 * has stopped (delivery refused, out of memory, scan failure). */
bool pipeline_push(struct pipeline *p, const ipr_record *record);
/* Are there worker threads (more than one job)?  Only then do records go
 * through pipeline_slot. */
bool pipeline_threaded(const struct pipeline *p);
/* With several jobs: the slot of the filling batch where the next record
 * goes, for ipr_reader_take to fill without a copy; NULL with one job or
 * once the pipeline has stopped.  The slot stays the same until
 * pipeline_push_slot queues what it holds. */
ipr_record **pipeline_slot(struct pipeline *p);
/* Queues the record now in the slot.  False when the pipeline has stopped. */
bool pipeline_push_slot(struct pipeline *p);
/* Delivers everything pushed so far.  False when the pipeline stopped. */
bool pipeline_flush(struct pipeline *p);
/* The first failure, IPR_OK when none. */
ipr_status pipeline_status(const struct pipeline *p);
void pipeline_free(struct pipeline *p);

#endif
