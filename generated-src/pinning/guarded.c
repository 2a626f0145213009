/* guarded.c: a lazily self-referential object with a guard. */
#include <stddef.h>

#include "pinning/guarded.h"

void pin_guarded_init(struct pin_guarded *g, int value)
{
    g->guard = (struct pin_guard)PIN_GUARD_INIT;
    g->value = value;
    g->ptr = NULL;
}

int pin_guarded_get(struct pin_guarded *g)
{
    pin_guard_check(&g->guard, "struct pin_guarded");
    if (g->ptr == NULL)
        g->ptr = &g->value;     /* the first use makes it self-referential */
    return *g->ptr;
}
