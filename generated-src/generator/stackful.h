/* stackful.h: a stackful coroutine on ucontext; the body runs on a stack of its own. */
#ifndef GENERATOR_STACKFUL_H
#define GENERATOR_STACKFUL_H

#include <stddef.h>

#include "generator/gen.h"

struct gen_stackful;
typedef long gen_stackful_body(struct gen_stackful *self, void *arg);

/* The smallest stack_size gen_stackful_new accepts: room for a signal to be delivered while
   the body runs (SIGSTKSZ; 13504 bytes on the machine the book was built on). */
size_t gen_stackful_min_stack(void);

/* Makes a coroutine that will run body(self, arg) on a new stack of stack_size bytes.
   Nothing runs yet. Returns NULL with errno EINVAL if stack_size is below
   gen_stackful_min_stack(), and with errno ENOMEM if memory runs out. */
struct gen_stackful *gen_stackful_new(gen_stackful_body *body, void *arg, size_t stack_size);

/* Runs the body until it yields or returns. Once complete, returns the result again. */
struct gen_result gen_stackful_resume(struct gen_stackful *co);

/* Called from inside the body: stops it, and makes the current resume return value. */
void gen_stackful_yield(struct gen_stackful *co, long value);

/* Frees the coroutine and its stack. A body that has not finished is abandoned as it is. */
void gen_stackful_free(struct gen_stackful *co);

/* For measuring: bytes of the control block, and the most stack the body was using at any
   of its yields so far. */
size_t gen_stackful_control_size(void);
size_t gen_stackful_stack_depth(const struct gen_stackful *co);

/* The sum generator written as the plain loop it is; arg points to int[2] { from, to }. */
long gen_stackful_sum_body(struct gen_stackful *self, void *arg);

#endif
