/* guard.c: abort with a clear message when a pinned object has moved. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "pinning/guard.h"

void pin_guard_check(struct pin_guard *g, const char *what)
{
    uintptr_t here = (uintptr_t)g;
    if (g->home == 0) {
        g->home = here;         /* first use: from now on it must stay here */
        return;
    }
    if (g->home == here)
        return;
    fprintf(stderr,
            "pin_guard: a %s moved after its first use\n"
            "  first used at 0x%" PRIxPTR ", now used at 0x%" PRIxPTR ";\n"
            "  its pointers into itself still point at the old place.\n"
            "  Keep it where it was first used: pass pointers to it, and never copy,\n"
            "  assign, return or pass it by value after its first use.\n",
            what, g->home, here);
    abort();
}

bool pin_guard_has_moved(const struct pin_guard *g)
{
    return g->home != 0 && g->home != (uintptr_t)g;
}
