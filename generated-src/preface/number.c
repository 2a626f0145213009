#include "preface/number.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int number_parse(const char *program, const char *what, const char *text, long min, long max,
                 long *out)
{
    const char *digits = text[0] == '-' ? text + 1 : text;
    if (isdigit((unsigned char)digits[0])) {
        char *end;
        errno = 0;
        long value = strtol(text, &end, 10);
        if (errno == 0 && *end == '\0' && value >= min && value <= max) {
            *out = value;
            return 0;
        }
    }
    fprintf(stderr, "%s: %s must be a whole number from %ld to %ld, not \"%s\"\n", program,
            what, min, max, text);
    return -1;
}
