/* A multi-producer, single-consumer channel of 64-bit messages. */
#ifndef REACTOR_EXECUTOR_CHANNEL_H
#define REACTOR_EXECUTOR_CHANNEL_H

#include <stdint.h>

struct chan;                /* opaque: a growable queue, a mutex, a condition variable */

enum chan_status {
    CHAN_OK = 0,            /* a message was sent or received */
    CHAN_EMPTY,             /* try_recv only: nothing is queued right now */
    CHAN_CLOSED,            /* send: the channel is closed; recv: closed and drained */
    CHAN_NOMEM              /* send: the queue could not grow */
};

/* Creates an empty, open channel. Returns 0 or -errno (-ENOMEM). */
int chan_new(struct chan **out);
/* Appends msg. Never waits for the receiver (the queue grows). Any thread. */
enum chan_status chan_send(struct chan *c, uint64_t msg);
/* Takes the oldest message, sleeping while the channel is empty and open. */
enum chan_status chan_recv(struct chan *c, uint64_t *msg);
/* Like chan_recv, but returns CHAN_EMPTY instead of sleeping. */
enum chan_status chan_try_recv(struct chan *c, uint64_t *msg);
/* Refuses later sends and wakes a sleeping receiver. Messages already queued can
   still be received. Closing twice is harmless. Any thread. */
void chan_close(struct chan *c);
/* Frees the channel. No thread may be using it any more. NULL is fine. */
void chan_free(struct chan *c);

#endif
