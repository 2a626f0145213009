/* borrow.c: the self-referential generator. */
#include "generator/borrow.h"

#include "generator/coro.h"

#include <string.h>

void gen_borrow_init(struct gen_borrow *g, const char *word)
{
    memset(g, 0, sizeof *g);
    strncpy(g->word, word, GEN_BORROW_MAX);   /* word[GEN_BORROW_MAX] stays '\0' */
}

struct gen_result gen_borrow_resume(struct gen_borrow *g)
{
    CORO_BEGIN(g->pc);
    for (g->cursor = g->word; *g->cursor != '\0'; g->cursor++) {
        g->count++;
        CORO_YIELD(g->pc, gen_yielded(*g->cursor));
    }
    CORO_END(g->pc, gen_complete(g->count));
}
