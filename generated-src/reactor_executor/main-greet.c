#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "poll/escape.h"
#include "poll/fifo.h"
#include "poll/poll.h"
#include "poll/stdfds.h"
#include "reactor_executor/channel.h"
#include "reactor_executor/executor.h"
#include "reactor_executor/reactor.h"

struct demo_pipe {
    const char *name;
    int fd;
    /* cppcheck-suppress unusedStructMember ; the greet program shares this type, not the budget */
    struct chan *ready;         /* where to send the token again when the budget is spent */
};

enum { GREET_NAME = 1, GREET_GREETING = 2 };

struct greet_line {
    int fd;
    char text[64];              /* what arrived so far, without the newline */
    size_t len;
    bool complete;              /* the newline has arrived */
};

struct greet {
    struct greet_line name;     /* read from pipe1 */
    struct greet_line greeting; /* read from pipe2 */
    struct reactor *reactor;    /* stopped after the answer; NULL then */
};

static bool greet_read_line(struct greet_line *line)
{
    if (line->complete)
        return false;           /* reported once already: later tokens are not news */
    while (!line->complete) {
        char ch;
        ssize_t n = read(line->fd, &ch, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;       /* nothing more yet: wait for the next event */
        if (ch == '\n')
            line->complete = true;
        else if (line->len < sizeof line->text - 1)
            line->text[line->len++] = (char)ch;
    }
    return true;
}

static void greet_finish(struct greet *g)
{
    printf("%s, %s!\n", g->greeting.text, g->name.text);
    reactor_stop(g->reactor);
    g->reactor = NULL;
}
static void greet_on_name(void *arg, uint64_t token)
{
    struct greet *g = arg;
    (void)token;
    if (g->reactor == NULL || !greet_read_line(&g->name))
        return;
    printf("name: %s\n", g->name.text);
    if (g->greeting.complete)   /* the greeting came first and waited for us */
        greet_finish(g);
}

static void greet_on_greeting(void *arg, uint64_t token)
{
    struct greet *g = arg;
    (void)token;
    if (g->reactor == NULL || !greet_read_line(&g->greeting))
        return;
    if (!g->name.complete) {
        printf("greeting \"%s\" came before the name; keeping it\n", g->greeting.text);
        return;
    }
    greet_finish(g);
}

int main(void)
{
    const char *program = "reactor_executor-greet";
    if (stdfds_reserve(program) < 0)
        return EXIT_FAILURE;
    const char *const paths[] = { "pipe1", "pipe2" };
    const int npipes = 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct demo_pipe pipes[2] = { { paths[0], -1, NULL }, { paths[1], -1, NULL } };
    bool pipes_ok = true;
    for (int i = 0; i < npipes; i++) {
        pipes[i].fd = fifo_open_read(pipes[i].name, program, stderr);
        pipes_ok &= pipes[i].fd >= 0;
    }
    if (!pipes_ok) {
        for (int i = 0; i < npipes; i++)
            if (pipes[i].fd >= 0)
                close(pipes[i].fd);
        return EXIT_FAILURE;
    }
    struct greet g = { .name = { .fd = pipes[0].fd }, .greeting = { .fd = pipes[1].fd } };
    struct chan *ready = NULL;
    struct executor *ex = NULL;
    int err = chan_new(&ready);
    if (err == 0)
        err = executor_new(&ex);
    if (err == 0)
        err = reactor_start(&g.reactor, ready);
    const uint32_t edge = POLL_READABLE | POLL_EDGE;
    if (err == 0)
        err = reactor_register(g.reactor, pipes[0].fd, GREET_NAME, edge);
    if (err == 0)
        err = reactor_register(g.reactor, pipes[1].fd, GREET_GREETING, edge);
    if (err == 0)
        err = executor_on(ex, GREET_NAME, greet_on_name, &g);
    if (err == 0)
        err = executor_on(ex, GREET_GREETING, greet_on_greeting, &g);
    if (err != 0) {
        fprintf(stderr, "%s: cannot start: %s\n", program, strerror(-err));
        reactor_stop(g.reactor);
        int stopped = reactor_stop(g.reactor);     /* joins a reactor that ended by itself */
        if (stopped < 0)
            fprintf(stderr, "greet: the reactor ended early: %s\n", strerror(-stopped));
        executor_free(ex);
        chan_free(ready);
        close(pipes[0].fd);
        close(pipes[1].fd);
        return EXIT_FAILURE;
    }
    printf("waiting for a name on pipe1 and a greeting on pipe2\n");
    executor_run(ex, ready);
    int stopped = reactor_stop(g.reactor);     /* joins a reactor that ended by itself */
    if (stopped < 0)
        fprintf(stderr, "greet: the reactor ended early: %s\n", strerror(-stopped));
    executor_free(ex);
    chan_free(ready);
    close(pipes[0].fd);
    close(pipes[1].fd);
    return stopped < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
