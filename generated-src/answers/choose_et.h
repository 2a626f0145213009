/* choose_et.h: makes the edge-triggered reactor the program's. Include it in exactly one file:
   it defines future.h's reactor functions, so the unchanged executor calls this reactor. */
#ifndef ANSWERS_CHOOSE_ET_H
#define ANSWERS_CHOOSE_ET_H

#include "answers/reactor_et.h"

int reactor_new(struct reactor **out) { return et_reactor_new(out); }
int reactor_register(struct reactor *r, struct reactor_io *io,
                     const struct raw_waker *waker) { return et_reactor_register(r, io, waker); }
void reactor_disarm(struct reactor *r, struct reactor_io *io) { et_reactor_disarm(r, io); }
int reactor_deregister(struct reactor *r,
                       struct reactor_io *io) { return et_reactor_deregister(r, io); }
int reactor_wait(struct reactor *r, int timeout_ms) { return et_reactor_wait(r, timeout_ms); }
void reactor_free(struct reactor *r) { et_reactor_free(r); }

#endif
