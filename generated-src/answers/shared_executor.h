/* shared_executor.h: the future chapter's executor, with wakers that any thread may call. */
#ifndef ANSWERS_SHARED_EXECUTOR_H
#define ANSWERS_SHARED_EXECUTOR_H

#include <stddef.h>
#include "future/future.h"

struct shared_executor;

/* Registers an eventfd with r, which must outlive the executor. NULL: errno says why. */
struct shared_executor *shared_executor_new(struct reactor *r);
/* As executor_spawn: copies the future into a task that never moves. 0 or -ENOMEM. */
int shared_executor_spawn(struct shared_executor *ex, const struct future *f, size_t size);
/* Polls tasks on the calling thread until every one is ready; their wakers may be called,
   cloned and dropped on any thread. 0 or -errno. */
int shared_executor_run(struct shared_executor *ex);
void shared_executor_free(struct shared_executor *ex);   /* drops unfinished tasks */

#endif
