/* block_on.h: the executor of the old world. */
#ifndef OLD_WORLD_BLOCK_ON_H
#define OLD_WORLD_BLOCK_ON_H

#include "old_world/future.h"

/* Polls f on the calling thread until it is ready, parking the thread in between. Returns 0,
   or -errno if the parker could not be made (then f was never polled). */
int ow_block_on(struct ow_future *f);

#endif
