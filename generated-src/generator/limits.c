/* limits.c: switch-based coroutines that break the rules in coro.h, on purpose. */
#include "generator/limits.h"

#include "generator/coro.h"

struct gen_result gen_lost_local_resume(struct gen_lost_local *c)
{
    int i = c->from;          /* WRONG: runs on every resume, not once */

    CORO_BEGIN(c->pc);
    for (; i <= c->to; i++)
        CORO_YIELD(c->pc, gen_yielded(i));
    CORO_END(c->pc, gen_complete(0));
}

struct gen_result gen_switch_trap_resume(struct gen_switch_trap *c)
{
    CORO_BEGIN(c->pc);
    for (c->i = 1; c->i <= c->to; c->i++) {
        switch (c->i % 2) {   /* WRONG: the yields' case labels now belong to this switch */
        case 1:
            CORO_YIELD(c->pc, gen_yielded(c->i));
            break;
        default:
            CORO_YIELD(c->pc, gen_yielded(-c->i));
            break;
        }
    }
    CORO_END(c->pc, gen_complete(c->to));
}
