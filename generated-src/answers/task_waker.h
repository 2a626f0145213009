/* task_waker.h: a waker whose data is a task number, not a pointer to memory. The queue it
   pushes onto is this file's, so it must outlive every handle; one thread only. */
#ifndef ANSWERS_TASK_WAKER_H
#define ANSWERS_TASK_WAKER_H

#include <stdbool.h>

#include "waker/waker.h"

enum { TASK_WAKER_MAX = 64 };      /* task numbers are 0 .. TASK_WAKER_MAX - 1 */

/* A handle for task; clone and drop cost nothing. */
struct raw_waker task_waker(unsigned task);

/* Takes the task woken longest ago; false when none is waiting. A task woken twice before
   it is taken is queued once. */
bool task_waker_next(unsigned *task);

#endif
