/* sum_both.h: the sum generator yielding i and then the running total, by hand and with
   coro.h. Both yield from, total, from + 1, total, ..., to, total, and complete with total. */
#ifndef ANSWERS_SUM_BOTH_H
#define ANSWERS_SUM_BOTH_H

#include "generator/gen.h"

enum sum_both_state {
    SUM_BOTH_START,         /* not started */
    SUM_BOTH_YIELDED_I,     /* stopped at the first yield */
    SUM_BOTH_YIELDED_TOTAL, /* stopped at the second yield */
    SUM_BOTH_DONE
};

struct sum_both {
    enum sum_both_state state;   /* the hand-written machine's */
    int pc;                      /* the macro version's (coro.h) */
    int from, to, i;
    long total;
};

void sum_both_init(struct sum_both *g, int from, int to);      /* to < INT_MAX */
struct gen_result sum_both_resume_by_hand(struct sum_both *g);
struct gen_result sum_both_resume(struct sum_both *g);         /* with coro.h */

#endif
