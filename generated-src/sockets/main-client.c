/* main-client.c: build/sockets-client [HOST:]PORT [CLIENTS [BYTES [CHUNK]]]. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "poll/stdfds.h"
#include "sockets/address.h"
#include "sockets/client.h"

static int client_number(const char *text, const char *name, size_t min, size_t max,
                         size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (*text >= '0' && *text <= '9' && !*end && !errno && n >= min && n <= max) {
        *out = (size_t)n;
        return 0;
    }
    fprintf(stderr, "sockets-client: %s must be a whole number from %zu to %zu, not '%s'\n",
            name, min, max, text);
    return -1;
}

int main(int argc, char **argv)
{
    if (stdfds_reserve("sockets-client") < 0)
        return 1;
    struct sockets_client_options o = {.clients = 1, .bytes = 1000000, .chunk = 4096};
    if (argc < 2 || argc > 5) {
        fprintf(stderr, "usage: %s [HOST:]PORT [CLIENTS [BYTES [CHUNK]]]   (default: 1 client, "
                "1000000 bytes, chunks of 4096)\n", argv[0]);
        return 2;
    }
    if (sockets_parse_address(argv[1], &o.addr, "sockets-client", stderr) < 0 ||
        (argc > 2 && client_number(argv[2], "CLIENTS", 1, 100000, &o.clients) < 0) ||
        (argc > 3 && client_number(argv[3], "BYTES", 0, (size_t)1 << 40, &o.bytes) < 0) ||
        (argc > 4 && client_number(argv[4], "CHUNK", 1, (size_t)1 << 26, &o.chunk) < 0))
        return 2;
    struct sockets_client_report rep;
    if (sockets_client_run(&o, &rep, stderr) < 0)
        return 1;
    printf("clients %zu bytes %zu chunk %zu messages %zu seconds %.6f MB/s %.3f p50_us %.1f "
           "p99_us %.1f\n", o.clients, o.bytes, o.chunk, rep.messages, rep.seconds,
           rep.mb_per_s, rep.p50_us, rep.p99_us);
    return stdfds_flush("sockets-client") < 0;
}
