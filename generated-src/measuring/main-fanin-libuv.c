/* main-fanin-libuv.c: fan-in on libuv, one uv_poll_t for each reader. */
#define _POSIX_C_SOURCE 200809L         /* uv.h uses POSIX 2008 thread types */
#include <errno.h>
#include <stdlib.h>
#include <uv.h>
#include "measuring/bench.h"
#include "measuring/fanin.h"

struct uv_reader { uv_poll_t poll; struct fanin *fi; long i; };

static void uv_reader_readable(uv_poll_t *poll, int status, int events) {
    struct uv_reader *r = (struct uv_reader *)poll;
    (void)events;
    bench_check(r->fi->name, status, "uv_poll");
    fanin_read(r->fi, r->i);
    if (fanin_reader_done(r->fi, r->i)) uv_close((uv_handle_t *)poll, NULL);
}

int main(int argc, char **argv) {
    struct fanin fi;
    if (fanin_open(&fi, argc, argv) < 0) return 2;
    uv_loop_t loop;
    bench_check(fi.name, uv_loop_init(&loop), "uv_loop_init");
    struct uv_reader *readers = calloc((size_t)fi.readers, sizeof *readers);
    bench_check(fi.name, readers ? 0 : -ENOMEM, "calloc");
    for (long i = 0; i < fi.readers; i++) {
        readers[i].fi = &fi;
        readers[i].i = i;
        bench_check(fi.name, uv_poll_init(&loop, &readers[i].poll, fi.fds[i]), "uv_poll_init");
        bench_check(fi.name, uv_poll_start(&readers[i].poll, UV_READABLE, uv_reader_readable),
                    "uv_poll_start");
    }
    fanin_start(&fi);
    uv_run(&loop, UV_RUN_DEFAULT);      /* returns when every handle is closed */
    int status = fanin_finish(&fi);
    bench_check(fi.name, uv_loop_close(&loop), "uv_loop_close");
    free(readers);
    fanin_close(&fi);
    return status;
}
