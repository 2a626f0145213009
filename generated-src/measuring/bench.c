/* bench.c: arguments, limits, clock and memory for the benchmarks. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "measuring/bench.h"

const char *bench_name(int argc, char **argv) {
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
    return argc == 0 ? "measuring" : slash ? slash + 1 : argv[0];
}

long bench_number(const char *name, const char *what, const char *text, long max) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);    /* which would skip spaces and take a sign: digits only */
    if (isdigit((unsigned char)text[0]) && errno == 0 && *end == '\0' && v >= 1 && v <= max)
        return v;
    fprintf(stderr, "%s: %s must be a whole number from 1 to %ld, not \"%s\"\n",
            name, what, max, text);
    return -1;
}

int bench_descriptors(const char *name, long need, const char *what) {
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= (rlim_t)need) return 0;
    if (lim.rlim_max >= (rlim_t)need) lim.rlim_cur = (rlim_t)need;
    if (lim.rlim_cur >= (rlim_t)need && setrlimit(RLIMIT_NOFILE, &lim) == 0) return 0;
    fprintf(stderr, "%s: %s need %ld descriptors, but this process may open only %lu; "
            "ask for fewer or raise the limit (ulimit -n)\n", name, what, need,
            (unsigned long)lim.rlim_max);
    return -1;
}

void bench_fail(const char *name, int err, const char *what) {
    fprintf(stderr, "%s: %s failed: %s\n", name, what, strerror(-err));
    exit(EXIT_FAILURE);
}

double bench_seconds(const struct timespec *start) {
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    return (double)(end.tv_sec - start->tv_sec) + (double)(end.tv_nsec - start->tv_nsec) / 1e9;
}

long bench_peak_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);    /* "VmHWM:     1348 kB" */
            break;
        }
    if (f) fclose(f);
    return kb;
}
