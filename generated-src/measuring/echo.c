/* echo.c: the echo servers' address, listening socket and report. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "measuring/bench.h"
#include "measuring/echo.h"

/* "[HOST:]PORT" into host and port; 0, or -1 after saying what is wrong. */
static int echo_address(const char *name, const char *text, char *host, size_t size,
                        unsigned *port)
{
    const char *colon = strrchr(text, ':'), *digits = colon ? colon + 1 : text;
    size_t len = colon ? (size_t)(colon - text) : 0;
    snprintf(host, size, "%.*s", (int)(len < size ? len : size - 1), text);
    if (!colon) snprintf(host, size, "127.0.0.1");
    char *end;
    errno = 0;
    unsigned long v = strtoul(digits, &end, 10);
    if (!isdigit((unsigned char)digits[0]) || *end || errno || v > 65535 || len >= size) {
        fprintf(stderr, "%s: PORT must be a whole number from 0 to 65535 (0: any free "
                "port), not \"%s\"\n", name, digits);
        return -1;
    }
    *port = (unsigned)v;
    return 0;
}

static const char *echo_listen_advice(int e)
{
    return e == EADDRINUSE ? "; pick another port, or 0 for any free one"
         : e == EADDRNOTAVAIL ? "; HOST must be an address of this machine"
         : e == EACCES ? "; ports below 1024 need root; give a port from 1024 up" : "";
}

int echo_open(struct echo_server *s, int argc, char **argv)
{
    *s = (struct echo_server){.name = bench_name(argc, argv), .listener = -1};
    char host[256];
    unsigned port;
    if (argc != 2) {
        fprintf(stderr, "usage: %s [HOST:]PORT\nechoes every byte each client sends, until "
                "SIGINT or SIGTERM; PORT 0 picks a free port; e.g. %s 0\n", s->name, s->name);
        return -1;
    }
    if (echo_address(s->name, argv[1], host, sizeof host, &port) < 0) return -1;
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai;
    int err = getaddrinfo(host, NULL, &hints, &ai);
    if (err) {
        fprintf(stderr, "%s: no address for \"%s\": %s; give an IPv4 address such as "
                "127.0.0.1, or a name that has one\n", s->name, host, gai_strerror(err));
        return -1;
    }
    struct sockaddr_in addr = *(struct sockaddr_in *)ai->ai_addr;
    freeaddrinfo(ai);
    addr.sin_port = htons((uint16_t)port);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    bench_check(s->name, fd < 0 ? -errno : 0, "socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, SOMAXCONN) < 0) {
        int e = errno;
        char shown[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr.sin_addr, shown, sizeof shown);
        fprintf(stderr, "%s: cannot listen on %s:%u: %s%s\n", s->name, shown, port,
                strerror(e), echo_listen_advice(e));
        close(fd);
        return -1;
    }
    socklen_t len = sizeof addr;
    bench_check(s->name, getsockname(fd, (struct sockaddr *)&addr, &len) ? -errno : 0,
                "getsockname");
    char shown[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr.sin_addr, shown, sizeof shown);
    printf("listening on %s:%u\n", shown, ntohs(addr.sin_port));
    fflush(stdout);
    s->listener = fd;
    return 0;
}

void echo_close(struct echo_server *s)
{
    if (s->listener >= 0) close(s->listener);
    s->listener = -1;
    printf("%s: served %ld connections\n", s->name, s->served);
}

void echo_no_delay(int fd)
{
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);    /* only a hint */
}
