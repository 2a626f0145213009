/* alternate.c: gen_switch_trap_resume without the inner switch. */
#include "answers/alternate.h"

#include <assert.h>
#include <limits.h>

#include "generator/coro.h"

void gen_alternate_init(struct gen_alternate *c, int to)
{
    assert(to < INT_MAX);
    *c = (struct gen_alternate){ .pc = 0, .to = to };
}

struct gen_result gen_alternate_resume(struct gen_alternate *c)
{
    CORO_BEGIN(c->pc);
    for (c->i = 1; c->i <= c->to; c->i++)
        CORO_YIELD(c->pc, gen_yielded(c->i % 2 == 1 ? c->i : -c->i));
    CORO_END(c->pc, gen_complete(c->to));
}
