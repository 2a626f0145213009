/* tasks.c: arguments and the report of the executor workload. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include "measuring/bench.h"
#include "measuring/tasks.h"

int tasks_open(struct tasks *t, int argc, char **argv) {
    *t = (struct tasks){.name = bench_name(argc, argv)};
    if (argc != 2) {
        fprintf(stderr, "usage: %s TASKS\nspawns TASKS tasks that each wake themselves once; "
                "e.g. %s 1000000\n", t->name, t->name);
        return -1;
    }
    if ((t->tasks = bench_number(t->name, "TASKS", argv[1], 100000000)) < 0) return -1;
    clock_gettime(CLOCK_MONOTONIC, &t->start);
    return 0;
}

int tasks_finish(struct tasks *t) {
    double s = bench_seconds(&t->start);
    if (t->polls != 2 * t->tasks || t->finished != t->tasks) {
        fprintf(stderr, "%s: %ld polls and %ld finished, for %ld tasks\n", t->name, t->polls,
                t->finished, t->tasks);
        return EXIT_FAILURE;
    }
    printf("%s: %ld tasks: %ld polls, %ld finished in %.3f s: %.0f ns per task; peak %ld kB\n",
           t->name, t->tasks, t->polls, t->finished, s, s * 1e9 / (double)t->tasks,
           bench_peak_kb());
    return EXIT_SUCCESS;
}
