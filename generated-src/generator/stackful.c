/* stackful.c: stackful coroutines with makecontext and swapcontext. */
#define _GNU_SOURCE   /* ucontext is not ISO C nor POSIX.1-2008: ask for it explicitly */
#include "generator/stackful.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

struct gen_stackful {
    ucontext_t self;      /* the body's registers and stack, while it is suspended */
    ucontext_t caller;    /* where the last resume came from: a yield returns there */
    gen_stackful_body *body;
    void *arg;
    struct gen_result last;  /* what the last yield or the return produced */
    unsigned char *stack;
    size_t stack_size;
    size_t deepest;          /* bytes of stack in use at the deepest yield so far */
};

static void gen_stackful_entry(unsigned hi, unsigned lo)
{
    uintptr_t bits = (uintptr_t)(((uint64_t)hi << 32) | lo);
    /* NOLINTNEXTLINE(performance-no-int-to-ptr): makecontext can pass only ints */
    struct gen_stackful *co = (struct gen_stackful *)bits;

    co->last = gen_complete(co->body(co, co->arg));
}

static int gen_stackful_prepare(struct gen_stackful *co)
{
    if (getcontext(&co->self) == -1)
        return -1;
    co->self.uc_stack.ss_sp = co->stack;
    co->self.uc_stack.ss_size = co->stack_size;
    co->self.uc_link = &co->caller;
    uint64_t bits = (uintptr_t)co;
    makecontext(&co->self, (void (*)(void))gen_stackful_entry, 2,
                (unsigned)(bits >> 32), (unsigned)(bits & 0xffffffffu));
    return 0;
}

size_t gen_stackful_min_stack(void)
{
    return (size_t)SIGSTKSZ;
}

struct gen_stackful *gen_stackful_new(gen_stackful_body *body, void *arg, size_t stack_size)
{
    if (stack_size < gen_stackful_min_stack()) {
        errno = EINVAL;
        return NULL;
    }
    struct gen_stackful *co = calloc(1, sizeof *co);
    if (co == NULL)
        return NULL;
    co->stack = malloc(stack_size);
    co->stack_size = stack_size;
    co->body = body;
    co->arg = arg;
    co->last = gen_yielded(0);
    if (co->stack == NULL || gen_stackful_prepare(co) == -1) {
        int saved = co->stack == NULL ? ENOMEM : errno;
        free(co->stack);
        free(co);
        errno = saved;
        return NULL;
    }
    return co;
}

static void gen_stackful_switch(ucontext_t *save, ucontext_t *to)
{
    if (swapcontext(save, to) == -1) {
        perror("gen_stackful: swapcontext");
        abort();
    }
}

struct gen_result gen_stackful_resume(struct gen_stackful *co)
{
    if (co->last.status == GEN_COMPLETE)
        return co->last;
    gen_stackful_switch(&co->caller, &co->self);
    return co->last;
}

void gen_stackful_yield(struct gen_stackful *co, long value)
{
    unsigned char here = 0;   /* a byte of this frame: it is on the coroutine's stack */

    uintptr_t top = (uintptr_t)(co->stack + co->stack_size), at = (uintptr_t)&here;
    if (at >= (uintptr_t)co->stack && at < top && top - at > co->deepest)
        co->deepest = top - at;
    co->last = gen_yielded(value);
    gen_stackful_switch(&co->self, &co->caller);
}

void gen_stackful_free(struct gen_stackful *co)
{
    if (co == NULL)
        return;
    free(co->stack);
    free(co);
}

size_t gen_stackful_control_size(void)
{
    return sizeof(struct gen_stackful);
}

size_t gen_stackful_stack_depth(const struct gen_stackful *co)
{
    return co->deepest;
}

long gen_stackful_sum_body(struct gen_stackful *self, void *arg)
{
    const int *range = arg;
    long total = 0;

    for (int i = range[0]; i <= range[1]; i++) {
        total += i;
        gen_stackful_yield(self, i);
    }
    return total;
}
