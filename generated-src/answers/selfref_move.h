/* selfref_move.h: a "move constructor" for the pinning chapter's self-referential struct. */
#ifndef ANSWERS_SELFREF_MOVE_H
#define ANSWERS_SELFREF_MOVE_H

#include "pinning/selfref.h"

/* Makes *dst a working copy of *src: same value, dst->ptr pointing at dst's own value.
   src is left as it was; it is the caller's to reuse or forget. */
void pin_selfref_move(struct pin_selfref *dst, const struct pin_selfref *src);

#endif
