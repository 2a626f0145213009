/* coro.h: switch-based (protothreads-style) coroutines.
 *
 * pc is an int in the coroutine's state: 0 before the first resume, the __LINE__ of the
 * yield it stopped at, -1 when finished. Rules, each shown broken in the generator chapter:
 *   - a local variable does not survive a yield: keep such variables in the state struct;
 *   - no switch statement may surround a yield;
 *   - at most one CORO_YIELD per source line. */
#ifndef GENERATOR_CORO_H
#define GENERATOR_CORO_H

#define CORO_BEGIN(pc) switch (pc) { case 0:

#define CORO_YIELD(pc, result)  \
    do {                        \
        (pc) = __LINE__;        \
        return (result);        \
    case __LINE__:;             \
    } while (0)

#define CORO_END(pc, result) } (pc) = -1; return (result)

#endif
