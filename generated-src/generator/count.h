/* count.h: sum as a switch-based coroutine (same results as sum.h). */
#ifndef GENERATOR_COUNT_H
#define GENERATOR_COUNT_H

#include "generator/gen.h"

struct gen_count {
    int pc;            /* where to continue: see coro.h */
    int from, to, i;
    long total;
};

/* to must be below INT_MAX. */
void gen_count_init(struct gen_count *c, int from, int to);
struct gen_result gen_count_resume(struct gen_count *c);           /* with coro.h */
struct gen_result gen_count_resume_by_hand(struct gen_count *c);   /* the same, expanded */

#endif
