/* count.c: sum as a switch-based coroutine, by hand and with the macros. */
#include "generator/count.h"

#include "generator/coro.h"

#include <assert.h>
#include <limits.h>

void gen_count_init(struct gen_count *c, int from, int to)
{
    assert(to < INT_MAX);
    *c = (struct gen_count){ .pc = 0, .from = from, .to = to };
}

struct gen_result gen_count_resume_by_hand(struct gen_count *c)
{
    switch (c->pc) {
    case 0:
        c->total = 0;
        for (c->i = c->from; c->i <= c->to; c->i++) {
            c->total += c->i;
            c->pc = 1;                       /* yield i: remember where, */
            return gen_yielded(c->i);        /* return the value, */
    case 1:;                                 /* and continue here next time */
        }
    }
    c->pc = 2;                               /* no case 2: a finished one skips the body */
    return gen_complete(c->total);
}

struct gen_result gen_count_resume(struct gen_count *c)
{
    CORO_BEGIN(c->pc);
    c->total = 0;
    for (c->i = c->from; c->i <= c->to; c->i++) {
        c->total += c->i;
        CORO_YIELD(c->pc, gen_yielded(c->i));
    }
    CORO_END(c->pc, gen_complete(c->total));
}
