/* main.c: two hand-written generators driven like two futures on one thread. */
#include "generator/sum.h"

#include <stdio.h>

enum demo_poll { DEMO_PENDING, DEMO_READY };

/* A generator seen as a future: yielded means pending, complete means ready(value). */
static enum demo_poll demo_poll_sum(struct gen_sum *g, long *ready_value)
{
    struct gen_result r = gen_sum_resume(g);
    printf("%-8s %-3ld -> ", r.status == GEN_YIELDED ? "yielded" : "complete", r.value);
    if (r.status == GEN_YIELDED)
        return DEMO_PENDING;
    *ready_value = r.value;
    return DEMO_READY;
}

int main(void)
{
    struct gen_sum tasks[2];
    const char *names[2] = { "a", "b" };
    int finished[2] = { 0, 0 }, left = 2;

    gen_sum_init(&tasks[0], 1, 3);
    gen_sum_init(&tasks[1], 10, 11);
    while (left > 0) {
        for (int t = 0; t < 2; t++) {
            long result;
            if (finished[t])
                continue;
            printf("resume %s: ", names[t]);
            if (demo_poll_sum(&tasks[t], &result) == DEMO_PENDING) {
                printf("pending\n");
            } else {
                printf("ready(%ld)\n", result);
                finished[t] = 1;
                left--;
            }
        }
    }
    printf("sizeof(struct gen_sum) = %zu bytes\n", sizeof(struct gen_sum));
    return 0;
}
