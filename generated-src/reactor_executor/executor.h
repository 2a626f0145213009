/* An executor: runs the callback registered for each token it receives. */
#ifndef REACTOR_EXECUTOR_EXECUTOR_H
#define REACTOR_EXECUTOR_EXECUTOR_H

#include <stddef.h>
#include <stdint.h>

#include "reactor_executor/channel.h"

/* What runs when `token` arrives; arg is the pointer given to executor_on. */
typedef void executor_callback(void *arg, uint64_t token);

struct executor;

/* Creates an executor with no callbacks. Returns 0 or -ENOMEM. */
int executor_new(struct executor **out);
/* From now on, runs cb(arg, token) whenever token arrives, replacing an earlier
   callback for token; cb == NULL forgets token. Call it on the executor's
   thread (callbacks may call it). Returns 0 or -ENOMEM. */
int executor_on(struct executor *ex, uint64_t token, executor_callback *cb, void *arg);
/* Receives tokens from `ready` and runs their callbacks one at a time, until the
   channel is closed and empty. Returns how many tokens had no callback. */
size_t executor_run(struct executor *ex, struct chan *ready);
/* Frees the executor (not the callbacks' args). NULL is fine. */
void executor_free(struct executor *ex);

#endif
