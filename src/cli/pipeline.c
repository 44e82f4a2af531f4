/*
 * pipeline.c - ordered multi-threaded scanning (see pipeline.h).
 *
 * Work moves in batches of records so that locking costs nothing next to
 * scanning.  A batch goes on the work queue, one worker scans all of it
 * into results, and the pushing thread delivers batches strictly in the
 * order it queued them, waiting for the oldest when too many are in flight.
 * Memory is bounded by (in-flight batches x batch size) records.  A reader
 * fills the batch's record slots itself (pipeline_slot), handing over the
 * record it parsed, so records reach the workers without a copy.
 *
 * N jobs are N scanning threads: N - 1 workers and the pushing thread,
 * which scans a queued batch itself whenever it would otherwise wait.  A
 * separate reading thread on top of N workers made N + 1 threads compete
 * for N cores.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_RECORDS 128

struct batch {
    ipr_record *records[BATCH_RECORDS];
    ipr_result *results[BATCH_RECORDS];
    size_t count;
    bool done;
    ipr_status status;
    struct batch *next_work;  /* work queue link */
    struct batch *next_order; /* delivery order link */
};

struct pipeline {
    const ipr_ruleset *rs;
    unsigned jobs;
    pipeline_deliver_fn deliver;
    void *user;
    ipr_engine engine;
    ipr_scan_limits limits; /* given to every scanner */
    size_t batch;           /* records per batch, at most BATCH_RECORDS */
    ipr_status status;      /* first failure */
    /* one job: scan in place; several: the pushing thread's own scanner */
    ipr_scanner *scanner;
    ipr_status helper_status; /* how that scanner's set-up went (several jobs) */
    ipr_result *result;
    /* several jobs */
    pthread_t *threads;
    unsigned thread_count;
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* a batch was queued, or stop */
    pthread_cond_t done_cv; /* a batch finished */
    struct batch *work_head, *work_tail;
    struct batch *order_head, *order_tail; /* queued or scanned, not yet delivered */
    size_t in_flight;
    struct batch *filling; /* the batch being filled by push */
    struct batch *spare;   /* delivered batches kept for reuse */
    bool stop;
};

static void fail(struct pipeline *p, ipr_status st)
{
    if (p->status == IPR_OK)
        p->status = st;
}

/* Takes the next queued batch off the work queue; call with mu held. */
static struct batch *take_work(struct pipeline *p)
{
    struct batch *b = p->work_head;
    if (b) {
        p->work_head = b->next_work;
        if (!p->work_head)
            p->work_tail = NULL;
    }
    return b;
}

/* Scans a taken batch with the caller's scanner (init: how its set-up
 * went) and marks it done; call without mu. */
static void scan_batch(struct pipeline *p, ipr_scanner *scanner, ipr_status init, struct batch *b)
{
    ipr_status st = init;
    for (size_t i = 0; st == IPR_OK && i < b->count; i++)
        st = ipr_scanner_scan_result(scanner, b->records[i], b->results[i]);
    pthread_mutex_lock(&p->mu);
    b->status = st;
    b->done = true;
    pthread_cond_broadcast(&p->done_cv);
    pthread_mutex_unlock(&p->mu);
}

static ipr_status scanner_for(const struct pipeline *p, ipr_scanner **out)
{
    ipr_status st = ipr_scanner_new(p->rs, out);
    ipr_scanner_set_engine(*out, p->engine);
    if (st == IPR_OK)
        st = ipr_scanner_set_limits(*out, &p->limits);
    return st;
}

static void *worker(void *arg)
{
    struct pipeline *p = arg;
    ipr_scanner *scanner = NULL;
    ipr_status init = scanner_for(p, &scanner);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->work_head)
            pthread_cond_wait(&p->work_cv, &p->mu);
        struct batch *b = take_work(p);
        if (!b)
            break; /* stop, and nothing left */
        pthread_mutex_unlock(&p->mu);
        scan_batch(p, scanner, init, b);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    ipr_scanner_free(scanner);
    return NULL;
}

