/* coro_counter.h: CORO_YIELD numbered by __COUNTER__ instead of __LINE__, so that two yields
   may share a line. Use with CORO_BEGIN and CORO_END from coro.h. A GNU extension (gcc,
   clang); the numbers start at 1, since 0 means "not started". */
#ifndef ANSWERS_CORO_COUNTER_H
#define ANSWERS_CORO_COUNTER_H

#include "generator/coro.h"

#define CORO_COUNTER_YIELD(pc, result) CORO_COUNTER_YIELD_AT(pc, result, __COUNTER__ + 1)

#define CORO_COUNTER_YIELD_AT(pc, result, n)  \
    do {                                      \
        (pc) = (n);                           \
        return (result);                      \
    case (n):;                                \
    } while (0)

#endif
