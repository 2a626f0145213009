/* sum_both.c: two yields per loop, as a state machine and as a coroutine. */
#include "answers/sum_both.h"

#include <assert.h>
#include <limits.h>

#include "generator/coro.h"

void sum_both_init(struct sum_both *g, int from, int to)
{
    assert(to < INT_MAX);
    *g = (struct sum_both){ .state = SUM_BOTH_START, .pc = 0, .from = from, .to = to };
}

struct gen_result sum_both_resume_by_hand(struct sum_both *g)
{
    switch (g->state) {
    case SUM_BOTH_START:
        g->total = 0;
        g->i = g->from;
        break;
    case SUM_BOTH_YIELDED_I:          /* the code between the two yields */
        g->state = SUM_BOTH_YIELDED_TOTAL;
        return gen_yielded(g->total);
    case SUM_BOTH_YIELDED_TOTAL:      /* the rest of the loop body */
        g->i++;
        break;
    case SUM_BOTH_DONE:
        return gen_complete(g->total);
    }
    if (g->i <= g->to) {
        g->total += g->i;
        g->state = SUM_BOTH_YIELDED_I;
        return gen_yielded(g->i);
    }
    g->state = SUM_BOTH_DONE;
    return gen_complete(g->total);
}

struct gen_result sum_both_resume(struct sum_both *g)
{
    CORO_BEGIN(g->pc);
    g->total = 0;
    for (g->i = g->from; g->i <= g->to; g->i++) {
        g->total += g->i;
        CORO_YIELD(g->pc, gen_yielded(g->i));
        CORO_YIELD(g->pc, gen_yielded(g->total));
    }
    CORO_END(g->pc, gen_complete(g->total));
}
