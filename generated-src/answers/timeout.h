/* timeout.h: a future that finishes with its inner future's output, or with -ETIMEDOUT. */
#ifndef ANSWERS_TIMEOUT_H
#define ANSWERS_TIMEOUT_H

#include "conclusion/sleep.h"

/* The inner future's output and err 0; or output NULL and err -ETIMEDOUT when the deadline
   came first (or the sleep's own -errno when its timer could not start). */
struct timeout_output { void *output; int err; };

/* Owns inner and a sleep of ms milliseconds, which starts at the first poll. The loser is
   dropped the moment the other child is ready; the winner, into which the output may point,
   with the timeout. It holds no pointer into itself, so it can be spawned. */
struct timeout_future {
    struct future base;
    struct future *inner;
    struct sleep_future sleep;
    enum { TIMEOUT_RACING, TIMEOUT_INNER_WON, TIMEOUT_SLEEP_WON } state;
    struct timeout_output out;
};

void timeout_future_init(struct timeout_future *f, struct future *inner, struct reactor *r,
                         long ms);

#endif
