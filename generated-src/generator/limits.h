/* limits.h: coroutines that break coro.h's rules, kept to show what goes wrong. */
#ifndef GENERATOR_LIMITS_H
#define GENERATOR_LIMITS_H

#include "generator/gen.h"

/* Meant to yield from..to; keeps i in a local, so when from < to it repeats from + 1 forever. */
struct gen_lost_local { int pc; int from, to; };
struct gen_result gen_lost_local_resume(struct gen_lost_local *c);

/* Meant to yield 1, -2, 3, -4, ... up to to, then complete with to; a switch surrounds its
   yields, so it completes after the first value. */
struct gen_switch_trap { int pc; int i, to; };
struct gen_result gen_switch_trap_resume(struct gen_switch_trap *c);

#endif
