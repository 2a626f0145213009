/* et_scenarios.h: the future chapter's three tests that fail under plain EPOLLET. */
#ifndef ANSWERS_ET_SCENARIOS_H
#define ANSWERS_ET_SCENARIOS_H

#include "future/future.h"

/* Runs them on the program's reactor and prints what happened; drained is the reader's call
   after EAGAIN or a short read (NULL for a reactor that needs none). 0, or 1 on an error. */
int et_scenarios_run(void (*drained)(struct reactor *r, struct reactor_io *io));

#endif
