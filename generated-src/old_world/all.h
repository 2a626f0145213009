/* all.h: a future that is ready when all of its children are. */
#ifndef OLD_WORLD_ALL_H
#define OLD_WORLD_ALL_H

#include <stddef.h>
#include "old_world/future.h"

enum ow_all_mode { OW_ONE_AFTER_ANOTHER, OW_CONCURRENTLY };

struct ow_all {
    struct ow_future future;
    struct ow_future **children;    /* the caller's array; a finished child's slot is NULLed */
    size_t n, finished;
    enum ow_all_mode mode;
    void (*on_ready)(size_t index, void *arg);   /* once per child, may be NULL */
    void *arg;
};

void ow_all_init(struct ow_all *a, struct ow_future **children, size_t n,
                 enum ow_all_mode mode, void (*on_ready)(size_t index, void *arg), void *arg);

#endif
