/*
 * ordered_jobs.c - see ordered_jobs.h.
 */
#include "ordered_jobs.h"

#include <pthread.h>
#include <stdlib.h>

/* How many jobs past the last one taken each worker may start: enough to
 * keep them busy while the caller takes one, few enough to bound memory. */
#define ORDERED_JOBS_AHEAD 2u

/* The workers' shared state: guarded by `lock`. */
struct ordered_jobs {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a job was done, or one was taken */
    size_t count;
    size_t next;  /* the next job to start */
    size_t taken; /* jobs taken so far: 0 .. taken - 1 */
    size_t ahead; /* a job may start when next < taken + ahead */
    bool *done;   /* per job: work returned */
    void (*work)(void *ctx, size_t i);
    void *ctx;
};

static void *worker(void *arg)
{
    struct ordered_jobs *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->next < q->count && q->next >= q->taken + q->ahead)
            pthread_cond_wait(&q->changed, &q->lock);
        if (q->next == q->count)
            break;
        size_t i = q->next++;
        pthread_mutex_unlock(&q->lock);
        q->work(q->ctx, i);
        pthread_mutex_lock(&q->lock);
        q->done[i] = true;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

void ordered_jobs_run(size_t count, unsigned threads, void (*work)(void *ctx, size_t i),
                      void (*take)(void *ctx, size_t i), void *ctx)
{
    size_t workers = threads < count ? threads : count;
    bool *done = workers > 1 ? calloc(count, sizeof(*done)) : NULL;
    pthread_t *ids = done ? malloc(workers * sizeof(*ids)) : NULL;
    struct ordered_jobs q = {.count = count,
                             .ahead = workers + ORDERED_JOBS_AHEAD,
                             .done = done,
                             .work = work,
                             .ctx = ctx};
    bool locks = ids && pthread_mutex_init(&q.lock, NULL) == 0;
    if (locks && pthread_cond_init(&q.changed, NULL) != 0) {
        pthread_mutex_destroy(&q.lock);
        locks = false;
    }
    size_t started = 0;
    while (locks && started < workers && pthread_create(&ids[started], NULL, worker, &q) == 0)
        started++;
    if (started > 0) {
        pthread_mutex_lock(&q.lock);
        for (size_t i = 0; i < count; i++) {
            while (!done[i])
                pthread_cond_wait(&q.changed, &q.lock);
            pthread_mutex_unlock(&q.lock);
            take(ctx, i);
            pthread_mutex_lock(&q.lock);
            q.taken = i + 1;
            pthread_cond_broadcast(&q.changed);
        }
        pthread_mutex_unlock(&q.lock);
        for (size_t k = 0; k < started; k++)
            pthread_join(ids[k], NULL);
    }
    if (locks) {
        pthread_cond_destroy(&q.changed);
        pthread_mutex_destroy(&q.lock);
    }
    free(ids);
    free(done);
    /* no thread started (one job, one thread, or none could be had): all of them here */
    for (size_t i = 0; !started && i < count; i++) {
        work(ctx, i);
        take(ctx, i);
    }
}
