/* main-write-all.c: WriteAll into a full pipe, with a reader, and then without one. */
#define _GNU_SOURCE                     /* pipe2, F_GETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers/write_all.h"
#include "waker/tally_waker.h"

enum { WRITE_ALL_LEN = 10000 };

/* A non-blocking pipe, filled to its capacity with 'f'; returns the capacity. */
static size_t full_pipe(int p[2]) {
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) return 0;
    int size = fcntl(p[1], F_GETPIPE_SZ);
    char *fill = size > 0 ? malloc((size_t)size) : NULL;
    ssize_t put = fill ? write(p[1], memset(fill, 'f', (size_t)size), (size_t)size) : -1;
    free(fill);
    return put == size ? (size_t)size : 0;
}
static int write_then_read(struct reactor *r, const char *text) {
    int p[2];
    size_t cap = full_pipe(p);
    char *got = cap ? malloc(cap + WRITE_ALL_LEN) : NULL;
    if (!got) return perror("answers-write-all"), 1;
    struct tally t;
    struct raw_waker waker = tally_waker_new(&t);
    struct future_context cx = {&waker};
    struct write_all w;
    struct read_n_chars rd;
    write_all_init(&w, r, p[1], text, WRITE_ALL_LEN);
    read_n_chars_init(&rd, r, p[0], got, cap + WRITE_ALL_LEN);
    struct future_result wr = future_pending(), rr = future_pending();
    int waits = 0;
    while (wr.status == FUTURE_PENDING || rr.status == FUTURE_PENDING) {
        if (wr.status == FUTURE_PENDING) {
            wr = future_poll(&w.base, &cx);
            waits += wr.status == FUTURE_PENDING;
        }
        if (rr.status == FUTURE_PENDING) rr = future_poll(&rd.base, &cx);
        int left = wr.status == FUTURE_PENDING || rr.status == FUTURE_PENDING;
        if (left && reactor_wait(r, -1) < 0) break;
    }
    const struct read_n_chars_output *in = rr.output;
    const struct write_all_output *out = wr.output;
    size_t filled = 0;
    while (in && filled < cap && got[filled] == 'f') filled++;
    int whole = in && in->len == cap + WRITE_ALL_LEN && filled == cap
                && memcmp(got + cap, text, WRITE_ALL_LEN) == 0;
    printf("a full pipe of %zu bytes: wrote %zu after %d wait%s for room; read %zu, %s\n",
           cap, out ? out->written : 0, waits, waits == 1 ? "" : "s", in ? in->len : 0,
           whole ? "in order" : "NOT in order");
    future_drop(&w.base);
    future_drop(&rd.base);
    free(got);
    close(p[0]);
    close(p[1]);
    return !whole || t.refs != 1;
}
static int write_without_reader(struct reactor *r, const char *text) {
    int p[2];
    if (full_pipe(p) == 0) return perror("answers-write-all"), 1;
    struct tally t;
    struct raw_waker waker = tally_waker_new(&t);
    struct future_context cx = {&waker};
    struct write_all w;
    write_all_init(&w, r, p[1], text, WRITE_ALL_LEN);
    struct future_result wr = future_poll(&w.base, &cx);
    close(p[0]);                                    /* the reader goes while we wait */
    int waits = 0;
    while (wr.status == FUTURE_PENDING && reactor_wait(r, -1) >= 0) {
        waits++;
        wr = future_poll(&w.base, &cx);
    }
    const struct write_all_output *out = wr.output;
    printf("the reader closed while the writer waited: %s after %d wait%s, %zu written\n",
           out ? strerror(-out->err) : "pending", waits, waits == 1 ? "" : "s",
           out ? out->written : 0);
    future_drop(&w.base);
    close(p[1]);
    return !out || t.refs != 1;
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);           /* a write without a reader then fails with EPIPE */
    static char text[WRITE_ALL_LEN];
    for (size_t i = 0; i < sizeof text; i++) text[i] = (char)('a' + i % 26);
    struct reactor *r;
    if (reactor_new(&r) < 0) return perror("answers-write-all"), 1;
    int failed = write_then_read(r, text);
    failed |= write_without_reader(r, text);
    int left = reactor_wait(r, 0);
    printf("left registered: %s\n", left == -EDEADLK ? "nothing" : "something");
    reactor_free(r);
    return failed || left != -EDEADLK;
}
