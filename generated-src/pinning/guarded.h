/* guarded.h: an object that becomes self-referential at its first use. */
#ifndef PINNING_GUARDED_H
#define PINNING_GUARDED_H

#include "pinning/guard.h"

/* Like a generator or a future: free to move until its first use, pinned
   from then on, and checked on every use. */
struct pin_guarded {
    struct pin_guard guard;
    int value;
    int *ptr;           /* NULL until the first pin_guarded_get */
};

void pin_guarded_init(struct pin_guarded *g, int value);
/* The first call pins the object where it is; later calls abort if it moved. */
int  pin_guarded_get(struct pin_guarded *g);

#endif
