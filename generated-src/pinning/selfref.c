/* selfref.c: the self-referential struct and a byte-wise swap. */
#include <stdlib.h>

#include "pinning/selfref.h"

void pin_selfref_init(struct pin_selfref *s, int value)
{
    s->value = value;
    s->ptr = &s->value;
}

int pin_selfref_get(const struct pin_selfref *s)
{
    return *s->ptr;
}

void pin_selfref_set(struct pin_selfref *s, int value)
{
    *s->ptr = value;
}
bool pin_selfref_is_home(const struct pin_selfref *s)
{
    return s->ptr == &s->value;
}
void pin_swap_bytes(void *a, void *b, size_t size)
{
    unsigned char *x = a, *y = b;
    for (size_t i = 0; i < size; i++) {
        unsigned char t = x[i];
        x[i] = y[i];
        y[i] = t;
    }
}
struct pin_selfref *pin_selfref_new(int value)
{
    struct pin_selfref *s = malloc(sizeof *s);
    if (s != NULL)
        pin_selfref_init(s, value);     /* initialised where it will live */
    return s;
}

void pin_selfref_free(struct pin_selfref *s)
{
    free(s);
}
