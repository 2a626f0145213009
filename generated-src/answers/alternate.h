/* alternate.h: yields 1, -2, 3, -4, ... up to to, then completes with to; no switch
   surrounds its yield. */
#ifndef ANSWERS_ALTERNATE_H
#define ANSWERS_ALTERNATE_H

#include "generator/gen.h"

struct gen_alternate { int pc; int i, to; };

void gen_alternate_init(struct gen_alternate *c, int to);       /* to < INT_MAX */
struct gen_result gen_alternate_resume(struct gen_alternate *c);

#endif
