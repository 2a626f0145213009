/* borrow_index.h: gen_borrow with an index instead of a pointer: safe to move. */
#ifndef ANSWERS_BORROW_INDEX_H
#define ANSWERS_BORROW_INDEX_H

#include <stddef.h>

#include "generator/borrow.h"

struct gen_borrow_index {
    int pc;
    int count;                        /* letters yielded so far */
    char word[GEN_BORROW_MAX + 1];
    size_t at;                        /* the next letter's index into word */
};

void gen_borrow_index_init(struct gen_borrow_index *g, const char *word);

/* Yields the word's letters, then completes with their number. g may be moved or copied
   between resumes. */
struct gen_result gen_borrow_index_resume(struct gen_borrow_index *g);

#endif
