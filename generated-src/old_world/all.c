#include "old_world/all.h"

static enum ow_poll ow_all_poll(struct ow_future *self, const struct raw_waker *waker)
{
    struct ow_all *a = (struct ow_all *)self;
    for (size_t i = 0; i < a->n; i++) {
        struct ow_future *child = a->children[i];
        if (child == NULL)
            continue;
        if (child->poll(child, waker) == OW_READY) {
            a->children[i] = NULL;
            a->finished++;
            if (a->on_ready != NULL)
                a->on_ready(i, a->arg);
        } else if (a->mode == OW_ONE_AFTER_ANOTHER) {
            return OW_PENDING;      /* the next child is not even started */
        }
    }
    return a->finished == a->n ? OW_READY : OW_PENDING;
}

void ow_all_init(struct ow_all *a, struct ow_future **children, size_t n,
                 enum ow_all_mode mode, void (*on_ready)(size_t index, void *arg), void *arg)
{
    *a = (struct ow_all){ .future = { ow_all_poll }, .children = children, .n = n,
                          .mode = mode, .on_ready = on_ready, .arg = arg };
}
