/* reactor_et.h: the future chapter's reactor, edge-triggered, with readiness kept. A program
   chooses it by including answers/choose_et.h in one of its files. */
#ifndef ANSWERS_REACTOR_ET_H
#define ANSWERS_REACTOR_ET_H

#include "future/future.h"

int et_reactor_new(struct reactor **out);
int et_reactor_register(struct reactor *r, struct reactor_io *io, const struct raw_waker *waker);
void et_reactor_disarm(struct reactor *r, struct reactor_io *io);
int et_reactor_deregister(struct reactor *r, struct reactor_io *io);
int et_reactor_wait(struct reactor *r, int timeout_ms);
void et_reactor_free(struct reactor *r);
/* A reader calls it when its read said EAGAIN or came back short: io->fd is not readable
   until the next event. A hang-up already seen stays. */
void et_reactor_drained(struct reactor *r, struct reactor_io *io);

#endif
