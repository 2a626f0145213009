/* parker.h: put a thread to sleep until another thread unparks it; an unpark that comes
   before the park is remembered, not lost. */
#ifndef OLD_WORLD_PARKER_H
#define OLD_WORLD_PARKER_H

#include <pthread.h>
#include <stdbool.h>

struct ow_parker {
    pthread_mutex_t mutex;
    pthread_cond_t cond;       /* on CLOCK_MONOTONIC, for ow_parker_park_for */
    bool notified;             /* unparked, and no park has consumed it yet */
};

int  ow_parker_init(struct ow_parker *p);      /* 0 or -errno */
void ow_parker_destroy(struct ow_parker *p);
void ow_parker_park(struct ow_parker *p);      /* until notified; clears it */
bool ow_parker_park_for(struct ow_parker *p, long ms);   /* false if ms (< 0: 0) passed */
void ow_parker_unpark(struct ow_parker *p);    /* from any thread */

#endif
