/* address.c: [HOST:]PORT, a listening socket with messages people can act on, and the
   check that output was written. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sockets/address.h"

int sockets_parse_address(const char *text, struct sockaddr_in *out, const char *program,
                          FILE *err)
{
    const char *colon = strrchr(text, ':'), *port = colon ? colon + 1 : text;
    char host[INET_ADDRSTRLEN] = "127.0.0.1";
    size_t host_len = colon ? (size_t)(colon - text) : 0;
    *out = (struct sockaddr_in){.sin_family = AF_INET};
    if (colon && (host_len == 0 || host_len >= sizeof host ||
                  (memcpy(host, text, host_len), host[host_len] = '\0',
                   inet_pton(AF_INET, host, &out->sin_addr) != 1))) {
        fprintf(err, "%s: bad address '%s': HOST in [HOST:]PORT must be an IPv4 address "
                "such as 127.0.0.1\n", program, text);
        return -1;
    }
    if (!colon)
        inet_pton(AF_INET, host, &out->sin_addr);
    char *end;
    errno = 0;
    unsigned long n = strtoul(port, &end, 10);
    if (*port < '0' || *port > '9' || *end || errno || n > 65535) {
        fprintf(err, "%s: port '%s' is not a number from 0 (any free port) to 65535\n",
                program, port);
        return -1;
    }
    out->sin_port = htons((unsigned short)n);
    return 0;
}

void sockets_format_address(const struct sockaddr_in *addr, char *buf, size_t size)
{
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &addr->sin_addr, host, sizeof host);
    snprintf(buf, size, "%s:%u", host, (unsigned)ntohs(addr->sin_port));
}
int sockets_listen(struct sockaddr_in *addr, const char *program, FILE *err)
{
    char where[32];
    sockets_format_address(addr, where, sizeof where);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    socklen_t len = sizeof *addr;
    if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
        bind(fd, (struct sockaddr *)addr, sizeof *addr) == 0 && listen(fd, SOMAXCONN) == 0 &&
        getsockname(fd, (struct sockaddr *)addr, &len) == 0)
        return fd;
    int e = errno;
    const char *hint = e == EADDRINUSE ? ": another program listens there (ss -ltnp names it); "
                                         "stop it, or give another port, or 0 for any free one"
                     : e == EACCES ? ": ports below 1024 need root; give a port from 1024 up"
                     : e == EADDRNOTAVAIL ? ": HOST must be an address of this machine"
                     : "";
    fprintf(err, "%s: cannot listen on %s: %s%s\n", program, where, strerror(e), hint);
    if (fd >= 0)
        close(fd);
    return -1;
}
