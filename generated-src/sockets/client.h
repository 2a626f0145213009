/* client.h: clients that send pseudo-random bytes to an echo server and check the echo. */
#ifndef SOCKETS_CLIENT_H
#define SOCKETS_CLIENT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>

struct sockets_client_options {
    struct sockaddr_in addr;
    size_t clients, bytes, chunk;   /* connections at once; bytes each; bytes per message */
};

struct sockets_client_report {
    size_t messages;                /* chunks echoed, over all connections */
    double seconds, mb_per_s;       /* wall time; 1e6-byte megabytes sent per second */
    double p50_us, p99_us;          /* percentiles of every round trip */
};

/* Runs every client to its end. 0, or -1 after a line on err for the first client that
   failed (which client, at which byte, what happened, what to do) and a count of the others
   that failed the same way, or -errno (-ENOMEM, -EMFILE) after one line on err. */
int sockets_client_run(const struct sockets_client_options *options,
                       struct sockets_client_report *report, FILE *err);
/* The byte at offset of client's stream. */
unsigned char sockets_client_byte(size_t client, size_t offset);

#endif
