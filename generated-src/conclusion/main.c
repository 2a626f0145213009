/* main.c: three sleeps on one thread; they overlap, so the total is the longest, not the sum. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conclusion/sleep.h"
#include "poll/stdfds.h"

struct sleeper {
    struct future base;
    struct sleep_future sleep;
};

static struct future_result sleeper_poll(struct future *self, struct future_context *cx)
{
    struct sleeper *s = (struct sleeper *)self;
    struct future_result r = future_poll(&s->sleep.base, cx);
    if (r.status == FUTURE_READY) {
        int err = *(int *)r.output;
        if (err)
            printf("sleep of %ld ms failed: %s\n", s->sleep.ms, strerror(-err));
        else
            printf("slept %ld ms\n", s->sleep.ms);
    }
    return r;
}

static void sleeper_drop(struct future *self)
{
    future_drop(&((struct sleeper *)self)->sleep.base);
}
static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    if (stdfds_reserve("conclusion") < 0)       /* see the poll chapter: 0, 1, 2 taken */
        return 1;
    static const struct future_vtable sleeper_vtable = {sleeper_poll, sleeper_drop};
    const long durations[] = {300, 100, 200};
    long sum = 0;
    struct reactor *r = NULL;
    struct executor *ex = executor_new();
    int err = ex ? reactor_new(&r) : -ENOMEM;
    double start = seconds_now();
    for (int i = 0; i < 3 && err == 0; i++) {
        struct sleeper s = {.base = {&sleeper_vtable}};
        sleep_future_init(&s.sleep, r, durations[i]);
        sum += durations[i];
        err = executor_spawn(ex, &s.base, sizeof s);
    }
    if (err == 0)
        err = executor_run(ex, r);
    executor_free(ex);
    reactor_free(r);
    if (err) {
        fprintf(stderr, "conclusion: %s\n", strerror(-err));
        return 1;
    }
    printf("total: %.0f ms, on one thread (one after the other: %ld ms)\n",
           (seconds_now() - start) * 1000, sum);
    return 0;
}
