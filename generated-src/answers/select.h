/* select.h: a future that is ready when the first of its children is ready. */
#ifndef ANSWERS_SELECT_H
#define ANSWERS_SELECT_H

#include <stddef.h>

#include "old_world/future.h"

struct ow_select {
    struct ow_future future;
    struct ow_future **children;    /* the caller's; n >= 1 */
    size_t n;
    size_t winner;                  /* after OW_READY: the index of the child that was ready */
    int done;
};

/* The children stay the caller's: after OW_READY it must drop every child (the losers hold
   a clone of the waker and a timer until they are dropped). */
void ow_select_init(struct ow_select *s, struct ow_future **children, size_t n);

#endif