/* The pushing thread scans the next queued batch itself; false when none
 * is queued. */
static bool help(struct pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    struct batch *b = take_work(p);
    pthread_mutex_unlock(&p->mu);
    if (!b)
        return false;
    scan_batch(p, p->scanner, p->helper_status, b);
    return true;
}

struct pipeline *pipeline_new(const ipr_ruleset *rs, unsigned jobs, ipr_engine engine,
                              const ipr_scan_limits *limits, unsigned batch,
                              pipeline_deliver_fn deliver, void *user, ipr_status *status)
{
    struct pipeline *p = calloc(1, sizeof(*p));
    if (!p) {
        *status = IPR_ENOMEM;
        return NULL;
    }
    p->rs = rs;
    p->jobs = jobs ? jobs : 1;
    p->deliver = deliver;
    p->user = user;
    p->engine = engine;
    if (limits)
        p->limits = *limits;
    p->batch = batch && batch < BATCH_RECORDS ? batch : BATCH_RECORDS;
    if (p->jobs == 1) {
        *status = scanner_for(p, &p->scanner);
        if (*status == IPR_OK)
            *status = ipr_result_new(&p->result);
        if (*status != IPR_OK) {
            pipeline_free(p);
            return NULL;
        }
        return p;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    p->helper_status = scanner_for(p, &p->scanner);
    p->threads = calloc(p->jobs - 1, sizeof(pthread_t));
    if (!p->threads) {
        *status = IPR_ENOMEM;
        pipeline_free(p);
        return NULL;
    }
    for (unsigned i = 0; i + 1 < p->jobs; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            *status = IPR_ENOMEM;
            pipeline_free(p);
            return NULL;
        }
        p->thread_count++;
    }
    *status = IPR_OK;
    return p;
}

static struct batch *batch_get(struct pipeline *p)
{
    struct batch *b = p->spare;
    if (b) {
        p->spare = b->next_order;
    } else {
        b = calloc(1, sizeof(*b));
        if (!b)
            return NULL;
    }
    b->count = 0;
    b->done = false;
    b->status = IPR_OK;
    b->next_work = b->next_order = NULL;
    return b;
}

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < BATCH_RECORDS; i++) {
        ipr_record_free(b->records[i]);
        ipr_result_free(b->results[i]);
    }
    free(b);
}

/* Delivers the oldest batch once it is scanned, scanning queued batches
 * while it is not.  With nothing queued to scan, waits for it when `wait`,
 * else returns at once (true): the pushing thread may as well read on. */
static bool deliver_oldest(struct pipeline *p, bool wait)
{
    pthread_mutex_lock(&p->mu);
    struct batch *b = p->order_head;
    while (b && !b->done) {
        if (p->work_head) {
            pthread_mutex_unlock(&p->mu);
            help(p);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (!wait) {
            pthread_mutex_unlock(&p->mu);
            return true;
        }
        pthread_cond_wait(&p->done_cv, &p->mu);
    }
    if (b) {
        p->order_head = b->next_order;
        if (!p->order_head)
            p->order_tail = NULL;
        p->in_flight--;
    }
    pthread_mutex_unlock(&p->mu);
    if (!b)
        return true;
    if (b->status != IPR_OK)
        fail(p, b->status);
    for (size_t i = 0; p->status == IPR_OK && i < b->count; i++)
        if (!p->deliver(b->records[i], b->results[i], p->user))
            fail(p, IPR_ECALLBACK);
    b->next_order = p->spare;
    p->spare = b;
    return p->status == IPR_OK;
}

static bool submit_filling(struct pipeline *p)
{
    struct batch *b = p->filling;
    if (!b || b->count == 0)
        return true;
    p->filling = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->work_tail)
        p->work_tail->next_work = b;
    else
        p->work_head = b;
    p->work_tail = b;
    if (p->order_tail)
        p->order_tail->next_order = b;
    else
        p->order_head = b;
    p->order_tail = b;
    p->in_flight++;
    pthread_cond_signal(&p->work_cv);
    size_t in_flight = p->in_flight;
    pthread_mutex_unlock(&p->mu);
    /* line by line: each record goes out before the next is read, since
     * the next may be a long time coming on a pipe */
    if (p->batch == 1) {
        while (p->status == IPR_OK && p->order_head)
            deliver_oldest(p, true);
        return p->status == IPR_OK;
    }
    /* keep every worker busy, and one batch ahead each; past that, this
     * thread scans too, and reads on rather than wait while a worker
     * finishes the oldest batch, up to twice as many (the memory bound) */
    if (in_flight > 2u * p->jobs)
        return deliver_oldest(p, in_flight > 4u * p->jobs);
    return true;
}

