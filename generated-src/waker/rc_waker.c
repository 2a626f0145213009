/* rc_waker.c: a heap-allocated waker with an atomic reference count. */
#include "waker/rc_waker.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

struct rc_waker {
    atomic_long refs;                 /* live handles */
    void (*on_wake)(void *arg);
    void *arg;
    void (*on_release)(void *arg);
};

/* The handle's data pointer is const for its holders; the block itself was allocated
   mutable, so writing through it after casting the const away is defined. */
static struct rc_waker *rc_waker_from(const void *data)
{
    return (struct rc_waker *)data;
}
static struct raw_waker rc_waker_clone(const void *data);
static void rc_waker_wake(const void *data);
static void rc_waker_wake_by_ref(const void *data);
static void rc_waker_drop(const void *data);

static const struct raw_waker_vtable rc_waker_vtable = {
    .clone = rc_waker_clone,
    .wake = rc_waker_wake,
    .wake_by_ref = rc_waker_wake_by_ref,
    .drop = rc_waker_drop,
};
struct raw_waker rc_waker_new(void (*on_wake)(void *arg), void *arg,
                              void (*on_release)(void *arg))
{
    struct rc_waker *rc = malloc(sizeof *rc);
    if (rc == NULL) {
        fputs("rc_waker_new: out of memory\n", stderr);
        abort();
    }
    atomic_init(&rc->refs, 1);
    rc->on_wake = on_wake;
    rc->arg = arg;
    rc->on_release = on_release;
    return (struct raw_waker){ .data = rc, .vtable = &rc_waker_vtable };
}
static struct raw_waker rc_waker_clone(const void *data)
{
    struct rc_waker *rc = rc_waker_from(data);
    if (atomic_fetch_add_explicit(&rc->refs, 1, memory_order_relaxed) > LONG_MAX / 2) {
        fputs("rc_waker_clone: reference count overflow (are handles leaked?)\n", stderr);
        abort();
    }
    return (struct raw_waker){ .data = rc, .vtable = &rc_waker_vtable };
}
static void rc_waker_drop(const void *data)
{
    struct rc_waker *rc = rc_waker_from(data);
    if (atomic_fetch_sub_explicit(&rc->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (rc->on_release != NULL)
        rc->on_release(rc->arg);
    free(rc);
}
static void rc_waker_wake_by_ref(const void *data)
{
    const struct rc_waker *rc = data;
    if (rc->on_wake != NULL)
        rc->on_wake(rc->arg);
}

static void rc_waker_wake(const void *data)
{
    rc_waker_wake_by_ref(data);
    rc_waker_drop(data);
}
long rc_waker_refcount(const struct raw_waker *w)
{
    if (w->vtable != &rc_waker_vtable)
        return -1;
    return atomic_load_explicit(&rc_waker_from(w->data)->refs, memory_order_relaxed);
}
