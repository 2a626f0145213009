/* two_yields.c: the line that does not compile with __LINE__, compiling. */
#include "answers/two_yields.h"

#include "answers/coro_counter.h"

struct gen_result two_yields_resume(struct two_yields *t)
{
    CORO_BEGIN(t->pc);
    CORO_COUNTER_YIELD(t->pc, gen_yielded(1)); CORO_COUNTER_YIELD(t->pc, gen_yielded(2));
    CORO_END(t->pc, gen_complete(0));
}
