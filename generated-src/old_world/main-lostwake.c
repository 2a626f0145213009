/* main-lostwake.c: a wake-up that arrives between "pending" and "park", delivered to a bare
   condition variable and to a parker. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "old_world/clock.h"
#include "old_world/parker.h"

struct bare_sleeper {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
};

static void bare_wake(struct bare_sleeper *s)
{
    pthread_mutex_lock(&s->mutex);
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mutex);
}

static bool bare_sleep_for(struct bare_sleeper *s, long ms)
{
    struct timespec deadline = ow_clock_after(ms);
    pthread_mutex_lock(&s->mutex);
    int rc = pthread_cond_timedwait(&s->cond, &s->mutex, &deadline);
    pthread_mutex_unlock(&s->mutex);
    return rc == 0;
}
struct lostwake_run {
    struct ow_parker go, done;        /* the turn-taking between the two threads */
    struct bare_sleeper *bare;        /* exactly one of these two is under test */
    struct ow_parker *parker;
};

static void *lostwake_waker(void *arg)
{
    struct lostwake_run *run = arg;
    ow_parker_park(&run->go);
    if (run->bare != NULL)
        bare_wake(run->bare);
    else
        ow_parker_unpark(run->parker);
    ow_parker_unpark(&run->done);
    return NULL;
}

/* Returns whether the sleep ended because of the wake-up, or -1 if threads failed. */
static int lostwake_once(struct bare_sleeper *bare, struct ow_parker *parker)
{
    struct lostwake_run run = { .bare = bare, .parker = parker };
    pthread_t thread;
    if (ow_parker_init(&run.go) != 0 || ow_parker_init(&run.done) != 0
        || pthread_create(&thread, NULL, lostwake_waker, &run) != 0)
        return -1;
    /* "poll": the task is not ready, so we are going to sleep; but first ... */
    ow_parker_unpark(&run.go);        /* ... the wake-up happens, */
    ow_parker_park(&run.done);        /* ... and is over, before we sleep: */
    bool woken = bare != NULL ? bare_sleep_for(bare, 500) : ow_parker_park_for(parker, 500);
    pthread_join(thread, NULL);
    ow_parker_destroy(&run.done);
    ow_parker_destroy(&run.go);
    return woken;
}
int main(void)
{
    struct bare_sleeper bare = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
    struct ow_parker parker;
    if (ow_parker_init(&parker) != 0) {
        fputs("old_world-lostwake: cannot make a parker\n", stderr);
        return EXIT_FAILURE;
    }
    int bare_woken = lostwake_once(&bare, NULL);
    int parker_woken = lostwake_once(NULL, &parker);
    ow_parker_destroy(&parker);
    if (bare_woken < 0 || parker_woken < 0) {
        fputs("old_world-lostwake: cannot start a thread\n", stderr);
        return EXIT_FAILURE;
    }
    puts("a wake-up arrives after \"pending\" and before \"park\":");
    printf("  condition variable alone:     %s\n",
           bare_woken ? "woken" : "wake-up lost (gave up after 500 ms)");
    printf("  condition variable and flag:  %s\n",
           parker_woken ? "woken" : "wake-up lost (gave up after 500 ms)");
    return EXIT_SUCCESS;
}
