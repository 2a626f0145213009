/* main-timeout.c: a timeout around a ReadNChars, in five races; what each loser leaves. */
#define _GNU_SOURCE                     /* pipe2 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "answers/timeout.h"
#include "waker/tally_waker.h"

/* One race: a timeout of ms around a reader of a fresh pipe, polled by hand. */
struct race {
    struct reactor *r;
    int p[2];
    char buf[5];
    struct read_n_chars read;
    struct timeout_future timeout;
    struct tally t;
    struct raw_waker waker;
    struct future_context cx;   /* polls with waker */
};

static void race_start(struct race *c, long ms) {
    if (reactor_new(&c->r) < 0 || pipe2(c->p, O_NONBLOCK | O_CLOEXEC) < 0) {
        perror("answers-timeout");
        exit(1);
    }
    read_n_chars_init(&c->read, c->r, c->p[0], c->buf, sizeof c->buf);
    timeout_future_init(&c->timeout, &c->read.base, c->r, ms);
    c->waker = tally_waker_new(&c->t);
    c->cx = (struct future_context){&c->waker};
}

static struct future_result race_poll(struct race *c) {
    return future_poll(&c->timeout.base, &c->cx);
}
static void race_report(const struct race *c, const char *what, const char *result,
                        int waits) {
    const struct raw_waker *reg = &c->read.io.waker;
    printf("%s: %s, %d wait%s; reader %s, %s, %ld clones\n", what, result,
           waits, waits == 1 ? "" : "s",
           reg->vtable ? "holds a waker" : reg->data ? "in epoll" : "out of epoll",
           c->timeout.sleep.io.fd >= 0 ? "timerfd open" : "no timerfd",
           c->t.refs - 1);
}

static void race_free(struct race *c) {
    reactor_free(c->r);
    close(c->p[0]);
    close(c->p[1]);
}

/* Writes early before the first poll and late after it, polls until ready, and reports
   before the timeout is dropped: the loser must be gone already. */
static void race(const char *what, long ms, const char *early, const char *late) {
    struct race c;
    race_start(&c, ms);
    if (early && write(c.p[1], early, strlen(early)) < 0) perror("answers-timeout: write");
    int waits = 0;
    struct future_result res;
    while ((res = race_poll(&c)).status == FUTURE_PENDING) {
        if (late && write(c.p[1], late, strlen(late)) < 0) perror("answers-timeout: write");
        late = NULL;
        if (reactor_wait(c.r, -1) < 0) break;
        waits++;
    }
    const struct timeout_output *out = res.output;
    char result[64] = "not ready";
    if (res.status == FUTURE_READY && out->err == 0) {
        const struct read_n_chars_output *read = out->output;
        snprintf(result, sizeof result, "\"%.*s\"", (int)read->len, read->text);
    } else if (res.status == FUTURE_READY) {
        snprintf(result, sizeof result, "%s", strerror(-out->err));
    }
    race_report(&c, what, result, waits);
    future_drop(&c.timeout.base);
    race_free(&c);
}
int main(void) {
    race("tie, 0 ms, data first", 0, "hello", NULL);
    race("deadline, 0 ms, no data", 0, NULL, NULL);
    race("deadline, 20 ms, no data", 20, NULL, NULL);
    race("reader, 60 s, data late", 60000, NULL, "hello");
    struct race c;
    race_start(&c, 60000);
    const char *result = race_poll(&c).status == FUTURE_PENDING ? "pending" : "ready";
    future_drop(&c.timeout.base);
    race_report(&c, "dropped, 60 s, no data", result, 0);
    race_free(&c);
    return 0;
}
