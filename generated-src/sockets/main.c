/* main.c: the echo server: build/sockets [HOST:]PORT. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "poll/stdfds.h"
#include "sockets/address.h"
#include "sockets/echo.h"

int main(int argc, char **argv)
{
    if (stdfds_reserve("sockets") < 0)
        return 1;
    char fallback[16];
    snprintf(fallback, sizeof fallback, "%d", SOCKETS_DEFAULT_PORT);
    struct sockaddr_in addr;
    if (argc > 2) {
        fprintf(stderr, "usage: %s [HOST:]PORT   (default 127.0.0.1:%s; PORT 0: any free "
                "port)\n", argv[0], fallback);
        return 2;
    }
    if (sockets_parse_address(argc == 2 ? argv[1] : fallback, &addr, "sockets", stderr) < 0)
        return 2;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    int stop_fd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
    int fd = stop_fd < 0 ? -1 : sockets_listen(&addr, "sockets", stderr);
    if (stop_fd < 0)
        perror("sockets: signalfd");
    if (fd < 0) {
        if (stop_fd >= 0)
            close(stop_fd);
        return 1;
    }
    char where[32];
    sockets_format_address(&addr, where, sizeof where);
    printf("listening on %s\n", where);
    if (stdfds_flush("sockets") < 0) {
        close(fd);
        close(stop_fd);
        return 1;
    }
    struct sockets_server_options options = SOCKETS_SERVER_DEFAULTS;
    struct sockets_server_stats stats = {0};
    int err = sockets_serve(fd, stop_fd, &options, &stats);
    close(fd);
    close(stop_fd);
    printf("served %lu connections\n", stats.served);
    int lost = stdfds_flush("sockets");
    if (err < 0)
        fprintf(stderr, "sockets: %s%s\n", strerror(-err), err != -EMFILE ? "" : ": no "
                "descriptor left, and no connection open to free one; raise the limit "
                "(ulimit -n)");
    return err < 0 || lost < 0;
}
