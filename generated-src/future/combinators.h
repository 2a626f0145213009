/* combinators.h: futures made of futures. */
#ifndef FUTURE_COMBINATORS_H
#define FUTURE_COMBINATORS_H

#include <stdbool.h>
#include "future/future.h"

/* Awaits first, then second. Ready with second's output; first's output is kept in
   first_output. Owns both: dropping it drops them. */
struct future_then {
    struct future base;
    enum { THEN_FIRST, THEN_SECOND, THEN_DONE } state;
    struct future *first, *second;
    void *first_output;
};

void future_then_init(struct future_then *f, struct future *first, struct future *second);

/* One future of a join, and its output once it is ready. */
struct future_join_slot {
    struct future *future;
    void *output;
    bool done;
};

/* Polls every slot's future until all are ready; ready with the slots as output. Owns the
   slots' futures: dropping it drops them. */
struct future_join {
    struct future base;
    struct future_join_slot *slots;
    size_t count, left;
};

void future_join_init(struct future_join *f, struct future_join_slot *slots, size_t count);

#endif
