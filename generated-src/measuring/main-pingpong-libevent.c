/* main-pingpong-libevent.c: ping-pong on libevent, one persistent read event for each end. */
#include <errno.h>
#include <stdlib.h>
#include <event2/event.h>
#include "measuring/bench.h"
#include "measuring/pingpong.h"

struct event_end { struct event *event; struct event_base *base; struct pingpong *pp; long end; };

static void event_end_readable(evutil_socket_t fd, short what, void *arg) {
    struct event_end *e = arg;
    (void)fd, (void)what;
    if (!pingpong_end_done(e->pp, e->end)) pingpong_step(e->pp, e->end);
    if (pingpong_done(e->pp)) event_base_loopbreak(e->base);
}

int main(int argc, char **argv) {
    struct pingpong pp;
    if (pingpong_open(&pp, argc, argv) < 0) return 2;
    struct event_base *base = event_base_new();
    bench_check(pp.name, base ? 0 : -ENOMEM, "event_base_new");
    struct event_end *ends = calloc((size_t)pp.pairs * 2, sizeof *ends);
    bench_check(pp.name, ends ? 0 : -ENOMEM, "calloc");
    for (long end = 0; end < 2 * pp.pairs; end++) {
        ends[end] = (struct event_end){NULL, base, &pp, end};
        ends[end].event = event_new(base, pingpong_fd(&pp, end), EV_READ | EV_PERSIST,
                                    event_end_readable, &ends[end]);
        bench_check(pp.name, ends[end].event ? 0 : -ENOMEM, "event_new");
        bench_check(pp.name, event_add(ends[end].event, NULL) == 0 ? 0 : -EINVAL, "event_add");
    }
    pingpong_start(&pp);
    bench_check(pp.name, event_base_dispatch(base) < 0 ? -EIO : 0, "event_base_dispatch");
    int status = pingpong_finish(&pp);
    for (long end = 0; end < 2 * pp.pairs; end++) event_free(ends[end].event);
    event_base_free(base);
    libevent_global_shutdown();
    free(ends);
    pingpong_close(&pp);
    return status;
}
