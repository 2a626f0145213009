/* borrow_index.c: the self-referential generator, made position-independent. */
#include "answers/borrow_index.h"

#include <string.h>

#include "generator/coro.h"

void gen_borrow_index_init(struct gen_borrow_index *g, const char *word)
{
    memset(g, 0, sizeof *g);
    strncpy(g->word, word, GEN_BORROW_MAX);   /* word[GEN_BORROW_MAX] stays '\0' */
}

struct gen_result gen_borrow_index_resume(struct gen_borrow_index *g)
{
    CORO_BEGIN(g->pc);
    for (g->at = 0; g->word[g->at] != '\0'; g->at++) {
        g->count++;
        CORO_YIELD(g->pc, gen_yielded(g->word[g->at]));
    }
    CORO_END(g->pc, gen_complete(g->count));
}
