/* main-stackful.c: the sum on a ucontext coroutine, and the memory per coroutine. */
#include "generator/stackful.h"
#include "generator/sum.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum { DEMO_STACK_SIZE = 64 * 1024, DEMO_MANY = 10000 };

int main(void)
{
    int range[2] = { 1, 3 };
    struct gen_stackful *co = gen_stackful_new(gen_stackful_sum_body, range, DEMO_STACK_SIZE);
    if (co == NULL) {
        int err = errno;
        fprintf(stderr, "generator-stackful: cannot make a coroutine: %s\n", strerror(err));
        if (err == EINVAL)
            fprintf(stderr, "a stack needs at least %zu bytes here: raise DEMO_STACK_SIZE\n",
                    gen_stackful_min_stack());
        return 1;
    }
    printf("stackful sum(1, 3):");
    struct gen_result r;
    do {
        r = gen_stackful_resume(co);
        printf(" %s %ld", r.status == GEN_YIELDED ? "yielded" : "complete", r.value);
    } while (r.status == GEN_YIELDED);
    printf("\n");
    size_t stackless = sizeof(struct gen_sum);
    size_t stackful = gen_stackful_control_size() + DEMO_STACK_SIZE;
    printf("stackless: struct gen_sum               %6zu bytes\n", stackless);
    printf("stackful:  control block                %6zu bytes\n", gen_stackful_control_size());
    printf("           + stack allocated            %6d bytes\n", DEMO_STACK_SIZE);
    printf("           (in use at the deepest yield %6zu bytes, varies)\n",
           gen_stackful_stack_depth(co));
    printf("%d coroutines: %zu KiB stackless, %zu KiB stackful\n", DEMO_MANY,
           DEMO_MANY * stackless / 1024, DEMO_MANY * stackful / 1024);
    gen_stackful_free(co);
    return 0;
}
