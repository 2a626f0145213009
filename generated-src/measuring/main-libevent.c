/* main-libevent.c: the ring on libevent, one persistent read event for each pipe. */
#include <errno.h>
#include <stdlib.h>
#include <event2/event.h>
#include "measuring/ring.h"

struct event_hop { struct event *event; struct event_base *base; struct ring *ring; long i; };

static void event_hop_readable(evutil_socket_t fd, short what, void *arg) {
    struct event_hop *h = arg;
    (void)fd, (void)what;
    ring_pass(h->ring, h->i);
    if (ring_done(h->ring)) event_base_loopbreak(h->base);
}

int main(int argc, char **argv) {
    struct ring ring;
    if (ring_open(&ring, argc, argv) < 0) return 2;
    struct event_base *base = event_base_new();
    ring_check(&ring, base ? 0 : -ENOMEM, "event_base_new");
    struct event_hop *hops = calloc((size_t)ring.pipes, sizeof *hops);
    ring_check(&ring, hops ? 0 : -ENOMEM, "calloc");
    for (long i = 0; i < ring.pipes; i++) {
        /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): ring_check exits if hops is NULL */
        hops[i] = (struct event_hop){NULL, base, &ring, i};
        hops[i].event = event_new(base, ring.fds[i][0], EV_READ | EV_PERSIST,
                                  event_hop_readable, &hops[i]);
        ring_check(&ring, hops[i].event ? 0 : -ENOMEM, "event_new");
        ring_check(&ring, event_add(hops[i].event, NULL) == 0 ? 0 : -EINVAL, "event_add");
    }
    ring_start(&ring);
    ring_check(&ring, event_base_dispatch(base) < 0 ? -EIO : 0, "event_base_dispatch");
    int status = ring_finish(&ring);
    /* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): ring_check exits if hops is NULL */
    for (long i = 0; i < ring.pipes; i++) event_free(hops[i].event);
    event_base_free(base);
    libevent_global_shutdown();
    free(hops);
    ring_close(&ring);
    return status;
}
