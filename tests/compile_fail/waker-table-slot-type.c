/* expect-error: incompatible (function )?pointer type */
/* A waker table with clone and wake swapped by position: the slots' types differ, so the
   compiler rejects it (see the waker chapter, "An object built by hand from its parts"). */
#include "waker/waker.h"

static struct raw_waker demo_clone(const void *data)
{
    return (struct raw_waker){ data, 0 };
}
static void demo_nothing(const void *data) { (void)data; }

const struct raw_waker_vtable swapped = { demo_nothing, demo_clone, demo_nothing, demo_nothing };
