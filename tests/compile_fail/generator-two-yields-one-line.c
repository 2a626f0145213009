/* expect-error: duplicate case value */
/* Two CORO_YIELDs on one source line get the same __LINE__, so the coroutine's switch gets
   two case labels with one value. The generator chapter shows the compilers' messages. */
#include "generator/coro.h"
#include "generator/gen.h"

struct two { int pc; };

static struct gen_result two_resume(struct two *t)
{
    CORO_BEGIN(t->pc);
    CORO_YIELD(t->pc, gen_yielded(1)); CORO_YIELD(t->pc, gen_yielded(2));
    CORO_END(t->pc, gen_complete(0));
}

int main(void)
{
    struct two t = { 0 };
    return (int)two_resume(&t).value;
}
