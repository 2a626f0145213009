/* combinators.c: then and join, written as state machines. */
#include "future/combinators.h"

static struct future_result future_then_poll(struct future *self, struct future_context *cx) {
    struct future_then *f = (struct future_then *)self;
    struct future_result r;
    switch (f->state) {
    case THEN_FIRST:
        r = future_poll(f->first, cx);
        if (r.status == FUTURE_PENDING)
            return r;
        f->first_output = r.output;
        f->state = THEN_SECOND;
        /* fall through */
    case THEN_SECOND:
        r = future_poll(f->second, cx);
        if (r.status == FUTURE_READY)
            f->state = THEN_DONE;
        return r;
    case THEN_DONE:
        break;
    }
    return future_ready(NULL);      /* polled after it was ready: no output */
}

static void future_then_drop(struct future *self) {
    struct future_then *f = (struct future_then *)self;
    future_drop(f->first);
    future_drop(f->second);
}

void future_then_init(struct future_then *f, struct future *first, struct future *second) {
    static const struct future_vtable vtable = {future_then_poll, future_then_drop};
    *f = (struct future_then){{&vtable}, THEN_FIRST, first, second, NULL};
}

static struct future_result future_join_poll(struct future *self, struct future_context *cx) {
    struct future_join *f = (struct future_join *)self;
    for (size_t i = 0; i < f->count; i++) {
        struct future_join_slot *s = &f->slots[i];
        if (s->done)
            continue;
        struct future_result r = future_poll(s->future, cx);
        if (r.status == FUTURE_READY) {
            s->output = r.output;
            s->done = true;
            f->left--;
        }
    }
    return f->left == 0 ? future_ready(f->slots) : future_pending();
}

static void future_join_drop(struct future *self) {
    struct future_join *f = (struct future_join *)self;
    for (size_t i = 0; i < f->count; i++)
        future_drop(f->slots[i].future);
}

void future_join_init(struct future_join *f, struct future_join_slot *slots, size_t count) {
    static const struct future_vtable vtable = {future_join_poll, future_join_drop};
    for (size_t i = 0; i < count; i++)
        slots[i] = (struct future_join_slot){slots[i].future, NULL, false};
    *f = (struct future_join){{&vtable}, slots, count, count};
}
