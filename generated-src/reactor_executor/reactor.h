/* A reactor: a thread that waits on a Poll and sends ready tokens to a channel. */
#ifndef REACTOR_EXECUTOR_REACTOR_H
#define REACTOR_EXECUTOR_REACTOR_H

#include <stdint.h>

#include "reactor_executor/channel.h"

/* The token of the reactor's own wake-up eventfd; nobody else may use it. */
#define REACTOR_STOP_TOKEN UINT64_MAX

struct reactor;

/* Starts a thread that waits on a new Poll and sends the token of every ready
   source to `ready`. The thread closes `ready` when it ends, so the receiver
   learns that no more tokens will come. Returns 0 or -errno. */
int reactor_start(struct reactor **out, struct chan *ready);
/* Watches fd under token with poll_add's interest bits (POLL_READABLE, POLL_EDGE,
   ...). Any thread, also while the reactor waits. The caller keeps owning fd.
   Returns 0 or -errno; -EINVAL for REACTOR_STOP_TOKEN. */
int reactor_register(struct reactor *r, int fd, uint64_t token, uint32_t interest);
/* Stops watching fd. Needed before closing fd while the reactor goes on. A token
   sent before the call may still be in the channel: forget its callback too. */
int reactor_deregister(struct reactor *r, int fd);
/* Wakes the thread, joins it, closes the Poll and the eventfd, frees r.
   Returns 0, or the -errno that ended the thread early. NULL is fine. */
int reactor_stop(struct reactor *r);

#endif
