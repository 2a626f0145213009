/* sum.h: a generator written by hand as a state machine. It is this function,
 *
 *     long sum(int from, int to) {
 *         long total = 0;
 *         for (int i = from; i <= to; i++) { total += i; yield i; }
 *         return total;
 *     }
 *
 * so it yields from, from + 1, ..., to and completes with their sum. */
#ifndef GENERATOR_SUM_H
#define GENERATOR_SUM_H

#include "generator/gen.h"

enum gen_sum_state {
    GEN_SUM_START,     /* not started: only the arguments are set */
    GEN_SUM_IN_LOOP,   /* stopped at the yield: i and total are alive */
    GEN_SUM_DONE       /* returned: total is the result */
};

struct gen_sum {
    enum gen_sum_state state;
    int from, to;      /* the arguments */
    int i;             /* the variables alive across the yield */
    long total;
};

/* to must be below INT_MAX (the loop's i++ would overflow). */
void gen_sum_init(struct gen_sum *g, int from, int to);

/* Runs to the next yield or to the end. Once complete, returns the result again. */
struct gen_result gen_sum_resume(struct gen_sum *g);

#endif
