/* two_yields.h: a coroutine with two yields on one line, numbered by __COUNTER__. */
#ifndef ANSWERS_TWO_YIELDS_H
#define ANSWERS_TWO_YIELDS_H

#include "generator/gen.h"

struct two_yields { int pc; };

/* Yields 1, then 2, then completes with 0. */
struct gen_result two_yields_resume(struct two_yields *t);

#endif
