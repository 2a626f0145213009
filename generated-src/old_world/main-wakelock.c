/* main-wakelock.c: a timer marks its task ready and wakes a waker that polls the task at
   once; the wake after the unlock, and under the lock. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "waker/rc_waker.h"

struct wakelock_entry {
    pthread_mutex_t lock;
    bool ready;
    const char *found;                 /* what the poll inside the wake found */
};

static const char *wakelock_poll(struct wakelock_entry *e)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 500000000L;                     /* now + 500 ms */
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    int rc = pthread_mutex_timedlock(&e->lock, &deadline);
    if (rc == EDEADLK)
        return "the poll's lock fails with EDEADLK";
    if (rc == ETIMEDOUT)
        return "the poll waits for its own thread (gave up after 500 ms)";
    if (rc != 0)
        return strerror(rc);
    bool ready = e->ready;
    pthread_mutex_unlock(&e->lock);
    return ready ? "polled at once: ready" : "polled at once: not ready";
}

static void wakelock_wake(void *arg)
{
    struct wakelock_entry *e = arg;
    e->found = wakelock_poll(e);
}
static const char *wakelock_fire(int mutex_kind, bool wake_under_lock)
{
    struct wakelock_entry e = { .ready = false, .found = "not polled" };
    pthread_mutexattr_t attr;
    if (pthread_mutexattr_init(&attr) != 0)
        return "cannot make a mutex";
    pthread_mutexattr_settype(&attr, mutex_kind);
    int rc = pthread_mutex_init(&e.lock, &attr);
    pthread_mutexattr_destroy(&attr);
    if (rc != 0)
        return "cannot make a mutex";
    struct raw_waker waker = rc_waker_new(wakelock_wake, &e, NULL);
    pthread_mutex_lock(&e.lock);
    e.ready = true;
    if (wake_under_lock)
        waker_wake_by_ref(&waker);     /* the lost book's order */
    pthread_mutex_unlock(&e.lock);
    if (!wake_under_lock)
        waker_wake_by_ref(&waker);     /* this chapter's order */
    waker_drop(waker);
    pthread_mutex_destroy(&e.lock);
    return e.found;
}
int main(void)
{
    puts("a timer marks its task ready and wakes a waker that polls the task at once:");
    printf("  wake after the unlock:              %s\n",
           wakelock_fire(PTHREAD_MUTEX_ERRORCHECK, false));
    printf("  wake under an error-checking lock:  %s\n",
           wakelock_fire(PTHREAD_MUTEX_ERRORCHECK, true));
    printf("  wake under a normal lock:           %s\n",
           wakelock_fire(PTHREAD_MUTEX_NORMAL, true));
    return EXIT_SUCCESS;
}
