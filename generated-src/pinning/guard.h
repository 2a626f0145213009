/* guard.h: detect that an object moved after its first use. */
#ifndef PINNING_GUARD_H
#define PINNING_GUARD_H

#include <stdbool.h>
#include <stdint.h>

/* Embed one in the object to be guarded; it moves with the object. */
struct pin_guard {
    uintptr_t home;     /* the guard's address at the first check; 0 before */
};
#define PIN_GUARD_INIT { 0 }

/* The first call records where the guard is. Every later call aborts with a
   message naming `what` if the guard, and so its object, is somewhere else. */
void pin_guard_check(struct pin_guard *g, const char *what);
/* True if the guard was checked before and is now at another address. */
bool pin_guard_has_moved(const struct pin_guard *g);

#endif
