/* join_woken.h: a join that polls only the children that were woken. */
#ifndef ANSWERS_JOIN_WOKEN_H
#define ANSWERS_JOIN_WOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "future/combinators.h"

struct join_woken;

/* One child's waker: it marks the child and wakes the join's task. */
struct join_woken_child {
    struct join_woken *join;
    bool woken;                 /* poll this child at the next poll of the join */
};

/* Like future_join, but each child is polled with a waker of its own, and a poll of the join
   polls only the children woken since the last one (all of them at the first). Owns the
   slots' futures; children has room for count records and lives as long as the join. */
struct join_woken {
    struct future base;
    struct future_join_slot *slots;
    struct join_woken_child *children;
    size_t count, left;
    struct raw_waker parent;    /* a clone of the task's waker; vtable NULL before a poll */
};

void join_woken_init(struct join_woken *f, struct future_join_slot *slots,
                     struct join_woken_child *children, size_t count);

#endif
