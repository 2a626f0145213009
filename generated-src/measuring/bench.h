/* bench.h: what the ping-pong, fan-in and executor benchmarks share: their arguments, the
   descriptor limit, the clock, the peak memory, and failing loudly. */
#ifndef MEASURING_BENCH_H
#define MEASURING_BENCH_H

#include <time.h>

/* argv[0] after its last slash. */
const char *bench_name(int argc, char **argv);
/* A whole number from 1 to max, or -1 after saying on stderr what is wrong with text. */
long bench_number(const char *name, const char *what, const char *text, long max);
/* Raises the soft descriptor limit to need, or says what to do and returns -1. */
int bench_descriptors(const char *name, long need, const char *what);
/* Exits with a message naming what failed if err (0 or -errno) is an error. */
void bench_check(const char *name, int err, const char *what);
/* Seconds since start, by CLOCK_MONOTONIC. */
double bench_seconds(const struct timespec *start);
/* The process's peak resident memory in kB: VmHWM in /proc/self/status (proc(5)). */
long bench_peak_kb(void);

#endif
