/* duff.h: Duff's device, the trick that switch-based coroutines are built on. */
#ifndef GENERATOR_DUFF_H
#define GENERATOR_DUFF_H

#include <stddef.h>

/* Copies count bytes from src to dst (like memcpy; the areas must not overlap). */
void gen_duff_copy(char *dst, const char *src, size_t count);

#endif
