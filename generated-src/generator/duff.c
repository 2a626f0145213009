/* duff.c: a copy loop unrolled eight times; the switch jumps into its middle. */
#include "generator/duff.h"

void gen_duff_copy(char *dst, const char *src, size_t count)
{
    if (count == 0)
        return;
    size_t rounds = (count + 7) / 8;   /* passes through the loop, the first one partial */
    switch (count % 8) {
    case 0: do { *dst++ = *src++;      /* fall through */
    case 7:      *dst++ = *src++;      /* fall through */
    case 6:      *dst++ = *src++;      /* fall through */
    case 5:      *dst++ = *src++;      /* fall through */
    case 4:      *dst++ = *src++;      /* fall through */
    case 3:      *dst++ = *src++;      /* fall through */
    case 2:      *dst++ = *src++;      /* fall through */
    case 1:      *dst++ = *src++;
            } while (--rounds > 0);
    }
}
