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
/* Says on stderr what failed and why (err is -errno), and exits. */
_Noreturn void bench_fail(const char *name, int err, const char *what);
/* Exits with a message naming what failed if err (0 or -errno) is an error. Inline, so that
   the static analysers see that the program does not go on after an error. */
static inline void bench_check(const char *name, int err, const char *what) {
    if (err < 0) bench_fail(name, err, what);
}
/* Seconds since start, by CLOCK_MONOTONIC. */
double bench_seconds(const struct timespec *start);
/* The process's peak resident memory in kB: VmHWM in /proc/self/status (proc(5)). */
long bench_peak_kb(void);

#endif
