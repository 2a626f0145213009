/* tasks.h: the executor workload. TASKS tasks are spawned; each, polled the first time,
   wakes itself and waits; polled again, it finishes. */
#ifndef MEASURING_TASKS_H
#define MEASURING_TASKS_H

#include <time.h>

/* Tokio's program (tokio/src/main.rs) repeats this layout: change both. */
struct tasks {
    const char *name;
    long tasks, polls, finished;        /* TASKS; polls made and tasks finished so far */
    struct timespec start;
};

/* Parses "TASKS" and starts the clock (spawning is part of the time). On bad arguments
   prints what to do and returns -1; the program should exit with status 2. */
int tasks_open(struct tasks *t, int argc, char **argv);
/* A task's work, counted: returns 0 the first time (the caller must wake the task and
   return pending) and 1 the second (the task is finished). */
static inline int tasks_poll(struct tasks *t, int polled_before) {
    t->polls++;
    t->finished += polled_before;
    return polled_before;
}
/* Stops the clock, checks every task was polled twice and finished, reports with the peak
   memory. Returns the program's exit status. */
int tasks_finish(struct tasks *t);

#endif
