/* rc_waker.h: a heap-allocated waker with an atomic reference count. */
#ifndef WAKER_RC_WAKER_H
#define WAKER_RC_WAKER_H

#include "waker/waker.h"

/* A waker whose wake calls on_wake(arg) (nothing if on_wake is NULL). It starts with one
   reference. When the last reference is dropped, on_release(arg) is called (if not NULL) and
   the waker's memory is freed. Handles may be cloned, woken and dropped from any thread;
   on_wake runs in the thread that wakes, on_release in the thread that drops the last one.
   Out of memory is reported on stderr and aborts: a waker is made where no error can go. */
struct raw_waker rc_waker_new(void (*on_wake)(void *arg), void *arg,
                              void (*on_release)(void *arg));

/* The number of live references, for tests and demos; -1 if w is not an rc_waker. */
long rc_waker_refcount(const struct raw_waker *w);

#endif
