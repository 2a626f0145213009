/* main-unbounded.c: build/sockets-unbounded: a connection that queues what it cannot send
   and reads on, against a client that sends 8 MB and reads nothing. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sockets/address.h"
#include "sockets/sockets.h"

enum { UNBOUNDED_TOTAL = 8 << 20 };

struct greedy {
    struct future base;
    bool started;
    struct sockets_net *net;
    struct sockets_socket socket;
    struct sockets_read read;
    char buf[16384], *queue;
    size_t head, len, received;
    struct greedy_report { size_t peak; long rss_kb; } *report;
};

static long greedy_rss_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && kb < 0 && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void greedy_flush(struct greedy *g)
{
    while (g->head < g->len) {
        ssize_t n = send(g->socket.out.fd, g->queue + g->head, g->len - g->head, MSG_NOSIGNAL);
        if (n <= 0)
            break;                              /* EAGAIN: keep it, and read on */
        g->head += (size_t)n;
    }
}

static struct future_result greedy_poll(struct future *self, struct future_context *cx)
{
    struct greedy *g = (struct greedy *)self;
    if (!g->started) {
        g->started = true;
        sockets_read_init(&g->read, g->net, &g->socket, g->buf, sizeof g->buf);
    }
    for (;;) {
        greedy_flush(g);
        struct future_result r = future_poll(&g->read.base, cx);
        if (r.status == FUTURE_PENDING)
            return r;
        struct sockets_read_output *in = r.output;
        char *grown = in->len ? realloc(g->queue, g->len + in->len) : NULL;
        if (!grown)
            return future_ready(NULL);          /* error, end of stream, or out of memory */
        g->queue = grown;
        memcpy(grown + g->len, g->buf, in->len);
        g->len += in->len;
        if (g->len - g->head > g->report->peak)
            g->report->peak = g->len - g->head;
        if ((g->received += in->len) >= UNBOUNDED_TOTAL) {
            g->report->rss_kb = greedy_rss_kb();
            return future_ready(NULL);          /* all 8 MB have arrived */
        }
        sockets_read_init(&g->read, g->net, &g->socket, g->buf, sizeof g->buf);
    }
}

static void greedy_drop(struct future *self)
{
    struct greedy *g = (struct greedy *)self;
    sockets_socket_close(&g->socket, g->net);
    free(g->queue);
}
static pid_t unbounded_client(const struct sockaddr_in *addr)
{
    pid_t pid = fork();
    if (pid == 0) {                     /* sends 8 MB, reads nothing, waits to be killed */
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* or when its parent dies */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0) {
            static char bytes[UNBOUNDED_TOTAL];
            send(fd, bytes, sizeof bytes, MSG_NOSIGNAL);
        }
        pause();
        _exit(0);
    }
    return pid;
}

int main(void)
{
    struct sockaddr_in addr;
    sockets_parse_address("0", &addr, "sockets-unbounded", stderr);
    int listener = sockets_listen(&addr, "sockets-unbounded", stderr), fd;
    pid_t client = listener < 0 ? -1 : unbounded_client(&addr);
    if (client < 0)
        return 1;
    while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0 &&
           (errno == EAGAIN || errno == EINTR))
        poll(&(struct pollfd){listener, POLLIN, 0}, 1, -1);
    long rss_before = greedy_rss_kb();
    struct greedy_report report = {0, 0};
    struct reactor *r = NULL;
    struct executor *ex = executor_new();
    struct sockets_net net;
    int err = fd < 0 ? -errno : !ex ? -ENOMEM : reactor_new(&r);
    if (err == 0 && (err = sockets_net_init(&net, r)) == 0) {
        static const struct future_vtable vtable = {greedy_poll, greedy_drop};
        struct greedy g = {.base = {&vtable}, .net = &net, .report = &report};
        sockets_socket_init(&g.socket, fd);
        if ((err = executor_spawn(ex, &g.base, sizeof g)) == 0)
            err = executor_run(ex, r);
        printf("the client sent 8 MB and read nothing; the connection held up to %zu bytes; "
               "VmRSS %ld kB before, %ld kB at the end\n", report.peak, rss_before,
               report.rss_kb);
        executor_free(ex);
        sockets_net_close(&net);
    }
    reactor_free(r);
    kill(client, SIGKILL);
    waitpid(client, NULL, 0);
    close(listener);
    return err < 0;
}
