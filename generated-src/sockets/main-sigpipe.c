/* main-sigpipe.c: build/sockets-sigpipe [nosignal]: sending to a connection whose peer has
   closed, without MSG_NOSIGNAL (the process dies of SIGPIPE) and with it (EPIPE). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sockets/address.h"

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "nosignal") != 0)) {
        fprintf(stderr, "usage: %s [nosignal]\n", argv[0]);
        return 2;
    }
    int flags = argc == 2 ? MSG_NOSIGNAL : 0;
    struct sockaddr_in addr;
    sockets_parse_address("0", &addr, "sockets-sigpipe", stderr);
    int listener = sockets_listen(&addr, "sockets-sigpipe", stderr);
    int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || client < 0 || connect(client, (struct sockaddr *)&addr, sizeof addr) < 0)
        return 1;
    close(accept(listener, NULL, NULL));    /* the peer closes at once */
    for (int i = 1; i <= 3; i++) {
        printf("send %d: ", i);
        fflush(stdout);
        ssize_t n = send(client, "x", 1, flags);
        printf(n < 0 ? "%s\n" : "%s byte\n", n < 0 ? strerror(errno) : "1");
        fflush(stdout);
        poll(&(struct pollfd){client, 0, 0}, 1, 1000);     /* until the reset has arrived */
    }
    close(client);
    close(listener);
    return 0;
}
