/* main-overflow.c: a coroutine stack from mmap with an inaccessible guard page below it. A
   body that recurses without end runs into the guard, and the program dies with SIGSEGV. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

enum { OVERFLOW_STACK_SIZE = 64 * 1024 };

static ucontext_t overflow_caller, overflow_body_context;
static volatile unsigned long overflow_limit = ULONG_MAX;   /* never reached */

static unsigned char *overflow_stack_new(size_t size, size_t page)
{
    unsigned char *base = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    if (mprotect(base, page, PROT_NONE) == -1) {
        munmap(base, size + page);
        return NULL;
    }
    return base + page;
}

/* NOLINTNEXTLINE(misc-no-recursion): running into the guard page is the program's purpose */
static unsigned long overflow_recurse(unsigned long depth)
{
    volatile unsigned char frame[256];
    frame[0] = (unsigned char)depth;
    if (depth >= overflow_limit)
        return 0;
    return overflow_recurse(depth + 1) + frame[0];
}

static void overflow_body(void)
{
    printf("reached depth %lu\n", overflow_recurse(0));
}

int main(void)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *stack = overflow_stack_new(OVERFLOW_STACK_SIZE, page);
    if (stack == NULL || getcontext(&overflow_body_context) == -1) {
        perror("answers-overflow");
        return 1;
    }
    overflow_body_context.uc_stack.ss_sp = stack;
    overflow_body_context.uc_stack.ss_size = OVERFLOW_STACK_SIZE;
    overflow_body_context.uc_link = &overflow_caller;
    makecontext(&overflow_body_context, overflow_body, 0);
    printf("recursing on a %d KiB stack with a guard page below it\n", OVERFLOW_STACK_SIZE / 1024);
    fflush(stdout);
    swapcontext(&overflow_caller, &overflow_body_context);
    printf("the body returned: the guard page did not stop it\n");
    return 1;
}
