/* main-poll-timeout.c: the poll chapter's demo with --timeout SECONDS. */
#define _GNU_SOURCE                     /* as the demo defines it, before any header */
#include <stdio.h>
#include <string.h>

#include "poll/poll.h"
#include "preface/number.h"

static int quiet_seconds;               /* 0: no limit, wait for ever as the demo does */

/* The demo's wait, which passes -1: with the limit instead, and the silence reported. The
   demo's loop handles 0 events by waiting again. */
static int poll_wait_or_report_quiet(struct poll *p, struct poll_event *events, int max,
                                     int timeout_ms) {
    if (quiet_seconds > 0) timeout_ms = quiet_seconds * 1000;
    int n = poll_wait(p, events, max, timeout_ms);
    if (n == 0) printf("nothing for %d s\n", quiet_seconds);
    return n;
}

#define main poll_demo_main
#define poll_wait poll_wait_or_report_quiet
/* NOLINTNEXTLINE(bugprone-suspicious-include): the demo itself, with one call replaced */
#include "poll/main.c"
#undef poll_wait
#undef main

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--timeout") == 0) {
        long seconds = 0;
        if (argc < 3 || number_parse("poll", "SECONDS", argv[2], 1, 1000000, &seconds) < 0) {
            fprintf(stderr, "usage: poll [--timeout SECONDS] [NAMED-PIPE...]\n");
            return 2;
        }
        quiet_seconds = (int)seconds;
        argv[2] = argv[0];              /* the demo sees its name, then the pipes */
        argc -= 2;
        argv += 2;
    }
    return poll_demo_main(argc, argv);
}
