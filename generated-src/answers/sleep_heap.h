/* sleep_heap.h: sleeps that share one timerfd, their deadlines kept in a min-heap. */
#ifndef ANSWERS_SLEEP_HEAP_H
#define ANSWERS_SLEEP_HEAP_H

#include <stddef.h>
#include <time.h>
#include "future/future.h"

/* The timer of every heap_sleep made with it. It must not move after sleep_heap_init (the
   reactor keeps the address of io); close it after its sleeps are dropped. */
struct sleep_heap {
    struct reactor *reactor;
    struct reactor_io io;               /* the one timerfd; its waker is the heap's own */
    struct heap_sleep **items;          /* a min-heap by deadline */
    size_t len, cap;
};

int sleep_heap_init(struct sleep_heap *h, struct reactor *r);    /* 0 or -errno */
void sleep_heap_close(struct sleep_heap *h);

/* A sleep of ms milliseconds from its first poll; its output points to an int, 0 or -errno. */
struct heap_sleep {
    struct future base;
    struct sleep_heap *heap;
    long ms;
    enum { HEAP_SLEEP_NEW, HEAP_SLEEP_WAITING, HEAP_SLEEP_DONE } state;
    struct timespec deadline;
    size_t slot;                        /* its place in the heap, while it waits */
    struct raw_waker waker;             /* while it waits: its task's newest waker */
    int err;
};

void heap_sleep_init(struct heap_sleep *f, struct sleep_heap *h, long ms);

#endif
