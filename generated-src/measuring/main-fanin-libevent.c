/* main-fanin-libevent.c: fan-in on libevent, one persistent read event for each reader. */
#include <errno.h>
#include <stdlib.h>
#include <event2/event.h>
#include "measuring/bench.h"
#include "measuring/fanin.h"

struct event_reader { struct event *event; struct fanin *fi; long i; };

static void event_reader_readable(evutil_socket_t fd, short what, void *arg) {
    struct event_reader *r = arg;
    (void)fd, (void)what;
    fanin_read(r->fi, r->i);
    if (fanin_reader_done(r->fi, r->i)) event_del(r->event);
}

int main(int argc, char **argv) {
    struct fanin fi;
    if (fanin_open(&fi, argc, argv) < 0) return 2;
    struct event_base *base = event_base_new();
    bench_check(fi.name, base ? 0 : -ENOMEM, "event_base_new");
    struct event_reader *readers = calloc((size_t)fi.readers, sizeof *readers);
    bench_check(fi.name, readers ? 0 : -ENOMEM, "calloc");
    for (long i = 0; i < fi.readers; i++) {
        readers[i] = (struct event_reader){NULL, &fi, i};
        readers[i].event = event_new(base, fi.fds[i], EV_READ | EV_PERSIST,
                                     event_reader_readable, &readers[i]);
        bench_check(fi.name, readers[i].event ? 0 : -ENOMEM, "event_new");
        bench_check(fi.name, event_add(readers[i].event, NULL) == 0 ? 0 : -EINVAL, "event_add");
    }
    fanin_start(&fi);
    /* returns when no event is left */
    bench_check(fi.name, event_base_dispatch(base) < 0 ? -EIO : 0, "event_base_dispatch");
    int status = fanin_finish(&fi);
    for (long i = 0; i < fi.readers; i++) event_free(readers[i].event);
    event_base_free(base);
    libevent_global_shutdown();
    free(readers);
    fanin_close(&fi);
    return status;
}
