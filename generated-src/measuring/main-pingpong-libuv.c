/* main-pingpong-libuv.c: ping-pong on libuv, one uv_poll_t for each end. */
#define _POSIX_C_SOURCE 200809L         /* uv.h uses POSIX 2008 thread types */
#include <errno.h>
#include <stdlib.h>
#include <uv.h>
#include "measuring/bench.h"
#include "measuring/pingpong.h"

struct uv_end { uv_poll_t poll; struct pingpong *pp; long end; };

static void uv_end_readable(uv_poll_t *poll, int status, int events) {
    struct uv_end *e = (struct uv_end *)poll;
    (void)events;
    bench_check(e->pp->name, status, "uv_poll");
    if (!pingpong_end_done(e->pp, e->end)) pingpong_step(e->pp, e->end);
    if (pingpong_done(e->pp)) uv_stop(poll->loop);
}

int main(int argc, char **argv) {
    struct pingpong pp;
    if (pingpong_open(&pp, argc, argv) < 0) return 2;
    uv_loop_t loop;
    bench_check(pp.name, uv_loop_init(&loop), "uv_loop_init");
    struct uv_end *ends = calloc((size_t)pp.pairs * 2, sizeof *ends);
    bench_check(pp.name, ends ? 0 : -ENOMEM, "calloc");
    for (long end = 0; end < 2 * pp.pairs; end++) {
        ends[end].pp = &pp;
        ends[end].end = end;
        bench_check(pp.name, uv_poll_init(&loop, &ends[end].poll, pingpong_fd(&pp, end)),
                    "uv_poll_init");
        bench_check(pp.name, uv_poll_start(&ends[end].poll, UV_READABLE, uv_end_readable),
                    "uv_poll_start");
    }
    pingpong_start(&pp);
    uv_run(&loop, UV_RUN_DEFAULT);
    int status = pingpong_finish(&pp);
    for (long end = 0; end < 2 * pp.pairs; end++) uv_close((uv_handle_t *)&ends[end].poll, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);              /* lets the closes finish */
    bench_check(pp.name, uv_loop_close(&loop), "uv_loop_close");
    free(ends);
    pingpong_close(&pp);
    return status;
}
