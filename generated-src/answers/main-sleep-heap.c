/* main-sleep-heap.c: three sleeps on one timer descriptor, and a sleep dropped while it waits. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "answers/sleep_heap.h"
#include "waker/tally_waker.h"

static long finished[3];            /* the sleeps' lengths, in the order they finished */
static int nfinished, timers_while_waiting;

struct sleeper { struct future base; struct heap_sleep sleep; };

static struct future_result sleeper_poll(struct future *self, struct future_context *cx) {
    struct sleeper *s = (struct sleeper *)self;
    struct future_result r = future_poll(&s->sleep.base, cx);
    if (r.status == FUTURE_READY && nfinished < 3)
        finished[nfinished++] = *(int *)r.output ? -1 : s->sleep.ms;
    return r;
}

static void sleeper_drop(struct future *self) {
    future_drop(&((struct sleeper *)self)->sleep.base);
}

/* The timerfds this process holds. */
static int timer_descriptors(void) {
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL; ) {
        char path[300], target[64] = "";
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(path, target, sizeof target - 1);
        n += len > 0 && strcmp(target, "anon_inode:[timerfd]") == 0;
    }
    if (d != NULL) closedir(d);
    return n;
}

static struct future_result counter_poll(struct future *self, struct future_context *cx) {
    (void)self, (void)cx;
    timers_while_waiting = timer_descriptors();
    return future_ready(NULL);
}
int main(void) {
    static const struct future_vtable sleeper_vtable = {sleeper_poll, sleeper_drop};
    static const struct future_vtable counter_vtable = {counter_poll, NULL};
    struct reactor *r = NULL;
    struct executor *ex = NULL;
    struct sleep_heap heap;
    int err = reactor_new(&r);
    if (err == 0) err = (ex = executor_new()) ? sleep_heap_init(&heap, r) : -ENOMEM;
    if (err < 0) return fprintf(stderr, "answers-sleep-heap: %s\n", strerror(-err)), 1;
    const long ms[3] = {30, 10, 20};
    for (int i = 0; i < 3 && err == 0; i++) {
        struct sleeper s = {.base = {&sleeper_vtable}};
        heap_sleep_init(&s.sleep, &heap, ms[i]);
        err = executor_spawn(ex, &s.base, sizeof s);
    }
    struct future counter = {&counter_vtable};
    if (err == 0) err = executor_spawn(ex, &counter, sizeof counter);
    if (err == 0) err = executor_run(ex, r);
    printf("sleeps of 30, 10 and 20 ms: finished in the order %ld %ld %ld ms (run: %s)\n",
           finished[0], finished[1], finished[2], err ? strerror(-err) : "ok");
    printf("timer descriptors while the three waited: %d\n", timers_while_waiting);

    struct tally t;
    struct raw_waker waker = tally_waker_new(&t);
    struct future_context cx = {&waker};
    struct heap_sleep slow, quick;                  /* the later deadline is pushed first */
    heap_sleep_init(&slow, &heap, 60000);
    heap_sleep_init(&quick, &heap, 20);
    future_poll(&slow.base, &cx);
    future_poll(&quick.base, &cx);                  /* a new top: the timer must move */
    int waits = 0;
    while (t.wakes == 0 && reactor_wait(r, -1) >= 0) waits++;
    const char *quick_state = future_poll(&quick.base, &cx).status == FUTURE_READY ? "ready"
                                                                               : "pending";
    int before = reactor_wait(r, 0);                /* the 60 s sleep still counts */
    future_drop(&slow.base);
    int after = reactor_wait(r, 0);
    printf("60 s, then 20 ms: the 20 ms sleep %s after %d wait%s, reactor_wait(r, 0) %d;\n"
           "  the 60 s sleep dropped: reactor_wait(r, 0) %s, %ld waker clones left\n",
           quick_state, waits, waits == 1 ? "" : "s", before,
           after == -EDEADLK ? "-EDEADLK" : "not -EDEADLK", t.refs - 1);
    executor_free(ex);
    sleep_heap_close(&heap);
    reactor_free(r);
    return err == 0 ? 0 : 1;
}
