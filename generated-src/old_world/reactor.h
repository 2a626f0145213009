/* reactor.h: a reactor thread that starts one timer thread per task, and the map of task
   states that tasks and timers share. */
#ifndef OLD_WORLD_REACTOR_H
#define OLD_WORLD_REACTOR_H

#include "old_world/future.h"
#include "waker/waker.h"

struct ow_reactor;

struct ow_reactor_stats {
    unsigned long timers_started;   /* timer threads created */
    unsigned long timers_joined;    /* timer threads joined */
};

/* Starts the reactor thread. Returns 0 or -errno. */
int ow_reactor_new(struct ow_reactor **out);

/* Stops the timers still waiting (they wake nobody), joins the reactor thread and every timer
   thread, drops the wakers the map still holds and frees r. If stats is not NULL it receives
   the final counts. r may be NULL. */
void ow_reactor_free(struct ow_reactor *r, struct ow_reactor_stats *stats);

/* For tasks. claim: 0, -EEXIST (a live task holds id) or -ENOMEM. poll_timer: the task's
   poll; starts the timer on the first call, keeps the newest waker, and on OW_READY stores
   the task's error (0 or -errno) in *err. unclaim: forget id, drop its waker. */
int ow_reactor_claim(struct ow_reactor *r, unsigned long id);
enum ow_poll ow_reactor_poll_timer(struct ow_reactor *r, unsigned long id, long ms,
                                   const struct raw_waker *waker, int *err);
void ow_reactor_unclaim(struct ow_reactor *r, unsigned long id);

/* Makes the timer of task id fire now (if it is waiting). For tests and demos. */
void ow_reactor_expire(struct ow_reactor *r, unsigned long id);

#endif
