/* box.c: the only file that knows what a struct pin_box is. */
#include <stdlib.h>

#include "pinning/box.h"
#include "pinning/selfref.h"

struct pin_box {
    struct pin_selfref ref;
};

struct pin_box *pin_box_new(int value)
{
    struct pin_box *b = malloc(sizeof *b);
    if (b != NULL)
        pin_selfref_init(&b->ref, value);
    return b;
}

int pin_box_get(const struct pin_box *b) { return pin_selfref_get(&b->ref); }
void pin_box_set(struct pin_box *b, int value) { pin_selfref_set(&b->ref, value); }
bool pin_box_is_home(const struct pin_box *b) { return pin_selfref_is_home(&b->ref); }

void pin_box_free(struct pin_box *b)
{
    free(b);
}
