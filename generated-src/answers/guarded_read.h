/* guarded_read.h: the future chapter's ReadNChars, with the pinning chapter's guard. */
#ifndef ANSWERS_GUARDED_READ_H
#define ANSWERS_GUARDED_READ_H

#include "future/future.h"
#include "pinning/guard.h"

struct guarded_read {
    struct future base;
    struct pin_guard guard;     /* checked at every poll */
    struct read_n_chars read;
};

/* As read_n_chars_init; polling it aborts if it moved after its first poll. */
void guarded_read_init(struct guarded_read *g, struct reactor *r, int fd, char *buf, size_t n);

#endif
