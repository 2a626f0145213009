/* all_woken.h: ow_all's concurrent mode, polling on each wake-up only the children whose
   own waker was called. */
#ifndef ANSWERS_ALL_WOKEN_H
#define ANSWERS_ALL_WOKEN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "old_world/future.h"

struct ow_all_woken;

struct ow_all_child {               /* what a child's waker knows */
    struct ow_all_woken *parent;
    atomic_bool woken;              /* set by the child's waker, cleared before its poll */
};

struct ow_all_woken {
    struct ow_future future;
    struct ow_future **children;    /* the caller's array; a finished child's slot is NULLed */
    size_t n, finished;
    struct ow_all_child *records;   /* n records, and n wakers over them */
    struct raw_waker *wakers;
    pthread_mutex_t lock;           /* guards parent */
    struct raw_waker parent;        /* a clone of the newest waker this future was polled with */
    bool started;
    size_t child_polls;             /* how many times a child was polled, for the tests */
};

/* Returns 0, or -ENOMEM (or the -errno of the mutex). */
int ow_all_woken_init(struct ow_all_woken *a, struct ow_future **children, size_t n);
/* Every child must have been dropped first: their wakers point into a. */
void ow_all_woken_drop(struct ow_all_woken *a);

#endif
