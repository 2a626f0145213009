/* Printing bytes that may not be text. */
#ifndef POLL_ESCAPE_H
#define POLL_ESCAPE_H
#include <stddef.h>
#include <stdio.h>

/* Writes the n bytes at buf to out, escaped: printable ASCII as it is, except \ and " which
   get a backslash; a newline as \n; any other byte, NUL included, as \x and two hex digits. */
void escape_print(FILE *out, const char *buf, size_t n);
#endif
