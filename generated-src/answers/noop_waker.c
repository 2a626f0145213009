/* noop_waker.c: four functions that do nothing. */
#include "answers/noop_waker.h"

#include <stddef.h>

static struct raw_waker noop_waker_clone(const void *data)
{
    (void)data;
    return noop_waker();
}

static void noop_waker_nothing(const void *data)
{
    (void)data;
}

static const struct raw_waker_vtable noop_waker_vtable = {
    noop_waker_clone, noop_waker_nothing, noop_waker_nothing, noop_waker_nothing,
};

struct raw_waker noop_waker(void)
{
    return (struct raw_waker){ .data = NULL, .vtable = &noop_waker_vtable };
}
