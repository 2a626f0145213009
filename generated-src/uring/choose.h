/* choose.h: makes io_uring the reactor of the program that includes it. Include it in exactly
   one file of the program: it defines future.h's reactor functions, so the executor, compiled
   against future.h alone, calls the io_uring reactor. */
#ifndef URING_CHOOSE_H
#define URING_CHOOSE_H

#include "uring/uring.h"

/* uring_reactor_new reads it: a program that uses this module without this header does
   not link, instead of running uring_* functions on an epoll reactor. */
const int uring_reactor_chosen = 1;

int reactor_new(struct reactor **out) { return uring_reactor_new(out); }
int reactor_register(struct reactor *r, struct reactor_io *io,
                     const struct raw_waker *waker) { return uring_reactor_register(r, io, waker); }
int reactor_deregister(struct reactor *r,
                       struct reactor_io *io) { return uring_reactor_deregister(r, io); }
int reactor_wait(struct reactor *r, int timeout_ms) { return uring_reactor_wait(r, timeout_ms); }
void reactor_free(struct reactor *r) { uring_reactor_free(r); }
void reactor_disarm(struct reactor *r, struct reactor_io *io) { uring_reactor_deregister(r, io); }

#endif
