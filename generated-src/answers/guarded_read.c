/* guarded_read.c: check the guard, then poll the ReadNChars. */
#include "answers/guarded_read.h"

static struct future_result guarded_read_poll(struct future *self, struct future_context *cx)
{
    struct guarded_read *g = (struct guarded_read *)self;
    pin_guard_check(&g->guard, "ReadNChars");
    return future_poll(&g->read.base, cx);
}

static void guarded_read_drop(struct future *self)
{
    future_drop(&((struct guarded_read *)self)->read.base);
}

void guarded_read_init(struct guarded_read *g, struct reactor *r, int fd, char *buf, size_t n)
{
    static const struct future_vtable vtable = { guarded_read_poll, guarded_read_drop };
    g->base.vtable = &vtable;
    g->guard = (struct pin_guard)PIN_GUARD_INIT;
    read_n_chars_init(&g->read, r, fd, buf, n);
}
