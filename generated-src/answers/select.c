/* select.c: the first child to be ready wins. */
#include "answers/select.h"

static enum ow_poll ow_select_poll(struct ow_future *self, const struct raw_waker *waker)
{
    struct ow_select *s = (struct ow_select *)self;
    for (size_t i = 0; !s->done && i < s->n; i++) {
        if (s->children[i]->poll(s->children[i], waker) == OW_READY) {
            s->winner = i;
            s->done = 1;
        }
    }
    return s->done ? OW_READY : OW_PENDING;
}

void ow_select_init(struct ow_select *s, struct ow_future **children, size_t n)
{
    *s = (struct ow_select){ .future = { ow_select_poll }, .children = children, .n = n };
}
