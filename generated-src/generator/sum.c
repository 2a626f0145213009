/* sum.c: the hand-written generator. */
#include "generator/sum.h"

#include <assert.h>
#include <limits.h>

void gen_sum_init(struct gen_sum *g, int from, int to)
{
    assert(to < INT_MAX);
    g->state = GEN_SUM_START;
    g->from = from;
    g->to = to;
    g->i = 0;
    g->total = 0;
}

struct gen_result gen_sum_resume(struct gen_sum *g)
{
    switch (g->state) {
    case GEN_SUM_START:      /* code before the loop */
        g->total = 0;
        g->i = g->from;
        break;
    case GEN_SUM_IN_LOOP:    /* code after the yield: the rest of the loop body */
        g->i++;
        break;
    case GEN_SUM_DONE:
        return gen_complete(g->total);
    }
    if (g->i <= g->to) {     /* the loop's test */
        g->total += g->i;
        g->state = GEN_SUM_IN_LOOP;
        return gen_yielded(g->i);
    }
    g->state = GEN_SUM_DONE;
    return gen_complete(g->total);
}
