/* sleep_heap.c: one timerfd for every sleep; the reactor wakes the heap, the heap the sleeps. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "answers/sleep_heap.h"

static bool time_before(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static bool heap_earlier(const struct heap_sleep *a, const struct heap_sleep *b) {
    return time_before(&a->deadline, &b->deadline);
}

static void heap_put(struct sleep_heap *h, size_t i, struct heap_sleep *s) {
    h->items[i] = s;
    s->slot = i;
}

/* Moves the entry at i up while it is earlier than its parent, then down while a child is
   earlier than it. */
static void heap_fix(struct sleep_heap *h, size_t i) {
    struct heap_sleep *s = h->items[i];
    for (; i > 0 && heap_earlier(s, h->items[(i - 1) / 2]); i = (i - 1) / 2)
        heap_put(h, i, h->items[(i - 1) / 2]);
    for (size_t c; (c = 2 * i + 1) < h->len; i = c) {
        if (c + 1 < h->len && heap_earlier(h->items[c + 1], h->items[c])) c++;
        if (!heap_earlier(h->items[c], s)) break;
        heap_put(h, i, h->items[c]);
    }
    heap_put(h, i, s);
}

static int heap_push(struct sleep_heap *h, struct heap_sleep *s) {
    if (h->len == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 8;
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, so sizeof a pointer */
        struct heap_sleep **items = realloc(h->items, cap * sizeof *items);
        if (items == NULL) return -ENOMEM;
        h->items = items;
        h->cap = cap;
    }
    h->items[h->len++] = s;
    heap_fix(h, h->len - 1);
    return 0;
}

static void heap_remove(struct sleep_heap *h, const struct heap_sleep *s) {
    struct heap_sleep *last = h->items[--h->len];
    if (last == s) return;
    heap_put(h, s->slot, last);
    heap_fix(h, last->slot);
}
static const struct raw_waker_vtable heap_waker_vtable;

static int heap_arm(struct sleep_heap *h) {
    struct itimerspec when = {{0, 0}, {0, 0}};          /* zero: disarmed */
    if (h->len > 0) when.it_value = h->items[0]->deadline;
    if (timerfd_settime(h->io.fd, TFD_TIMER_ABSTIME, &when, NULL) < 0) return -errno;
    struct raw_waker self = {h, &heap_waker_vtable};
    if (h->len > 0) return reactor_register(h->reactor, &h->io, &self);
    reactor_disarm(h->reactor, &h->io);
    return 0;
}

/* The timerfd is readable: wake every sleep whose deadline has passed, then set the timer. */
static void heap_fire(const void *data) {
    struct sleep_heap *h = (struct sleep_heap *)data;
    uint64_t expirations;           /* read only to reset the count; EAGAIN is fine too */
    ssize_t got = read(h->io.fd, &expirations, sizeof expirations);
    (void)got;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    while (h->len > 0 && !time_before(&now, &h->items[0]->deadline)) {
        struct heap_sleep *s = h->items[0];
        heap_remove(h, s);
        s->state = HEAP_SLEEP_DONE;
        waker_wake(s->waker);                       /* the clone it kept, given back */
    }
    int err = heap_arm(h);
    while (err < 0 && h->len > 0) {                 /* no timer: nothing would wake them */
        struct heap_sleep *s = h->items[0];
        heap_remove(h, s);
        s->state = HEAP_SLEEP_DONE;
        s->err = err;
        waker_wake(s->waker);
    }
}

static struct raw_waker heap_waker_clone(const void *data) {
    return (struct raw_waker){data, &heap_waker_vtable};
}
static void heap_waker_drop(const void *data) { (void)data; }
static const struct raw_waker_vtable heap_waker_vtable = {
    heap_waker_clone, heap_fire, heap_fire, heap_waker_drop,
};
static struct future_result heap_sleep_poll(struct future *self, struct future_context *cx) {
    struct heap_sleep *f = (struct heap_sleep *)self;
    if (f->state == HEAP_SLEEP_NEW && f->ms > 0) {
        clock_gettime(CLOCK_MONOTONIC, &f->deadline);
        long ns = f->deadline.tv_nsec + f->ms % 1000 * 1000000;
        f->deadline.tv_sec += f->ms / 1000 + ns / 1000000000;
        f->deadline.tv_nsec = ns % 1000000000;
        if ((f->err = heap_push(f->heap, f)) == 0) {
            f->waker = waker_clone(cx->waker);
            f->state = HEAP_SLEEP_WAITING;
            if (f->slot == 0 && (f->err = heap_arm(f->heap)) < 0) future_drop(self);
        }
    } else if (f->state == HEAP_SLEEP_WAITING && !waker_will_wake(&f->waker, cx->waker)) {
        waker_drop(f->waker);
        f->waker = waker_clone(cx->waker);
    }
    if (f->state == HEAP_SLEEP_WAITING) return future_pending();
    f->state = HEAP_SLEEP_DONE;
    return future_ready(&f->err);
}

static void heap_sleep_drop(struct future *self) {
    struct heap_sleep *f = (struct heap_sleep *)self;
    if (f->state != HEAP_SLEEP_WAITING) return;
    bool was_first = f->slot == 0;
    heap_remove(f->heap, f);
    waker_drop(f->waker);
    f->state = HEAP_SLEEP_DONE;
    if (was_first) heap_arm(f->heap);       /* the next deadline, or none */
}

void heap_sleep_init(struct heap_sleep *f, struct sleep_heap *h, long ms) {
    static const struct future_vtable vtable = {heap_sleep_poll, heap_sleep_drop};
    *f = (struct heap_sleep){.base = {&vtable}, .heap = h, .ms = ms};
}
int sleep_heap_init(struct sleep_heap *h, struct reactor *r) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return -errno;
    *h = (struct sleep_heap){.reactor = r, .io = {fd, {NULL, NULL}}};
    return 0;
}

void sleep_heap_close(struct sleep_heap *h) {
    reactor_deregister(h->reactor, &h->io);
    close(h->io.fd);
    free(h->items);
    *h = (struct sleep_heap){.io = {-1, {NULL, NULL}}};
}
