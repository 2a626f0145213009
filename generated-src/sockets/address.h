/* address.h: [HOST:]PORT for the server and the client, a listening socket, and a check
   that their output was written. */
#ifndef SOCKETS_ADDRESS_H
#define SOCKETS_ADDRESS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>

/* Parses [HOST:]PORT: HOST an IPv4 address (default 127.0.0.1), PORT 0 to 65535. 0, or -1
   after one line on err, starting with program, that says what is wrong and what to do. */
int sockets_parse_address(const char *text, struct sockaddr_in *out, const char *program,
                          FILE *err);
/* Writes "HOST:PORT" into buf (at least 22 bytes). */
void sockets_format_address(const struct sockaddr_in *addr, char *buf, size_t size);
/* A non-blocking listening socket bound to *addr, which gets the port bound; or -1 after
   one line on err that says what is wrong and what to do. */
int sockets_listen(struct sockaddr_in *addr, const char *program, FILE *err);

#endif
