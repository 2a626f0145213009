/* selfref.h: a value and a pointer to it, in one struct. */
#ifndef PINNING_SELFREF_H
#define PINNING_SELFREF_H

#include <stdbool.h>
#include <stddef.h>

/* Correct only while ptr == &value, that is, until the struct moves. */
struct pin_selfref {
    int value;
    int *ptr;   /* pin_selfref_init points it at value */
};

/* Stores value and points ptr at this object's own value field. */
void pin_selfref_init(struct pin_selfref *s, int value);
/* Read and write the value the way the object's own code does: through ptr. */
int  pin_selfref_get(const struct pin_selfref *s);
void pin_selfref_set(struct pin_selfref *s, int value);
/* True while ptr still points into this very object. */
bool pin_selfref_is_home(const struct pin_selfref *s);

/* Swaps two objects of `size` bytes, byte by byte, as a generic swap does. */
void pin_swap_bytes(void *a, void *b, size_t size);

/* Heap pinning: a new, initialised object that stays at its address until
   pin_selfref_free. Returns NULL if memory is exhausted. */
struct pin_selfref *pin_selfref_new(int value);
void pin_selfref_free(struct pin_selfref *s);

#endif
