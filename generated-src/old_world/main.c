/* main.c: two tasks of 1 s and 2 s, awaited one after the other and then concurrently. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "old_world/all.h"
#include "old_world/block_on.h"
#include "old_world/clock.h"
#include "old_world/reactor.h"
#include "old_world/task.h"

struct demo_run {
    struct ow_task *tasks;
    double start;
};

static void demo_report(size_t i, void *arg)
{
    struct demo_run *run = arg;
    struct ow_task *t = &run->tasks[i];
    if (t->err != 0)
        printf("  task %lu: its timer did not start: %s\n", t->id, strerror(-t->err));
    else
        printf("  task %lu (%ld ms) finished at %.2f s\n", t->id, t->ms,
               ow_clock_seconds() - run->start);
}
static int demo_run_two(struct ow_reactor *r, enum ow_all_mode mode, unsigned long first_id,
                        const long ms[2])
{
    struct ow_task tasks[2];
    int rc = ow_task_init(&tasks[0], r, first_id, ms[0]);
    if (rc == 0 && (rc = ow_task_init(&tasks[1], r, first_id + 1, ms[1])) != 0)
        ow_task_drop(&tasks[0]);
    if (rc != 0) {
        fprintf(stderr, "old_world: cannot make a task: %s\n", strerror(-rc));
        return rc;
    }
    struct ow_future *children[2] = { &tasks[0].future, &tasks[1].future };
    struct demo_run run = { tasks, ow_clock_seconds() };
    struct ow_all all;
    ow_all_init(&all, children, 2, mode, demo_report, &run);
    rc = ow_block_on(&all.future);
    if (rc == 0)
        printf("  total: %.2f s\n", ow_clock_seconds() - run.start);
    else
        fprintf(stderr, "old_world: cannot run the tasks: %s\n", strerror(-rc));
    ow_task_drop(&tasks[1]);
    ow_task_drop(&tasks[0]);
    return rc;
}
static int demo_read_ms(const char *text, long *ms)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0 || v > 60000) {
        fprintf(stderr, "old_world: '%s' is not a duration; give milliseconds from 0 to 60000,"
                " e.g.: old_world 1000 2000\n", text);
        return -1;
    }
    *ms = v;
    return 0;
}
int main(int argc, char **argv)
{
    long ms[2] = { 1000, 2000 };
    if (argc != 1 && argc != 3) {
        fputs("usage: old_world [MS1 MS2]   (two task durations; default 1000 2000)\n", stderr);
        return 2;
    }
    if (argc == 3 && (demo_read_ms(argv[1], &ms[0]) != 0 || demo_read_ms(argv[2], &ms[1]) != 0))
        return 2;
    setvbuf(stdout, NULL, _IOLBF, 0);    /* show each line as it happens, even in a pipe */
    struct ow_reactor *r;
    int rc = ow_reactor_new(&r);
    if (rc != 0) {
        fprintf(stderr, "old_world: cannot start the reactor: %s\n", strerror(-rc));
        return EXIT_FAILURE;
    }
    puts("one after the other:");
    rc = demo_run_two(r, OW_ONE_AFTER_ANOTHER, 1, ms);
    if (rc == 0) {
        puts("concurrently:");
        rc = demo_run_two(r, OW_CONCURRENTLY, 3, ms);
    }
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);
    printf("threads: 1 reactor and %lu timers started, %lu timers joined\n",
           stats.timers_started, stats.timers_joined);
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
