/* selfref_move.c: copy, then point the copy at itself. */
#include "answers/selfref_move.h"

void pin_selfref_move(struct pin_selfref *dst, const struct pin_selfref *src)
{
    dst->value = *src->ptr;     /* read the way the object's own code reads */
    dst->ptr = &dst->value;
}
