#define _POSIX_C_SOURCE 200809L
#include "old_world/clock.h"

static struct timespec ow_clock_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);   /* cannot fail for this clock id */
    return now;
}

struct timespec ow_clock_after(long ms)
{
    if (ms < 0)
        ms = 0;
    struct timespec t = ow_clock_now();
    t.tv_sec += ms / 1000;
    t.tv_nsec += (ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec += 1;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

bool ow_clock_passed(const struct timespec *deadline)
{
    struct timespec now = ow_clock_now();
    return now.tv_sec > deadline->tv_sec
        || (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

double ow_clock_seconds(void)
{
    struct timespec now = ow_clock_now();
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}
