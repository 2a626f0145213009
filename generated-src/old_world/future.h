/* future.h: the smallest future interface, just a poll function. */
#ifndef OLD_WORLD_FUTURE_H
#define OLD_WORLD_FUTURE_H

#include "waker/waker.h"

enum ow_poll { OW_PENDING, OW_READY };

/* Concrete futures embed this as their first member. poll borrows waker: clone it to keep
   it. After OW_READY the result is read from the concrete future. */
struct ow_future {
    enum ow_poll (*poll)(struct ow_future *self, const struct raw_waker *waker);
};

#endif
