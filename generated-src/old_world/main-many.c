/* main-many.c: N tasks of 200 ms at once, and the thread per timer that each one costs. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "old_world/all.h"
#include "old_world/block_on.h"
#include "old_world/clock.h"
#include "old_world/reactor.h"
#include "old_world/task.h"

static void many_report_failed_timers(const struct ow_task *tasks, size_t n)
{
    size_t failed = 0, first = 0;
    for (size_t i = n; i-- > 0;)
        if (tasks[i].err != 0) {
            failed++;
            first = i;
        }
    if (failed > 0)
        printf("%zu timers did not start (%s); fewer tasks, or raise the limit: ulimit -u\n",
               failed, strerror(-tasks[first].err));
}

static int many_run(struct ow_reactor *r, struct ow_task *tasks, struct ow_future **children,
                    size_t n)
{
    size_t made = 0;
    int rc = 0;
    while (made < n && (rc = ow_task_init(&tasks[made], r, made + 1, 200)) == 0) {
        children[made] = &tasks[made].future;
        made++;
    }
    if (rc == 0) {
        struct ow_all all;
        double start = ow_clock_seconds();
        ow_all_init(&all, children, n, OW_CONCURRENTLY, NULL, NULL);
        rc = ow_block_on(&all.future);
        if (rc == 0)
            printf("%zu tasks of 200 ms, concurrently: done in %.2f s\n", n,
                   ow_clock_seconds() - start);
        many_report_failed_timers(tasks, n);
    }
    if (rc != 0)
        fprintf(stderr, "old_world-many: %s\n", strerror(-rc));
    while (made > 0)
        ow_task_drop(&tasks[--made]);
    return rc;
}
int main(int argc, char **argv)
{
    char *end = NULL;
    long n = argc == 2 ? strtol(argv[1], &end, 10) : 500;
    if (argc > 2 || (end != NULL && (*end != '\0' || end == argv[1])) || n < 1 || n > 5000) {
        fputs("usage: old_world-many [N]   (N tasks from 1 to 5000; default 500)\n", stderr);
        return 2;
    }
    struct ow_task *tasks = calloc((size_t)n, sizeof *tasks);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, so sizeof a pointer */
    struct ow_future **children = calloc((size_t)n, sizeof *children);
    struct ow_reactor *r = NULL;
    int rc = tasks == NULL || children == NULL ? -ENOMEM : ow_reactor_new(&r);
    if (rc == 0)
        rc = many_run(r, tasks, children, (size_t)n);
    else
        fprintf(stderr, "old_world-many: cannot start: %s\n", strerror(-rc));
    struct ow_reactor_stats stats = { 0, 0 };
    ow_reactor_free(r, &stats);
    free(children);
    free(tasks);
    size_t stack = 0;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) == 0) {
        pthread_attr_getstacksize(&attr, &stack);
        pthread_attr_destroy(&attr);
    }
    printf("timer threads: %lu started (one per task), %lu joined\n", stats.timers_started,
           stats.timers_joined);
    printf("stack reserved for them: %lu x %zu KiB = %zu MiB\n", stats.timers_started,
           stack / 1024, stats.timers_started * (stack / 1024) / 1024);
    return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
