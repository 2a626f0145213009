/* The preface's demo: poll a countdown until it is ready, printing each answer. */
#include <stdio.h>
#include <stdlib.h>

#include "preface/countdown.h"
#include "preface/number.h"

int main(int argc, char **argv)
{
    long polls = 3;
    if (argc > 2
        || (argc == 2 && number_parse("preface", "POLLS", argv[1], 0, 1000000, &polls) < 0)) {
        fprintf(stderr, "usage: preface [POLLS]   (how often to poll; default 3)\n");
        return 2;
    }
    struct countdown c = countdown_new((int)polls);
    for (int round = 1;; round++) {
        if (countdown_poll(&c) == COUNTDOWN_READY) {
            printf("poll %d: ready\n", round);
            return EXIT_SUCCESS;
        }
        printf("poll %d: pending\n", round);
    }
}
