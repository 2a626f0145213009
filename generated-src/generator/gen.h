/* gen.h: what one resume of a generator returns. */
#ifndef GENERATOR_GEN_H
#define GENERATOR_GEN_H

#include <limits.h>

_Static_assert(LONG_MAX >= 0x7fffffffffffffff, "gen_result's value needs a 64-bit long");

enum gen_status {
    GEN_YIELDED,   /* stopped at a yield: resume again for more (a future: pending) */
    GEN_COMPLETE   /* ran to its end: value is the result (a future: ready) */
};

struct gen_result {
    enum gen_status status;
    long value;
};

static inline struct gen_result gen_yielded(long value)
{
    return (struct gen_result){ GEN_YIELDED, value };
}

static inline struct gen_result gen_complete(long value)
{
    return (struct gen_result){ GEN_COMPLETE, value };
}

#endif
