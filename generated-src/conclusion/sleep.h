/* sleep.h: a future that is ready a number of milliseconds after its first poll. */
#ifndef CONCLUSION_SLEEP_H
#define CONCLUSION_SLEEP_H

#include "future/future.h"

struct sleep_future {
    struct future base;
    struct reactor *reactor;
    struct reactor_io io;       /* io.fd: the timerfd; -1 before the first poll and after */
    long ms;
    int err;                    /* the output: 0, or -errno if the timer failed */
};

/* The clock starts at the first poll, not here, so the future can be made, copied into
   the executor and started later. Its output points to an int: 0 or -errno. */
void sleep_future_init(struct sleep_future *f, struct reactor *r, long ms);

#endif
