/* main-swap.c: swap two started self-referential generators; each reads the other. */
#include "generator/borrow.h"

#include <stdbool.h>
#include <stdio.h>

static bool demo_points_into(const char *p, const struct gen_borrow *g)
{
    for (size_t k = 0; k < sizeof g->word; k++)
        if (p == &g->word[k])
            return true;
    return false;
}

static void demo_rest(const char *name, struct gen_borrow *g)
{
    struct gen_result r;
    printf("%s:", name);
    while ((r = gen_borrow_resume(g)).status == GEN_YIELDED)
        printf(" %c", (char)r.value);
    printf(" (complete %ld)\n", r.value);
}

int main(void)
{
    struct gen_borrow first, second, tmp;

    gen_borrow_init(&first, "apple");
    gen_borrow_init(&second, "melon");
    tmp = first; first = second; second = tmp;          /* not started yet: fine */
    printf("swapped before starting\n");
    demo_rest("  first ", &first);
    demo_rest("  second", &second);

    gen_borrow_init(&first, "apple");
    gen_borrow_init(&second, "melon");
    printf("started: first yields %c,", (char)gen_borrow_resume(&first).value);
    printf(" second yields %c\n", (char)gen_borrow_resume(&second).value);
    tmp = first; first = second; second = tmp;          /* started: the cursors go stale */
    printf("swapped after starting; first holds \"%s\", second holds \"%s\"\n",
           first.word, second.word);
    printf("  first.cursor points into %s\n",
           demo_points_into(first.cursor, &second) ? "second" : "first");
    demo_rest("  first ", &first);
    demo_rest("  second", &second);
    return 0;
}
