/* borrow.h: a generator that keeps a pointer into itself across a yield. */
#ifndef GENERATOR_BORROW_H
#define GENERATOR_BORROW_H

#include "generator/gen.h"

enum { GEN_BORROW_MAX = 15 };   /* longest word kept; longer ones are cut */

struct gen_borrow {
    int pc;
    int count;                         /* letters yielded so far */
    char word[GEN_BORROW_MAX + 1];
    const char *cursor;                /* points into word, from the first resume on */
};

/* Copies word into the generator. Nothing points into it yet: it may be moved freely. */
void gen_borrow_init(struct gen_borrow *g, const char *word);

/* Yields the word's letters, then completes with how many there were.
   After the first resume g points into itself: it must not be moved or copied. */
struct gen_result gen_borrow_resume(struct gen_borrow *g);

#endif
