#include "preface/countdown.h"

struct countdown countdown_new(int polls)
{
    struct countdown c = { polls > 0 ? polls : 1 };
    return c;
}

enum countdown_status countdown_poll(struct countdown *c)
{
    if (c->remaining > 0)
        c->remaining--;
    return c->remaining == 0 ? COUNTDOWN_READY : COUNTDOWN_PENDING;
}
