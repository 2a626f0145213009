/* main-limits.c: the macro coroutine, and what breaking coro.h's rules does. */
#include "generator/count.h"
#include "generator/limits.h"

#include <stdio.h>

static void demo_run(const char *name, struct gen_result (*resume)(void *), void *state)
{
    printf("%-20s", name);
    for (int n = 0; n < 8; n++) {
        struct gen_result r = resume(state);
        if (r.status == GEN_COMPLETE) {
            printf(" complete %ld\n", r.value);
            return;
        }
        printf(" %ld", r.value);
    }
    printf(" ... (still yielding after 8 resumes)\n");
}

static struct gen_result demo_count(void *s) { return gen_count_resume(s); }
static struct gen_result demo_lost(void *s) { return gen_lost_local_resume(s); }
static struct gen_result demo_trap(void *s) { return gen_switch_trap_resume(s); }

int main(void)
{
    struct gen_count count;
    struct gen_lost_local lost = { .pc = 0, .from = 1, .to = 4 };
    struct gen_switch_trap trap = { .pc = 0, .to = 4 };

    gen_count_init(&count, 1, 4);
    demo_run("macros, 1..4:", demo_count, &count);
    demo_run("local i, 1..4:", demo_lost, &lost);
    demo_run("switch, 1 -2 3 -4:", demo_trap, &trap);
    return 0;
}