bool pipeline_threaded(const struct pipeline *p)
{
    return p->jobs > 1;
}

ipr_record **pipeline_slot(struct pipeline *p)
{
    if (p->status != IPR_OK || p->jobs == 1)
        return NULL;
    if (!p->filling && !(p->filling = batch_get(p))) {
        fail(p, IPR_ENOMEM);
        return NULL;
    }
    return &p->filling->records[p->filling->count];
}

bool pipeline_push_slot(struct pipeline *p)
{
    struct batch *b = p->filling;
    if (p->status != IPR_OK || !b || !b->records[b->count])
        return false;
    size_t i = b->count;
    if (!b->results[i]) {
        ipr_status st = ipr_result_new(&b->results[i]);
        if (st != IPR_OK) {
            fail(p, st);
            return false;
        }
    }
    b->count++;
    if (b->count == p->batch)
        return submit_filling(p);
    return true;
}

bool pipeline_push(struct pipeline *p, const ipr_record *rec)
{
    if (p->status != IPR_OK)
        return false;
    if (p->jobs == 1) {
        ipr_status st = ipr_scanner_scan_result(p->scanner, rec, p->result);
        if (st != IPR_OK)
            fail(p, st);
        else if (!p->deliver(rec, p->result, p->user))
            fail(p, IPR_ECALLBACK);
        return p->status == IPR_OK;
    }
    ipr_record **slot = pipeline_slot(p);
    if (!slot)
        return false;
    /* batches are reused, and so is each slot's record: no allocation per record */
    ipr_status st = *slot ? ipr_record_copy(*slot, rec) : ipr_record_clone(rec, slot);
    if (st != IPR_OK) {
        fail(p, st);
        return false;
    }
    return pipeline_push_slot(p);
}

bool pipeline_flush(struct pipeline *p)
{
    if (p->jobs == 1)
        return p->status == IPR_OK;
    if (!submit_filling(p))
        return false;
    while (p->status == IPR_OK && p->order_head)
        deliver_oldest(p, true);
    return p->status == IPR_OK;
}

ipr_status pipeline_status(const struct pipeline *p)
{
    return p->status;
}

void pipeline_free(struct pipeline *p)
{
    if (!p)
        return;
    if (p->threads) {
        pthread_mutex_lock(&p->mu);
        p->stop = true;
        pthread_cond_broadcast(&p->work_cv);
        pthread_mutex_unlock(&p->mu);
        for (unsigned i = 0; i < p->thread_count; i++)
            pthread_join(p->threads[i], NULL);
        free(p->threads);
        /* batches still queued after a failure */
        for (struct batch *b = p->order_head, *next; b; b = next) {
            next = b->next_order;
            batch_free(b);
        }
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->work_cv);
        pthread_cond_destroy(&p->done_cv);
    }
    if (p->filling)
        batch_free(p->filling);
    for (struct batch *b = p->spare, *next; b; b = next) {
        next = b->next_order;
        batch_free(b);
    }
    ipr_scanner_free(p->scanner);
    ipr_result_free(p->result);
    free(p);
}
