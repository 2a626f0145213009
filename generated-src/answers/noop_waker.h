/* noop_waker.h: a waker that does nothing, for polling a future that nobody will wake. */
#ifndef ANSWERS_NOOP_WAKER_H
#define ANSWERS_NOOP_WAKER_H

#include "waker/waker.h"

/* The same handle every time; waking, cloning and dropping it have no effect. */
struct raw_waker noop_waker(void);

#endif
