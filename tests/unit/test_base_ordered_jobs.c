/*
 * test_base_ordered_jobs.c - jobs worked on several threads and taken in
 * order on the calling thread: every job worked and taken once, each take
 * after its work, takes in order and on the caller's thread, and workers
 * never far ahead of the last take.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/ordered_jobs.h"

#define MAX_JOBS 64

struct log {
    pthread_mutex_t lock;
    pthread_t caller;
    size_t count;
    unsigned worked[MAX_JOBS]; /* times work ran for job i */
    unsigned taken[MAX_JOBS];  /* times take ran for job i */
    size_t take_order[MAX_JOBS];
    size_t takes;
    size_t most_ahead; /* largest i - takes seen when work(i) started */
    bool take_before_work, take_off_caller;
    unsigned spin; /* work's length, so that jobs overlap */
};

static void work(void *ctx, size_t i)
{
    struct log *g = ctx;
    pthread_mutex_lock(&g->lock);
    g->worked[i]++;
    if (i >= g->takes && i - g->takes > g->most_ahead)
        g->most_ahead = i - g->takes;
    pthread_mutex_unlock(&g->lock);
    volatile unsigned sink = 0;
    for (unsigned k = 0; k < g->spin * (unsigned)(1 + i % 3); k++)
        sink += k;
    (void)sink;
}

static void take(void *ctx, size_t i)
{
    struct log *g = ctx;
    pthread_mutex_lock(&g->lock);
    if (!g->worked[i])
        g->take_before_work = true;
    if (!pthread_equal(pthread_self(), g->caller))
        g->take_off_caller = true;
    g->taken[i]++;
    g->take_order[g->takes++] = i;
    pthread_mutex_unlock(&g->lock);
}

static void run(size_t count, unsigned threads, unsigned spin, struct log *g)
{
    memset(g, 0, sizeof(*g));
    pthread_mutex_init(&g->lock, NULL);
    g->caller = pthread_self();
    g->count = count;
    g->spin = spin;
    ordered_jobs_run(count, threads, work, take, g);
    pthread_mutex_destroy(&g->lock);
}

static void check(const struct log *g)
{
    assert_int_equal(g->takes, g->count);
    for (size_t i = 0; i < g->count; i++) {
        assert_int_equal(g->worked[i], 1);
        assert_int_equal(g->taken[i], 1);
        assert_int_equal(g->take_order[i], i);
    }
    assert_false(g->take_before_work);
    assert_false(g->take_off_caller);
}

static void test_every_job_once_in_order(void **state)
{
    (void)state;
    static const size_t counts[] = {0, 1, 2, 3, 7, MAX_JOBS};
    static const unsigned threads[] = {0, 1, 2, 3, 8, 100};
    struct log *g = malloc(sizeof(*g));
    assert_non_null(g);
    for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
        for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++)
            for (unsigned spin = 0; spin <= 20000; spin += 20000) {
                run(counts[c], threads[t], spin, g);
                check(g);
            }
    free(g);
}

/* Job 0 is slow: workers finish the jobs after it but may not start more
 * than a few past the last one taken (a long list is not all held at
 * once). */
static void slow_first(void *ctx, size_t i)
{
    if (i == 0) {
        volatile unsigned sink = 0;
        for (unsigned k = 0; k < 20u * 1000u * 1000u; k++)
            sink += k;
        (void)sink;
    }
    work(ctx, i);
}

static void test_workers_stay_near_the_last_take(void **state)
{
    (void)state;
    struct log *g = malloc(sizeof(*g));
    assert_non_null(g);
    for (unsigned threads = 2; threads <= 4; threads++) {
        memset(g, 0, sizeof(*g));
        pthread_mutex_init(&g->lock, NULL);
        g->caller = pthread_self();
        g->count = MAX_JOBS;
        ordered_jobs_run(MAX_JOBS, threads, slow_first, take, g);
        pthread_mutex_destroy(&g->lock);
        check(g);
        /* at most `threads` running and two more waiting past the last take */
        assert_true(g->most_ahead < threads + 2);
        assert_true(g->most_ahead >= 1);
    }
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_job_once_in_order),
        cmocka_unit_test(test_workers_stay_near_the_last_take),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
