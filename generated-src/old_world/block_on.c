#include <errno.h>
#include <stdlib.h>
#include "old_world/block_on.h"
#include "old_world/parker.h"
#include "waker/rc_waker.h"

static void ow_block_on_unpark(void *arg)
{
    ow_parker_unpark(arg);
}

static void ow_block_on_free_parker(void *arg)
{
    ow_parker_destroy(arg);
    free(arg);
}

int ow_block_on(struct ow_future *f)
{
    struct ow_parker *parker = malloc(sizeof *parker);
    if (parker == NULL)
        return -ENOMEM;
    int rc = ow_parker_init(parker);
    if (rc != 0) {
        free(parker);
        return rc;
    }
    struct raw_waker waker = rc_waker_new(ow_block_on_unpark, parker, ow_block_on_free_parker);
    while (f->poll(f, &waker) == OW_PENDING)
        ow_parker_park(parker);
    waker_drop(waker);   /* the parker goes with the last reference, maybe not this one */
    return 0;
}
