/* bounded_chan.h: the reactor chapter's channel with a capacity: a send waits while the
   channel is full. Multi-producer, single-consumer, 64-bit messages. */
#ifndef ANSWERS_BOUNDED_CHAN_H
#define ANSWERS_BOUNDED_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "reactor_executor/channel.h"   /* enum chan_status */

struct bchan;

/* Creates an empty, open channel that holds at most capacity messages. Returns 0, -EINVAL
   for a capacity of 0, or -ENOMEM. */
int bchan_new(struct bchan **out, size_t capacity);
/* Appends msg, sleeping while the channel is full and open. CHAN_OK or CHAN_CLOSED. */
enum chan_status bchan_send(struct bchan *c, uint64_t msg);
/* Takes the oldest message, sleeping while the channel is empty and open. CHAN_OK, or
   CHAN_CLOSED once it is closed and drained. */
enum chan_status bchan_recv(struct bchan *c, uint64_t *msg);
/* Refuses later sends and wakes every sleeper, senders included. Any thread. */
void bchan_close(struct bchan *c);
/* Frees the channel; no thread may be using it. NULL is fine. */
void bchan_free(struct bchan *c);

#endif
